package compliance

import (
	"fmt"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// The steps of Engine.Barriers, each on its own. TestBarriers_Fixture and
// TestBarriers_MatchesAssess check them together.

func TestCellStats_Count(t *testing.T) {
	for _, tc := range []struct {
		name                   string
		v                      verdict
		serves, domestic, othr bool
		want                   cellStats
		eligible               bool
	}{
		{"ineligible, serving, domestic", verdict{}, true, true, false,
			cellStats{offerings: 1, serving: 1, domestic: 1}, false},
		{"eligible, not serving, other EEA", verdict{eligible: true}, false, false, true,
			cellStats{offerings: 1, eligible: 1, other: 1, otherEligible: 1}, true},
		{"eligible on verified evidence, serving, domestic", verdict{eligible: true, eligibleVerified: true}, true, true, false,
			cellStats{offerings: 1, serving: 1, eligible: 1, eligibleVerified: 1, servingEligible: 1, domestic: 1, domesticEligible: 1}, true},
		{"eligible, from outside the EEA", verdict{eligible: true}, false, false, false,
			cellStats{offerings: 1, eligible: 1}, true},
	} {
		var s cellStats
		if got := s.count(tc.v, tc.serves, tc.domestic, tc.othr); got != tc.eligible {
			t.Errorf("%s: eligible %v, want %v", tc.name, got, tc.eligible)
		}
		if diff := cmp.Diff(tc.want, s, cmp.AllowUnexported(cellStats{})); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.name, diff)
		}
	}
}

func TestTallyFailures(t *testing.T) {
	// DE cloud for public buyers: de-a (a), de-lang (German) and eea-c (c) bind.
	e := NewEngine(analyticsRef())
	idx := e.cellIndex(e.countryIdx["DE"], e.catIdx["cloud"], 0)
	cl := &e.cells[idx]
	k := e.newKernel()
	var s cellStats
	for _, p := range []Profile{
		fixProfile("FR", "cloud", nil, []string{"fr"}),                // lacks a, c and German
		fixProfile("FR", "cloud", nil, []string{"fr"}),                // the same failures: one gap, counted twice
		fixProfile("DE", "cloud", nil, []string{"de"}, held("a", "")), // lacks c
	} {
		e.load(k, &p, testDay)
		v := e.judge(k, cl)
		e.tallyFailures(&s, k, cl, v)
	}
	excluded := map[string]int{}
	for bi, n := range s.excluded {
		excluded[cl.reqs[cl.binding[bi]].r.ID] = n
	}
	if diff := cmp.Diff(map[string]int{"de-a": 2, "de-lang": 2, "eea-c": 3}, excluded); diff != "" {
		t.Errorf("excluded (-want +got):\n%s", diff)
	}
	var tallies []string
	for _, g := range s.gaps {
		tallies = append(tallies, fmt.Sprintf("x%d complete=%v known=%s", g.count, g.plan.complete, eurString(&g.plan.known)))
	}
	if diff := cmp.Diff([]string{"x2 complete=false known=150-300", "x1 complete=true known=50-100"}, tallies,
		cmpopts.SortSlices(func(a, b string) bool { return a < b })); diff != "" {
		t.Errorf("gap tallies (-want +got):\n%s", diff)
	}
}

