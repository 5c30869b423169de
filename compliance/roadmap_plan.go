package compliance

import (
	"math"
	"math/bits"
	"slices"
	"strings"
)

// roadPlanner rates the candidates of a roadmap over the grouped cells.
type roadPlanner struct {
	e      *Engine
	cands  []roadCand
	groups []roadGroup
	n, w   int // candidates, and words of a bitset over them
}

// markets counts the cells that holding set opens, leaving out those that
// holding except (nil for none) opens already.
func (p *roadPlanner) markets(set, except bitset) int {
	total := 0
	for gi := range p.groups {
		g := &p.groups[gi]
		if (except == nil || !g.openedBy(except)) && g.openedBy(set) {
			total += g.count
		}
	}
	return total
}

func (p *roadPlanner) scheme(c int) *Scheme { return &p.e.ref.Schemes[p.cands[c].scheme] }

// option describes obtaining candidates cs: schemes by id at their levels,
// cost range (nil when any is unknown, with the known part and the unknown
// ids) and longest lead time (nil when any is unknown). Markets are left to
// the caller.
func (p *roadPlanner) option(cs ...int) RoadmapOption {
	o := RoadmapOption{UnknownCostSchemes: []string{}}
	var known EURRange
	nKnown := 0
	lead := &MonthRange{}
	for _, c := range cs {
		s := p.scheme(c)
		sl := SchemeLevel{Scheme: s.ID}
		if p.cands[c].levelIdx >= 0 {
			sl.Level = s.Levels[p.cands[c].levelIdx]
		}
		o.Schemes = append(o.Schemes, sl)
		if s.Cost == nil {
			o.UnknownCostSchemes = append(o.UnknownCostSchemes, s.ID)
		} else {
			known.LowEUR += s.Cost.LowEUR
			known.HighEUR += s.Cost.HighEUR
			nKnown++
		}
		lead = longer(lead, s.LeadTime)
	}
	slices.SortFunc(o.Schemes, func(a, b SchemeLevel) int { return strings.Compare(a.Scheme, b.Scheme) })
	slices.Sort(o.UnknownCostSchemes)
	if nKnown > 0 {
		o.KnownCostRangeEUR = &known
	}
	if len(o.UnknownCostSchemes) == 0 {
		o.CostRangeEUR = &known
	}
	o.LeadTimeRangeMonths = lead
	return o
}

// perThousand is markets per 1,000 euro of cost; nil for no cost (a free
// option: no ratio is a number, and JSON has no infinity).
func perThousand(markets, cost int) *float64 {
	if cost == 0 {
		return nil
	}
	v := float64(markets) * 1000 / float64(cost)
	return &v
}

// perEuro is an option's rating for sorting: markets per 1,000 euro,
// infinite for a free option, so that free options come first.
func perEuro(o RoadmapOption) float64 {
	if o.MarketsPer1000EUR == nil {
		return math.Inf(1)
	}
	return *o.MarketsPer1000EUR
}

// addOption files o under the options of known cost, rated per euro, or
// under those of unknown cost.
func addOption(rm *Roadmap, o RoadmapOption) {
	if o.CostRangeEUR != nil {
		o.MarketsPer1000EUR = perThousand(o.Markets, o.CostRangeEUR.LowEUR)
		rm.Options = append(rm.Options, o)
	} else {
		rm.UnknownCost = append(rm.UnknownCost, o)
	}
}

// rateSingles adds every candidate that opens a cell alone.
func (p *roadPlanner) rateSingles(rm *Roadmap) {
	for c := range p.n {
		set := make(bitset, p.w) // made here, not in a helper: it stays on the stack
		set.set(c)
		m := p.markets(set, nil)
		if m == 0 {
			continue
		}
		o := p.option(c)
		o.Markets = m
		addOption(rm, o)
	}
}

// ratePairs adds every pair of candidates that opens cells neither opens
// alone (synergy); a pair without it never beats its better half per euro.
func (p *roadPlanner) ratePairs(rm *Roadmap) {
	for a := range p.n {
		for b := a + 1; b < p.n; b++ {
			pair, either := p.pairMarkets(a, b)
			if pair == 0 {
				continue
			}
			o := p.option(a, b)
			o.Markets = pair + either
			addOption(rm, o)
		}
	}
}

// beyondPairs counts the cells that no candidate alone and no pair opens.
func (p *roadPlanner) beyondPairs() int {
	n := 0
	for gi := range p.groups {
		if g := &p.groups[gi]; !g.openedByPair(p.w) {
			n += g.count
		}
	}
	return n
}

// openedByPair reports whether one candidate, or two, open the cells of g:
// one of them closes its first requirement, and a single candidate closes
// every requirement the first leaves open (w is the bitset length).
func (g *roadGroup) openedByPair(w int) bool {
	if len(g.reqs) == 0 {
		return true
	}
	rest := make(bitset, w)
	for i, word := range g.reqs[0] {
		for ; word != 0; word &= word - 1 {
			a := i*64 + bits.TrailingZeros64(word)
			for j := range rest {
				rest[j] = ^uint64(0)
			}
			for _, r := range g.reqs[1:] {
				if !r.has(a) {
					for j := range rest {
						rest[j] &= r[j]
					}
				}
			}
			if slices.ContainsFunc(rest, func(x uint64) bool { return x != 0 }) {
				return true
			}
		}
	}
	return false
}

