package web

import (
	"strings"
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

// TestRoadmapTemplate_BeyondPairs: markets that only three or more
// certificates open together are said, not hidden behind "no certificate
// would open more markets"; options of unknown cost are listed even when no
// option of known cost is.
func TestRoadmapTemplate_BeyondPairs(t *testing.T) {
	pages := mustParsePages()
	render := func(r roadmap) string {
		t.Helper()
		v := &view{Lang: "en", p: printer(language.English), Form: newForm(nil),
			Data: &roadmapData{Ref: &reference{}, Roadmap: r}}
		var b strings.Builder
		if err := pages.byName["roadmap"].ExecuteTemplate(&b, "content", v); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	none := "No certificate would open more markets."
	beyond := "3 more markets need three or more certificates at once"
	if got := render(roadmap{Cells: 10, Eligible: 7, BeyondPairs: 3}); !strings.Contains(got, beyond) || strings.Contains(got, none) {
		t.Errorf("beyond pairs:\n%s", got)
	}
	if got := render(roadmap{Cells: 10, Eligible: 10}); !strings.Contains(got, none) || strings.Contains(got, "three or more") {
		t.Errorf("nothing to open:\n%s", got)
	}
	unknown := roadmap{Cells: 10, Eligible: 8, UnknownCost: []roadmapOption{{Schemes: []schemeLevel{{Scheme: "cpstic"}}, Markets: 2}}}
	if got := render(unknown); !strings.Contains(got, `<td><a href="/schemes/cpstic">cpstic</a></td><td>2</td><td>unknown</td>`) || strings.Contains(got, none) {
		t.Errorf("unknown cost only:\n%s", got)
	}
}
