package web

import (
	"net/http"
	"net/url"
)

// mapData is the map page's data.
type mapData struct {
	*barriersData
	Measure  string
	Measures []formOption
	Map      *choropleth
}

// formOption is a value of a choice with its label.
type formOption struct{ Value, Label string }

// policyMap answers the policymakers' map of the EU/EEA: each country
// coloured by a measure of get-barriers (share of offerings eligible,
// median gap cost or binding requirements) for one category and buyer
// kind, each a link to its country page, with the same numbers as a table.
func (s *Server) policyMap(q *request) error {
	d, err := q.barriersData()
	if err != nil {
		return err
	}
	md := &mapData{barriersData: d, Measure: validMeasure(q.r.URL.Query().Get("measure"))}
	v := q.view("Map of market-entry barriers", md)
	for _, m := range mapMeasures {
		md.Measures = append(md.Measures, formOption{Value: m, Label: measureLabel(v, m)})
	}
	caption := v.T("Barriers for %s, %s hospitals", d.Ref.CategoryName(d.Category), v.T(d.Buyer))
	md.Map = newChoropleth(v, d.Ref, "map", caption, md.Measure, d.Report.Rows, countryLink(d.Category, d.Buyer))
	return q.render(http.StatusOK, "map", v)
}

// countryLink makes the address of a country page for a category and buyer kind.
func countryLink(category, buyer string) func(string) string {
	return func(code string) string {
		return "/countries/" + code + "?" + url.Values{"category": {category}, "buyer": {buyer}}.Encode()
	}
}
