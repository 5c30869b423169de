package compliance

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestFutility(t *testing.T) {
	ref := fixtureRef([]Scheme{sch("a", ptr(100), ptr(6.0)), sch("b", ptr(300), ptr(12.0)), sch("lv", ptr(10), ptr(1.0), "low", "high")},
		rq("de-a", full("a", "")),
		rq("de-lv", full("lv", "high")),
		Requirement{ID: "de-lang", Conditions: []Condition{{Kind: LanguageCondition}}},
		Requirement{ID: "de-duty"},
		Requirement{ID: "de-opt", Strength: Optional, SatisfiedBy: []Satisfier{full("a", "")}},
		Requirement{ID: "de-pending", Status: RequirementPending, SatisfiedBy: []Satisfier{full("a", "")}},
		Requirement{ID: "de-classified", SatisfiedBy: []Satisfier{full("a", "")},
			AppliesWhen: &AppliesWhen{AllOf: []Fact{ClassifiedInformation}, Scope: "classified work", Confidence: "high"}},
	)
	e := NewEngine(ref)
	var classified Context
	if err := classified.Set(ClassifiedInformation, true); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		e    *Engine
		rec  Recognition
		code string // empty: no warning
		keep bool
	}{
		{"a new satisfier", e, Recognition{Scheme: "b", Requirement: "de-a"}, "", true},
		{"the scheme already satisfies it", e, Recognition{Scheme: "a", Requirement: "de-a"}, WarnAlreadyAccepted, false},
		{"already accepted at a lower minimum", e, Recognition{Scheme: "lv", Level: "high", Requirement: "de-lv"}, WarnAlreadyAccepted, false},
		{"a lower level than accepted today", e, Recognition{Scheme: "lv", Level: "low", Requirement: "de-lv"}, "", true},
		{"any level where a minimum holds today", e, Recognition{Scheme: "lv", Requirement: "de-lv"}, "", true},
		{"conditions alone decide it", e, Recognition{Scheme: "a", Requirement: "de-lang"}, WarnNotCertificateDecided, false},
		{"a duty", e, Recognition{Scheme: "a", Requirement: "de-duty"}, WarnNotCertificateDecided, false},
		{"optional: binds nobody", e, Recognition{Scheme: "b", Requirement: "de-opt"}, WarnNotBinding, true},
		{"pending: binds nobody", e, Recognition{Scheme: "b", Requirement: "de-pending"}, WarnNotBinding, true},
		{"outside its tender context", e, Recognition{Scheme: "b", Requirement: "de-classified"}, WarnNotBinding, true},
		{"in its tender context", e.WithContext(classified), Recognition{Scheme: "b", Requirement: "de-classified"}, "", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.rec.Country = "DE"
			w, keep := tc.e.futility(2, tc.rec)
			code := ""
			if w != nil {
				code = w.Code
				if w.Recognition != 2 || w.Message == "" {
					t.Errorf("warning %+v", w)
				}
			}
			if code != tc.code || keep != tc.keep {
				t.Errorf("warning %q keep %v, want %q %v (%+v)", code, keep, tc.code, tc.keep, w)
			}
		})
	}
}

func TestSimulate_NamesChangedOfferings(t *testing.T) {
	e := NewEngine(analyticsRef())
	profiles := analyticsProfiles()
	// FR accepts a for fr-b: C1 (a and c) turns eligible in FR for both buyers.
	scenario := []Recognition{{Country: "FR", Scheme: "a", Requirement: "fr-b"}, {Country: "FR", Scheme: "b", Requirement: "fr-b"}}
	res, err := e.Simulate(profiles, testDay, scenario, 10)
	if err != nil {
		t.Fatal(err)
	}
	fr := []WhatIfMarket{{"FR", Public}, {"FR", Private}}
	want := []ChangedOffering{{Profile: 4, Offering: profiles[4].Offering, Opened: fr}}
	if diff := cmp.Diff(want, res.Changed); diff != "" || res.ChangedTotal != 1 {
		t.Errorf("changed (-want +got):\n%s total %d", diff, res.ChangedTotal)
	}
	if len(res.Warnings) != 1 || res.Warnings[0].Recognition != 1 || res.Warnings[0].Code != WarnAlreadyAccepted {
		t.Errorf("warnings %+v, want b already accepted by fr-b", res.Warnings)
	}
	// A bounded list keeps the total.
	res, err = e.Simulate(profiles, testDay, scenario, 0)
	if err != nil || len(res.Changed) != 0 || res.ChangedTotal != 1 {
		t.Errorf("limit 0: %+v, %v", res, err)
	}
	// Nothing changes: the warning explains the zeros.
	res, err = e.Simulate(profiles, testDay, []Recognition{{Country: "DE", Scheme: "c", Requirement: "de-lang"}}, 10)
	if err != nil || res.ChangedTotal != 0 || len(res.Warnings) != 1 || res.Warnings[0].Code != WarnNotCertificateDecided {
		t.Errorf("conditions-only: %+v, %v", res, err)
	}
	for _, r := range res.Rows {
		if r.Change != 0 || r.ChangeVerified != 0 {
			t.Errorf("a left-out recognition changed %+v", r)
		}
	}
}

// Over many profiles the changed list is the first ones in profile order,
// whichever worker saw them.
func TestMergeChanged(t *testing.T) {
	s1 := &whatIfState{changed: []ChangedOffering{{Profile: 1}, {Profile: 700}}, total: 5}
	s2 := &whatIfState{changed: []ChangedOffering{{Profile: 3}, {Profile: 512}}, total: 2}
	got, total := mergeChanged([]*whatIfState{s1, s2}, 3)
	idx := func(c ChangedOffering) int { return c.Profile }
	if ps := mapSlice(got, idx); !slices.Equal(ps, []int{1, 3, 512}) || total != 7 {
		t.Errorf("merged %v total %d", ps, total)
	}
}

func mapSlice[T, U any](in []T, f func(T) U) []U {
	out := make([]U, len(in))
	for i, v := range in {
		out[i] = f(v)
	}
	return out
}
