package openapi

import (
	"slices"
	"strings"

	"github.com/cybermarket/cybermarket/catalog"
	"github.com/cybermarket/cybermarket/compliance"
)

// The one input rule of search filters: country and language codes in any
// case, answered canonical (countries upper case, languages lower case);
// an unknown category, scheme, country or language is a 422 naming the
// parameter, with the allowed values or a suggestion. Every problem of a
// request is reported at once.

// countryAliases are codes people use for a country whose ISO code differs.
var countryAliases = map[string]string{"UK": "GB", "EL": "GR"}

// checkFilters canonicalizes the filter values of in and checks them against
// the reference data; it returns a *catalog.ValidationError listing every
// unknown value.
func checkFilters(ref *compliance.Reference, in *SearchOfferingsInput) error {
	var errs catalog.ValidationError
	add := func(field, message string, value any) {
		errs.Fields = append(errs.Fields, catalog.FieldError{Field: field, Message: message, Value: value})
	}
	country := func(field, code string) string {
		up := strings.ToUpper(strings.TrimSpace(code))
		if _, ok := ref.Country(up); ok {
			return up
		}
		msg := "is not a country of the reference data (ISO 3166-1 alpha-2 of the EU/EEA states)"
		if alias, ok := countryAliases[up]; ok {
			if _, known := ref.Country(alias); known {
				msg = "is not the ISO code: did you mean " + alias + "?"
			} else {
				msg = "is not the ISO code (that is " + alias + "), and " + alias + " is not in scope: only the EU/EEA states"
			}
		}
		add(field, msg, code)
		return code
	}
	countries := func(field string, codes []string) {
		for i, c := range codes {
			codes[i] = country(field, c)
		}
	}
	if in.EligibleIn != "" {
		in.EligibleIn = country("query.eligible_in", in.EligibleIn)
	}
	if in.GapCountry != "" {
		in.GapCountry = country("query.gap_country", in.GapCountry)
	}
	countries("query.serves", in.Serves)
	countries("query.vendor_country", in.VendorCountry)
	for i, l := range in.Language {
		in.Language[i] = strings.ToLower(strings.TrimSpace(l))
		if !catalog.IsLanguage(in.Language[i]) {
			add("query.language", "is not an ISO 639-1 language code", l)
		}
	}
	slugs := make([]string, len(ref.Categories))
	for i, c := range ref.Categories {
		slugs[i] = c.Slug
	}
	for i, c := range in.Category {
		in.Category[i] = strings.ToLower(strings.TrimSpace(c))
		if !slices.Contains(slugs, in.Category[i]) {
			add("query.category", "is not a service category; one of: "+strings.Join(slugs, ", "), c)
		}
	}
	for i, s := range in.Scheme {
		in.Scheme[i] = strings.ToLower(strings.TrimSpace(s))
		if _, ok := ref.Scheme(in.Scheme[i]); !ok {
			add("query.scheme", unknownSchemeMessage(ref, in.Scheme[i]), s)
		}
	}
	if len(errs.Fields) > 0 {
		return &errs
	}
	return nil
}

// unknownSchemeMessage suggests the schemes whose ids contain what was
// given once punctuation is ignored ("iso27001" -> iso-iec-27001).
func unknownSchemeMessage(ref *compliance.Reference, id string) string {
	squash := func(s string) string {
		return strings.Map(func(r rune) rune {
			if r == '-' || r == '_' || r == ' ' || r == '/' || r == '.' {
				return -1
			}
			return r
		}, s)
	}
	want := strings.ReplaceAll(squash(id), "isoiec", "iso")
	var hints []string
	for _, s := range ref.Schemes {
		got := strings.ReplaceAll(squash(s.ID), "isoiec", "iso")
		if want != "" && strings.Contains(got, want) && len(hints) < 5 {
			hints = append(hints, s.ID)
		}
	}
	if len(hints) == 0 {
		return "is not a scheme of the reference data; see GET /v1/schemes"
	}
	return "is not a scheme of the reference data: did you mean " + strings.Join(hints, ", ") + "?"
}
