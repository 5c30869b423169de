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
	// More is set when there are more projects than the page shows.
	More bool
}

// staffProjectsShown is how many projects the staff list shows, newest
// first as the API lists them.
const staffProjectsShown = 100

// staffProjects answers staff's list of every buyer's projects
// (list-projects with a staff key), each with its buyer organisation and
// a link to the project page, read only.
func (s *Server) staffProjects(q *request) error {
	if ok, err := q.requireStaff(); !ok {
		return err
	}
	ref, err := q.reference()
	if err != nil {
		return err
	}
	var page listOf[projectView]
	if err := q.api.get(q.r.Context(), "/v1/projects", url.Values{"limit": {strconv.Itoa(staffProjectsShown)}}, &page); err != nil {
		return err
	}
	d := &staffProjectsData{Ref: ref, Projects: page.Items, Buyers: map[string]string{}, More: page.NextCursor != ""}
	for _, p := range page.Items {
		if _, seen := d.Buyers[p.BuyerID]; seen {
			continue
		}
		var b buyerView
		if err := q.api.get(q.r.Context(), "/v1/buyers/"+pathEscape(p.BuyerID), nil, &b); err != nil {
			return err
		}
		d.Buyers[p.BuyerID] = b.LegalName
	}
	return q.render(http.StatusOK, "projects_staff", q.view("Procurement projects", d))
}
