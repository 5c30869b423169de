package compliance

import (
	"errors"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The steps of Engine.WhatIf, each on its own. TestWhatIf_Fixture and
// TestWhatIf_RealData check them together.

func TestRecognition(t *testing.T) {
	e := NewEngine(analyticsRef()) // DE, FR (EU), NO (EEA)
	for _, tc := range []struct {
		name    string
		rec     Recognition
		country string
		field   string // of the InputError; empty for none
		reason  string
	}{
		{"a country requirement", Recognition{Country: " de", Scheme: "b", Requirement: "de-a"}, "DE", "", ""},
		{"an EEA-wide requirement in an EEA state", Recognition{Country: "NO", Scheme: "a", Requirement: "eea-c"}, "NO", "", ""},
		{"at a level", Recognition{Country: "DE", Scheme: "lv", Level: "high", Requirement: "de-a"}, "DE", "", ""},
		{"unknown country", Recognition{Country: "XX", Scheme: "a", Requirement: "de-a"}, "", "scenario[3].country", ""},
		{"unknown scheme", Recognition{Country: "DE", Scheme: "zz", Requirement: "de-a"}, "", "scenario[3].scheme", ""},
		{"unknown level", Recognition{Country: "DE", Scheme: "lv", Level: "mid", Requirement: "de-a"}, "", "scenario[3].level",
			"not a level of lv (low, high)"},
		{"a scheme without levels", Recognition{Country: "DE", Scheme: "a", Level: "high", Requirement: "de-a"}, "", "scenario[3].level",
			"the scheme has no levels"},
		{"unknown requirement", Recognition{Country: "DE", Scheme: "a", Requirement: "zz"}, "", "scenario[3].requirement", ""},
		{"another country's requirement", Recognition{Country: "FR", Scheme: "a", Requirement: "de-a"}, "", "scenario[3].requirement",
			"does not apply in FR"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ci, o, err := e.recognition(3, tc.rec)
			if tc.field != "" {
				var ie *InputError
				if !errors.As(err, &ie) || ie.Field != tc.field || ie.Reason != tc.reason {
					t.Errorf("error %v, want field %s reason %q", err, tc.field, tc.reason)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			want := override{country: tc.country, requirement: tc.rec.Requirement,
				sat: Satisfier{Scheme: tc.rec.Scheme, MinLevel: tc.rec.Level, Extent: Full, Note: "what-if"}}
			if e.countries[ci].code != tc.country {
				t.Errorf("country %s, want %s", e.countries[ci].code, tc.country)
			}
			if diff := cmp.Diff(want, o, cmp.AllowUnexported(override{})); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestScenarioOverrides(t *testing.T) {
	e := NewEngine(analyticsRef())
	var ie *InputError
	if _, _, _, err := e.scenarioOverrides(nil); !errors.As(err, &ie) || ie.Field != "scenario" {
		t.Errorf("empty scenario: %v", err)
	}
	overrides, touched, _, err := e.scenarioOverrides([]Recognition{
		{Country: "NO", Scheme: "a", Requirement: "eea-c"},
		{Country: "NO", Scheme: "b", Requirement: "eea-c"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(overrides) != 2 || !slices.Equal(touched, []bool{false, false, true}) {
		t.Errorf("overrides %v, touched %v", overrides, touched)
	}
	if _, _, _, err := e.scenarioOverrides([]Recognition{{Country: "NO", Scheme: "a", Requirement: "eea-c"}, {Country: "XX"}}); !errors.As(err, &ie) || ie.Field != "scenario[1].country" {
		t.Errorf("second entry unknown: %v", err)
	}
}

func TestWhatIfRows(t *testing.T) {
	e := NewEngine(analyticsRef()) // 3 countries, 2 categories (pentest, cloud)
	s1 := &whatIfState{c: make([]whatIfCounts, len(e.cells))}
	s2 := &whatIfState{c: make([]whatIfCounts, len(e.cells))}
	fr := e.countryIdx["FR"]
	s1.c[e.cellIndex(fr, 1, 0)] = whatIfCounts{offerings: 2, before: 1, after: 2, beforeV: 0, afterV: 1}
	s2.c[e.cellIndex(fr, 1, 0)] = whatIfCounts{offerings: 1, before: 0, after: 1, beforeV: 0, afterV: 0}
	rows := e.whatIfRows([]bool{false, true, false}, []*whatIfState{s1, s2})
	if len(rows) != 4 {
		t.Fatalf("%d rows, want 4 (FR: 2 categories x 2 buyer kinds)", len(rows))
	}
	want := WhatIfRow{Country: "FR", Category: "cloud", Buyer: Public, Offerings: 3, Before: 1, After: 3, Change: 2,
		BeforeVerified: 0, AfterVerified: 1, ChangeVerified: 1}
	if diff := cmp.Diff(want, rows[2]); diff != "" {
		t.Errorf("FR cloud public (-want +got):\n%s", diff)
	}
	if rows[0].Category != "pentest" || rows[1].Buyer != Private || rows[0].Offerings != 0 {
		t.Errorf("row order or counts: %+v", rows)
	}
}
