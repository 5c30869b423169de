package compliance

import (
	"math/bits"
	"slices"
	"time"

	"github.com/cybermarket/cybermarket/catalog"
)

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
	// MedianGapCostEUR and MedianGapCostHighEUR are the medians of the low
	// and high ends of the gap cost ranges over the ineligible offerings
	// whose gap is complete (certification alone makes them eligible) and of
	// known cost; GapCostUnknown counts those left out for an unknown cost
	// and GapCostUnknownSchemes names the schemes of unknown cost in their
	// gaps. NotClosable counts the ineligible offerings that no certification
	// makes eligible (a condition fails, or a requirement has no obtainable
	// full satisfier). Nil when there is no value.
	MedianGapCostEUR      *float64 `json:"median_gap_cost_eur"`
	MedianGapCostHighEUR  *float64 `json:"median_gap_cost_high_eur"`
	GapCostUnknown        int      `json:"gap_cost_unknown"`
	GapCostUnknownSchemes []string `json:"gap_cost_unknown_schemes"`
	NotClosable           int      `json:"not_closable"`
	// MedianLeadTimeMonths is the median of the high ends of the gap lead
	// time ranges (the longest the gap is expected to take).
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
			if ki, ok := e.catIdx[p.Category]; ok && wantCat[ki] {
				e.tallyProfile(st, k, p, ki, buyers, day)
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

// tallyProfile judges a profile of category ki in every country for the
// buyer kinds, and adds it to a worker's statistics st.
func (e *Engine) tallyProfile(st []cellStats, k *kernel, p *Profile, ki int, buyers []int, day time.Time) {
	e.load(k, p, day)
	home, homeKnown := e.countryIdx[p.VendorCountry]
	for ci := range e.countries {
		serves := slices.Contains(p.Countries, e.countries[ci].code)
		domestic, other := homeKnown && home == ci, homeKnown && home != ci
		for _, bi := range buyers {
			idx := e.cellIndex(ci, ki, bi)
			cl := &e.cells[idx]
			v := e.judge(k, cl)
			if !st[idx].count(v, serves, domestic, other) {
				e.tallyFailures(&st[idx], k, cl, v)
			}
		}
	}
}

// count adds a judged offering to the cell's counts: serves (it lists the
// country), domestic (its vendor's head office is in the country) or other
// (in another EU/EEA state). It reports whether the offering is eligible.
func (s *cellStats) count(v verdict, serves, domestic, other bool) bool {
	s.offerings++
	if serves {
		s.serving++
	}
	if domestic {
		s.domestic++
	} else if other {
		s.other++
	}
	if !v.eligible {
		return false
	}
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
	return true
}

// tallyFailures counts the binding requirements that exclude an ineligible
// offering, and its gap: memoized per set of failures and failed
// conditions, or solved apiece in cells with more than 64 binding
// requirements.
func (e *Engine) tallyFailures(s *cellStats, k *kernel, cl *cell, v verdict) {
	if s.excluded == nil {
		s.excluded = make([]int, len(cl.binding))
	}
	if len(cl.binding) > 64 {
		fs := e.failures(k, cl)
		for _, f := range fs {
			s.excluded[slices.Index(cl.binding, f.req)]++
		}
		s.slow = append(s.slow, &gapTally{count: 1, plan: e.planFor(cl, fs)})
		return
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

// barrierRow merges the workers' statistics of one cell. (The merge stays
// in this function: the excluded counts and gap tallies then live on the
// stack.)
func (e *Engine) barrierRow(code string, cl *cell, idx int, states [][]cellStats) BarrierRow {
	row := BarrierRow{
		Country: code, Category: e.categories[cl.category], Buyer: cl.buyer,
		Requirements: len(cl.reqs),
	}
	for _, ri := range cl.binding {
		row.BindingRequirements += b2i(e.applies(cl, &cl.reqs[ri]))
	}
	excluded := make([]int, len(cl.binding))
	var tallies []*gapTally
	for _, st := range states {
		s := &st[idx]
		row.add(s)
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
	row.HomeBias.shares()
	row.TopBarrier = topBarrier(cl, excluded)
	e.gapMedians(&row, tallies)
	return row
}

// add adds a worker's counts of the row's cell.
func (row *BarrierRow) add(s *cellStats) {
	row.Offerings += s.offerings
	row.Serving += s.serving
	row.Eligible += s.eligible
	row.EligibleVerified += s.eligibleVerified
	row.ServingEligible += s.servingEligible
	row.HomeBias.Domestic += s.domestic
	row.HomeBias.DomesticEligible += s.domesticEligible
	row.HomeBias.OtherEEA += s.other
	row.HomeBias.OtherEEAEligible += s.otherEligible
}

// shares sets the eligible shares of both groups and their difference.
func (hb *HomeBias) shares() {
	hb.DomesticShare = share(hb.DomesticEligible, hb.Domestic)
	hb.OtherEEAShare = share(hb.OtherEEAEligible, hb.OtherEEA)
	if hb.DomesticShare != nil && hb.OtherEEAShare != nil {
		d := *hb.DomesticShare - *hb.OtherEEAShare
		hb.DomesticMinusOtherEEA = &d
	}
}

// topBarrier is the binding requirement that excludes most offerings (ties:
// the first), nil when none excludes any.
func topBarrier(cl *cell, excluded []int) *Barrier {
	best := -1
	for i, n := range excluded {
		if n > 0 && (best < 0 || n > excluded[best]) {
			best = i
		}
	}
	if best < 0 {
		return nil
	}
	r := cl.reqs[cl.binding[best]].r
	return &Barrier{Requirement: r.ID, Title: r.Title, Excluded: excluded[best]}
}

// gapMedians sets the gap medians of row, and counts the offerings left
// out: no certification makes them eligible, or the cost or lead time is
// unknown (naming the schemes of unknown cost).
func (e *Engine) gapMedians(row *BarrierRow, tallies []*gapTally) {
	var lows, highs, leads []weighted
	row.GapCostUnknownSchemes = []string{}
	for _, t := range tallies {
		if !t.plan.complete {
			row.NotClosable += t.count
			continue
		}
		if t.plan.unknown > 0 {
			row.GapCostUnknown += t.count
			for _, pk := range t.plan.picks {
				if s := &e.ref.Schemes[pk.scheme]; s.Cost == nil && !slices.Contains(row.GapCostUnknownSchemes, s.ID) {
					row.GapCostUnknownSchemes = append(row.GapCostUnknownSchemes, s.ID)
				}
			}
		} else {
			lows = append(lows, weighted{float64(t.plan.known.LowEUR), t.count})
			highs = append(highs, weighted{float64(t.plan.known.HighEUR), t.count})
		}
		if t.plan.lead == nil {
			row.LeadTimeUnknown += t.count
		} else {
			leads = append(leads, weighted{t.plan.lead.HighMonths, t.count})
		}
	}
	slices.Sort(row.GapCostUnknownSchemes)
	row.MedianGapCostEUR, row.MedianGapCostHighEUR = median(lows), median(highs)
	row.MedianLeadTimeMonths = median(leads)
}