func TestBarrierRow_Add(t *testing.T) {
	var row BarrierRow
	row.add(&cellStats{offerings: 2, serving: 1, eligible: 1, eligibleVerified: 1, servingEligible: 1, domestic: 1, domesticEligible: 1,
		excluded: []int{1, 0}})
	row.add(&cellStats{offerings: 3, other: 2, otherEligible: 1, eligible: 1})
	want := BarrierRow{Offerings: 5, Serving: 1, Eligible: 2, EligibleVerified: 1, ServingEligible: 1,
		HomeBias: HomeBias{Domestic: 1, DomesticEligible: 1, OtherEEA: 2, OtherEEAEligible: 1}}
	if diff := cmp.Diff(want, row); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestBarrierRow_MergesWorkers(t *testing.T) {
	e := NewEngine(analyticsRef())
	idx := e.cellIndex(e.countryIdx["DE"], e.catIdx["cloud"], 0)
	cl := &e.cells[idx]
	complete := &gapTally{count: 2, plan: gapPlan{complete: true, known: EURRange{100, 150}, lead: &MonthRange{3, 6}}}
	closed := &gapTally{count: 1, plan: gapPlan{complete: false}}
	s1, s2 := make([]cellStats, len(e.cells)), make([]cellStats, len(e.cells))
	s1[idx] = cellStats{offerings: 4, eligible: 1, domestic: 2, domesticEligible: 1, excluded: []int{1, 2, 0},
		gaps: map[[2]uint64]*gapTally{{1, 0}: complete}}
	s2[idx] = cellStats{offerings: 2, other: 2, excluded: []int{0, 1, 0}, slow: []*gapTally{closed}}
	row := e.barrierRow("DE", cl, idx, [][]cellStats{s1, s2})
	if row.Offerings != 6 || row.Eligible != 1 || *row.ShareEligible != 1.0/6 || row.NotClosable != 1 ||
		*row.MedianGapCostEUR != 100 || *row.MedianGapCostHighEUR != 150 || row.HomeBias.DomesticMinusOtherEEA == nil || *row.HomeBias.DomesticMinusOtherEEA != 0.5 {
		t.Errorf("%+v", row)
	}
	if row.TopBarrier == nil || row.TopBarrier.Requirement != cl.reqs[cl.binding[1]].r.ID || row.TopBarrier.Excluded != 3 {
		t.Errorf("top barrier %+v", row.TopBarrier)
	}
}

func TestHomeBias_Shares(t *testing.T) {
	f := func(v *float64) string {
		if v == nil {
			return "nil"
		}
		return fmt.Sprintf("%.2f", *v)
	}
	for _, tc := range []struct {
		hb   HomeBias
		want string
	}{
		{HomeBias{Domestic: 4, DomesticEligible: 3, OtherEEA: 2, OtherEEAEligible: 1}, "0.75 0.50 0.25"},
		{HomeBias{Domestic: 4, DomesticEligible: 1}, "0.25 nil nil"},
		{HomeBias{OtherEEA: 2}, "nil 0.00 nil"},
	} {
		tc.hb.shares()
		if got := f(tc.hb.DomesticShare) + " " + f(tc.hb.OtherEEAShare) + " " + f(tc.hb.DomesticMinusOtherEEA); got != tc.want {
			t.Errorf("%+v: %s, want %s", tc.hb, got, tc.want)
		}
	}
}

func TestTopBarrier(t *testing.T) {
	r1, r2 := &Requirement{ID: "r1", Title: "One"}, &Requirement{ID: "r2", Title: "Two"}
	cl := &cell{reqs: []creq{{r: r1}, {}, {r: r2}}, binding: []int{0, 2}}
	for _, tc := range []struct {
		excluded []int
		want     *Barrier
	}{
		{[]int{0, 0}, nil},
		{[]int{1, 3}, &Barrier{Requirement: "r2", Title: "Two", Excluded: 3}},
		{[]int{2, 2}, &Barrier{Requirement: "r1", Title: "One", Excluded: 2}}, // ties: the first
	} {
		if diff := cmp.Diff(tc.want, topBarrier(cl, tc.excluded)); diff != "" {
			t.Errorf("%v (-want +got):\n%s", tc.excluded, diff)
		}
	}
}

func TestGapMedians(t *testing.T) {
	tallies := []*gapTally{
		{count: 2, plan: gapPlan{complete: true, known: EURRange{100, 400}, lead: &MonthRange{2, 6}}},
		{count: 1, plan: gapPlan{complete: true, known: EURRange{300, 350}, lead: nil}},
		{count: 1, plan: gapPlan{complete: true, known: EURRange{50, 60}, unknown: 1, lead: &MonthRange{1, 3}, picks: []gapPick{{scheme: 0}, {scheme: 3}}}},
		{count: 4, plan: gapPlan{complete: false, known: EURRange{10, 10}}},
	}
	e := NewEngine(analyticsRef()) // schemes a, b, c, u (unknown cost), lv
	var row BarrierRow
	e.gapMedians(&row, tallies)
	// Lows 100, 100, 300: median 100; highs 400, 400, 350: median 400; lead highs 3, 6, 6: median 6.
	if row.NotClosable != 4 || row.GapCostUnknown != 1 || row.LeadTimeUnknown != 1 ||
		row.MedianGapCostEUR == nil || *row.MedianGapCostEUR != 100 || *row.MedianGapCostHighEUR != 400 ||
		row.MedianLeadTimeMonths == nil || *row.MedianLeadTimeMonths != 6 || !slices.Equal(row.GapCostUnknownSchemes, []string{"u"}) {
		t.Errorf("%+v", row)
	}
	var empty BarrierRow
	e.gapMedians(&empty, nil)
	if empty.MedianGapCostEUR != nil || empty.MedianLeadTimeMonths != nil {
		t.Errorf("no tallies: %+v", empty)
	}
}
