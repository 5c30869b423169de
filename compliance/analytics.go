package compliance

import (
	"fmt"
	"math"
	"math/bits"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cybermarket/cybermarket/catalog"
)

// Analytics over many profiles: the barriers matrix and what-if simulation
// for policymakers, the certification roadmap for a vendor. They run the
// same decision as Assess on a compiled kernel (a profile's certifications,
// languages and places as bit positions), memoize the gap per distinct set
// of failing requirements in each country, category and buyer cell, and
// spread the profiles over GOMAXPROCS goroutines.

// scanBlock is how many profiles a worker takes at a time.
const scanBlock = 512

// scan calls visit for every profile, in parallel: each worker has its own
// state (made by newState) and kernel, and sees profiles in no fixed order.
// It returns the workers' states.
func scan[S any](e *Engine, profiles []Profile, newState func() S, visit func(s S, k *kernel, i int)) []S {
	workers := min(runtime.GOMAXPROCS(0), (len(profiles)+scanBlock-1)/scanBlock)
	workers = max(workers, 1)
	states := make([]S, workers)
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := range workers {
		states[w] = newState()
		wg.Add(1)
		go func(s S) {
			defer wg.Done()
			k := e.newKernel()
			for {
				start := int(next.Add(scanBlock)) - scanBlock
				if start >= len(profiles) {
					return
				}
				for i := start; i < min(start+scanBlock, len(profiles)); i++ {
					visit(s, k, i)
				}
			}
		}(states[w])
	}
	wg.Wait()
	return states
}

// failures lists the failing binding requirements of a cell (the slow path,
// for cells with more than 64 binding requirements).
func (e *Engine) failures(k *kernel, cl *cell) []failure {
	var out []failure
	for _, ri := range cl.binding {
		r := &cl.reqs[ri]
		if r.duty {
			continue
		}
		conds := e.conditionsHold(k, r)
		if outcome(r, r.evidence(k.held), conds).blocks() {
			out = append(out, failure{req: ri, conds: conds})
		}
	}
	return out
}

// planFor solves the gap for failing requirements.
func (e *Engine) planFor(cl *cell, fs []failure) gapPlan {
	var closable []int
	complete := true
	for _, f := range fs {
		if f.conds && len(cl.reqs[f.req].obtain) > 0 {
			closable = append(closable, f.req)
		} else {
			complete = false
		}
	}
	return e.plan(cl, closable, complete)
}

// maskFailures turns a verdict's masks into failures.
func maskFailures(cl *cell, v verdict) []failure {
	var out []failure
	for bi, ri := range cl.binding {
		if bi < 64 && v.fail&(1<<uint(bi)) != 0 {
			out = append(out, failure{req: ri, conds: v.condFail&(1<<uint(bi)) == 0})
		}
	}
	return out
}

// BarrierFilter narrows the barriers matrix.
type BarrierFilter struct {
	// Category is a category slug; empty for every category.
	Category string
	// Buyer is a buyer kind; empty for both.
	Buyer Buyer
}

