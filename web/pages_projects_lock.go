package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// Locking freezes a project (lock-project, after a confirmation page); a
// locked project shows its snapshot's SHA-256, offers its exports
// (export-project, passed through as files) and records its outcome
// (record-outcome).

// lockForm asks the buyer to confirm the lock.
func (s *Server) lockForm(q *request) error {
	if ok, err := q.requireBuyer(); !ok {
		return err
	}
	d, err := q.projectData(q.r.PathValue("id"))
	if err != nil {
		return err
	}
	if d.P.Locked() {
		return q.redirect("/projects/" + url.PathEscape(d.P.ID))
	}
	v := q.view("Lock the project", d)
	v.Form = newForm(nil)
	return q.render(http.StatusOK, "project_lock", v)
}

// lock sends lock-project with the version the buyer confirmed.
func (s *Server) lock(q *request) error {
	if ok, err := q.requireBuyerPost(); !ok {
		return err
	}
	id := q.r.PathValue("id")
	err := q.api.callIf(q.r.Context(), http.MethodPost, "/v1/projects/"+pathEscape(id)+"/lock", q.r.PostForm.Get("version"), nil, nil)
	if err != nil {
		return q.projectFailed(err, func(*view) []field { return nil })
	}
	return q.redirect("/projects/" + url.PathEscape(id) + "?done=locked#record-title")
}

// exportFormats are the export files the project page links to.
var exportFormats = map[string]bool{"csv": true, "xlsx": true, "json": true}

// export passes export-project's file through to the browser.
func (s *Server) export(q *request) error {
	if ok, err := q.requireProjectReader(); !ok {
		return err
	}
	format := q.r.PathValue("format")
	if !exportFormats[format] {
		return errPage{http.StatusNotFound}
	}
	path := "/v1/projects/" + pathEscape(q.r.PathValue("id")) + "/export?format=" + format
	a, err := q.api.send(q.r.Context(), http.MethodGet, path, "", nil)
	if err != nil {
		return err
	}
	h := q.w.Header()
	for _, k := range []string{"Content-Type", "Content-Disposition", "X-Snapshot-Sha256"} {
		if v := a.header.Get(k); v != "" {
			h.Set(k, v)
		}
	}
	h.Set("Cache-Control", "no-store")
	q.w.WriteHeader(http.StatusOK)
	_, err = q.w.Write(a.body.Bytes())
	return err
}

// outcomeFields are the fields of the outcome form, as the API names them.
func outcomeFields(v *view) []field {
	return []field{{Name: "awarded", Label: v.T("Outcome")}, {Name: "offering_id", Label: v.T("Service awarded")},
		{Name: "value_eur", Label: v.T("Contract value (euro, without VAT)")}, {Name: "starts_on", Label: v.T("First day of the contract")},
		{Name: "ends_on", Label: v.T("Last day of the contract")}, {Name: "reason", Label: v.T("Reason or note")}}
}

// recordOutcome sends the outcome form to record-outcome.
func (s *Server) recordOutcome(q *request) error {
	if ok, err := q.requireBuyerPost(); !ok {
		return err
	}
	id := q.r.PathValue("id")
	if err := q.api.call(q.r.Context(), http.MethodPost, "/v1/projects/"+pathEscape(id)+"/outcome", outcomeBody(q.r.PostForm), nil); err != nil {
		return q.projectFailed(err, outcomeFields)
	}
	return q.redirect("/projects/" + url.PathEscape(id) + "?done=outcome#outcome-title")
}

// outcomeBody is the API body of the outcome form. A value that is not a
// whole number is sent as typed, for the API to name the field.
func outcomeBody(f url.Values) map[string]any {
	awarded := f.Get("awarded") == "yes"
	body := map[string]any{"awarded": awarded}
	if awarded {
		for _, k := range []string{"offering_id", "starts_on", "ends_on"} {
			optional(body, k, f.Get(k))
		}
		if v := strings.TrimSpace(strings.ReplaceAll(f.Get("value_eur"), " ", "")); v != "" {
			if n, err := strconv.ParseInt(v, 10, 64); err == nil {
				body["value_eur"] = n
			} else {
				body["value_eur"] = v
			}
		}
	}
	optional(body, "reason", f.Get("reason"))
	return body
}
