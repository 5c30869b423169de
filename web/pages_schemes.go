package web

import "net/http"

// Certification schemes: the list with each scheme's typical cost and lead
// time, and a page per scheme with what the figures cover and where they
// were read (list-schemes, get-scheme). Every cost the other pages show
// links here, so a vendor can see the source of a figure, or why it is
// unknown.

// schemeView is a certification scheme (get-scheme).
type schemeView struct {
	ID            string   `json:"id"`
	Name          string   `json:"name"`
	Owner         string   `json:"owner"`
	Kind          string   `json:"kind"`
	Status        string   `json:"status"`
	Jurisdiction  string   `json:"jurisdiction"`
	Levels        []string `json:"levels"`
	ValidityYears *float64 `json:"validity_years"`
	Cost          *struct {
		costRange
		Covers     string     `json:"covers"`
		VendorSize string     `json:"vendor_size"`
		AsOf       string     `json:"as_of"`
		Source     sourceView `json:"source"`
	} `json:"cost"`
	CostNote string `json:"cost_note"`
	LeadTime *struct {
		monthRange
		Source sourceView `json:"source"`
	} `json:"lead_time"`
	LeadTimeNote string       `json:"lead_time_note"`
	Recognition  []string     `json:"recognition"`
	Sources      []sourceView `json:"sources"`
}

// CostRange is the scheme's cost range, nil when unknown.
func (s schemeView) CostRange() *costRange {
	if s.Cost == nil {
		return nil
	}
	return &s.Cost.costRange
}

// LeadTimeRange is the scheme's lead time range, nil when unknown.
func (s schemeView) LeadTimeRange() *monthRange {
	if s.LeadTime == nil {
		return nil
	}
	return &s.LeadTime.monthRange
}

// schemesData is the list of schemes.
type schemesData struct {
	Ref     *reference
	Schemes []schemeView
	// Priced counts the schemes with a cost range.
	Priced int
}

// schemes answers the list of certification schemes.
func (s *Server) schemes(q *request) error {
	ref, err := q.reference()
	if err != nil {
		return err
	}
	d := &schemesData{Ref: ref}
	if err := q.api.get(q.r.Context(), "/v1/schemes", nil, &d.Schemes); err != nil {
		return err
	}
	for _, sc := range d.Schemes {
		if sc.Cost != nil {
			d.Priced++
		}
	}
	return q.render(http.StatusOK, "schemes", q.view("Certification schemes", d))
}

// schemeData is one scheme's page.
type schemeData struct {
	Ref    *reference
	Scheme schemeView
}

// scheme answers one certification scheme.
func (s *Server) scheme(q *request) error {
	ref, err := q.reference()
	if err != nil {
		return err
	}
	d := &schemeData{Ref: ref}
	if err := q.api.get(q.r.Context(), "/v1/schemes/"+pathEscape(q.r.PathValue("id")), nil, &d.Scheme); err != nil {
		return err
	}
	return q.render(http.StatusOK, "scheme", q.view(d.Scheme.Name, d))
}
