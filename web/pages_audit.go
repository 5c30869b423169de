package web

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// auditEvent is one event of list-audit-events or a history operation.
type auditEvent struct {
	ID        int64                      `json:"id"`
	At        string                     `json:"at"`
	Actor     string                     `json:"actor"`
	ActorRole string                     `json:"actor_role"`
	RequestID string                     `json:"request_id"`
	Action    string                     `json:"action"`
	Entity    string                     `json:"entity"`
	EntityID  string                     `json:"entity_id"`
	Before    map[string]json.RawMessage `json:"before"`
	After     map[string]json.RawMessage `json:"after"`
}

// auditChange is one field a write changed.
type auditChange struct {
	Field, Before, After string
}

// auditRow is an event with the fields it changed.
type auditRow struct {
	auditEvent
	Changes []auditChange
	// ObjectURL is the audit trail of the event's object.
	ObjectURL string
}

// auditData is the audit page's data.
type auditData struct {
	// Entity and ID name the object of a history; both "" for the trail.
	Entity, ID string
	Rows       []auditRow
	NextURL    string
}

// historyEntities are the objects with a history operation.
var historyEntities = []string{"vendor", "offering", "certification"}

// audit answers the audit trail for staff: of one object
// (/staff/audit/{entity}/{id}, get-vendor-history, get-offering-history or
// get-certification-history, oldest first) or of everything, filtered by
// kind of object, actor and action (/staff/audit, list-audit-events, newest
// first). Each event lists the fields it changed, before and after.
func (s *Server) audit(q *request) error {
	if ok, err := q.requireStaff(); !ok {
		return err
	}
	in := q.r.URL.Query()
	d := &auditData{Entity: q.r.PathValue("entity"), ID: q.r.PathValue("id")}
	path, query := "/v1/audit", url.Values{"limit": {"50"}}
	if d.Entity != "" {
		if !slices.Contains(historyEntities, d.Entity) {
			return errPage{http.StatusNotFound}
		}
		path = "/v1/" + d.Entity + "s/" + pathEscape(d.ID) + "/history"
	} else {
		for _, k := range []string{"entity", "entity_id", "actor", "action"} {
			if x := strings.TrimSpace(in.Get(k)); x != "" {
				query.Set(k, x)
			}
		}
	}
	if c := in.Get("cursor"); c != "" {
		query.Set("cursor", c)
	}
	v := q.view("Audit trail", d)
	v.Form = newForm(in)
	var list struct {
		Items      []auditEvent `json:"items"`
		NextCursor string       `json:"next_cursor"`
	}
	if err := q.api.get(q.r.Context(), path, query, &list); err != nil {
		p, ok := asProblem(err)
		if !ok || p.Status != http.StatusUnprocessableEntity {
			return err
		}
		v.Form.addProblem(p, labelledAudit(v))
		return q.render(p.Status, "audit", v)
	}
	for _, e := range list.Items {
		row := auditRow{auditEvent: e, Changes: changes(e.Before, e.After)}
		if slices.Contains(historyEntities, e.Entity) {
			row.ObjectURL = "/staff/audit/" + e.Entity + "/" + url.PathEscape(e.EntityID)
		}
		d.Rows = append(d.Rows, row)
	}
	if list.NextCursor != "" {
		next := url.Values{}
		for k, vals := range in {
			next[k] = vals
		}
		next.Set("cursor", list.NextCursor)
		d.NextURL = q.r.URL.Path + "?" + next.Encode()
	}
	return q.render(http.StatusOK, "audit", v)
}

// auditFields map the API's error locations to the filter form.
var auditFields = []field{{Name: "entity"}, {Name: "entity_id"}, {Name: "actor"}, {Name: "action"}, {Name: "cursor"}}

func labelledAudit(v *view) []field {
	out := slices.Clone(auditFields)
	for i, l := range []string{v.T("Kind"), v.T("Object id"), v.T("Actor"), v.T("Action"), v.T("Page")} {
		out[i].Label = l
	}
	return out
}

// changes are the top-level fields whose values differ between before and
// after, in name order.
func changes(before, after map[string]json.RawMessage) []auditChange {
	var names []string
	for k := range before {
		names = append(names, k)
	}
	for k := range after {
		if _, ok := before[k]; !ok {
			names = append(names, k)
		}
	}
	slices.Sort(names)
	var out []auditChange
	for _, k := range names {
		b, a := before[k], after[k]
		if bytes.Equal(compact(b), compact(a)) || k == "updated_at" || k == "version" || (b == nil && empty(a)) {
			continue
		}
		out = append(out, auditChange{Field: k, Before: shorten(b), After: shorten(a)})
	}
	return out
}

// empty is a JSON null, "", [] or {}: a field a creation left unset.
func empty(raw json.RawMessage) bool {
	switch string(compact(raw)) {
	case "", "null", `""`, "[]", "{}":
		return true
	}
	return false
}

func compact(raw json.RawMessage) []byte {
	var buf bytes.Buffer
	if err := json.Compact(&buf, raw); err != nil {
		return raw
	}
	return buf.Bytes()
}

// shorten shows a JSON value as text: strings without quotes, others as
// JSON, at most 200 characters.
func shorten(raw json.RawMessage) string {
	if len(raw) == 0 {
		return "–"
	}
	var s string
	if json.Unmarshal(raw, &s) != nil {
		s = string(compact(raw))
	}
	if r := []rune(s); len(r) > 200 {
		s = string(r[:200]) + "…"
	}
	return s
}
