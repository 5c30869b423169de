package search

import (
	"encoding/json"
	"os"
	"reflect"
	"testing"

	gojson "github.com/goccy/go-json"
)

// testdata/search-response.json is a real Meilisearch 1.21 answer to a
// search the API makes ("pentest", a page of 20 with highlights and the
// seven facets) over the synthetic 100,000-offering benchmark catalogue
// (compliance/synth: fictional vendors).
func searchResponse(tb testing.TB) []byte {
	tb.Helper()
	data, err := os.ReadFile("testdata/search-response.json")
	if err != nil {
		tb.Fatal(err)
	}
	return data
}

// Search decodes with goccy/go-json for speed; it must read exactly what
// encoding/json reads.
func TestDecodeResponse_SameAsEncodingJSON(t *testing.T) {
	data := searchResponse(t)
	var std, fast response
	if err := json.Unmarshal(data, &std); err != nil {
		t.Fatal(err)
	}
	if err := gojson.Unmarshal(data, &fast); err != nil {
		t.Fatal(err)
	}
	if len(std.Hits) != 20 || std.Hits[0].Formatted == nil || len(std.FacetDistribution) != 7 {
		t.Fatalf("fixture not decoded as expected: %d hits, %d facets", len(std.Hits), len(std.FacetDistribution))
	}
	if !reflect.DeepEqual(std, fast) {
		t.Errorf("goccy/go-json decodes differently from encoding/json:\n%+v\n%+v", std.Hits[0], fast.Hits[0])
	}
	// And malformed answers fail with both.
	for _, bad := range []string{`{"hits":[{"id":1}]}`, `{"hits":`, `{"facetDistribution":{"category":{"x":"y"}}}`} {
		var r response
		if gojson.Unmarshal([]byte(bad), &r) == nil {
			t.Errorf("goccy/go-json accepted %s", bad)
		}
	}
}

// BenchmarkDecodeResponse compares the decoders on a page of search hits.
func BenchmarkDecodeResponse(b *testing.B) {
	data := searchResponse(b)
	for _, c := range []struct {
		name      string
		unmarshal func([]byte, any) error
	}{{"encoding-json", json.Unmarshal}, {"goccy-go-json", gojson.Unmarshal}} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				var r response
				if err := c.unmarshal(data, &r); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
