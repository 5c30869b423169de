package compliance

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/cybermarket/cybermarket/catalog"
)

// SchemeLevel is a scheme to obtain, at a level (empty: any level).
type SchemeLevel struct {
	Scheme string `json:"scheme"`
	Level  string `json:"level,omitempty"`
}

// RoadmapOption is a scheme, or a pair of schemes, and the markets it opens.
type RoadmapOption struct {
	Schemes []SchemeLevel `json:"schemes"`
	// CostRangeEUR is the whole cost range (sums of lows and highs), nil when
	// any scheme's cost is unknown; KnownCostRangeEUR sums the known ones (nil
	// when none is) and UnknownCostSchemes names the others.
	CostRangeEUR       *EURRange `json:"cost_range_eur"`
	KnownCostRangeEUR  *EURRange `json:"known_cost_range_eur"`
	UnknownCostSchemes []string  `json:"unknown_cost_schemes"`
	// LeadTimeRangeMonths is the longest lead time (largest low, largest
	// high), nil when any is unknown.
	LeadTimeRangeMonths *MonthRange `json:"lead_time_range_months"`
	// Markets counts the offering x country x buyer cells that turn eligible.
	Markets int `json:"markets"`
	// MarketsPer1000EUR is Markets per 1,000 euro of the low end of the cost
	// range; nil when the cost is unknown, or 0 (a free option, rated
	// first).
	MarketsPer1000EUR *float64 `json:"markets_per_1000_eur"`
}

// RoadmapStep is one step of the greedy plan.
type RoadmapStep struct {
	Schemes []SchemeLevel `json:"schemes"`
	// CostRangeEUR is the step's cost range, TotalCostRangeEUR that of all
	// steps so far.
	CostRangeEUR EURRange `json:"cost_range_eur"`
	// Markets counts the cells the step opens; Eligible the eligible cells after it.
	Markets           int      `json:"markets"`
	TotalCostRangeEUR EURRange `json:"total_cost_range_eur"`
	Eligible          int      `json:"eligible"`
}

// Roadmap is a vendor's certification roadmap.
type Roadmap struct {
	// Countries are the countries considered.
	Countries []string `json:"countries"`
	// Budget is the budget the steps keep within even at the high end of
	// their cost ranges; nil for none.
	Budget *int `json:"budget_eur"`
	// Cells counts the offering x country x buyer cells considered; Eligible
	// those eligible today; Unreachable those no certification opens (a
	// condition fails, or a requirement has no obtainable full satisfier).
	Cells       int `json:"cells"`
	Eligible    int `json:"eligible"`
	Unreachable int `json:"unreachable"`
	// UnreachableMarkets names the unreachable cells with the reasons.
	UnreachableMarkets []UnreachableMarket `json:"unreachable_markets"`
	// BeyondPairs counts the reachable cells that no scheme alone and no pair
	// of schemes opens: they need three or more at once, so no option names
	// them.
	BeyondPairs int `json:"beyond_pairs"`
	// Options are the schemes of known cost, alone or in pairs that open
	// cells neither opens alone, by markets per euro of the low end (then
	// markets, low end, ids). A pair without such synergy never beats its better half per euro.
	Options []RoadmapOption `json:"options"`
	// Steps is the greedy plan within the budget (at the high end of the cost
	// ranges): at each step the known-cost scheme or pair with the most newly
	// opened markets per euro of the low end.
	Steps []RoadmapStep `json:"steps"`
	// UnknownCost are the options involving a scheme of unknown cost (never
	// taken as free, never in Steps), by markets.
	UnknownCost []RoadmapOption `json:"unknown_cost"`
}

