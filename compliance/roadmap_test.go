package compliance

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"
)

// The steps of Engine.Roadmap, each on its own. TestRoadmap_Fixture checks
// them together.

func TestRoadmapCountries(t *testing.T) {
	e := NewEngine(analyticsRef()) // DE, FR, NO
	for _, tc := range []struct {
		name      string
		countries []string
		want      []int
		wantErr   string
	}{
		{"none means all", nil, []int{0, 1, 2}, ""},
		{"in the order given, any case, trimmed, once", []string{"fr", " de ", "FR"}, []int{1, 0}, ""},
		{"unknown", []string{"DE", "XX"}, nil, "XX"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := e.roadmapCountries(tc.countries)
			var ie *InputError
			switch {
			case tc.wantErr != "":
				if !errors.As(err, &ie) || ie.Field != "countries" || ie.Value != tc.wantErr {
					t.Errorf("error %v, want an InputError for countries %q", err, tc.wantErr)
				}
			case err != nil:
				t.Fatal(err)
			default:
				if diff := cmp.Diff(tc.want, got); diff != "" {
					t.Errorf("(-want +got):\n%s", diff)
				}
			}
		})
	}
}

func TestCheckRoadmapProfiles(t *testing.T) {
	e := NewEngine(analyticsRef())
	v := uuid.New()
	p := func(category string, vendor uuid.UUID) Profile { return Profile{Category: category, Vendor: vendor} }
	for _, tc := range []struct {
		name     string
		profiles []Profile
		field    string
	}{
		{"none", nil, ""},
		{"one vendor", []Profile{p("cloud", v), p("pentest", v)}, ""},
		{"unknown category", []Profile{p("cloud", v), p("catering", v)}, "profiles[1].category"},
		{"two vendors", []Profile{p("cloud", v), p("cloud", uuid.New())}, "profiles[1].vendor"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := e.checkRoadmapProfiles(tc.profiles)
			var ie *InputError
			if tc.field == "" && err != nil || tc.field != "" && (!errors.As(err, &ie) || ie.Field != tc.field) {
				t.Errorf("error %v, want field %q", err, tc.field)
			}
		})
	}
}

// roadTestCell has two requirements: the first closed by schemes 0 (any
// level) or 2 (from level 1), the second by scheme 2 from level 0; the third
// has no obtainable satisfier.
func roadTestCell() *cell {
	return &cell{reqs: []creq{
		{obtain: []obtainable{{scheme: 0, minIdx: -1}, {scheme: 2, minIdx: 1}}},
		{obtain: []obtainable{{scheme: 2, minIdx: 0}}},
		{},
	}}
}

