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
	Coverage     coverageView
}

// coverageView is get-country-coverage: what the research looked at in a
// country, and per category and buyer kind whether national rules exist or
// the research found none.
type coverageView struct {
	Requirements int `json:"requirements"`
	Verified     struct {
		Yes     int `json:"yes"`
		Partial int `json:"partial"`
		No      int `json:"no"`
	} `json:"verified"`
	OldestAsOf  string `json:"oldest_as_of"`
	LastChecked string `json:"last_checked"`
	Searched    []struct {
		Date string `json:"date"`
		What string `json:"what"`
	} `json:"searched"`
	Limits []string       `json:"limits"`
	States map[string]int `json:"states"`
	Cells  []struct {
		Category      string   `json:"category"`
		Buyer         string   `json:"buyer"`
		Coverage      string   `json:"coverage"`
		NationalRules []string `json:"national_rules"`
		Conclusion    *struct {
			AsOf      string       `json:"as_of"`
			Statement string       `json:"statement"`
			Sources   []sourceView `json:"sources"`
		} `json:"conclusion"`
	} `json:"cells"`
}

// Shown reports whether the coverage cell of category and buyer is on the
// page: every cell unless the page is narrowed to a category or buyer.
func (d *countryData) Shown(category, buyer string) bool {
	return (d.Category == "" || d.Category == category) && (d.Buyer == "" || d.Buyer == buyer)
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
// source (get-country, list-country-requirements), and the research
// coverage (get-country-coverage), optionally for one
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
	if err := q.api.get(ctx, "/v1/countries/"+code+"/coverage", nil, &d.Coverage); err != nil {
		return err
	}
	return q.render(http.StatusOK, "country", q.view(d.Country.Name, d))
}
