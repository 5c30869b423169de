package search

import (
	"testing"

	gojson "github.com/goccy/go-json"
)

// On the real 100,000-offering answer Meilisearch says 10,000 (its paging
// limit) while 15,167 offerings match: the category counts know.
func TestCountTotal_BeyondThePagingLimit(t *testing.T) {
	var resp response
	if err := gojson.Unmarshal(searchResponse(t), &resp); err != nil {
		t.Fatal(err)
	}
	if resp.TotalHits == nil || *resp.TotalHits != MaxTotalHits {
		t.Fatalf("fixture: totalHits %v, want the cap", resp.TotalHits)
	}
	if total, exact := countTotal(&resp, MaxTotalHits); total != 15167 || !exact {
		t.Errorf("total %d exact %v, want 15167 exact", total, exact)
	}
}

func TestCountTotal(t *testing.T) {
	n := func(v int64) *int64 { return &v }
	many := map[string]int64{}
	for i := range maxValuesPerFacet {
		many[string(rune('a'+i))] = 200
	}
	tests := []struct {
		name  string
		resp  response
		total int64
		exact bool
	}{
		{"no match", response{TotalHits: n(0), FacetDistribution: map[string]map[string]int64{}}, 0, true},
		{"category counts", response{EstimatedTotalHits: n(7), FacetDistribution: map[string]map[string]int64{
			"category": {"a": 2, "b": 3}, "languages": {"de": 5, "en": 4}}}, 5, true},
		{"cut short, below the cap", response{TotalHits: n(40), FacetDistribution: map[string]map[string]int64{"category": many}}, 40, true},
		{"cut short, at the cap", response{TotalHits: n(100), FacetDistribution: map[string]map[string]int64{"category": many}}, 100, false},
		{"cut short, estimated", response{EstimatedTotalHits: n(90), FacetDistribution: map[string]map[string]int64{"category": many}}, 90, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if total, exact := countTotal(&tc.resp, 100); total != tc.total || exact != tc.exact {
				t.Errorf("total %d exact %v, want %d %v", total, exact, tc.total, tc.exact)
			}
		})
	}
}