// BarrierRow is what one country demands of one category for one buyer
// kind, and how the catalogue fares.
type BarrierRow struct {
	Country  string `json:"country" doc:"Country (ISO code)."`
	Category string `json:"category" doc:"Service category."`
	Buyer    Buyer  `json:"buyer" doc:"Buyer kind."`
	// Requirements counts the applicable requirements; BindingRequirements
	// those that decide eligibility.
	Requirements        int `json:"requirements" doc:"Applicable requirements."`
	BindingRequirements int `json:"binding_requirements" doc:"Applicable requirements that decide eligibility."`
	// Offerings counts the profiles of the category: the potential market.
	// Serving counts those among them that list the country as served.
	Offerings int `json:"offerings" doc:"Published offerings of the category: the potential market."`
	Serving   int `json:"serving" doc:"Of those, offerings that list the country as served."`
	// Eligible and EligibleVerified count eligible offerings of the category;
	// ServingEligible those that also serve the country.
	Eligible         int `json:"eligible" doc:"Eligible offerings of the category."`
	EligibleVerified int `json:"eligible_verified" doc:"Eligible on verified certifications only."`
	ServingEligible  int `json:"serving_eligible" doc:"Eligible offerings that also serve the country."`
	// ShareEligible is Eligible / Offerings, nil without offerings.
	ShareEligible         *float64 `json:"share_eligible" doc:"eligible / offerings; null without offerings."`
	ShareEligibleVerified *float64 `json:"share_eligible_verified" doc:"eligible_verified / offerings; null without offerings."`
	// MedianGapCostEUR is the median gap cost over the ineligible offerings
	// whose gap is complete (certification alone makes them eligible) and of
	// known cost; GapCostUnknown counts those left out for an unknown cost.
	// NotClosable counts the ineligible offerings that no certification makes
	// eligible (a condition fails, or a requirement has no obtainable full
	// satisfier). Nil when there is no value.
	MedianGapCostEUR *float64 `json:"median_gap_cost_eur" doc:"Median gap cost over ineligible offerings that certification alone makes eligible and whose cost is known; null when none."`
	GapCostUnknown   int      `json:"gap_cost_unknown" doc:"Ineligible offerings left out of the median for an unknown cost."`
	NotClosable      int      `json:"not_closable" doc:"Ineligible offerings no certification makes eligible."`
	// MedianLeadTimeMonths is the same median over lead times.
	MedianLeadTimeMonths *float64 `json:"median_lead_time_months" doc:"Median gap lead time, like the cost median."`
	LeadTimeUnknown      int      `json:"lead_time_unknown" doc:"Ineligible offerings left out of the lead-time median."`
	// TopBarrier is the binding requirement that excludes most offerings
	// (ties: the first in Applicable order); nil when none excludes any.
	TopBarrier *Barrier `json:"top_barrier" doc:"The binding requirement that excludes most offerings; null when none excludes any."`
	// HomeBias compares domestic vendors with vendors from other EU/EEA states.
	HomeBias HomeBias `json:"home_bias" doc:"Eligibility of domestic vendors against vendors from other EU/EEA states."`
}

// Barrier is a requirement and how many offerings it excludes (it fails for them).
type Barrier struct {
	Requirement string `json:"requirement" doc:"Requirement identifier."`
	Title       string `json:"title" doc:"Requirement title."`
	Excluded    int    `json:"excluded" doc:"Offerings it excludes."`
}

// HomeBias is the eligibility of the category's offerings from domestic
// vendors (head office in the country) against those of vendors from the
// other EU/EEA states. Vendors from elsewhere are in neither group. A share
// is nil when its group is empty.
type HomeBias struct {
	Domestic              int      `json:"domestic" doc:"Offerings of vendors with their head office in the country."`
	DomesticEligible      int      `json:"domestic_eligible" doc:"Of those, eligible."`
	DomesticShare         *float64 `json:"domestic_share" doc:"Eligible share of domestic offerings; null when none."`
	OtherEEA              int      `json:"other_eea" doc:"Offerings of vendors from other EU/EEA states."`
	OtherEEAEligible      int      `json:"other_eea_eligible" doc:"Of those, eligible."`
	OtherEEAShare         *float64 `json:"other_eea_share" doc:"Eligible share of other-EU/EEA offerings; null when none."`
	DomesticMinusOtherEEA *float64 `json:"domestic_minus_other_eea" doc:"domestic_share minus other_eea_share; null when either is null."`
}

// cellStats accumulates one cell over a worker's profiles.
type cellStats struct {
	offerings, serving, eligible, eligibleVerified, servingEligible int
	domestic, domesticEligible, other, otherEligible                int
	excluded                                                        []int // per binding requirement
	gaps                                                            map[[2]uint64]*gapTally
	slow                                                            []*gapTally // cells with > 64 binding requirements
}

type gapTally struct {
	count int
	plan  gapPlan
}

func share(n, of int) *float64 {
	if of == 0 {
		return nil
	}
	v := float64(n) / float64(of)
	return &v
}

