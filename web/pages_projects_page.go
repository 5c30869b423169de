package web

import (
	"net/http"
	"net/url"
	"strings"
)

// projectData is the project page's data.
type projectData struct {
	Ref *reference
	P   projectView
	// Names are the shortlisted offerings' names by id.
	Names map[string]string
	// Done is the change just made.
	Done string
	// Included are the offerings the shortlist includes, to award one.
	Included []option
	// ReadOnly is staff's view: no forms; Buyer is then the buyer
	// organisation's name.
	ReadOnly bool
	Buyer    string
}

// SearchURL is the search page for a saved search, inside the project.
func (d *projectData) SearchURL(s savedSearchView) string {
	q := url.Values{"project": {d.P.ID}}
	if s.Query != "" {
		q.Set("q", s.Query)
	}
	for k, v := range s.Filters {
		q.Set(k, v)
	}
	return "/search?" + q.Encode()
}

// CompareURL is the compare page for the first four shortlisted offerings
// in the project's country and buyer kind; "" with fewer than two.
func (d *projectData) CompareURL() string {
	if len(d.P.Shortlist) < 2 {
		return ""
	}
	q := url.Values{"country": {d.P.Country}, "buyer": {d.P.BuyerKind}}
	for i, e := range d.P.Shortlist {
		if i == 4 {
			break
		}
		q.Add("id", e.OfferingID)
	}
	return "/compare?" + q.Encode()
}

// FactLabel is the label of a tender-context fact (an interface text).
func (d *projectData) FactLabel(name string) string { return factLabel(name) }

// FilterText is a saved search's filters as "name=value" pairs.
func (d *projectData) FilterText(s savedSearchView) string {
	var parts []string
	for _, k := range []string{"country", "buyer", "category", "available"} {
		if v, ok := s.Filters[k]; ok {
			parts = append(parts, k+"="+v)
		}
	}
	return strings.Join(parts, ", ")
}

// project answers the project page: the buyer's, with its forms, or
// staff's, read only.
func (s *Server) project(q *request) error {
	if ok, err := q.requireProjectReader(); !ok {
		return err
	}
	return q.renderProject(http.StatusOK, newForm(nil))
}

// renderProject shows the project of the path with form f (a failed post's
// values and errors) and status; to staff, read only with its buyer
// organisation.
func (q *request) renderProject(status int, f *form) error {
	d, err := q.projectData(q.r.PathValue("id"))
	if err != nil {
		return err
	}
	if d.ReadOnly = q.sess.role != "buyer"; d.ReadOnly {
		b, err := q.buyer(d.P.BuyerID)
		if err != nil {
			return err
		}
		d.Buyer = b.LegalName
	}
	d.Done = q.r.URL.Query().Get("done")
	for _, e := range d.P.Shortlist {
		if _, sent := f.Values["note-"+e.OfferingID]; !sent {
			f.Values.Set("note-"+e.OfferingID, e.Note)
			f.Values.Set("decision-"+e.OfferingID, e.Decision)
		}
	}
	v := q.view("Procurement project", d)
	v.Title = d.P.Title
	v.Form = f
	return q.render(status, "project", v)
}

func (q *request) projectData(id string) (*projectData, error) {
	ref, err := q.reference()
	if err != nil {
		return nil, err
	}
	d := &projectData{Ref: ref, Names: map[string]string{}}
	if err := q.api.get(q.r.Context(), "/v1/projects/"+pathEscape(id), nil, &d.P); err != nil {
		return nil, err
	}
	for _, e := range d.P.Shortlist {
		var o offeringView
		if err := q.api.get(q.r.Context(), "/v1/offerings/"+pathEscape(e.OfferingID), nil, &o); err != nil {
			if p, ok := asProblem(err); ok && p.Status == http.StatusNotFound {
				d.Names[e.OfferingID] = e.OfferingID // withdrawn since: its id
				continue
			}
			return nil, err
		}
		d.Names[e.OfferingID] = o.Name
		if e.Decision == "included" {
			d.Included = append(d.Included, option{e.OfferingID, o.Name})
		}
	}
	return d, nil
}

// projectFailed shows the project page again with the API's problem beside
// the fields of the form that failed; other errors become error pages.
func (q *request) projectFailed(err error, fields func(*view) []field) error {
	p, ok := asProblem(err)
	if !ok || p.Status >= 500 || p.Status == http.StatusUnauthorized || p.Status == http.StatusTooManyRequests ||
		p.Status == http.StatusNotFound {
		return err
	}
	f := newForm(q.r.PostForm)
	v := q.view("Procurement project", nil)
	f.addProblem(p, fields(v))
	return q.renderProject(p.Status, f)
}

// saveSearch records the words and the project's filters in the project
// (save-search) and opens the search page with them.
func (s *Server) saveSearch(q *request) error {
	if ok, err := q.requireBuyerPost(); !ok {
		return err
	}
	id := q.r.PathValue("id")
	var p projectView
	if err := q.api.get(q.r.Context(), "/v1/projects/"+pathEscape(id), nil, &p); err != nil {
		return err
	}
	filters := map[string]string{"country": p.Country, "buyer": p.BuyerKind, "category": p.Category}
	if q.r.PostForm.Get("available") != "" {
		filters["available"] = "1"
	}
	body := map[string]any{"query": strings.TrimSpace(q.r.PostForm.Get("q")), "filters": filters}
	var out projectView
	if err := q.api.call(q.r.Context(), http.MethodPost, "/v1/projects/"+pathEscape(id)+"/searches", body, &out); err != nil {
		return q.projectFailed(err, func(v *view) []field {
			return []field{{Name: "q", API: "query", Label: v.T("Words")}}
		})
	}
	if len(out.Searches) == 0 {
		return q.redirect("/projects/" + url.PathEscape(id))
	}
	d := &projectData{P: out}
	return q.redirect(d.SearchURL(out.Searches[len(out.Searches)-1]))
}
