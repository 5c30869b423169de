package openapi

import (
	"github.com/cybermarket/cybermarket/catalog"
	"github.com/cybermarket/cybermarket/search"
)

// buyerFilters applies the buyer's filters that need the reference data to
// q: a tender context (the engine turns the eligible_in cell into a filter
// on the documents' met requirements) and "available to me" (serves the
// country, speaks the buyer's language). Both need eligible_in.
func (h *handlers) buyerFilters(in *SearchOfferingsInput, q *search.Query) error {
	if in.EligibleIn == "" {
		switch {
		case in.Context != "":
			return catalog.Invalid("query.context", "needs eligible_in: a context decides eligibility in a country", in.Context)
		case in.Available:
			return catalog.Invalid("query.available", "needs eligible_in: availability is for a country", in.Available)
		}
		return nil
	}
	tc, err := tenderContext("query.context", in.Context)
	if err != nil {
		return err
	}
	if !in.Available && tc.IsDefault() {
		return nil
	}
	snap := h.Compliance.Current()
	country, ok := snap.Reference.Country(in.EligibleIn)
	if !ok {
		return catalog.Invalid("query.eligible_in", "is not a country of the reference data", in.EligibleIn)
	}
	if in.Available {
		q.Serves = []string{country.Code}
		if len(q.Languages) == 0 {
			q.Languages = country.Languages
		}
	}
	if tc.IsDefault() {
		return nil
	}
	engine := snap.Engine.WithContext(tc)
	f, err := search.EligibilityFilter(engine, snap.Reference, country.Code, in.Category, q.Buyer, in.Verified)
	if err != nil {
		return placeInput(err, map[string]string{"country": "query.eligible_in", "category": "query.category", "buyer": "query.buyer"})
	}
	// The hits' eligibility lists follow the context too.
	q.EligibleFilter, q.EligibleUnder = f, search.ContextEligibility(engine, snap.Reference, q.Buyer, in.Verified)
	return nil
}
