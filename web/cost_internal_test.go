package web

import (
	"testing"

	"golang.org/x/text/language"
)

// TestViewCost: an unknown cost says so, a free one says "no fee" (never a
// bare 0 that reads like a missing figure), and ranges read in the page's
// language.
func TestViewCost(t *testing.T) {
	for _, tc := range []struct {
		lang language.Tag
		r    *costRange
		want string
	}{
		{language.English, nil, "unknown"},
		{language.English, &costRange{0, 0}, "no fee"},
		{language.German, &costRange{0, 0}, "gebührenfrei"},
		{language.English, &costRange{500, 500}, "500 €"},
		{language.English, &costRange{2500, 8000}, "2,500–8,000 €"},
		{language.French, &costRange{2500, 8000}, "2\u00a0500–8\u00a0000 €"},
	} {
		v := &view{Lang: tc.lang.String(), p: printer(tc.lang)}
		if got := v.Cost(tc.r); got != tc.want {
			t.Errorf("%s %v: %q, want %q", tc.lang, tc.r, got, tc.want)
		}
	}
}

// TestViewLeadTime: lead times read as no waiting, under a month or months,
// with a decimal in the page's language, and "unknown" without one.
func TestViewLeadTime(t *testing.T) {
	for _, tc := range []struct {
		lang language.Tag
		r    *monthRange
		want string
	}{
		{language.English, nil, "unknown"},
		{language.English, &monthRange{0, 0}, "no waiting"},
		{language.English, &monthRange{0.25, 0.25}, "under a month"},
		{language.English, &monthRange{3, 3}, "3 months"},
		{language.English, &monthRange{3, 12}, "3–12 months"},
		{language.English, &monthRange{2.5, 5.5}, "2.5–5.5 months"},
		{language.German, &monthRange{2.5, 5.5}, "2,5–5,5 Monate"},
		{language.French, &monthRange{2, 2.5}, "2 à 2,5 mois"},
	} {
		v := &view{Lang: tc.lang.String(), p: printer(tc.lang)}
		if got := v.LeadTime(tc.r); got != tc.want {
			t.Errorf("%s %v: %q, want %q", tc.lang, tc.r, got, tc.want)
		}
	}
}
