package web

import (
	"context"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// searchPageSize is the number of results per page.
const searchPageSize = 10

// searchData is the search page's data.
type searchData struct {
	Ref     *reference
	Country string
	// CountryOptions are the country select's options (countryOptionsHTML).
	CountryOptions template.HTML
	Buyer          string
	Results        *searchResults
	Cards          []card
	Facets         []facet
	// NextOffset and PrevOffset page through the results; -1 when none.
	NextOffset, PrevOffset int
	// Unavailable is the API's sentence when search does not answer.
	Unavailable string
}

// card is one result: the hit and, with a country, whether the buyer may
// buy it there (from the search answer's eligibility, so the page costs
// one API call). The explanation, an assessment per card, loads lazily:
// htmx asks WhyURL when the card is scrolled into view; without JavaScript
// the "Why?" link opens the offering page, which explains it too.
type card struct {
	Hit      searchHit
	Country  string
	Eligible bool
	WhyURL   string
	// URL is the offering page's, with the buyer's context.
	URL string
	// Delivery, Languages, Summary and Certificates are the hit's, put in
	// words for the page's language.
	Delivery, Languages, Certificates string
	Summary                           localText
	T                                 *cardText
}

// cardText are the words every card of a page shares, translated once.
type cardText struct {
	SupportIn, Available, NotAvailable, Why, Certificates, NoCertificates, Compare, AddToShortlist string
	// Shortlist: a buyer is signed in, so each card links to add it to a
	// procurement project's shortlist (Project, when the search is one's).
	Shortlist bool
	Project   string
}

func newCardText(v *view) *cardText {
	return &cardText{SupportIn: v.T("support in"), Available: v.T("Available to you."), NotAvailable: v.T("Not available to you yet."),
		Why: v.T("Why?"), Certificates: v.T("Certificates:"), NoCertificates: v.T("No certificates declared."), Compare: v.T("Compare"),
		AddToShortlist: v.T("Add to shortlist"), Shortlist: v.Session != nil && v.Session.Role() == "buyer", Project: v.Query.Get("project")}
}

// facet is one filter group with the values and counts of the results.
type facet struct {
	Name, Label string
	Values      []facetValue
	// Checkboxes are the values' checkboxes (see checkboxesHTML).
	Checkboxes template.HTML
}

// facetValue is one value of a facet.
type facetValue struct {
	Value, Label string
	Count        int64
	Checked      bool
}

// searchFields map the API's error locations to the search form.
var searchFields = []field{{Name: "q"}, {Name: "country", API: "eligible_in"}, {Name: "country", API: "serves"}, {Name: "buyer"}, {Name: "category"},
	{Name: "language"}, {Name: "scheme"}, {Name: "verified"}, {Name: "offset"}}

// search answers the search page: the form, facets with counts, and result
// cards that say why each offering is available to the buyer or not.
func (s *Server) search(q *request) error {
	ref, err := q.reference()
	if err != nil {
		return err
	}
	in := q.r.URL.Query()
	d := newSearchData(ref, in)
	v := q.view("Find services", &d)
	v.Form = newForm(in)
	offset, _ := strconv.Atoi(in.Get("offset"))
	var res searchResults
	if err := q.api.get(q.r.Context(), "/v1/search/offerings", searchQuery(in, d, offset), &res); err != nil {
		p, ok := asProblem(err)
		switch {
		case ok && p.Status == http.StatusServiceUnavailable:
			d.Unavailable = v.T("Search is temporarily unavailable. Please try again in a minute.")
			return q.render(http.StatusServiceUnavailable, "search", v)
		case ok && p.Status == http.StatusUnprocessableEntity:
			v.Form.addProblem(p, labelled(v, searchFields))
			return q.render(http.StatusUnprocessableEntity, "search", v)
		}
		return err
	}
	return q.renderSearch(ref, in, &res, offset)
}

// renderSearch writes the search page of the results res of the form in.
func (q *request) renderSearch(ref *reference, in url.Values, res *searchResults, offset int) error {
	d := newSearchData(ref, in)
	v := q.view("Find services", &d)
	v.Form = newForm(in)
	d.Results = res
	d.Cards = cards(v, res.Hits, d.Country, d.Buyer)
	d.Facets = facets(v, ref, res.Facets, in)
	if int64(offset+searchPageSize) < res.Total {
		d.NextOffset = offset + searchPageSize
	}
	if offset > 0 {
		d.PrevOffset = max(0, offset-searchPageSize)
	}
	return q.render(http.StatusOK, "search", v)
}

// newSearchData is the search page's data before the search.
func newSearchData(ref *reference, in url.Values) searchData {
	d := searchData{Ref: ref, Country: strings.ToUpper(in.Get("country")), Buyer: in.Get("buyer"), NextOffset: -1, PrevOffset: -1}
	if d.Buyer == "" {
		d.Buyer = "public"
	}
	d.CountryOptions = countryOptionsHTML(ref, d.Country)
	return d
}

// searchQuery is the API query of the search form.
func searchQuery(in url.Values, d searchData, offset int) url.Values {
	out := url.Values{"limit": {strconv.Itoa(searchPageSize)}, "buyer": {d.Buyer}}
	if w := strings.TrimSpace(in.Get("q")); w != "" {
		out.Set("q", w)
	}
	// The country is the buyer's: results serve it, and each card says
	// whether the buyer may buy it there; "available only" filters to those.
	if d.Country != "" && in.Get("available") != "" {
		out.Set("eligible_in", d.Country)
	} else if d.Country != "" {
		out.Set("serves", d.Country)
	}
	for _, k := range []string{"category", "language", "scheme"} {
		if vals := nonEmpty(in[k]); len(vals) > 0 {
			out.Set(k, strings.Join(vals, ","))
		}
	}
	if in.Get("verified") != "" {
		out.Set("verified", "true")
	}
	if offset > 0 {
		out.Set("offset", strconv.Itoa(offset))
	}
	return out
}

func nonEmpty(vals []string) []string {
	return slices.DeleteFunc(slices.Clone(vals), func(s string) bool { return strings.TrimSpace(s) == "" })
}

// cards are the result cards of hits for a buyer in country ("": none).
func cards(v *view, hits []searchHit, country, buyer string) []card {
	out := make([]card, len(hits))
	t, context := newCardText(v), v.Context()
	for i, h := range hits {
		path := "/offerings/" + url.PathEscape(h.ID)
		out[i] = card{Hit: h, Country: country, URL: path + context, T: t, Delivery: v.T(h.Delivery),
			Languages: strings.Join(h.Languages, ", "), Summary: v.Text(h.Summary), Certificates: certificatesText(v, h)}
		if country != "" {
			out[i].Eligible = slices.Contains(h.Eligibility.Countries, country)
			out[i].WhyURL = path + "/why?" + url.Values{"country": {country}, "buyer": {buyer}}.Encode()
		}
	}
	return out
}

// certificatesText lists a hit's certificates: scheme (level), verified or
// self-declared, valid until; "" without any.
func certificatesText(v *view, h searchHit) string {
	var b strings.Builder
	for i, c := range h.Certifications {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(c.Scheme)
		if c.Level != "" {
			b.WriteString(" (" + c.Level + ")")
		}
		if c.Verified {
			b.WriteString(", " + v.T("verified"))
		} else {
			b.WriteString(", " + v.T("self-declared"))
		}
		b.WriteString(", " + v.T("valid until %s", c.ValidUntil))
	}
	return b.String()
}

// assess is get-offering-assessment for one country and buyer kind.
func (q *request) assess(ctx context.Context, id, country, buyer string) (*assessment, error) {
	var list assessmentList
	err := q.api.get(ctx, "/v1/offerings/"+pathEscape(id)+"/assessment", url.Values{"country": {country}, "buyer": {buyer}}, &list)
	if err != nil {
		return nil, err
	}
	for i := range list.Assessments {
		if list.Assessments[i].Country == country && list.Assessments[i].Buyer == buyer {
			return &list.Assessments[i], nil
		}
	}
	return nil, errPage{http.StatusNotFound}
}

// facets are the filter groups of the results, each value with its count,
// checked values first shown even when no result has them now.
func facets(v *view, ref *reference, counts map[string]map[string]int64, in url.Values) []facet {
	groups := []struct {
		name, label string
		names       func(string) string
	}{
		{"category", v.T("Category"), ref.CategoryName},
		{"language", v.T("Support language"), func(c string) string { return languageName(c) }},
		{"scheme", v.T("Certification scheme"), ref.SchemeName},
	}
	out := make([]facet, 0, len(groups))
	for _, g := range groups {
		f := facet{Name: g.name, Label: g.label}
		seen := map[string]bool{}
		for val, n := range counts[g.name] {
			f.Values = append(f.Values, facetValue{Value: val, Label: g.names(val), Count: n, Checked: slices.Contains(in[g.name], val)})
			seen[val] = true
		}
		for _, val := range nonEmpty(in[g.name]) {
			if !seen[val] {
				f.Values = append(f.Values, facetValue{Value: val, Label: g.names(val), Checked: true})
			}
		}
		sort.Slice(f.Values, func(i, j int) bool {
			a, b := f.Values[i], f.Values[j]
			if a.Count != b.Count {
				return a.Count > b.Count
			}
			return a.Label < b.Label
		})
		f.Checkboxes = f.checkboxesHTML()
		out = append(out, f)
	}
	return out
}

// languageName is the name of a language code in itself.
func languageName(code string) string {
	if n, ok := supportLanguageNames[code]; ok {
		return n
	}
	return code
}

// labelled gives the fields their translated labels.
func labelled(v *view, fields []field) []field {
	labels := map[string]string{
		"q": v.T("Words"), "country": v.T("Your country"), "buyer": v.T("Your hospital"), "category": v.T("Category"),
		"language": v.T("Support language"), "scheme": v.T("Certification scheme"), "verified": v.T("Verified certificates only"), "available": v.T("Only services my hospital may buy"),
		"offset": v.T("Page"),
	}
	out := slices.Clone(fields)
	for i := range out {
		out[i].Label = labels[out[i].Name]
	}
	return out
}
