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
