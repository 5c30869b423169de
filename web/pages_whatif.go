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
	return q.render(http.StatusOK, "whatif", v)
}

func labelledWhatIf(v *view) []field {
	out := make([]field, len(whatIfFields))
	copy(out, whatIfFields)
	for i, l := range []string{v.T("Country"), v.T("Requirement"), v.T("Scheme")} {
		out[i].Label = l
	}
	return out
}
