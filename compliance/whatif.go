package compliance

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/cybermarket/cybermarket/catalog"
)

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
// or an empty scenario. Simulate also names the offerings that change.
func (e *Engine) WhatIf(profiles []Profile, day time.Time, scenario []Recognition) ([]WhatIfRow, error) {
	res, err := e.Simulate(profiles, day, scenario, 0)
	return res.Rows, err
}

// Simulate is WhatIf that also lists, in profile order, the first limit
// offerings whose eligibility changes in a named country (with the total),
// and warns of each recognition that cannot change anything: the
// requirement already accepts the scheme, no certificate decides it, or it
// binds no buyer in the engine's tender context. A recognition of a
// requirement that conditions alone decide is left out (it would add a
// certificate demand instead of accepting one).
func (e *Engine) Simulate(profiles []Profile, day time.Time, scenario []Recognition, limit int) (WhatIfResult, error) {
	overrides, touched, warnings, err := e.scenarioOverrides(scenario)
	if err != nil {
		return WhatIfResult{}, err
	}
	after := newEngine(e.ref, overrides).WithContext(e.ctx)
	day = catalog.Day(day)
	states := scan(e, profiles, func() *whatIfState {
		return &whatIfState{k2: after.newKernel(), c: make([]whatIfCounts, len(e.cells)), limit: limit}
	}, func(s *whatIfState, k *kernel, i int) {
		p := &profiles[i]
		if ki, ok := e.catIdx[p.Category]; ok {
			e.compareProfile(after, s, k, p, i, ki, touched, day)
		}
	})
	res := WhatIfResult{Rows: e.whatIfRows(touched, states), Warnings: warnings}
	res.Changed, res.ChangedTotal = mergeChanged(states, limit)
	return res, nil
}

// scenarioOverrides checks a scenario and returns its recognitions as
// overrides of the engine, which countries they touch, and the warnings of
// the recognitions that cannot change anything (those that would change
// nothing or harm are not among the overrides).
func (e *Engine) scenarioOverrides(scenario []Recognition) ([]override, []bool, []WhatIfWarning, error) {
	if len(scenario) == 0 {
		return nil, nil, nil, &InputError{Field: "scenario", Value: "", Reason: "names no recognition"}
	}
	overrides := make([]override, 0, len(scenario))
	touched := make([]bool, len(e.countries))
	var warnings []WhatIfWarning
	for i, rec := range scenario {
		ci, o, err := e.recognition(i, rec)
		if err != nil {
			return nil, nil, nil, err
		}
		touched[ci] = true
		w, keep := e.futility(i, rec)
		if w != nil {
			warnings = append(warnings, *w)
		}
		if keep {
			overrides = append(overrides, o)
		}
	}
	return overrides, touched, warnings, nil
}

// recognition checks entry i of a scenario and returns its country index
// and override: rec.Scheme (at rec.Level or above) as a full satisfier of
// rec.Requirement in rec.Country.
func (e *Engine) recognition(i int, rec Recognition) (int, override, error) {
	field := func(name string) string { return fmt.Sprintf("scenario[%d].%s", i, name) }
	code := strings.ToUpper(strings.TrimSpace(rec.Country))
	ci, ok := e.countryIdx[code]
	if !ok {
		return 0, override{}, &InputError{Field: field("country"), Value: rec.Country}
	}
	si, ok := e.schemeIdx[rec.Scheme]
	if !ok {
		return 0, override{}, &InputError{Field: field("scheme"), Value: rec.Scheme}
	}
	if s := e.ref.Schemes[si]; rec.Level != "" && s.LevelIndex(rec.Level) < 0 {
		reason := "the scheme has no levels"
		if len(s.Levels) > 0 {
			reason = "not a level of " + rec.Scheme + " (" + strings.Join(s.Levels, ", ") + ")"
		}
		return 0, override{}, &InputError{Field: field("level"), Value: rec.Level, Reason: reason}
	}
	ri := slices.IndexFunc(e.ref.Requirements, func(r Requirement) bool { return r.ID == rec.Requirement })
	if ri < 0 {
		return 0, override{}, &InputError{Field: field("requirement"), Value: rec.Requirement}
	}
	r := &e.ref.Requirements[ri]
	applies := r.Country == code || r.Country == "EEA" || (r.Country == "EU" && e.countries[ci].eu)
	if !applies {
		return 0, override{}, &InputError{Field: field("requirement"), Value: rec.Requirement, Reason: "does not apply in " + code}
	}
	return ci, override{country: code, requirement: r.ID,
		sat: Satisfier{Scheme: rec.Scheme, MinLevel: rec.Level, Extent: Full, Note: "what-if"}}, nil
}

// whatIfCounts are one cell's offerings and eligible offerings before and
// after a scenario, on all evidence and verified only.
type whatIfCounts struct{ offerings, before, after, beforeV, afterV int }

// whatIfState is a worker's counts per cell, with its kernel of the engine
// after the scenario, and the first limit offerings it saw change (it sees
// profiles in increasing order) with the count of all.
type whatIfState struct {
	k2      *kernel
	c       []whatIfCounts
	limit   int
	changed []ChangedOffering
	total   int
}

// compareProfile judges profile i, of category ki, before (e) and after the
// scenario in every touched country for both buyer kinds, and counts it.
func (e *Engine) compareProfile(after *Engine, s *whatIfState, k *kernel, p *Profile, i, ki int, touched []bool, day time.Time) {
	e.load(k, p, day)
	after.load(s.k2, p, day)
	var ch ChangedOffering
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
			if v1.eligible != v2.eligible {
				ch.add(WhatIfMarket{Country: e.countries[ci].code, Buyer: e.cells[idx].buyer}, v2.eligible)
			}
		}
	}
	if len(ch.Opened)+len(ch.Closed) > 0 {
		s.total++
		if len(s.changed) < s.limit {
			ch.Profile, ch.Offering = i, p.Offering
			s.changed = append(s.changed, ch)
		}
	}
}

// whatIfRows merges the workers' counts into a row per touched country,
// category and buyer kind.
func (e *Engine) whatIfRows(touched []bool, states []*whatIfState) []WhatIfRow {
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
	return rows
}
