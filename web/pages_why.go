package web

import (
	"net/http"
	"net/url"
)

// whyData is the explanation of one search result for a buyer.
type whyData struct {
	ID         string
	Context    buyerContext
	Assessment *assessment
}

// why answers why an offering is available to a buyer in a country or what
// is missing (get-offering-assessment, with each certificate's last valid
// day): to htmx (HX-Request) the fragment a search result card swaps in,
// to anyone else a page.
func (s *Server) why(q *request) error {
	ctx := q.r.Context()
	d := whyData{ID: q.r.PathValue("id"), Context: contextOf(q.r)}
	if d.Context.Country == "" {
		return errPage{http.StatusNotFound}
	}
	a, err := q.assess(ctx, d.ID, d.Context.Country, d.Context.Buyer)
	if err != nil {
		return err
	}
	var certs listOf[certificationView]
	if err := q.api.get(ctx, "/v1/certifications", url.Values{"offering_id": {d.ID}, "limit": {"100"}}, &certs); err != nil {
		return err
	}
	fillValidUntil(a, certs.Items)
	d.Assessment = a
	v := q.view("Is it available to my hospital?", &d)
	if q.r.Header.Get("HX-Request") == "true" {
		return q.renderPart(http.StatusOK, "why", "why", v)
	}
	return q.render(http.StatusOK, "why", v)
}
