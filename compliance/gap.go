package compliance

import (
	"slices"
	"strings"
)

// The gap.
//
// For the failing binding requirements of a cell (unmet or partly met on all
// valid evidence), the engine looks for the cheapest set of schemes whose
// full satisfiers close every requirement a certification can close. A
// requirement cannot be closed by certification when one of its conditions
// fails (language, establishment, data location, clearance) or when no
// active scheme satisfies it fully (only partial satisfiers, only draft
// schemes, or none at all); those are listed in Gap.NotClosable.
//
// Candidates are the active schemes that fully satisfy a closable
// requirement. A scheme is obtained at the highest level any of the
// requirements it closes needs (costs are per scheme, not per level), so a
// scheme held at too low a level is a candidate at the needed level. Draft
// schemes cannot be obtained and are never candidates.
//
// The search is exact: a branch-and-bound over set covers that branches on
// the schemes closing the first uncovered requirement, pruning a branch once
// it cannot beat the best cover found. Sets are ordered by (number of
// schemes of unknown cost, sum of the low ends of the known cost ranges,
// number of schemes, the sorted scheme ids); an unknown cost is never taken
// as 0. Sizes are small -
// in the reference data a cell has at most a dozen binding requirements, each
// with a handful of full satisfiers - so the search stays tiny; analytics
// memoize it per distinct set of failing requirements.

// gapPlan is a solved gap for one cell and one set of failing requirements.
// It depends on the cell and the requirement sets only, not on the profile,
// so analytics memoize it.
type gapPlan struct {
	picks    []gapPick
	unknown  int         // picks of unknown cost
	known    EURRange    // sums of the known cost ranges
	lead     *MonthRange // longest lead time; nil when any is unknown
	complete bool        // every failing requirement is closed
}

// gapPick is a scheme of a plan.
type gapPick struct {
	scheme   int
	levelIdx int   // -1: any level
	closes   []int // indexes into the cell's requirements
}

// costRange is the plan's known cost range: nil when no pick's cost is
// known, except for an empty complete plan (0-0).
func (g *gapPlan) costRange() *EURRange {
	if len(g.picks) == g.unknown && (len(g.picks) > 0 || !g.complete) {
		return nil
	}
	return ptrTo(g.known)
}

// totalCost is the plan's whole cost range, nil when any part is unknown or
// certificates alone cannot close the gap.
func (g *gapPlan) totalCost() *EURRange {
	if g.unknown > 0 || !g.complete {
		return nil
	}
	return ptrTo(g.known)
}

// candidate is a scheme that can close some of the closable requirements.
type candidate struct {
	scheme   int
	id       string
	levelIdx int
	covers   []int // positions in the closable list
	unknown  int   // 1 when the cost is unknown
	cost     int   // the low end of the known cost range
}

// plan solves the gap for the closable requirements (indexes into cl.reqs,
// each with at least one obtainable full satisfier and its conditions
// holding); complete says whether they are all the failing ones.
func (e *Engine) plan(cl *cell, closable []int, complete bool) gapPlan {
	var cands []candidate
	for pos, ri := range closable {
		for _, o := range cl.reqs[ri].obtain {
			j := slices.IndexFunc(cands, func(c candidate) bool { return c.scheme == o.scheme })
			if j < 0 {
				s := &e.ref.Schemes[o.scheme]
				c := candidate{scheme: o.scheme, id: s.ID, levelIdx: -1}
				if s.Cost == nil {
					c.unknown = 1
				} else {
					c.cost = s.Cost.LowEUR
				}
				cands = append(cands, c)
				j = len(cands) - 1
			}
			c := &cands[j]
			c.levelIdx = max(c.levelIdx, o.minIdx)
			if !slices.Contains(c.covers, pos) {
				c.covers = append(c.covers, pos)
			}
		}
	}
	slices.SortFunc(cands, func(a, b candidate) int { return strings.Compare(a.id, b.id) })

	// byReq lists, per closable position, the candidates covering it.
	byReq := make([][]int, len(closable))
	for ci, c := range cands {
		for _, pos := range c.covers {
			byReq[pos] = append(byReq[pos], ci)
		}
	}
	s := solver{cands: cands, byReq: byReq, covered: make([]int, len(closable))}
	s.search(0, 0)

	g := gapPlan{complete: complete, lead: &MonthRange{}}
	for _, ci := range s.best {
		c := &cands[ci]
		sc := &e.ref.Schemes[c.scheme]
		g.unknown += c.unknown
		if sc.Cost != nil {
			g.known.LowEUR += sc.Cost.LowEUR
			g.known.HighEUR += sc.Cost.HighEUR
		}
		pick := gapPick{scheme: c.scheme, levelIdx: c.levelIdx}
		for _, pos := range c.covers {
			pick.closes = append(pick.closes, closable[pos])
		}
		slices.Sort(pick.closes)
		g.picks = append(g.picks, pick)
		g.lead = longer(g.lead, sc.LeadTime)
	}
	return g
}