// Roadmap tells the vendor whose offerings' profiles are given which
// certifications open most markets (offering x country x buyer cells
// turning eligible on all evidence on day) per euro, in countries (ISO codes;
// empty for all). Candidates are the active schemes that fully satisfy a
// binding requirement failing in a reachable cell, at the highest level any
// of them needs. budget (EUR, nil for none) bounds the greedy steps. It
// returns an *InputError for an unknown country, a negative budget, profiles
// of an unknown category or of more than one vendor.
//
// The steps: the cells certification can open (roadCells), the candidate
// schemes (roadCandidates), identical cells grouped as bitsets over the
// candidates (groupCells), the options rated alone and in pairs
// (rateSingles, ratePairs), and the greedy plan (plan).
func (e *Engine) Roadmap(profiles []Profile, countries []string, budget *int, day time.Time) (Roadmap, error) {
	rm := Roadmap{Budget: budget, Options: []RoadmapOption{}, Steps: []RoadmapStep{}, UnknownCost: []RoadmapOption{}}
	if budget != nil && *budget < 0 {
		return rm, &InputError{Field: "budget", Value: fmt.Sprint(*budget), Reason: "must not be negative"}
	}
	cis, err := e.roadmapCountries(countries)
	if err != nil {
		return rm, err
	}
	for _, ci := range cis {
		rm.Countries = append(rm.Countries, e.countries[ci].code)
	}
	if err := e.checkRoadmapProfiles(profiles); err != nil {
		return rm, err
	}
	need := map[int]int{} // scheme -> highest level index needed
	cells := e.roadCells(profiles, cis, catalog.Day(day), &rm, need)
	cands := e.roadCandidates(need)
	p := &roadPlanner{e: e, cands: cands, groups: groupCells(cells, cands), n: len(cands), w: words(len(cands))}
	p.rateSingles(&rm)
	p.ratePairs(&rm)
	rm.BeyondPairs = p.beyondPairs()
	sortOptions(rm.Options)
	sortUnknownCost(rm.UnknownCost)
	rm.Steps = p.plan(rm.Steps, budget, rm.Eligible)
	return rm, nil
}

// roadmapCountries resolves country codes (any case, blanks trimmed) to
// country indexes in the order given, without repeats; none means all.
func (e *Engine) roadmapCountries(countries []string) ([]int, error) {
	if len(countries) == 0 {
		cis := make([]int, len(e.countries))
		for ci := range cis {
			cis[ci] = ci
		}
		return cis, nil
	}
	cis := make([]int, 0, len(countries))
	for _, c := range countries {
		ci, ok := e.countryIdx[strings.ToUpper(strings.TrimSpace(c))]
		if !ok {
			return nil, &InputError{Field: "countries", Value: c}
		}
		if !slices.Contains(cis, ci) {
			cis = append(cis, ci)
		}
	}
	return cis, nil
}

// checkRoadmapProfiles rejects profiles of an unknown category or of more
// than one vendor.
func (e *Engine) checkRoadmapProfiles(profiles []Profile) error {
	for i := range profiles {
		if _, ok := e.catIdx[profiles[i].Category]; !ok {
			return &InputError{Field: fmt.Sprintf("profiles[%d].category", i), Value: profiles[i].Category}
		}
		if profiles[i].Vendor != profiles[0].Vendor {
			return &InputError{Field: fmt.Sprintf("profiles[%d].vendor", i), Value: profiles[i].Vendor.String(),
				Reason: "the profiles belong to more than one vendor"}
		}
	}
	return nil
}

// roadCell is a cell that certification can open: per failing requirement,
// the schemes that close it.
type roadCell [][]int

// roadCells judges every profile in the countries cis for both buyer kinds.
// It counts the cells in rm (Cells, Eligible, Unreachable), returns the
// cells certification can open, and sets need: per closing scheme, the
// highest level index any of them needs.
func (e *Engine) roadCells(profiles []Profile, cis []int, day time.Time, rm *Roadmap, need map[int]int) []roadCell {
	var cells []roadCell
	k := e.newKernel()
	for i := range profiles {
		p := &profiles[i]
		ki := e.catIdx[p.Category]
		e.load(k, p, day)
		for _, ci := range cis {
			for bi := range 2 {
				cl := &e.cells[e.cellIndex(ci, ki, bi)]
				rm.Cells++
				fs := e.failures(k, cl)
				switch {
				case len(fs) == 0:
					rm.Eligible++
				case !reachable(cl, fs):
					rm.Unreachable++
					rm.UnreachableMarkets = append(rm.UnreachableMarkets, e.unreachable(k, p, cl, fs))
				default:
					cells = append(cells, closers(cl, fs, need))
				}
			}
		}
	}
	return cells
}

