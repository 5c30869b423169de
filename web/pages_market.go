package web

import (
	"math"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// marketData is the market view of one offering: every country, for
// public and private hospitals.
type marketData struct {
	Ref      *reference
	Offering offeringView
	Rows     []marketRow
}

// marketRow is one country of the market view.
type marketRow struct {
	Country          string
	Public, Private  *assessment
	EligibleAnywhere bool
}

// market answers where an offering may be sold: for every country and
// buyer kind, eligible or the blocking requirements with the certificates
// that would remove them (get-offering-assessment for all countries).
func (s *Server) market(q *request) error {
	ref, err := q.reference()
	if err != nil {
		return err
	}
	ctx := q.r.Context()
	d := &marketData{Ref: ref}
	id := pathEscape(q.r.PathValue("id"))
	if err := q.api.get(ctx, "/v1/offerings/"+id, nil, &d.Offering); err != nil {
		return err
	}
	var list assessmentList
	// The full per-requirement detail: the page explains every requirement.
	if err := q.api.get(ctx, "/v1/offerings/"+id+"/assessment", url.Values{"detail": {"full"}}, &list); err != nil {
		return err
	}
	at := map[string]int{}
	for i := range list.Assessments {
		a := &list.Assessments[i]
		n, ok := at[a.Country]
		if !ok {
			n = len(d.Rows)
			at[a.Country] = n
			d.Rows = append(d.Rows, marketRow{Country: a.Country})
		}
		if a.Buyer == "private" {
			d.Rows[n].Private = a
		} else {
			d.Rows[n].Public = a
		}
		d.Rows[n].EligibleAnywhere = d.Rows[n].EligibleAnywhere || a.Eligible
	}
	// By the name the reader sees, as the map's table (the API answers by code).
	slices.SortFunc(d.Rows, func(a, b marketRow) int {
		return strings.Compare(ref.CountryName(a.Country), ref.CountryName(b.Country))
	})
	return q.render(http.StatusOK, "market", q.view("Where can it be sold?", d))
}

// Blockers are the binding requirements an assessment fails.
func (a *assessment) Blockers() []requirementResult {
	var out []requirementResult
	for _, r := range a.Requirements {
		if r.Binding && r.Status != "met" && r.Status != "not-assessable" {
			out = append(out, r)
		}
	}
	return out
}

// roadmapData is the roadmap page's data.
type roadmapData struct {
	Ref     *reference
	Vendor  vendorView
	Roadmap roadmap
	Budget  string
}

// roadmapPage answers a vendor's certification roadmap: which schemes open
// most markets per euro, and a plan within a budget (get-vendor-roadmap).
func (s *Server) roadmapPage(q *request) error {
	ref, err := q.reference()
	if err != nil {
		return err
	}
	ctx := q.r.Context()
	d := &roadmapData{Ref: ref, Budget: strings.TrimSpace(q.r.URL.Query().Get("budget"))}
	id := pathEscape(q.r.PathValue("id"))
	if err := q.api.get(ctx, "/v1/vendors/"+id, nil, &d.Vendor); err != nil {
		return err
	}
	query := url.Values{}
	if d.Budget != "" {
		query.Set("budget", d.Budget)
	}
	v := q.view("Certification roadmap", d)
	v.Form = newForm(q.r.URL.Query())
	if err := q.api.get(ctx, "/v1/vendors/"+id+"/roadmap", query, &d.Roadmap); err != nil {
		p, ok := asProblem(err)
		if !ok || p.Status != http.StatusUnprocessableEntity {
			return err
		}
		v.Form.addProblem(p, []field{{Name: "budget", Label: v.T("Budget in euros")}})
		return q.render(http.StatusUnprocessableEntity, "roadmap", v)
	}
	return q.render(http.StatusOK, "roadmap", v)
}

// LeadTime formats a lead time range: "no waiting" (within the day),
// "under a month", or months ("3 months", "6–12 months"); "unknown"
// without one.
func (v *view) LeadTime(r *monthRange) string {
	switch {
	case r == nil:
		return v.T("unknown")
	case r.HighMonths == 0:
		return v.T("no waiting")
	case r.HighMonths < 1:
		return v.T("under a month")
	case r.LowMonths == r.HighMonths:
		return v.T("%s months", v.months(r.HighMonths))
	}
	return v.T("%s–%s months", v.months(r.LowMonths), v.months(r.HighMonths))
}

// months formats a number of months: whole, or to one decimal in the
// page's language.
func (v *view) months(m float64) string {
	if m == math.Trunc(m) {
		return v.p.Sprintf("%d", int(m))
	}
	return v.p.Sprintf("%.1f", m)
}

// Cost formats a cost range in euros, "unknown" without one.
func (v *view) Cost(r *costRange) string {
	if r == nil {
		return v.T("unknown")
	}
	if r.HighEUR == 0 {
		return v.T("no fee") // a free authorisation (staff time only)
	}
	if r.LowEUR == r.HighEUR {
		return v.p.Sprintf("%d", r.LowEUR) + " €"
	}
	return v.p.Sprintf("%d", r.LowEUR) + "–" + v.p.Sprintf("%d", r.HighEUR) + " €"
}
