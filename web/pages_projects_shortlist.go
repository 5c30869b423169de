package web

import (
	"net/http"
	"net/url"
)

// The shortlist: an offering is added from a search result card or its
// page ("Add to shortlist" opens a form: which project, in or out, and
// why), and its decision and note are changed or it is removed on the
// project page; each is shortlist-offering or unshortlist-offering.

// shortlistFormData is the add-to-shortlist form's data.
type shortlistFormData struct {
	Offering offeringView
	// Projects are the buyer's open projects.
	Projects []option
}

// shortlistFields are the fields of the add-to-shortlist form.
func shortlistFields(v *view) []field {
	return []field{{Name: "project", API: "path.id", Label: v.T("Project")}, {Name: "decision", Label: v.T("Decision")},
		{Name: "note", Label: v.T("Note")}, {Name: "offering", API: "path.offering_id", Label: v.T("Service")}}
}

// shortlistForm shows the form that puts an offering on a project's shortlist.
func (s *Server) shortlistForm(q *request) error {
	if ok, err := q.requireBuyer(); !ok {
		return err
	}
	in := q.r.URL.Query()
	d, err := q.shortlistFormData(in.Get("offering"))
	if err != nil {
		return err
	}
	v := q.view("Add to shortlist", d)
	v.Form = newForm(url.Values{"project": {in.Get("project")}, "decision": {"included"}, "offering": {in.Get("offering")}})
	return q.render(http.StatusOK, "project_shortlist", v)
}

func (q *request) shortlistFormData(offering string) (*shortlistFormData, error) {
	if offering == "" {
		return nil, errPage{http.StatusNotFound}
	}
	d := &shortlistFormData{}
	if err := q.api.get(q.r.Context(), "/v1/offerings/"+pathEscape(offering), nil, &d.Offering); err != nil {
		return nil, err
	}
	var page listOf[projectView]
	if err := q.api.get(q.r.Context(), "/v1/projects", url.Values{"limit": {"100"}}, &page); err != nil {
		return nil, err
	}
	for _, p := range page.Items {
		if !p.Locked() {
			d.Projects = append(d.Projects, option{p.ID, p.Title})
		}
	}
	return d, nil
}

// addToShortlist sends the form to shortlist-offering and opens the project.
func (s *Server) addToShortlist(q *request) error {
	if ok, err := q.requireBuyerPost(); !ok {
		return err
	}
	f := q.r.PostForm
	project, offering := f.Get("project"), f.Get("offering")
	err := q.shortlist(project, offering, f.Get("decision"), f.Get("note"))
	if err == nil {
		return q.redirect("/projects/" + url.PathEscape(project) + "?done=shortlisted#shortlist-title")
	}
	d, derr := q.shortlistFormData(offering)
	if derr != nil {
		return derr
	}
	return q.formFailed(err, "project_shortlist", "Add to shortlist", d, shortlistFields)
}

// shortlist sends shortlist-offering; a project not chosen is a problem
// naming the field, as the API's would.
func (q *request) shortlist(project, offering, decision, note string) error {
	if project == "" {
		v := q.view("Add to shortlist", nil)
		msg := v.T("Choose the project to add the service to.")
		return &problem{Status: http.StatusUnprocessableEntity, Detail: msg, Errors: []problemError{{Location: "path.id", Message: msg}}}
	}
	body := map[string]string{"decision": decision}
	if note != "" {
		body["note"] = note
	}
	path := "/v1/projects/" + pathEscape(project) + "/shortlist/" + pathEscape(offering)
	return q.api.call(q.r.Context(), http.MethodPut, path, body, nil)
}

// updateShortlist changes an entry's decision and note from the project page.
func (s *Server) updateShortlist(q *request) error {
	if ok, err := q.requireBuyerPost(); !ok {
		return err
	}
	id, offering := q.r.PathValue("id"), q.r.PathValue("offering")
	f := q.r.PostForm
	if err := q.shortlist(id, offering, f.Get("decision-"+offering), f.Get("note-"+offering)); err != nil {
		return q.projectFailed(err, func(v *view) []field {
			return []field{{Name: "decision-" + offering, API: "decision", Label: v.T("Decision")},
				{Name: "note-" + offering, API: "note", Label: v.T("Note")}}
		})
	}
	return q.redirect("/projects/" + url.PathEscape(id) + "?done=saved#shortlist-title")
}

// removeFromShortlist takes an entry off the shortlist (unshortlist-offering).
func (s *Server) removeFromShortlist(q *request) error {
	if ok, err := q.requireBuyerPost(); !ok {
		return err
	}
	id, offering := q.r.PathValue("id"), q.r.PathValue("offering")
	path := "/v1/projects/" + pathEscape(id) + "/shortlist/" + pathEscape(offering)
	if err := q.api.call(q.r.Context(), http.MethodDelete, path, nil, nil); err != nil {
		return q.projectFailed(err, func(*view) []field { return nil })
	}
	return q.redirect("/projects/" + url.PathEscape(id) + "?done=removed#shortlist-title")
}
