package web_test

import (
	"io"
	"net/http"
	"testing"
)

// BenchmarkSearch compares the search page rendered on the server with the
// JSON search it is built on, for the same query over the small seeded
// catalogue: without a country (one API call) and with one (the search and
// an assessment per result card). Run with make test ARGS='-run XXX -bench Search ./web/'.
func BenchmarkSearch(b *testing.B) {
	s := newSite(b)
	seedBuyerCatalogue(s)
	for _, bc := range []struct{ name, path string }{
		{"json", "/v1/search/offerings?q=hosting&buyer=public&limit=10"},
		{"page", "/search?q=hosting"},
		{"json-country", "/v1/search/offerings?q=hosting&buyer=public&serves=FR&limit=10"},
		{"page-country", "/search?q=hosting&country=FR&buyer=public"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				resp, err := http.Get(s.URL + bc.path)
				if err != nil {
					b.Fatal(err)
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					b.Fatalf("%s: %d", bc.path, resp.StatusCode)
				}
			}
		})
	}
}