// pairMarkets counts the cells candidates a and b open together but
// neither alone (pair), and those either opens alone (either).
func (p *roadPlanner) pairMarkets(a, b int) (pair, either int) {
	sa, sb, both := make(bitset, p.w), make(bitset, p.w), make(bitset, p.w)
	sa.set(a)
	sb.set(b)
	both.set(a)
	both.set(b)
	for gi := range p.groups {
		g := &p.groups[gi]
		if g.openedBy(sa) || g.openedBy(sb) {
			either += g.count
		} else if g.openedBy(both) {
			pair += g.count
		}
	}
	return pair, either
}

// optionIDs names an option's schemes, "a+b".
func optionIDs(o RoadmapOption) string {
	var s []string
	for _, x := range o.Schemes {
		s = append(s, x.Scheme)
	}
	return strings.Join(s, "+")
}

// sortOptions orders options of known cost by markets per euro, then
// markets, then lower low end, then scheme ids.
func sortOptions(opts []RoadmapOption) {
	slices.SortFunc(opts, func(a, b RoadmapOption) int {
		switch {
		case perEuro(a) > perEuro(b):
			return -1
		case perEuro(a) < perEuro(b):
			return 1
		case a.Markets != b.Markets:
			return b.Markets - a.Markets
		case a.CostRangeEUR.LowEUR != b.CostRangeEUR.LowEUR:
			return a.CostRangeEUR.LowEUR - b.CostRangeEUR.LowEUR
		}
		return strings.Compare(optionIDs(a), optionIDs(b))
	})
}

// sortUnknownCost orders options of unknown cost by markets, then singles
// before pairs, then scheme ids.
func sortUnknownCost(opts []RoadmapOption) {
	slices.SortFunc(opts, func(a, b RoadmapOption) int {
		if a.Markets != b.Markets {
			return b.Markets - a.Markets
		}
		if len(a.Schemes) != len(b.Schemes) {
			return len(a.Schemes) - len(b.Schemes)
		}
		return strings.Compare(optionIDs(a), optionIDs(b))
	})
}

// roadPick is a candidate step of the greedy plan.
type roadPick struct {
	cs      []int
	cost    EURRange
	gain    int
	perEuro float64 // gain per euro of the low end
}

// beats reports whether p is a better step than best (nil: none yet): more
// markets per euro, then more markets, then lower low end, then fewer schemes.
func (p *roadPick) beats(best *roadPick) bool {
	return best == nil || p.perEuro > best.perEuro ||
		(p.perEuro == best.perEuro && (p.gain > best.gain || (p.gain == best.gain && (p.cost.LowEUR < best.cost.LowEUR ||
			(p.cost.LowEUR == best.cost.LowEUR && len(p.cs) < len(best.cs))))))
}

// pick rates obtaining candidates cs on top of chosen, having spent spent:
// nil when one is chosen already or of unknown cost, when the high end would
// exceed budget (nil: none), or when it opens nothing new.
func (p *roadPlanner) pick(chosen bitset, spent EURRange, budget *int, cs ...int) *roadPick {
	var cost EURRange
	set := slices.Clone(chosen)
	for _, c := range cs {
		s := p.scheme(c)
		if chosen.has(c) || s.Cost == nil {
			return nil
		}
		cost.LowEUR += s.Cost.LowEUR
		cost.HighEUR += s.Cost.HighEUR
		set.set(c)
	}
	if budget != nil && spent.HighEUR+cost.HighEUR > *budget {
		return nil
	}
	gain := p.markets(set, chosen)
	if gain == 0 {
		return nil
	}
	per := math.Inf(1)
	if cost.LowEUR > 0 {
		per = float64(gain) / float64(cost.LowEUR)
	}
	return &roadPick{cs: cs, cost: cost, gain: gain, perEuro: per}
}

// bestPick is the best single or pair of known-cost candidates to add to
// chosen within budget, nil when none opens anything.
func (p *roadPlanner) bestPick(chosen bitset, spent EURRange, budget *int) *roadPick {
	var best *roadPick
	for a := range p.n {
		if pk := p.pick(chosen, spent, budget, a); pk != nil && pk.beats(best) {
			best = pk
		}
	}
	for a := range p.n {
		for b := a + 1; b < p.n; b++ {
			if pk := p.pick(chosen, spent, budget, a, b); pk != nil && pk.beats(best) {
				best = pk
			}
		}
	}
	return best
}

// plan appends to steps the greedy plan within budget: at each step the
// known-cost single or pair with the most newly opened markets per euro,
// starting from eligible cells.
func (p *roadPlanner) plan(steps []RoadmapStep, budget *int, eligible int) []RoadmapStep {
	chosen := make(bitset, p.w)
	var spent EURRange
	for {
		best := p.bestPick(chosen, spent, budget)
		if best == nil {
			return steps
		}
		for _, c := range best.cs {
			chosen.set(c)
		}
		spent.LowEUR += best.cost.LowEUR
		spent.HighEUR += best.cost.HighEUR
		eligible += best.gain
		steps = append(steps, RoadmapStep{Schemes: p.option(best.cs...).Schemes, CostRangeEUR: best.cost, Markets: best.gain,
			TotalCostRangeEUR: spent, Eligible: eligible})
	}
}
