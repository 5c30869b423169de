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
	Country  string `json:"country"`
	Category string `json:"category"`
	Buyer    Buyer  `json:"buyer"`
	// Requirements counts the applicable requirements; BindingRequirements
	// those that decide eligibility.
	Requirements        int `json:"requirements"`
	BindingRequirements int `json:"binding_requirements"`
	// Offerings counts the profiles of the category: the potential market.
	// Serving counts those among them that list the country as served.
	Offerings int `json:"offerings"`
	Serving   int `json:"serving"`
	// Eligible and EligibleVerified count eligible offerings of the category;
	// ServingEligible those that also serve the country.
	Eligible         int `json:"eligible"`
	EligibleVerified int `json:"eligible_verified"`
	ServingEligible  int `json:"serving_eligible"`
	// ShareEligible is Eligible / Offerings, nil without offerings.
	ShareEligible         *float64 `json:"share_eligible"`
	ShareEligibleVerified *float64 `json:"share_eligible_verified"`
	// MedianGapCostEUR is the median gap cost over the ineligible offerings
	// whose gap is complete (certification alone makes them eligible) and of
	// known cost; GapCostUnknown counts those left out for an unknown cost.
	// NotClosable counts the ineligible offerings that no certification makes
	// eligible (a condition fails, or a requirement has no obtainable full
	// satisfier). Nil when there is no value.
	MedianGapCostEUR *float64 `json:"median_gap_cost_eur"`
	GapCostUnknown   int      `json:"gap_cost_unknown"`
	NotClosable      int      `json:"not_closable"`
	// MedianLeadTimeMonths is the same median over lead times.
	MedianLeadTimeMonths *float64 `json:"median_lead_time_months"`
	LeadTimeUnknown      int      `json:"lead_time_unknown"`
	// TopBarrier is the binding requirement that excludes most offerings
	// (ties: the first in Applicable order); nil when none excludes any.
	TopBarrier *Barrier `json:"top_barrier"`
	// HomeBias compares domestic vendors with vendors from other EU/EEA states.
	HomeBias HomeBias `json:"home_bias"`
}

// Barrier is a requirement and how many offerings it excludes (it fails for them).
type Barrier struct {
	Requirement string `json:"requirement"`
	Title       string `json:"title"`
	Excluded    int    `json:"excluded"`
}

// HomeBias is the eligibility of the category's offerings from domestic
// vendors (head office in the country) against those of vendors from the
// other EU/EEA states. Vendors from elsewhere are in neither group. A share
// is nil when its group is empty.
type HomeBias struct {
	Domestic              int      `json:"domestic"`
	DomesticEligible      int      `json:"domestic_eligible"`
	DomesticShare         *float64 `json:"domestic_share"`
	OtherEEA              int      `json:"other_eea"`
	OtherEEAEligible      int      `json:"other_eea_eligible"`
	OtherEEAShare         *float64 `json:"other_eea_share"`
	DomesticMinusOtherEEA *float64 `json:"domestic_minus_other_eea"`
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
	Country     string `json:"country"`
	Scheme      string `json:"scheme"`
	Requirement string `json:"requirement"`
	Level       string `json:"level,omitempty"`
}

// WhatIfRow is the effect of a scenario in one country, category and buyer kind.
type WhatIfRow struct {
	Country  string `json:"country"`
	Category string `json:"category"`
	Buyer    Buyer  `json:"buyer"`
	// Offerings counts the profiles of the category.
	Offerings int `json:"offerings"`
	// Before and After count the eligible offerings without and with the scenario.
	Before int `json:"before"`
	After  int `json:"after"`
	Change int `json:"change"`
	// The same on verified certifications only.
	BeforeVerified int `json:"before_verified"`
	AfterVerified  int `json:"after_verified"`
	ChangeVerified int `json:"change_verified"`
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

func ptrTo[T any](v T) *T { return &v }