// Barriers is the barriers matrix: for every country (reference order),
// category and buyer kind that f lets through, the requirements, the share of
// the profiles' offerings that is eligible on day, the median gap, the top
// barrier and the home bias. Profiles of an unknown category are ignored.
// It returns an *InputError for an unknown category or buyer in f.
func (e *Engine) Barriers(profiles []Profile, day time.Time, f BarrierFilter) ([]BarrierRow, error) {
	cats, buyers, err := e.filter(f)
	if err != nil {
		return nil, err
	}
	day = catalog.Day(day)
	wantCat := make([]bool, len(e.categories))
	for _, ki := range cats {
		wantCat[ki] = true
	}
	states := scan(e, profiles, func() []cellStats { return make([]cellStats, len(e.cells)) },
		func(st []cellStats, k *kernel, i int) {
			p := &profiles[i]
			ki, ok := e.catIdx[p.Category]
			if !ok || !wantCat[ki] {
				return
			}
			e.load(k, p, day)
			home, homeKnown := e.countryIdx[p.VendorCountry]
			for ci := range e.countries {
				serves := slices.Contains(p.Countries, e.countries[ci].code)
				for _, bi := range buyers {
					idx := e.cellIndex(ci, ki, bi)
					cl := &e.cells[idx]
					s := &st[idx]
					v := e.judge(k, cl)
					s.offerings++
					if serves {
						s.serving++
					}
					domestic, other := homeKnown && home == ci, homeKnown && home != ci
					if domestic {
						s.domestic++
					} else if other {
						s.other++
					}
					if v.eligible {
						s.eligible++
						if serves {
							s.servingEligible++
						}
						if domestic {
							s.domesticEligible++
						} else if other {
							s.otherEligible++
						}
						if v.eligibleVerified {
							s.eligibleVerified++
						}
						continue
					}
					if s.excluded == nil {
						s.excluded = make([]int, len(cl.binding))
					}
					if len(cl.binding) > 64 {
						fs := e.failures(k, cl)
						for _, f := range fs {
							s.excluded[slices.Index(cl.binding, f.req)]++
						}
						s.slow = append(s.slow, &gapTally{count: 1, plan: e.planFor(cl, fs)})
						continue
					}
					for m := v.fail; m != 0; m &= m - 1 {
						s.excluded[bits.TrailingZeros64(m)]++
					}
					key := [2]uint64{v.fail, v.condFail}
					if s.gaps == nil {
						s.gaps = map[[2]uint64]*gapTally{}
					}
					if t, ok := s.gaps[key]; ok {
						t.count++
					} else {
						s.gaps[key] = &gapTally{count: 1, plan: e.planFor(cl, maskFailures(cl, v))}
					}
				}
			}
		})

	var rows []BarrierRow
	for ci, c := range e.countries {
		for _, ki := range cats {
			for _, bi := range buyers {
				idx := e.cellIndex(ci, ki, bi)
				rows = append(rows, e.barrierRow(c.code, &e.cells[idx], idx, states))
			}
		}
	}
	return rows, nil
}

// filter resolves a BarrierFilter to category and buyer indexes.
func (e *Engine) filter(f BarrierFilter) (cats, buyers []int, err error) {
	if f.Category == "" {
		for ki := range e.categories {
			cats = append(cats, ki)
		}
	} else {
		ki, ok := e.catIdx[f.Category]
		if !ok {
			return nil, nil, &InputError{Field: "category", Value: f.Category}
		}
		cats = []int{ki}
	}
	if f.Buyer == "" {
		buyers = []int{0, 1}
	} else {
		bi := buyerIndex(f.Buyer)
		if bi < 0 {
			return nil, nil, &InputError{Field: "buyer", Value: string(f.Buyer)}
		}
		buyers = []int{bi}
	}
	return cats, buyers, nil
}

