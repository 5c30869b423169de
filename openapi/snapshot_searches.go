package openapi

import (
	"context"
	"reflect"
	"strconv"
	"strings"

	"github.com/google/uuid"

	"github.com/cybermarket/cybermarket/catalog"
	"github.com/cybermarket/cybermarket/search"
)

// maxSnapshotHits is how many results of each saved search a snapshot
// records: the first page of the search at its largest.
const maxSnapshotHits = 100

// SnapshotHit is one result of a saved search at the lock, in the search's order.
type SnapshotHit struct {
	Rank       int       `json:"rank" doc:"Position in the search's results, from 1." example:"1"`
	OfferingID uuid.UUID `json:"offering_id" doc:"Offering identifier." example:"0192f1e0-7b1c-7c3e-9a4b-2f1d3c4b5a70"`
	Offering   string    `json:"offering" doc:"The offering's name at the lock." example:"Incident response retainer"`
	VendorID   uuid.UUID `json:"vendor_id" doc:"Vendor identifier." example:"0192f1e0-7b1c-7c3e-9a4b-2f1d3c4b5a69"`
	Vendor     string    `json:"vendor" doc:"The vendor's name at the lock." example:"Nordlicht Cyber Defence GmbH (fictional)"`
}

// savedSearchHits runs saved search s as GET /v1/search/offerings would with
// its query and filters, and returns its first maxSnapshotHits results. It
// returns nil, "" when no search index is configured, and nil with a note
// when the filters are no longer valid (the reference data changed since the
// search was saved); other errors (the index does not answer) fail the lock.
func (h *handlers) savedSearchHits(ctx context.Context, s catalog.SavedSearch) ([]SnapshotHit, string, error) {
	ix := h.Search.Index
	if ix == nil {
		return nil, "no search index was configured at the lock", nil
	}
	in := savedSearchInput(s)
	q, err := h.checkedSearch(in, ix.MaxTotalHits())
	if fe := fieldErrors(err); fe != nil {
		return []SnapshotHit{}, "the saved filters are no longer valid: " + fe[0].Field + " " + fe[0].Message, nil
	} else if err != nil {
		return nil, "", err
	}
	res, err := ix.Search(ctx, q)
	if err != nil {
		return nil, "", err
	}
	out := make([]SnapshotHit, 0, len(res.Hits))
	for i, hit := range newSearchResults(res, q.Buyer, q.Verified).Hits {
		out = append(out, SnapshotHit{Rank: i + 1, OfferingID: hit.ID, Offering: hit.Name, VendorID: hit.Vendor.ID, Vendor: hit.Vendor.Name})
	}
	return out, "", nil
}

// savedSearchInput is the search request of a saved search: its query and
// each filter set on the query parameter of its name (lists comma-separated);
// filters no parameter has are ignored. The first page, at its largest.
func savedSearchInput(s catalog.SavedSearch) *SearchOfferingsInput {
	in := &SearchOfferingsInput{Q: s.Query, Buyer: "public", Sort: "relevance"}
	v := reflect.ValueOf(in).Elem()
	for i := range v.NumField() {
		name := v.Type().Field(i).Tag.Get("query")
		value, ok := s.Filters[name]
		if !ok || name == "q" {
			continue
		}
		switch f := v.Field(i); f.Kind() {
		case reflect.String:
			f.SetString(value)
		case reflect.Bool:
			b, _ := strconv.ParseBool(value)
			f.SetBool(b)
		case reflect.Slice:
			f.Set(reflect.ValueOf(strings.Split(value, ",")))
		}
	}
	in.Limit, in.Offset, in.Cursor = maxSnapshotHits, 0, ""
	return in
}

// checkedSearch checks the filters of in and turns it into a query, as
// searchOfferings does.
func (h *handlers) checkedSearch(in *SearchOfferingsInput, reachable int64) (search.Query, error) {
	if h.Compliance != nil {
		if err := checkFilters(h.Compliance.Current().Reference, in); err != nil {
			return search.Query{}, err
		}
	}
	q, err := in.query(reachable)
	if err != nil {
		return search.Query{}, err
	}
	return q, h.buyerFilters(in, &q)
}
