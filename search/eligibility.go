package search

import (
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