// barrierRow merges the workers' statistics of one cell.
func (e *Engine) barrierRow(code string, cl *cell, idx int, states [][]cellStats) BarrierRow {
	row := BarrierRow{
		Country: code, Category: e.categories[cl.category], Buyer: cl.buyer,
		Requirements: len(cl.reqs), BindingRequirements: len(cl.binding),
	}
	excluded := make([]int, len(cl.binding))
	var tallies []*gapTally
	for _, st := range states {
		s := &st[idx]
		row.Offerings += s.offerings
		row.Serving += s.serving
		row.Eligible += s.eligible
		row.EligibleVerified += s.eligibleVerified
		row.ServingEligible += s.servingEligible
		row.HomeBias.Domestic += s.domestic
		row.HomeBias.DomesticEligible += s.domesticEligible
		row.HomeBias.OtherEEA += s.other
		row.HomeBias.OtherEEAEligible += s.otherEligible
		for i, n := range s.excluded {
			excluded[i] += n
		}
		for _, t := range s.gaps {
			tallies = append(tallies, t)
		}
		tallies = append(tallies, s.slow...)
	}
	row.ShareEligible = share(row.Eligible, row.Offerings)
	row.ShareEligibleVerified = share(row.EligibleVerified, row.Offerings)
	hb := &row.HomeBias
	hb.DomesticShare = share(hb.DomesticEligible, hb.Domestic)
	hb.OtherEEAShare = share(hb.OtherEEAEligible, hb.OtherEEA)
	if hb.DomesticShare != nil && hb.OtherEEAShare != nil {
		d := *hb.DomesticShare - *hb.OtherEEAShare
		hb.DomesticMinusOtherEEA = &d
	}
	best := -1
	for i, n := range excluded {
		if n > 0 && (best < 0 || n > excluded[best]) {
			best = i
		}
	}
	if best >= 0 {
		r := cl.reqs[cl.binding[best]].r
		row.TopBarrier = &Barrier{Requirement: r.ID, Title: r.Title, Excluded: excluded[best]}
	}
	var costs, leads []weighted
	for _, t := range tallies {
		if !t.plan.complete {
			row.NotClosable += t.count
			continue
		}
		if t.plan.unknown > 0 {
			row.GapCostUnknown += t.count
		} else {
			costs = append(costs, weighted{float64(t.plan.known), t.count})
		}
		if t.plan.lead == nil {
			row.LeadTimeUnknown += t.count
		} else {
			leads = append(leads, weighted{*t.plan.lead, t.count})
		}
	}
	row.MedianGapCostEUR = median(costs)
	row.MedianLeadTimeMonths = median(leads)
	return row
}

type weighted struct {
	v float64
	n int
}

// median is the median of the values each repeated n times (the mean of the
// two middle ones for an even count), nil when there are none.
func median(ws []weighted) *float64 {
	total := 0
	for _, w := range ws {
		total += w.n
	}
	if total == 0 {
		return nil
	}
	slices.SortFunc(ws, func(a, b weighted) int {
		switch {
		case a.v < b.v:
			return -1
		case a.v > b.v:
			return 1
		}
		return 0
	})
	nth := func(i int) float64 { // the i-th value, from 0
		for _, w := range ws {
			if i < w.n {
				return w.v
			}
			i -= w.n
		}
		return math.NaN()
	}
	m := (nth((total-1)/2) + nth(total/2)) / 2
	return &m
}

// Recognition is a what-if change: Country accepts Scheme (at Level or
// above; empty for any level) as a full satisfier of Requirement. An EU- or
// EEA-wide requirement is changed in Country only.
type Recognition struct {
	Country     string `json:"country" doc:"Country that recognises the scheme (ISO code)."`
	Scheme      string `json:"scheme" doc:"Scheme it accepts."`
	Requirement string `json:"requirement" doc:"Requirement the scheme would satisfy fully (an EU- or EEA-wide one changes in this country only)."`
	Level       string `json:"level,omitempty" doc:"Lowest level accepted; empty for any."`
}

// WhatIfRow is the effect of a scenario in one country, category and buyer kind.
type WhatIfRow struct {
	Country  string `json:"country" doc:"Country (ISO code)."`
	Category string `json:"category" doc:"Service category."`
	Buyer    Buyer  `json:"buyer" doc:"Buyer kind."`
	// Offerings counts the profiles of the category.
	Offerings int `json:"offerings" doc:"Offerings of the category."`
	// Before and After count the eligible offerings without and with the scenario.
	Before int `json:"before" doc:"Eligible offerings today."`
	After  int `json:"after" doc:"Eligible offerings under the scenario."`
	Change int `json:"change" doc:"after minus before."`
	// The same on verified certifications only.
	BeforeVerified int `json:"before_verified" doc:"Eligible today on verified certifications only."`
	AfterVerified  int `json:"after_verified" doc:"Eligible under the scenario on verified certifications only."`
	ChangeVerified int `json:"change_verified" doc:"after_verified minus before_verified."`
}

