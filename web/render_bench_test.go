package web

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"golang.org/x/text/language"
)

// BenchmarkRenderSearchPage measures the search page's own work (facets,
// cards and the template) on a page of ten hits with the facet spread of
// the 100,000-offering catalogue, without the API: the part of the page's
// time that is not the JSON search's.
//
//	go test ./web -run '^$' -bench RenderSearchPage -benchmem
func BenchmarkRenderSearchPage(b *testing.B) {
	s := &Server{pages: mustParsePages()}
	ref := benchReference()
	res := benchResults()
	in := url.Values{"q": {"audit"}, "country": {"FR"}, "buyer": {"public"}, "category": {"security-audit"}}
	b.ReportAllocs()
	for b.Loop() {
		r := httptest.NewRequest("GET", "/search?"+in.Encode(), nil)
		w := &discardWriter{h: http.Header{}}
		q := &request{w: w, r: r, lang: language.French, s: s}
		if err := q.renderSearch(ref, in, &res, 0); err != nil {
			b.Fatal(err)
		}
	}
}

type discardWriter struct{ h http.Header }

func (d *discardWriter) Header() http.Header         { return d.h }
func (d *discardWriter) Write(p []byte) (int, error) { return io.Discard.Write(p) }
func (d *discardWriter) WriteHeader(int)             {}

func benchReference() *reference {
	r := &reference{country: map[string]string{}, category: map[string]string{}, scheme: map[string]string{}}
	for i := range 31 {
		c := countryRef{Code: fmt.Sprintf("%c%c", 'A'+i/26, 'A'+i%26), Name: fmt.Sprintf("Country %d", i)}
		r.Countries = append(r.Countries, c)
		r.country[c.Code] = c.Name
	}
	for i := range 16 {
		c := categoryRef{Slug: fmt.Sprintf("category-%d", i), Name: fmt.Sprintf("Category %d", i)}
		r.Categories = append(r.Categories, c)
		r.category[c.Slug] = c.Name
	}
	for i := range 30 {
		s := schemeRef{ID: fmt.Sprintf("scheme-%d", i), Name: fmt.Sprintf("Scheme %d", i), Status: "active"}
		r.Schemes = append(r.Schemes, s)
		r.scheme[s.ID] = s.Name
	}
	return r
}

func benchResults() searchResults {
	res := searchResults{Total: 4321, Facets: map[string]map[string]int64{"category": {}, "language": {}, "scheme": {}}}
	for i := range 16 {
		res.Facets["category"][fmt.Sprintf("category-%d", i)] = int64(100 * i)
	}
	for i, l := range languageOptions() {
		res.Facets["language"][l.Value] = int64(50 * i)
	}
	for i := range 30 {
		res.Facets["scheme"][fmt.Sprintf("scheme-%d", i)] = int64(10 * i)
	}
	for i := range searchPageSize {
		h := searchHit{ID: fmt.Sprintf("0192f1e0-7b1c-7c3e-9a4b-2f1d3c4b5a%02d", i), Name: fmt.Sprintf("Service %d", i),
			Category: "security-audit", CategoryName: "Security audit", Summary: map[string]string{"en": "An audit.", "fr": "Un audit."},
			Delivery: "remote", Countries: []string{"FR", "DE"}, Languages: []string{"fr", "en", "de"}}
		h.Vendor.ID, h.Vendor.Name, h.Vendor.Country = "0192f1e0-7b1c-7c3e-9a4b-2f1d3c4b5aff", "Acme", "FR"
		for j := range 3 {
			h.Certifications = append(h.Certifications, struct {
				Scheme     string `json:"scheme"`
				Level      string `json:"level"`
				Verified   bool   `json:"verified"`
				ValidUntil string `json:"valid_until"`
			}{fmt.Sprintf("scheme-%d", j), "high", j%2 == 0, "2027-06-30"})
		}
		h.Eligibility.Countries = []string{"FR"}
		res.Hits = append(res.Hits, h)
	}
	return res
}