// longer is the lead time of pursuing lt alongside acc in parallel: the
// larger low and the larger high; nil when either is unknown.
func longer(acc *MonthRange, lt *SchemeLeadTime) *MonthRange {
	if acc == nil || lt == nil {
		return nil
	}
	return &MonthRange{LowMonths: max(acc.LowMonths, lt.LowMonths), HighMonths: max(acc.HighMonths, lt.HighMonths)}
}

// solver is the branch-and-bound over covers.
type solver struct {
	cands   []candidate
	byReq   [][]int
	covered []int // per closable position: how many chosen candidates cover it
	chosen  []int // candidate indexes, in branching order
	best    []int // sorted candidate indexes (= sorted by id)
	bestKey [3]int
	found   bool
}

func less3(a, b [3]int) int {
	for i := range a {
		if a[i] != b[i] {
			if a[i] < b[i] {
				return -1
			}
			return 1
		}
	}
	return 0
}

func (s *solver) search(unknown, cost int) {
	key := [3]int{unknown, cost, len(s.chosen)}
	first := slices.Index(s.covered, 0)
	if first < 0 {
		cur := slices.Clone(s.chosen)
		slices.Sort(cur) // candidates are sorted by id, so indexes order like ids
		if c := less3(key, s.bestKey); !s.found || c < 0 || (c == 0 && slices.Compare(cur, s.best) < 0) {
			s.best, s.bestKey, s.found = cur, key, true
		}
		return
	}
	// Adding a scheme only raises the key, so a branch at or above the best is done.
	if s.found && less3(key, s.bestKey) >= 0 {
		return
	}
	for _, ci := range s.byReq[first] {
		c := &s.cands[ci]
		for _, pos := range c.covers {
			s.covered[pos]++
		}
		s.chosen = append(s.chosen, ci)
		s.search(unknown+c.unknown, cost+c.cost)
		s.chosen = s.chosen[:len(s.chosen)-1]
		for _, pos := range c.covers {
			s.covered[pos]--
		}
	}
}

// gap builds an assessment's Gap from its failing binding requirements.
func (e *Engine) gap(cl *cell, failures []failure, results []RequirementResult) Gap {
	g := Gap{Schemes: []GapScheme{}, NotClosable: []NotClosable{}}
	var closable []int
	for _, f := range failures {
		r := &cl.reqs[f.req]
		switch {
		case !f.conds:
			var why []string
			for _, u := range results[f.req].UnmetConditions {
				why = append(why, u.Reason)
			}
			g.NotClosable = append(g.NotClosable, NotClosable{Requirement: r.r.ID,
				Reason: "a condition no certification shows does not hold: " + strings.Join(why, "; ")})
		case len(r.obtain) == 0:
			g.NotClosable = append(g.NotClosable, NotClosable{Requirement: r.r.ID, Reason: r.whyNot})
		default:
			closable = append(closable, f.req)
		}
	}
	p := e.plan(cl, closable, len(g.NotClosable) == 0)
	g.Complete = p.complete
	g.CostRangeEUR, g.TotalCostRangeEUR, g.UnknownCost = p.costRange(), p.totalCost(), p.unknown
	g.UnknownCostSchemes = []string{}
	if g.Complete {
		g.LeadTimeRangeMonths = p.lead
	}
	for _, pk := range p.picks {
		s := &e.ref.Schemes[pk.scheme]
		gs := GapScheme{Scheme: s.ID, Name: s.Name, CostRangeEUR: s.CostRange(), LeadTimeRangeMonths: s.LeadTimeRange()}
		if s.Cost == nil {
			g.UnknownCostSchemes = append(g.UnknownCostSchemes, s.ID)
		}
		if pk.levelIdx >= 0 {
			gs.Level = s.Levels[pk.levelIdx]
		}
		for _, ri := range pk.closes {
			gs.Closes = append(gs.Closes, cl.reqs[ri].r.ID)
		}
		g.Schemes = append(g.Schemes, gs)
	}
	return g
}
