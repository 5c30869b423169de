package search

import (
	"slices"
	"strings"

	"github.com/cybermarket/cybermarket/compliance"
)

// EligibilityFilter returns the Meilisearch filter that keeps the offerings
// engine calls eligible in country for buyer, in the engine's tender context
// (compliance.Engine.WithContext): for each category (every category of the
// reference data when categories is empty), the category and every
// requirement an eligible offering must not fail there, on the documents'
// Met keys (MetVerified with verified: eligible on the verified basis). No
// index per context is needed. It returns a *compliance.InputError for an
// unknown country, category or buyer kind.
func EligibilityFilter(engine *compliance.Engine, ref *compliance.Reference, country string, categories []string, buyer compliance.Buyer, verified bool) (string, error) {
	if buyer == "" {
		buyer = compliance.Public
	}
	if len(categories) == 0 {
		for _, c := range ref.Categories {
			categories = append(categories, c.Slug)
		}
	}
	var alternatives []string
	for _, cat := range categories {
		f, err := engine.CellFilter(country, cat, buyer, verified)
		if err != nil {
			return "", err
		}
		if f.Impossible {
			continue
		}
		terms := []string{"category = " + quote(cat)}
		for _, k := range f.Met {
			terms = append(terms, "met = "+quote(k))
		}
		for _, k := range f.Verified {
			terms = append(terms, "met_verified = "+quote(k))
		}
		alternatives = append(alternatives, "("+strings.Join(terms, " AND ")+")")
	}
	if len(alternatives) == 0 {
		// Nothing qualifies: a filter no document passes.
		return `category IS NULL AND category IS NOT NULL`, nil
	}
	return strings.Join(alternatives, " OR "), nil
}

// ContextEligibility returns the hit-side twin of EligibilityFilter: a
// function that tells, from an offering's category and its documents' Met
// and MetVerified keys, the countries where the engine (in its tender
// context, compliance.Engine.WithContext) calls the offering eligible for
// buyer, on the verified basis with verified, sorted by code as the
// documents' lists are. Each category's cell filters are built on first
// use; the function is for one search and not safe for concurrent use.
func ContextEligibility(engine *compliance.Engine, ref *compliance.Reference, buyer compliance.Buyer,
	verified bool) func(category string, met, metVerified []string) []string {
	if buyer == "" {
		buyer = compliance.Public
	}
	type cell struct {
		country string
		filter  compliance.CellFilter
	}
	cells := map[string][]cell{}
	return func(category string, met, metVerified []string) []string {
		cs, ok := cells[category]
		if !ok {
			for _, c := range ref.Countries {
				f, err := engine.CellFilter(c.Code, category, buyer, verified)
				if err == nil && !f.Impossible {
					cs = append(cs, cell{c.Code, f})
				}
			}
			slices.SortFunc(cs, func(a, b cell) int { return strings.Compare(a.country, b.country) })
			cells[category] = cs
		}
		out := []string{}
		for _, c := range cs {
			if containsAll(met, c.filter.Met) && containsAll(metVerified, c.filter.Verified) {
				out = append(out, c.country)
			}
		}
		return out
	}
}

// containsAll reports whether every key of want is in have.
func containsAll(have, want []string) bool {
	for _, k := range want {
		if !slices.Contains(have, k) {
			return false
		}
	}
	return true
}
