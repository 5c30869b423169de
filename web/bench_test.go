package web_test

import (
	"io"
	"net/http"
	"slices"
	"testing"
	"time"
)

// BenchmarkSearch compares the search page rendered on the server with the
// JSON search it is built on, for the same query over the small seeded
// catalogue: without a country and with one. Besides the mean (ns/op) it
// reports the 99th percentile of the answer times (p99-µs). Run with
// make test ARGS='-run XXX -bench Search ./web/'.
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
			var took []time.Duration
			for b.Loop() {
				start := time.Now()
				resp, err := http.Get(s.URL + bc.path)
				if err != nil {
					b.Fatal(err)
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				took = append(took, time.Since(start))
				if resp.StatusCode != http.StatusOK {
					b.Fatalf("%s: %d", bc.path, resp.StatusCode)
				}
			}
			slices.Sort(took)
			b.ReportMetric(float64(took[len(took)*99/100].Microseconds()), "p99-µs")
		})
	}
}
