package web

import (
	"net/http"
	"net/url"
)

// countryData is the country page's data.
type countryData struct {
	Ref          *reference
	Country      countryView
	Requirements []requirementView
	Category     string
	Buyer        string
}

// Verified counts the requirements whose source was seen (verified "yes"):
// the country's research coverage.
func (d *countryData) Verified() int {
	n := 0
	for _, r := range d.Requirements {
		if r.Source.Verified == "yes" {
			n++
		}
	}
	return n
}

// country answers a country page: its authority and NIS2 transposition,
// and every requirement with its strength, what satisfies it and its
// source (get-country, list-country-requirements), optionally for one
// category and buyer kind.
func (s *Server) country(q *request) error {
	ref, err := q.reference()
	if err != nil {
		return err
	}
	ctx := q.r.Context()
	in := q.r.URL.Query()
	d := &countryData{Ref: ref, Category: in.Get("category"), Buyer: in.Get("buyer")}
	code := pathEscape(q.r.PathValue("code"))
	if err := q.api.get(ctx, "/v1/countries/"+code, nil, &d.Country); err != nil {
		return err
	}
	query := url.Values{}
	if d.Category != "" {
		query.Set("category", d.Category)
	}
	if d.Buyer != "" {
		query.Set("buyer", d.Buyer)
	}
	if err := q.api.get(ctx, "/v1/countries/"+code+"/requirements", query, &d.Requirements); err != nil {
		return err
	}
	return q.render(http.StatusOK, "country", q.view(d.Country.Name, d))
}