// WhatIf simulates mutual recognition: the scenario's recognitions all at
// once. It returns, for every country the scenario names (reference order)
// and every category and buyer kind, how many of the profiles' offerings are
// eligible on day before and after. It returns an *InputError naming the
// entry and field ("scenario[2].level") for an unknown country, scheme,
// requirement or level, a requirement that does not apply in the country,
// or an empty scenario.
func (e *Engine) WhatIf(profiles []Profile, day time.Time, scenario []Recognition) ([]WhatIfRow, error) {
	if len(scenario) == 0 {
		return nil, &InputError{Field: "scenario", Value: "", Reason: "names no recognition"}
	}
	overrides := make([]override, 0, len(scenario))
	touched := make([]bool, len(e.countries))
	for i, rec := range scenario {
		field := func(name string) string { return fmt.Sprintf("scenario[%d].%s", i, name) }
		code := strings.ToUpper(strings.TrimSpace(rec.Country))
		ci, ok := e.countryIdx[code]
		if !ok {
			return nil, &InputError{Field: field("country"), Value: rec.Country}
		}
		si, ok := e.schemeIdx[rec.Scheme]
		if !ok {
			return nil, &InputError{Field: field("scheme"), Value: rec.Scheme}
		}
		if rec.Level != "" && e.ref.Schemes[si].LevelIndex(rec.Level) < 0 {
			reason := "the scheme has no levels"
			if len(e.ref.Schemes[si].Levels) > 0 {
				reason = "not a level of " + rec.Scheme + " (" + strings.Join(e.ref.Schemes[si].Levels, ", ") + ")"
			}
			return nil, &InputError{Field: field("level"), Value: rec.Level, Reason: reason}
		}
		ri := slices.IndexFunc(e.ref.Requirements, func(r Requirement) bool { return r.ID == rec.Requirement })
		if ri < 0 {
			return nil, &InputError{Field: field("requirement"), Value: rec.Requirement}
		}
		r := &e.ref.Requirements[ri]
		applies := r.Country == code || r.Country == "EEA" || (r.Country == "EU" && e.countries[ci].eu)
		if !applies {
			return nil, &InputError{Field: field("requirement"), Value: rec.Requirement, Reason: "does not apply in " + code}
		}
		touched[ci] = true
		overrides = append(overrides, override{country: code, requirement: r.ID,
			sat: Satisfier{Scheme: rec.Scheme, MinLevel: rec.Level, Extent: Full, Note: "what-if"}})
	}
	after := newEngine(e.ref, overrides)
	day = catalog.Day(day)

	type counts struct{ offerings, before, after, beforeV, afterV int }
	type state struct {
		k2 *kernel
		c  []counts
	}
	states := scan(e, profiles, func() *state { return &state{k2: after.newKernel(), c: make([]counts, len(e.cells))} },
		func(s *state, k *kernel, i int) {
			p := &profiles[i]
			ki, ok := e.catIdx[p.Category]
			if !ok {
				return
			}
			e.load(k, p, day)
			after.load(s.k2, p, day)
			for ci := range e.countries {
				if !touched[ci] {
					continue
				}
				for bi := range 2 {
					idx := e.cellIndex(ci, ki, bi)
					c := &s.c[idx]
					c.offerings++
					v1, v2 := e.judge(k, &e.cells[idx]), after.judge(s.k2, &after.cells[idx])
					c.before += b2i(v1.eligible)
					c.after += b2i(v2.eligible)
					c.beforeV += b2i(v1.eligibleVerified)
					c.afterV += b2i(v2.eligibleVerified)
				}
			}
		})
	var rows []WhatIfRow
	for ci, c := range e.countries {
		if !touched[ci] {
			continue
		}
		for ki, cat := range e.categories {
			for bi, b := range []Buyer{Public, Private} {
				idx := e.cellIndex(ci, ki, bi)
				row := WhatIfRow{Country: c.code, Category: cat, Buyer: b}
				for _, s := range states {
					n := s.c[idx]
					row.Offerings += n.offerings
					row.Before += n.before
					row.After += n.after
					row.BeforeVerified += n.beforeV
					row.AfterVerified += n.afterV
				}
				row.Change, row.ChangeVerified = row.After-row.Before, row.AfterVerified-row.BeforeVerified
				rows = append(rows, row)
			}
		}
	}
	return rows, nil
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// SchemeLevel is a scheme to obtain, at a level (empty: any level).
type SchemeLevel struct {
	Scheme string `json:"scheme" doc:"Scheme identifier."`
	Level  string `json:"level,omitempty" doc:"Level to obtain; empty for any."`
}

// RoadmapOption is a scheme, or a pair of schemes, and the markets it opens.
type RoadmapOption struct {
	Schemes []SchemeLevel `json:"schemes" doc:"The scheme, or pair of schemes."`
	// CostEUR is nil when any scheme's cost is unknown; KnownCostEUR sums the known ones.
	CostEUR      *int `json:"cost_eur" doc:"Cost in euro; null when any cost is unknown."`
	KnownCostEUR int  `json:"known_cost_eur" doc:"Sum of the known costs."`
	// LeadTimeMonths is the longest lead time, nil when any is unknown.
	LeadTimeMonths *float64 `json:"lead_time_months" doc:"Longest lead time; null when any is unknown."`
	// Markets counts the offering x country x buyer cells that turn eligible.
	Markets int `json:"markets" doc:"Offering x country x buyer cells that turn eligible."`
	// MarketsPer1000EUR is Markets per 1,000 euro of cost; nil when the cost is unknown.
	MarketsPer1000EUR *float64 `json:"markets_per_1000_eur" doc:"Markets per 1,000 euro; null when the cost is unknown."`
}

// RoadmapStep is one step of the greedy plan.
type RoadmapStep struct {
	Schemes []SchemeLevel `json:"schemes" doc:"Schemes obtained in this step."`
	CostEUR int           `json:"cost_eur" doc:"Cost of the step in euro."`
	// Markets counts the cells the step opens; Eligible the eligible cells after it.
	Markets      int `json:"markets" doc:"Cells the step opens."`
	TotalCostEUR int `json:"total_cost_eur" doc:"Cost of all steps so far."`
	Eligible     int `json:"eligible" doc:"Eligible cells after the step."`
}

// Roadmap is a vendor's certification roadmap.
type Roadmap struct {
	// Countries are the countries considered.
	Countries []string `json:"countries" doc:"Countries considered."`
	// Budget is the budget the steps keep within; nil for none.
	Budget *int `json:"budget_eur" doc:"Budget the steps keep within; null for none."`
	// Cells counts the offering x country x buyer cells considered; Eligible
	// those eligible today; Unreachable those no certification opens (a
	// condition fails, or a requirement has no obtainable full satisfier).
	Cells       int `json:"cells" doc:"Offering x country x buyer cells considered."`
	Eligible    int `json:"eligible" doc:"Cells eligible today."`
	Unreachable int `json:"unreachable" doc:"Cells no certification opens (a condition fails, or no obtainable scheme satisfies a requirement)."`
	// Options are the schemes of known cost, alone or in pairs that open
	// cells neither opens alone, by markets per euro (then markets, cost,
	// ids). A pair without such synergy never beats its better half per euro.
	Options []RoadmapOption `json:"options" doc:"Known-cost schemes, alone or in pairs, by markets per euro."`
	// Steps is the greedy plan within the budget: at each step the known-cost
	// scheme or pair with the most newly opened markets per euro.
	Steps []RoadmapStep `json:"steps" doc:"Greedy plan within the budget."`
	// UnknownCost are the options involving a scheme of unknown cost (never
	// taken as free, never in Steps), by markets.
	UnknownCost []RoadmapOption `json:"unknown_cost" doc:"Options involving a scheme of unknown cost, by markets (never taken as free)."`
}

// roadCand is a candidate scheme of a roadmap.
type roadCand struct {
	scheme   int
	levelIdx int
}

// Roadmap tells the vendor whose offerings' profiles are given which
// certifications open most markets (offering x country x buyer cells
// turning eligible on all evidence on day) per euro, in countries (ISO codes;
// empty for all). Candidates are the active schemes that fully satisfy a
// binding requirement failing in a reachable cell, at the highest level any
// of them needs. budget (EUR, nil for none) bounds the greedy steps. It
// returns an *InputError for an unknown country, a negative budget, profiles
// of an unknown category or of more than one vendor.
func (e *Engine) Roadmap(profiles []Profile, countries []string, budget *int, day time.Time) (Roadmap, error) {
	rm := Roadmap{Budget: budget, Options: []RoadmapOption{}, Steps: []RoadmapStep{}, UnknownCost: []RoadmapOption{}}
	if budget != nil && *budget < 0 {
		return rm, &InputError{Field: "budget", Value: fmt.Sprint(*budget), Reason: "must not be negative"}
	}
	var cis []int
	if len(countries) == 0 {
		for ci := range e.countries {
			cis = append(cis, ci)
		}
	}
	for _, c := range countries {
		ci, ok := e.countryIdx[strings.ToUpper(strings.TrimSpace(c))]
		if !ok {
			return rm, &InputError{Field: "countries", Value: c}
		}
		if !slices.Contains(cis, ci) {
			cis = append(cis, ci)
		}
	}
	for _, ci := range cis {
		rm.Countries = append(rm.Countries, e.countries[ci].code)
	}
	for i := range profiles {
		if _, ok := e.catIdx[profiles[i].Category]; !ok {
			return rm, &InputError{Field: fmt.Sprintf("profiles[%d].category", i), Value: profiles[i].Category}
		}
		if profiles[i].Vendor != profiles[0].Vendor {
			return rm, &InputError{Field: fmt.Sprintf("profiles[%d].vendor", i), Value: profiles[i].Vendor.String(),
				Reason: "the profiles belong to more than one vendor"}
		}
	}
	day = catalog.Day(day)

	// Collect the cells that certification can open, each as the list of its
	// failing requirements, each requirement as the schemes closing it.
	need := map[int]int{} // scheme -> highest level index needed
	type pending struct{ reqs [][]int }
	var cells []pending
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
				if len(fs) == 0 {
					rm.Eligible++
					continue
				}
				reachable := true
				for _, f := range fs {
					if !f.conds || len(cl.reqs[f.req].obtain) == 0 {
						reachable = false
					}
				}
				if !reachable {
					rm.Unreachable++
					continue
				}
				var pc pending
				for _, f := range fs {
					var closers []int
					for _, o := range cl.reqs[f.req].obtain {
						if l, ok := need[o.scheme]; !ok || o.minIdx > l {
							need[o.scheme] = o.minIdx
						}
						closers = append(closers, o.scheme)
					}
					pc.reqs = append(pc.reqs, closers)
				}
				cells = append(cells, pc)
			}
		}
	}
	// Candidates in scheme id order, so that ties go to the lower ids.
	var cands []roadCand
	for si, l := range need {
		cands = append(cands, roadCand{scheme: si, levelIdx: l})
	}
	slices.SortFunc(cands, func(a, b roadCand) int {
		return strings.Compare(e.ref.Schemes[a.scheme].ID, e.ref.Schemes[b.scheme].ID)
	})
	candIdx := make(map[int]int, len(cands))
	for c, rc := range cands {
		candIdx[rc.scheme] = c
	}

	// Cells as bitsets over candidates, grouped when identical.
	n := len(cands)
	w := words(n)
	type group struct {
		reqs  []bitset
		count int
	}
	var groups []group
	seen := map[string]int{}
	for _, c := range cells {
		g := group{count: 1}
		var key strings.Builder
		for _, closers := range c.reqs {
			b := make(bitset, w)
			for _, si := range closers {
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
	// opens reports whether holding set opens group g.
	opens := func(g *group, set bitset) bool {
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
	markets := func(set bitset, except bitset) int {
		total := 0
		for gi := range groups {
			if (except == nil || !opens(&groups[gi], except)) && opens(&groups[gi], set) {
				total += groups[gi].count
			}
		}
		return total
	}

	schemeOf := func(c int) *Scheme { return &e.ref.Schemes[cands[c].scheme] }
	option := func(cs ...int) RoadmapOption {
		o := RoadmapOption{}
		unknown := false
		lead := 0.0
		leadKnown := true
		for _, c := range cs {
			s := schemeOf(c)
			sl := SchemeLevel{Scheme: s.ID}
			if cands[c].levelIdx >= 0 {
				sl.Level = s.Levels[cands[c].levelIdx]
			}
			o.Schemes = append(o.Schemes, sl)
			if s.CostEUR == nil {
				unknown = true
			} else {
				o.KnownCostEUR += *s.CostEUR
			}
			if s.LeadTimeMonths == nil {
				leadKnown = false
			} else {
				lead = max(lead, *s.LeadTimeMonths)
			}
		}
		slices.SortFunc(o.Schemes, func(a, b SchemeLevel) int { return strings.Compare(a.Scheme, b.Scheme) })
		if !unknown {
			o.CostEUR = ptrTo(o.KnownCostEUR)
		}
		if leadKnown {
			o.LeadTimeMonths = &lead
		}
		return o
	}
	perK := func(markets, cost int) *float64 {
		if cost == 0 {
			v := math.Inf(1)
			return &v
		}
		v := float64(markets) * 1000 / float64(cost)
		return &v
	}

	single := make([]int, n)
	for c := range n {
		set := make(bitset, w)
		set.set(c)
		single[c] = markets(set, nil)
		if single[c] == 0 {
			continue
		}
		o := option(c)
		o.Markets = single[c]
		if o.CostEUR != nil {
			o.MarketsPer1000EUR = perK(o.Markets, *o.CostEUR)
			rm.Options = append(rm.Options, o)
		} else {
			rm.UnknownCost = append(rm.UnknownCost, o)
		}
	}
	for a := range n {
		for b := a + 1; b < n; b++ {
			sa, sb, set := make(bitset, w), make(bitset, w), make(bitset, w)
			sa.set(a)
			sb.set(b)
			set.set(a)
			set.set(b)
			// Synergy: cells opened by the pair that neither opens alone.
			pair, either := 0, 0
			for gi := range groups {
				g := &groups[gi]
				if opens(g, sa) || opens(g, sb) {
					either += g.count
				} else if opens(g, set) {
					pair += g.count
				}
			}
			if pair == 0 {
				continue
			}
			o := option(a, b)
			o.Markets = pair + either
			if o.CostEUR != nil {
				o.MarketsPer1000EUR = perK(o.Markets, *o.CostEUR)
				rm.Options = append(rm.Options, o)
			} else {
				rm.UnknownCost = append(rm.UnknownCost, o)
			}
		}
	}
	ids := func(o RoadmapOption) string {
		var s []string
		for _, x := range o.Schemes {
			s = append(s, x.Scheme)
		}
		return strings.Join(s, "+")
	}
	slices.SortFunc(rm.Options, func(a, b RoadmapOption) int {
		switch {
		case *a.MarketsPer1000EUR > *b.MarketsPer1000EUR:
			return -1
		case *a.MarketsPer1000EUR < *b.MarketsPer1000EUR:
			return 1
		case a.Markets != b.Markets:
			return b.Markets - a.Markets
		case *a.CostEUR != *b.CostEUR:
			return *a.CostEUR - *b.CostEUR
		}
		return strings.Compare(ids(a), ids(b))
	})
	slices.SortFunc(rm.UnknownCost, func(a, b RoadmapOption) int {
		if a.Markets != b.Markets {
			return b.Markets - a.Markets
		}
		if len(a.Schemes) != len(b.Schemes) {
			return len(a.Schemes) - len(b.Schemes)
		}
		return strings.Compare(ids(a), ids(b))
	})

	// Greedy steps over known-cost singles and pairs.
	chosen := make(bitset, w)
	spent, eligible := 0, rm.Eligible
	for {
		type pick struct {
			cs      []int
			cost    int
			gain    int
			perEuro float64
		}
		var best *pick
		try := func(cs ...int) {
			cost := 0
			set := slices.Clone(chosen)
			for _, c := range cs {
				if chosen.has(c) || schemeOf(c).CostEUR == nil {
					return
				}
				cost += *schemeOf(c).CostEUR
				set.set(c)
			}
			if budget != nil && spent+cost > *budget {
				return
			}
			gain := markets(set, chosen)
			if gain == 0 {
				return
			}
			per := math.Inf(1)
			if cost > 0 {
				per = float64(gain) / float64(cost)
			}
			p := &pick{cs: cs, cost: cost, gain: gain, perEuro: per}
			if best == nil || p.perEuro > best.perEuro ||
				(p.perEuro == best.perEuro && (p.gain > best.gain || (p.gain == best.gain && (p.cost < best.cost ||
					(p.cost == best.cost && len(p.cs) < len(best.cs)))))) {
				best = p
			}
		}
		for a := range n {
			try(a)
		}
		for a := range n {
			for b := a + 1; b < n; b++ {
				try(a, b)
			}
		}
		if best == nil {
			break
		}
		for _, c := range best.cs {
			chosen.set(c)
		}
		spent += best.cost
		eligible += best.gain
		rm.Steps = append(rm.Steps, RoadmapStep{Schemes: option(best.cs...).Schemes, CostEUR: best.cost, Markets: best.gain,
			TotalCostEUR: spent, Eligible: eligible})
	}
	return rm, nil
}

func ptrTo[T any](v T) *T { return &v }
