package web

import (
	"net/http"
	"net/url"
)

// whatIfData is the what-if page's data.
type whatIfData struct {
	Ref          *reference
	Country      string
	Requirements []requirementView
	Report       *whatIfReport
	// Before and After map the share of offerings eligible, today and
	// under the scenario, for the category and buyer kind that change most.
	Before, After *choropleth
}

// whatIfFields map the API's error locations to the what-if form.
var whatIfFields = []field{{Name: "country", API: "recognitions.country"}, {Name: "requirement", API: "recognitions.requirement"},
	{Name: "scheme", API: "recognitions.scheme"}}

// whatIf answers the policymakers' what-if: if a country accepted a scheme
// as meeting one of its requirements, how many offerings would become
// eligible (run-what-if, which stores nothing; so the form is a GET and a
// scenario has an address). Choosing the country first lists its
// requirements.
func (s *Server) whatIf(q *request) error {
	ref, err := q.reference()
	if err != nil {
		return err
	}
	in := q.r.URL.Query()
	d := &whatIfData{Ref: ref, Country: in.Get("country")}
	v := q.view("What if a country recognised a scheme?", d)
	v.Form = newForm(in)
	if d.Country == "" {
		return q.render(http.StatusOK, "whatif", v)
	}
	ctx := q.r.Context()
	if err := q.api.get(ctx, "/v1/countries/"+pathEscape(d.Country)+"/requirements", url.Values{}, &d.Requirements); err != nil {
		return err
	}
	if in.Get("requirement") == "" || in.Get("scheme") == "" {
		return q.render(http.StatusOK, "whatif", v)
	}
	body := map[string]any{"recognitions": []map[string]string{{"country": d.Country, "requirement": in.Get("requirement"), "scheme": in.Get("scheme")}}}
	var rep whatIfReport
	if err := q.api.call(ctx, http.MethodPost, "/v1/analytics/what-if", body, &rep); err != nil {
		p, ok := asProblem(err)
		if !ok || p.Status >= 500 || p.Status == http.StatusTooManyRequests {
			return err
		}
		v.Form.addProblem(p, labelledWhatIf(v))
		return q.render(p.Status, "whatif", v)
	}
	d.Report = &rep
	if err := q.whatIfMaps(v, d); err != nil {
		return err
	}
	return q.render(http.StatusOK, "whatif", v)
}

// whatIfMaps draws the share of offerings eligible before and after the
// scenario for the row that changes most (get-barriers gives the others).
func (q *request) whatIfMaps(v *view, d *whatIfData) error {
	if len(d.Report.Rows) == 0 {
		return nil
	}
	top := d.Report.Rows[0]
	for _, r := range d.Report.Rows[1:] {
		if r.Change > top.Change {
			top = r
		}
	}
	var rep barriersReport
	if err := q.api.get(q.r.Context(), "/v1/analytics/barriers", url.Values{"category": {top.Category}, "buyer": {top.Buyer}}, &rep); err != nil {
		return err
	}
	after := make([]barrierRow, len(rep.Rows))
	copy(after, rep.Rows)
	for i := range after {
		if after[i].Country == top.Country && top.Offerings > 0 {
			share := float64(top.After) / float64(top.Offerings)
			after[i].Eligible, after[i].ShareEligible = top.After, &share
		}
	}
	caption := v.T("Barriers for %s, %s hospitals", d.Ref.CategoryName(top.Category), v.T(top.Buyer))
	link := countryLink(top.Category, top.Buyer)
	d.Before = newChoropleth(v, d.Ref, "before", v.T("Today")+" – "+caption, "share", rep.Rows, link)
	d.After = newChoropleth(v, d.Ref, "after", v.T("Under the scenario")+" – "+caption, "share", after, link)
	return nil
}

func labelledWhatIf(v *view) []field {
	out := make([]field, len(whatIfFields))
	copy(out, whatIfFields)
	for i, l := range []string{v.T("Country"), v.T("Requirement"), v.T("Scheme")} {
		out[i].Label = l
	}
	return out
}