func TestReachable(t *testing.T) {
	cl := roadTestCell()
	for _, tc := range []struct {
		name string
		fs   []failure
		want bool
	}{
		{"closable", []failure{{req: 0, conds: true}, {req: 1, conds: true}}, true},
		{"a condition fails", []failure{{req: 0, conds: true}, {req: 1, conds: false}}, false},
		{"no obtainable satisfier", []failure{{req: 0, conds: true}, {req: 2, conds: true}}, false},
	} {
		if got := reachable(cl, tc.fs); got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestClosers(t *testing.T) {
	cl := roadTestCell()
	need := map[int]int{2: 0}
	got := closers(cl, []failure{{req: 0, conds: true}, {req: 1, conds: true}}, need)
	if diff := cmp.Diff(roadCell{{0, 2}, {2}}, got); diff != "" {
		t.Errorf("closers (-want +got):\n%s", diff)
	}
	// Scheme 2 is needed at level 1 (the highest), scheme 0 at any.
	if diff := cmp.Diff(map[int]int{0: -1, 2: 1}, need); diff != "" {
		t.Errorf("need (-want +got):\n%s", diff)
	}
}

// roadTestEngine has schemes a (100 EUR, 6 months), b (300, 12), lv (10, 1;
// levels low, high) and u (unknown cost and lead time).
func roadTestEngine() *Engine {
	return NewEngine(fixtureRef([]Scheme{
		sch("a", ptr(100), ptr(6.0)),
		sch("b", ptr(300), ptr(12.0)),
		sch("lv", ptr(10), ptr(1.0), "low", "high"),
		sch("u", nil, nil),
	}))
}

func TestRoadCandidates(t *testing.T) {
	e := roadTestEngine()
	got := e.roadCandidates(map[int]int{3: -1, 2: 1, 0: -1})
	want := []roadCand{{scheme: 0, levelIdx: -1}, {scheme: 2, levelIdx: 1}, {scheme: 3, levelIdx: -1}} // a, lv, u
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(roadCand{})); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestGroupCells(t *testing.T) {
	cands := []roadCand{{scheme: 5}, {scheme: 7}, {scheme: 9}} // candidates 0, 1, 2
	cells := []roadCell{
		{{5}, {7, 9}},
		{{9, 7}, {5}, {5}}, // the same cell: requirements in another order, one twice
		{{9}},
	}
	groups := groupCells(cells, cands)
	var got []string
	for _, g := range groups {
		got = append(got, fmt.Sprintf("%v x%d", g.reqs, g.count))
	}
	want := []string{"[[1] [6]] x2", "[[4]] x1"} // bit 0 = candidate 0
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// roadTestPlanner plans over candidates a, b, lv (at level high) and u, and
// three groups of cells:
//
//	g1 x2: a
//	g2 x1: a and b
//	g3 x3: b or lv
func roadTestPlanner() *roadPlanner {
	e := roadTestEngine()
	cands := []roadCand{{scheme: 0, levelIdx: -1}, {scheme: 1, levelIdx: -1}, {scheme: 2, levelIdx: 1}, {scheme: 3, levelIdx: -1}}
	p := &roadPlanner{e: e, cands: cands, n: len(cands), w: words(len(cands))}
	p.groups = []roadGroup{
		{reqs: []bitset{setOf(p, 0)}, count: 2},
		{reqs: []bitset{setOf(p, 0), setOf(p, 1)}, count: 1},
		{reqs: []bitset{setOf(p, 1, 2)}, count: 3},
	}
	return p
}

// setOf returns a bitset of p's candidates holding cs.
func setOf(p *roadPlanner, cs ...int) bitset {
	b := make(bitset, p.w)
	for _, c := range cs {
		b.set(c)
	}
	return b
}

func TestRoadGroup_OpenedBy(t *testing.T) {
	p := roadTestPlanner()
	g2 := &p.groups[1]
	for _, tc := range []struct {
		set  []int
		want bool
	}{{nil, false}, {[]int{0}, false}, {[]int{1}, false}, {[]int{0, 1}, true}, {[]int{0, 1, 2}, true}} {
		if got := g2.openedBy(setOf(p, tc.set...)); got != tc.want {
			t.Errorf("a and b opened by %v: %v, want %v", tc.set, got, tc.want)
		}
	}
}

func TestRoadPlanner_Markets(t *testing.T) {
	p := roadTestPlanner()
	for _, tc := range []struct {
		set, except []int
		want        int
	}{
		{[]int{0}, nil, 2},
		{[]int{2}, nil, 3},
		{[]int{0, 1}, nil, 6},
		{[]int{0, 1}, []int{0}, 4},
		{[]int{3}, nil, 0},
	} {
		var except bitset
		if tc.except != nil {
			except = setOf(p, tc.except...)
		}
		if got := p.markets(setOf(p, tc.set...), except); got != tc.want {
			t.Errorf("markets(%v except %v) = %d, want %d", tc.set, tc.except, got, tc.want)
		}
	}
}

func TestRoadPlanner_PairMarkets(t *testing.T) {
	p := roadTestPlanner()
	for _, tc := range []struct {
		a, b, pair, either int
	}{
		{0, 1, 1, 5}, // a+b open g2, which neither opens alone
		{0, 2, 0, 5},
		{1, 3, 0, 3},
	} {
		pair, either := p.pairMarkets(tc.a, tc.b)
		if pair != tc.pair || either != tc.either {
			t.Errorf("pairMarkets(%d, %d) = %d, %d; want %d, %d", tc.a, tc.b, pair, either, tc.pair, tc.either)
		}
	}
}

func describeOption(o RoadmapOption) string {
	var s []string
	for _, x := range o.Schemes {
		s = append(s, x.Scheme+"@"+x.Level)
	}
	per, lead := "nil", "nil"
	if o.MarketsPer1000EUR != nil {
		per = fmt.Sprint(*o.MarketsPer1000EUR)
	}
	if l := o.LeadTimeRangeMonths; l != nil {
		lead = fmt.Sprintf("%g-%g", l.LowMonths, l.HighMonths)
	}
	return fmt.Sprintf("%s cost=%s known=%s unknown=%v lead=%s markets=%d per1000=%s",
		strings.Join(s, "+"), eurString(o.CostRangeEUR), eurString(o.KnownCostRangeEUR), o.UnknownCostSchemes, lead, o.Markets, per)
}

func TestRoadPlanner_Option(t *testing.T) {
	p := roadTestPlanner()
	for _, tc := range []struct {
		cs   []int
		want string
	}{
		{[]int{0}, "a@ cost=100-200 known=100-200 unknown=[] lead=3-6 markets=0 per1000=nil"},
		{[]int{2, 0}, "a@+lv@high cost=110-220 known=110-220 unknown=[] lead=3-6 markets=0 per1000=nil"},
		{[]int{3, 1}, "b@+u@ cost=nil known=300-600 unknown=[u] lead=nil markets=0 per1000=nil"},
		{[]int{3}, "u@ cost=nil known=nil unknown=[u] lead=nil markets=0 per1000=nil"},
	} {
		if got := describeOption(p.option(tc.cs...)); got != tc.want {
			t.Errorf("option(%v) = %s, want %s", tc.cs, got, tc.want)
		}
	}
}

func TestPerThousand(t *testing.T) {
	if got := *perThousand(3, 1500); got != 2 {
		t.Errorf("3 markets for 1500 EUR: %v per 1000, want 2", got)
	}
	// Free (the KHZG authorisation): no ratio in the answer (JSON has no
	// infinity), but it sorts first.
	if got := perThousand(1, 0); got != nil {
		t.Errorf("free: %v, want nil", *got)
	}
	free := RoadmapOption{Schemes: []SchemeLevel{{Scheme: "free"}}, CostRangeEUR: &EURRange{}, Markets: 1}
	cheap := RoadmapOption{Schemes: []SchemeLevel{{Scheme: "cheap"}}, CostRangeEUR: &EURRange{LowEUR: 1, HighEUR: 1}, Markets: 9}
	free.MarketsPer1000EUR, cheap.MarketsPer1000EUR = perThousand(1, 0), perThousand(9, 1)
	opts := []RoadmapOption{cheap, free}
	sortOptions(opts)
	if opts[0].Schemes[0].Scheme != "free" || !math.IsInf(perEuro(opts[0]), 1) {
		t.Errorf("a free option sorts after %s", opts[0].Schemes[0].Scheme)
	}
	if _, err := json.Marshal(opts); err != nil {
		t.Errorf("options with a free one do not marshal: %v", err)
	}
}

func TestAddOption(t *testing.T) {
	var rm Roadmap
	addOption(&rm, RoadmapOption{CostRangeEUR: &EURRange{500, 900}, Markets: 2})
	addOption(&rm, RoadmapOption{Markets: 4})
	if len(rm.Options) != 1 || *rm.Options[0].MarketsPer1000EUR != 4 {
		t.Errorf("known cost: %+v", rm.Options)
	}
	if len(rm.UnknownCost) != 1 || rm.UnknownCost[0].MarketsPer1000EUR != nil {
		t.Errorf("unknown cost: %+v", rm.UnknownCost)
	}
}

func TestRoadPlanner_Rate(t *testing.T) {
	p := roadTestPlanner()
	var rm Roadmap
	p.rateSingles(&rm)
	p.ratePairs(&rm)
	var got []string
	for _, o := range append(rm.Options, rm.UnknownCost...) {
		got = append(got, describeOption(o))
	}
	want := []string{
		"a@ cost=100-200 known=100-200 unknown=[] lead=3-6 markets=2 per1000=20", // per 1000 of the low end
		"b@ cost=300-600 known=300-600 unknown=[] lead=6-12 markets=3 per1000=10",
		"lv@high cost=10-20 known=10-20 unknown=[] lead=0.5-1 markets=3 per1000=300",
		"a@+b@ cost=400-800 known=400-800 unknown=[] lead=6-12 markets=6 per1000=15", // the only pair with synergy
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func option(ids string, markets, cost int) RoadmapOption {
	o := RoadmapOption{Markets: markets}
	for _, id := range strings.Split(ids, "+") {
		o.Schemes = append(o.Schemes, SchemeLevel{Scheme: id})
	}
	if cost >= 0 {
		o.CostRangeEUR = &EURRange{cost, 3 * cost}
		o.MarketsPer1000EUR = perThousand(markets, cost)
	}
	return o
}

func optionNames(opts []RoadmapOption) []string {
	var out []string
	for _, o := range opts {
		out = append(out, optionIDs(o))
	}
	return out
}

func TestSortOptions(t *testing.T) {
	opts := []RoadmapOption{
		option("z", 1, 100),   // 10 per 1000
		option("y", 2, 200),   // 10, more markets
		option("x", 4, 100),   // 40
		option("w+v", 1, 100), // 10, as z: by ids
		option("free", 1, 0),  // infinite
	}
	sortOptions(opts)
	if diff := cmp.Diff([]string{"free", "x", "y", "w+v", "z"}, optionNames(opts)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	// Same rate and markets: the cheaper first.
	opts = []RoadmapOption{option("b", 2, 200), option("a", 1, 100)}
	opts[1].Markets, opts[1].MarketsPer1000EUR = 2, ptr(10.0)
	sortOptions(opts)
	if diff := cmp.Diff([]string{"a", "b"}, optionNames(opts)); diff != "" {
		t.Errorf("cost tie-break (-want +got):\n%s", diff)
	}
}

func TestSortUnknownCost(t *testing.T) {
	opts := []RoadmapOption{option("c+d", 2, -1), option("b", 1, -1), option("e", 2, -1), option("a+f", 2, -1)}
	sortUnknownCost(opts)
	if diff := cmp.Diff([]string{"e", "a+f", "c+d", "b"}, optionNames(opts)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestRoadPick_Beats(t *testing.T) {
	base := roadPick{cs: []int{0}, cost: EURRange{100, 500}, gain: 2, perEuro: 0.02}
	for _, tc := range []struct {
		name string
		p    roadPick
		want bool
	}{
		{"more per euro", roadPick{cs: []int{1, 2}, cost: EURRange{1000, 5000}, gain: 30, perEuro: 0.03}, true},
		{"less per euro", roadPick{cs: []int{1}, cost: EURRange{10, 50}, gain: 0, perEuro: 0.01}, false},
		{"same rate, more markets", roadPick{cs: []int{1}, cost: EURRange{200, 1000}, gain: 4, perEuro: 0.02}, true},
		{"same rate and markets, cheaper", roadPick{cs: []int{1}, cost: EURRange{50, 250}, gain: 2, perEuro: 0.02}, true},
		{"same rate and markets, lower low end, higher high end", roadPick{cs: []int{1}, cost: EURRange{50, 5000}, gain: 2, perEuro: 0.02}, true},
		{"same rate, markets and cost, fewer schemes", roadPick{cs: nil, cost: EURRange{100, 500}, gain: 2, perEuro: 0.02}, true},
		{"equal", roadPick{cs: []int{1}, cost: EURRange{100, 500}, gain: 2, perEuro: 0.02}, false},
		{"same rate, fewer markets", roadPick{cs: []int{1}, cost: EURRange{50, 250}, gain: 1, perEuro: 0.02}, false},
	} {
		if got := tc.p.beats(&base); got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
	if !base.beats(nil) {
		t.Error("any pick beats none")
	}
}

func TestRoadPlanner_Pick(t *testing.T) {
	p := roadTestPlanner()
	chosen := setOf(p, 2) // lv: g3 is open
	for _, tc := range []struct {
		name   string
		cs     []int
		spent  EURRange
		budget *int
		want   string
	}{
		{"a", []int{0}, EURRange{}, nil, "[0] cost=100-200 gain=2"},
		{"a and b", []int{0, 1}, EURRange{}, nil, "[0 1] cost=400-800 gain=3"},
		{"b alone opens nothing new", []int{1}, EURRange{}, nil, "nil"},
		{"already chosen", []int{2, 0}, EURRange{}, nil, "nil"},
		{"unknown cost", []int{3}, EURRange{}, nil, "nil"},
		{"over budget at the high end", []int{0}, EURRange{10, 20}, ptr(200), "nil"},
		{"at budget", []int{0}, EURRange{10, 20}, ptr(220), "[0] cost=100-200 gain=2"},
	} {
		got := "nil"
		if pk := p.pick(chosen, tc.spent, tc.budget, tc.cs...); pk != nil {
			got = fmt.Sprintf("%v cost=%s gain=%d", pk.cs, eurString(&pk.cost), pk.gain)
		}
		if got != tc.want {
			t.Errorf("%s: %s, want %s", tc.name, got, tc.want)
		}
	}
}

func TestRoadPlanner_Plan(t *testing.T) {
	describe := func(steps []RoadmapStep) []string {
		var out []string
		for _, s := range steps {
			out = append(out, fmt.Sprintf("%s:%s:+%d=%s/%d", optionIDs(RoadmapOption{Schemes: s.Schemes}), eurString(&s.CostRangeEUR),
				s.Markets, eurString(&s.TotalCostRangeEUR), s.Eligible))
		}
		return out
	}
	for _, tc := range []struct {
		budget *int
		want   []string
	}{
		// lv opens 3 for 10 EUR; then a 2 for 100; then b the last 1 (with a).
		{nil, []string{"lv:10-20:+3=10-20/8", "a:100-200:+2=110-220/10", "b:300-600:+1=410-820/11"}},
		{ptr(220), []string{"lv:10-20:+3=10-20/8", "a:100-200:+2=110-220/10"}},
		{ptr(150), []string{"lv:10-20:+3=10-20/8"}}, // a's high end would pass the budget
		{ptr(15), nil},
	} {
		got := roadTestPlanner().plan(nil, tc.budget, 5)
		if diff := cmp.Diff(tc.want, describe(got)); diff != "" {
			t.Errorf("budget %v (-want +got):\n%s", tc.budget, diff)
		}
	}
}

// TestRoadPlanner_BeyondPairs: cells whose requirements no single
// candidate and no pair closes are counted; one, or two, that close every
// requirement are not.
func TestRoadPlanner_BeyondPairs(t *testing.T) {
	p := roadTestPlanner()
	if got := p.beyondPairs(); got != 0 {
		t.Errorf("test planner: %d cells beyond pairs, want 0 (a; a and b; b or lv)", got)
	}
	for _, tc := range []struct {
		name string
		reqs [][]int
		want bool // opened by one or two
	}{
		{"none", nil, true},
		{"a", [][]int{{0}}, true},
		{"a, b", [][]int{{0}, {1}}, true},
		{"a or b, c", [][]int{{0, 1}, {2}}, true},
		{"a, b, c", [][]int{{0}, {1}, {2}}, false},
		{"a or d, b or d, c or d", [][]int{{0, 3}, {1, 3}, {2, 3}}, true},
		{"a or b, c, d", [][]int{{0, 1}, {2}, {3}}, false},
		{"a, b or c, c or d", [][]int{{0}, {1, 2}, {2, 3}}, true},
	} {
		g := roadGroup{count: 1}
		for _, r := range tc.reqs {
			g.reqs = append(g.reqs, setOf(p, r...))
		}
		if got := g.openedByPair(p.w); got != tc.want {
			t.Errorf("%s: opened by one or two %v, want %v", tc.name, got, tc.want)
		}
		p.groups = append(p.groups, g)
	}
	// a, b, c and a or b, c, d need three or more.
	if got := p.beyondPairs(); got != 2 {
		t.Errorf("%d cells beyond pairs, want 2", got)
	}
}

// TestRoadGroup_OpenedByPair_BruteForce compares openedByPair with trying
// every candidate and every pair, over random groups of 70 candidates (two
// bitset words).
func TestRoadGroup_OpenedByPair_BruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 5))
	const n = 70
	w := words(n)
	set := func(cs ...int) bitset {
		b := make(bitset, w)
		for _, c := range cs {
			b.set(c)
		}
		return b
	}
	for range 2000 {
		g := roadGroup{count: 1}
		for range 1 + rng.IntN(4) {
			r := make(bitset, w)
			for range 1 + rng.IntN(3) {
				r.set(rng.IntN(n))
			}
			g.reqs = append(g.reqs, r)
		}
		want := false
		for a := 0; a < n && !want; a++ {
			for b := a; b < n && !want; b++ {
				want = g.openedBy(set(a, b))
			}
		}
		if got := g.openedByPair(w); got != want {
			t.Fatalf("reqs %v: opened by one or two %v, brute force %v", g.reqs, got, want)
		}
	}
}