// UnreachableMarket is an offering x country x buyer cell no certification
// opens, with why: per failing requirement certificates cannot close, the
// reason.
type UnreachableMarket struct {
	Offering string   `json:"offering"`
	Country  string   `json:"country"`
	Buyer    Buyer    `json:"buyer"`
	Reasons  []string `json:"reasons"`
}

// unreachable names an unreachable cell and its reasons.
func (e *Engine) unreachable(k *kernel, p *Profile, cl *cell, fs []failure) UnreachableMarket {
	m := UnreachableMarket{Offering: p.Offering.String(), Country: e.countries[cl.country].code, Buyer: cl.buyer, Reasons: []string{}}
	for _, f := range fs {
		r := &cl.reqs[f.req]
		switch {
		case !f.conds:
			for i := range r.conds {
				if !e.holds(k, &r.conds[i]) {
					m.Reasons = append(m.Reasons, r.r.ID+": "+e.unmet(p, &r.conds[i]).Reason)
				}
			}
		case len(r.obtain) == 0:
			m.Reasons = append(m.Reasons, r.r.ID+": "+r.whyNot)
		}
	}
	return m
}

// reachable reports whether certification alone can close every failure:
// its conditions hold and an obtainable scheme satisfies it fully.
func reachable(cl *cell, fs []failure) bool {
	for _, f := range fs {
		if !f.conds || len(cl.reqs[f.req].obtain) == 0 {
			return false
		}
	}
	return true
}

// closers returns, per failure, the schemes that close it, and raises
// need[scheme] to the level index each needs.
func closers(cl *cell, fs []failure, need map[int]int) roadCell {
	var rc roadCell
	for _, f := range fs {
		var schemes []int
		for _, o := range cl.reqs[f.req].obtain {
			if l, ok := need[o.scheme]; !ok || o.minIdx > l {
				need[o.scheme] = o.minIdx
			}
			schemes = append(schemes, o.scheme)
		}
		rc = append(rc, schemes)
	}
	return rc
}

// roadCand is a candidate scheme of a roadmap.
type roadCand struct {
	scheme   int
	levelIdx int
}

// roadCandidates returns the needed schemes as candidates in scheme id
// order, so that ties go to the lower ids.
func (e *Engine) roadCandidates(need map[int]int) []roadCand {
	var cands []roadCand
	for si, l := range need {
		cands = append(cands, roadCand{scheme: si, levelIdx: l})
	}
	slices.SortFunc(cands, func(a, b roadCand) int {
		return strings.Compare(e.ref.Schemes[a.scheme].ID, e.ref.Schemes[b.scheme].ID)
	})
	return cands
}

// roadGroup is a set of identical cells: per failing requirement, the
// candidates that close it.
type roadGroup struct {
	reqs  []bitset
	count int
}

// openedBy reports whether holding the candidates in set opens the cells of
// g: every requirement has a closer in set.
func (g *roadGroup) openedBy(set bitset) bool {
	for _, r := range g.reqs {
		hit := false
		for i := range r {
			if r[i]&set[i] != 0 {
				hit = true
				break
			}
		}
		if !hit {
			return false
		}
	}
	return true
}

// groupCells turns cells into bitsets over the candidates (requirements
// sorted, duplicates dropped) and counts identical cells once, in the order
// they first appear.
func groupCells(cells []roadCell, cands []roadCand) []roadGroup {
	candIdx := make(map[int]int, len(cands))
	for c, rc := range cands {
		candIdx[rc.scheme] = c
	}
	w := words(len(cands))
	var groups []roadGroup
	seen := map[string]int{}
	for _, c := range cells {
		g := roadGroup{count: 1}
		var key strings.Builder
		for _, schemes := range c {
			b := make(bitset, w)
			for _, si := range schemes {
				b.set(candIdx[si])
			}
			g.reqs = append(g.reqs, b)
		}
		slices.SortFunc(g.reqs, func(a, b bitset) int { return slices.Compare(a, b) })
		g.reqs = slices.CompactFunc(g.reqs, slices.Equal)
		for _, b := range g.reqs {
			fmt.Fprint(&key, b, ";")
		}
		if j, ok := seen[key.String()]; ok {
			groups[j].count++
			continue
		}
		seen[key.String()] = len(groups)
		groups = append(groups, g)
	}
	return groups
}
