package web

import (
	"net/http"
	"net/url"
	"strconv"
)

// staffProjectsData is the staff list of procurement projects.
type staffProjectsData struct {
	Ref      *reference
	Projects []projectView
	// Buyers are the buyer organisations' names by id.
	Buyers map[string]string
	// Next is the cursor of the next page (later projects); "" on the last.
	Next string
}

// staffProjectsShown is how many projects a page of the staff list shows,
// in the order the API lists them (the order they were started).
const staffProjectsShown = 50

// staffProjects answers staff's list of every buyer's projects
// (list-projects with a staff key), a page at a time, each with its buyer
// organisation and a link to the project page, read only.
func (s *Server) staffProjects(q *request) error {
	if ok, err := q.requireStaff(); !ok {
		return err
	}
	ref, err := q.reference()
	if err != nil {
		return err
	}
	query := url.Values{"limit": {strconv.Itoa(staffProjectsShown)}}
	if c := q.r.URL.Query().Get("cursor"); c != "" {
		query.Set("cursor", c)
	}
	var page listOf[projectView]
	if err := q.api.get(q.r.Context(), "/v1/projects", query, &page); err != nil {
		return err
	}
	d := &staffProjectsData{Ref: ref, Projects: page.Items, Buyers: map[string]string{}, Next: page.NextCursor}
	for _, p := range page.Items {
		if _, seen := d.Buyers[p.BuyerID]; seen {
			continue
		}
		b, err := q.buyer(p.BuyerID)
		if err != nil {
			return err
		}
		d.Buyers[p.BuyerID] = b.LegalName
	}
	return q.render(http.StatusOK, "projects_staff", q.view("Procurement projects", d))
}
