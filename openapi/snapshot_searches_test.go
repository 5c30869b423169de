package openapi

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cybermarket/cybermarket/catalog"
)

// TestSavedSearchInput checks a saved search becomes the request the search
// endpoint would get: each filter on its query parameter, lists split,
// unknown filters ignored, the first page at its largest.
func TestSavedSearchInput(t *testing.T) {
	got := savedSearchInput(catalog.SavedSearch{Query: "24/7 incident response", Filters: catalog.Filters{
		"eligible_in": "DE", "buyer": "private", "verified": "true", "serves": "DE,AT", "category": "incident-response",
		"limit": "5", "cursor": "x", "country": "FR", "q": "ignored",
	}})
	want := &SearchOfferingsInput{Q: "24/7 incident response", EligibleIn: "DE", Buyer: "private", Verified: true,
		Serves: []string{"DE", "AT"}, Category: []string{"incident-response"}, Sort: "relevance", Limit: maxSnapshotHits}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if got := savedSearchInput(catalog.SavedSearch{}); got.Buyer != "public" || got.Limit != maxSnapshotHits {
		t.Errorf("defaults: %+v", got)
	}
}

func TestSavedSearchHits_NoIndex(t *testing.T) {
	h := &handlers{}
	hits, note, err := h.savedSearchHits(t.Context(), catalog.SavedSearch{Query: "x"})
	if err != nil || hits != nil || note == "" {
		t.Errorf("without an index: %v, %q, %v; want no results and a note", hits, note, err)
	}
}
