package compliance

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/cybermarket/cybermarket/catalog"
)

// Profile is what the burden engine knows of one offering and its vendor.
// Codes are in the canonical form catalog's Clean methods leave them in:
// countries upper case (ISO 3166-1 alpha-2), languages lower case (ISO 639-1).
type Profile struct {
	// Offering is the offering's id; it may be zero (a what-if profile).
	Offering uuid.UUID `json:"offering"`
	Vendor   uuid.UUID `json:"vendor"`
	// VendorCountry is the vendor's head-office country.
	VendorCountry string `json:"vendor_country"`
	// EstablishedIn lists the countries where the vendor has an
	// establishment, including VendorCountry.
	EstablishedIn []string `json:"established_in"`
	// Category is the offering's service category slug.
	Category string `json:"category"`
	// Countries lists the countries the offering serves. Eligibility does not
	// depend on it; analytics use it to tell the served market apart.
	Countries []string `json:"countries"`
	// Languages are the support languages.
	Languages []string `json:"languages"`
	// DataLocations are the countries where customer data is stored or
	// processed; empty when the offering holds no customer data.
	DataLocations []string `json:"data_locations"`
	// ClearedIn lists the countries where the offering's staff hold a
	// national security clearance.
	ClearedIn []string `json:"cleared_in"`
	// Certifications are the vendor's certifications that cover the offering.
	Certifications []Held `json:"certifications"`
}

// Held is a certification as the engine sees it.
type Held struct {
	ID uuid.UUID `json:"id"`
	// Scheme is a scheme id of the reference data; unknown schemes count for nothing.
	Scheme string `json:"scheme"`
	// Level is the scheme level held; empty when the scheme has none.
	Level string `json:"level"`
	// ValidFrom and ValidUntil are the first and last valid day (UTC days).
	ValidFrom  time.Time            `json:"valid_from"`
	ValidUntil time.Time            `json:"valid_until"`
	Status     catalog.Verification `json:"status"`
}

// ValidOn reports whether the certification counts on day d, with the
// semantics of catalog.Certification.ValidOn: d (as a UTC day) lies within
// [ValidFrom, ValidUntil] and the status is self-declared or verified.
func (h Held) ValidOn(d time.Time) bool {
	if h.Status != catalog.SelfDeclared && h.Status != catalog.Verified {
		return false
	}
	day := catalog.Day(d)
	return !day.Before(catalog.Day(h.ValidFrom)) && !day.After(catalog.Day(h.ValidUntil))
}

// ProfileOf builds the profile of offering o of vendor v from the vendor's
// certifications. A certification covers o when its OfferingIDs list o, or
// when it lists no offering at all (an organisation-wide certification such
// as an ISMS covering the whole company). Certifications of another vendor
// (a VendorID set and different from v.ID) are left out. Every certification
// is kept whatever its validity: the engine decides per day.
func ProfileOf(v catalog.Vendor, o catalog.Offering, certs []catalog.Certification) Profile {
	p := Profile{
		Offering:      o.ID,
		Vendor:        v.ID,
		VendorCountry: v.Country,
		Category:      o.Category,
		Countries:     slices.Clone(o.Countries),
		Languages:     slices.Clone(o.Languages),
		DataLocations: slices.Clone(o.DataLocations),
		ClearedIn:     slices.Clone(o.ClearedIn),
	}
	p.EstablishedIn = slices.Clone(v.EstablishedIn)
	if v.Country != "" && !slices.Contains(p.EstablishedIn, v.Country) {
		p.EstablishedIn = append(p.EstablishedIn, v.Country)
	}
	for i := range certs {
		c := &certs[i]
		if c.VendorID != uuid.Nil && v.ID != uuid.Nil && c.VendorID != v.ID {
			continue
		}
		if len(c.OfferingIDs) > 0 && !slices.Contains(c.OfferingIDs, o.ID) {
			continue
		}
		p.Certifications = append(p.Certifications, Held{
			ID: c.ID, Scheme: c.Scheme, Level: c.Level,
			ValidFrom: c.ValidFrom, ValidUntil: c.ValidUntil, Status: c.Status,
		})
	}
	return p
}

// Binding reports whether the requirement decides eligibility for the buyer
// kind: it is in force, and mandatory, or mandatory for public buyers and the
// buyer is public. Pending, de-facto-expected and optional requirements are
// reported but never binding.
func (r Requirement) Binding(buyer Buyer) bool {
	if r.Status != RequirementInForce {
		return false
	}
	return r.Strength == Mandatory || (r.Strength == MandatoryForPublicBuyers && buyer == Public)
}

// InputError is an engine input the reference data does not know, or a
// what-if scenario that does not make sense. Field names the input ("country",
// "category", "buyer", "scenario[1].requirement", ...), Value is what was
// given. An API answers 404 for an unknown path parameter and 422 otherwise.
type InputError struct {
	Field string
	Value string
	// Reason is empty for an unknown value, else what is wrong with it.
	Reason string
}

func (e *InputError) Error() string {
	if e.Reason == "" {
		return fmt.Sprintf("compliance: unknown %s %q", e.Field, e.Value)
	}
	return fmt.Sprintf("compliance: %s %q: %s", e.Field, e.Value, e.Reason)
}

// Outcome is how far a profile meets one requirement.
type Outcome string

// The outcomes.
const (
	// Met: the evidence is met and every condition holds.
	Met Outcome = "met"
	// PartlyMet: only partial evidence is held, and every condition holds.
	PartlyMet Outcome = "partly-met"
	// Unmet: no evidence, or a condition fails.
	Unmet Outcome = "unmet"
	// NotAssessable: a duty (no satisfiers, no conditions), which no data can
	// show; it never blocks.
	NotAssessable Outcome = "not-assessable"
	// NotApplicable: the requirement does not apply in the tender context
	// (its AppliesWhen does not hold); it never blocks.
	NotApplicable Outcome = "not-applicable"
)

// Basis is what an eligible answer rests on.
type Basis string

// The evidence bases.
const (
	// BasisNoneRequired: no binding requirement is decided by a certificate;
	// eligibility rests on conditions (language, establishment, ...) alone.
	BasisNoneRequired Basis = "none-required"
	// BasisSelfDeclared: some certificate-decided binding requirement is met
	// only by self-declared certifications.
	BasisSelfDeclared Basis = "self-declared"
	// BasisVerified: verified certifications decide every
	// certificate-decided binding requirement (and there is at least one).
	BasisVerified Basis = "verified"
)

// blocks reports whether a binding requirement with this outcome makes an
// offering ineligible.
func (o Outcome) blocks() bool { return o == Unmet || o == PartlyMet }

// Assessment is the answer for one offering in one country for one buyer kind.
type Assessment struct {
	Country  string    `json:"country"`
	Category string    `json:"category"`
	Buyer    Buyer     `json:"buyer"`
	Day      time.Time `json:"day"`
	// Context is the tender context the answer is for.
	Context Context `json:"-"`
	// Eligible: every binding requirement is met (or is a duty) on all valid
	// evidence, self-declared included.
	Eligible bool `json:"eligible"`
	// EligibleVerified: Basis is BasisVerified. It implies Eligible.
	EligibleVerified bool `json:"eligible_verified"`
	// Basis is what an eligible answer rests on; empty when not eligible.
	Basis Basis `json:"basis,omitempty"`
	// Requirements are the applicable requirements in the order of
	// Reference.Applicable: the country's own, then EU-wide, then EEA-wide.
	Requirements []RequirementResult `json:"requirements"`
	// Gap is the cheapest way to meet the failing binding requirements.
	Gap Gap `json:"gap"`
}

// RequirementResult is the outcome of one requirement.
type RequirementResult struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	// Scope is the requirement's country code, EU or EEA.
	Scope             string            `json:"scope"`
	Strength          Strength          `json:"strength"`
	RequirementStatus RequirementStatus `json:"requirement_status"`
	// Binding: it decides eligibility for the buyer kind in the context.
	Binding bool `json:"binding"`
	// AppliesWhen is the requirement's tender-context condition, "" when it
	// always applies; Applies says whether it holds in the context.
	AppliesWhen string `json:"applies_when,omitempty"`
	Applies     bool   `json:"applies"`
	// Status is the outcome on all valid evidence.
	Status Outcome `json:"status"`
	// StatusVerified is the outcome on verified certifications only.
	StatusVerified Outcome `json:"status_verified"`
	// MetBy lists the valid held certifications that are satisfiers at the
	// required level: full ones first, verified first.
	MetBy []Evidence `json:"met_by"`
	// UnmetConditions are the conditions that do not hold, with reasons.
	UnmetConditions []UnmetCondition `json:"unmet_conditions"`
}

// Evidence is a held certification that satisfies a requirement.
type Evidence struct {
	Certification uuid.UUID `json:"certification"`
	Scheme        string    `json:"scheme"`
	Level         string    `json:"level"`
	Extent        Extent    `json:"extent"`
	Verified      bool      `json:"verified"`
}

// UnmetCondition is a condition of a requirement that does not hold.
type UnmetCondition struct {
	Kind      ConditionKind `json:"kind"`
	Region    Region        `json:"region,omitempty"`
	Languages []string      `json:"languages,omitempty"`
	Reason    string        `json:"reason"`
}

// Gap is the cheapest set of certifications that closes the failing binding
// requirements (unmet or partly met on all valid evidence) that a
// certification can close.
//
// Candidates are the active schemes that fully satisfy a failing
// requirement whose conditions hold, each at the highest level those
// requirements need (so a scheme held at too low a level is a candidate at
// the needed level); draft schemes cannot be obtained and are never
// candidates. One scheme can close several requirements. The set is exact
// (branch-and-bound over covers; cells have a dozen binding requirements at
// most, so it is small) and minimal in the order: number of schemes of
// unknown cost, sum of the low ends of the known cost ranges, number of
// schemes, scheme ids. A
// requirement whose condition fails, or that no obtainable scheme satisfies
// fully, is listed in NotClosable instead.
type Gap struct {
	// Schemes is the chosen set, by scheme id.
	Schemes []GapScheme `json:"schemes"`
	// CostRangeEUR sums the cost ranges (lows and highs) of the chosen schemes
	// whose cost is known; nil when none is known, so an unknown or
	// incomplete gap never shows 0 (an empty, complete gap is 0-0).
	CostRangeEUR *EURRange `json:"cost_range_eur"`
	// UnknownCost counts the chosen schemes of unknown cost and
	// UnknownCostSchemes names them: CostRangeEUR leaves them out.
	UnknownCost        int      `json:"unknown_cost"`
	UnknownCostSchemes []string `json:"unknown_cost_schemes"`
	// TotalCostRangeEUR is CostRangeEUR when it is the whole price: the gap is
	// Complete and no chosen scheme's cost is unknown; nil otherwise.
	TotalCostRangeEUR *EURRange `json:"total_cost_range_eur"`
	// LeadTimeRangeMonths is the longest lead time of the chosen schemes (they
	// can be pursued in parallel): the largest low and the largest high; nil
	// when any is unknown or the gap is not Complete.
	LeadTimeRangeMonths *MonthRange `json:"lead_time_range_months"`
	// NotClosable are failing binding requirements no certification closes:
	// a condition fails, or no obtainable scheme satisfies them fully.
	NotClosable []NotClosable `json:"not_closable"`
	// Complete: the schemes close every failing binding requirement, so
	// holding them makes the offering eligible.
	Complete bool `json:"complete"`
}

// GapScheme is one scheme of a gap.
type GapScheme struct {
	Scheme string `json:"scheme"`
	Name   string `json:"name"`
	// Level is the level to obtain: the highest any closed requirement needs;
	// empty when any level (or none) will do.
	Level string `json:"level"`
	// CostRangeEUR and LeadTimeRangeMonths are the scheme's typical cost and
	// lead time (Scheme.Cost, Scheme.LeadTime); nil when unknown.
	CostRangeEUR        *EURRange   `json:"cost_range_eur"`
	LeadTimeRangeMonths *MonthRange `json:"lead_time_range_months"`
	// Closes lists the failing binding requirements it closes.
	Closes []string `json:"closes"`
}

// NotClosable is a failing binding requirement no certification closes.
type NotClosable struct {
	Requirement string `json:"requirement"`
	Reason      string `json:"reason"`
}

// Engine is the burden engine: it tells, for an offering's Profile, in which
// countries and for which buyer kinds the offering may serve a hospital, and
// what it would take where it may not. It is built once per Reference by
// NewEngine, holds no I/O and is safe for concurrent use.
//
// Semantics:
//
//   - What applies in a country to a category and buyer kind is
//     Reference.Applicable: the country's own requirements, the EU-wide ones
//     (EU members) and the EEA-wide ones.
//   - A requirement is binding (Requirement.Binding) when it is in force and
//     mandatory, or mandatory for public buyers and the buyer is public.
//     Pending, de-facto-expected and optional requirements are assessed and
//     reported, never binding.
//   - Only certifications valid on the day count (Held.ValidOn: inside
//     [ValidFrom, ValidUntil], status self-declared or verified). Expired,
//     rejected, suspended and withdrawn ones are absent. A certification of a
//     scheme the reference data does not know, or of a draft scheme (which
//     cannot be held yet), counts for nothing.
//   - Evidence: a requirement without satisfiers has its evidence met. Else
//     it is met when a valid certification is a full satisfier at or above
//     the satisfier's MinLevel (Scheme.MeetsLevel), partly met when only a
//     partial satisfier at level is held, unmet otherwise.
//   - Conditions: language - the offering supports one of the listed
//     languages (none listed: one of the country's official languages);
//     establishment - EstablishedIn holds the country (region country), an EU
//     member (eu) or an EU/EEA state (eea); data-location - every
//     DataLocations entry lies in the region (no data held: met); clearance -
//     ClearedIn holds the country (or, for region eu/eea, an EU/EEA state).
//     The region's "country" is the assessed country, also for EU- and
//     EEA-wide requirements.
//   - A requirement is met when its evidence is met and all conditions hold,
//     partly met when the evidence is partly met and all conditions hold,
//     unmet otherwise. A duty (neither satisfiers nor conditions) is
//     not-assessable and never blocks. So is a requirement that no
//     obtainable certificate satisfies fully (its satisfiers are all partial,
//     or the full ones are draft schemes, such as the GDPR processor
//     guarantees): certificates support it but cannot decide it, so it is
//     not-assessable while its conditions hold, and unmet when one fails.
//     Eligibility blocks only on what a vendor can show.
//   - An offering is eligible when every binding requirement is met or
//     not-assessable (partly met blocks). Eligibility is computed twice: on
//     all valid evidence (Eligible) and on verified certifications only
//     (EligibleVerified, which implies Eligible).
//   - The gap is computed on all valid evidence (a self-declared certificate
//     is held, only its proof is pending). See Gap and Assess.
type Engine struct {
	ref *Reference

	countries  []country
	countryIdx map[string]int
	categories []string
	catIdx     map[string]int
	schemeIdx  map[string]int // into ref.Schemes

	tokens   []token // (scheme, min level) pairs used by satisfiers
	tokensOf [][]int // per scheme: its token ids
	tokWords int

	langIdx   map[string]int
	langWords int
	ctyWords  int

	cells []cell // by cellIndex(country, category, buyer)

	// ctx is the tender context the engine answers for (WithContext); facts
	// are the facts that hold in it, per category index.
	ctx   Context
	facts []uint8
}

// country is a reference country as the engine indexes it.
type country struct {
	code      string
	eu        bool
	langs     []int    // official languages, as language ids
	langCodes []string // the same as codes
}

// token stands for "holds scheme at level >= min".
type token struct {
	scheme int
	min    string
}

// cell is what applies in one country to one category for one buyer kind.
type cell struct {
	country, category int
	buyer             Buyer
	reqs              []creq
	binding           []int // indexes into reqs of the binding requirements
}

// creq is a requirement compiled for one cell.
type creq struct {
	r       *Requirement
	binding bool
	duty    bool
	noSats  bool // no satisfiers: evidence met
	// unprovable: the reference data names satisfiers, but none that a vendor
	// can hold that satisfies it fully (only partial ones, or only draft
	// schemes). Certificates then support it without deciding it: it is
	// met when a full satisfier is held anyway (a what-if recognition), else
	// not-assessable, unless a condition fails.
	unprovable bool
	full       []int
	partial    []int
	conds      []ccond
	// gap data: the obtainable (active) full satisfiers
	obtain []obtainable
	// whyNot explains, when obtain is empty, why no certification closes it.
	whyNot string
	// when: the requirement applies only where the facts whenAll (all) and
	// whenAny (one of, if any) hold (Requirement.AppliesWhen).
	when             bool
	whenAll, whenAny uint8
	whenText         string // AppliesWhen.String(), for answers
}

// obtainable is an active scheme satisfying a requirement fully from a level.
type obtainable struct {
	scheme int
	minIdx int // -1 = any level
}

// ccond is a condition compiled for one country.
type ccond struct {
	c       *Condition
	country int
	langs   []int
}

// Buyer indexes: cells are laid out public, private.
func buyerIndex(b Buyer) int {
	switch b {
	case Public:
		return 0
	case Private:
		return 1
	}
	return -1
}

func (e *Engine) cellIndex(country, category, buyer int) int {
	return (country*len(e.categories)+category)*2 + buyer
}

// override is an extra full satisfier accepted in one country (what-if).
type override struct {
	country, requirement string
	sat                  Satisfier
}

// NewEngine compiles the reference data for fast assessment: per country,
// category and buyer kind the applicable requirements with their satisfiers
// as bit positions, conditions bound to the country, and the EU/EEA sets.
// ref must not be modified while the engine is in use.
func NewEngine(ref *Reference) *Engine { return newEngine(ref, nil) }

func newEngine(ref *Reference, overrides []override) *Engine {
	e := &Engine{
		ref:        ref,
		countryIdx: make(map[string]int, len(ref.Countries)),
		catIdx:     make(map[string]int, len(ref.Categories)),
		schemeIdx:  make(map[string]int, len(ref.Schemes)),
		langIdx:    map[string]int{},
	}
	e.index()
	e.tokensOf = make([][]int, len(ref.Schemes))
	tok := (&tokenizer{e: e, ids: map[token]int{}}).id
	// Give every satisfier and language a position first, so that sizes are known.
	for _, r := range ref.Requirements {
		for _, s := range r.SatisfiedBy {
			tok(s)
		}
		for _, c := range r.Conditions {
			for _, l := range c.Languages {
				e.lang(l)
			}
		}
	}
	for _, o := range overrides {
		tok(o.sat)
	}
	e.tokWords = words(len(e.tokens))
	e.langWords = words(len(e.langIdx))
	e.ctyWords = words(len(e.countries))
	e.compileCells(overrides, tok)
	e.facts = e.contextFacts(Context{})
	return e
}

// WithContext returns the engine answering for tender context c: a
// requirement with AppliesWhen binds only where its condition holds in c
// (stated facts, else the category's defaults). It is cheap (no
// recompilation) and shares everything else with e.
func (e *Engine) WithContext(c Context) *Engine {
	v := *e
	v.ctx = c
	v.facts = e.contextFacts(c)
	return &v
}

// Context returns the tender context the engine answers for.
func (e *Engine) Context() Context { return e.ctx }

// contextFacts resolves c for every category.
func (e *Engine) contextFacts(c Context) []uint8 {
	out := make([]uint8, len(e.categories))
	for ki, cat := range e.categories {
		out[ki] = c.facts(cat)
	}
	return out
}

// applies reports whether requirement r of cell cl applies in the engine's context.
func (e *Engine) applies(cl *cell, r *creq) bool {
	return !r.when || whenHolds(r.whenAll, r.whenAny, e.facts[cl.category])
}

// lang returns the position of a language code, giving it the next one the
// first time.
func (e *Engine) lang(code string) int {
	i, ok := e.langIdx[code]
	if !ok {
		i = len(e.langIdx)
		e.langIdx[code] = i
	}
	return i
}

// index gives the countries (with their languages), categories and schemes
// of the reference data their positions; a repeated code keeps its first.
func (e *Engine) index() {
	for _, c := range e.ref.Countries {
		if _, dup := e.countryIdx[c.Code]; dup {
			continue
		}
		ec := country{code: c.Code, eu: c.Membership == MemberEU, langCodes: c.Languages}
		for _, l := range c.Languages {
			ec.langs = append(ec.langs, e.lang(l))
		}
		e.countryIdx[c.Code] = len(e.countries)
		e.countries = append(e.countries, ec)
	}
	for _, c := range e.ref.Categories {
		if _, dup := e.catIdx[c.Slug]; dup {
			continue
		}
		e.catIdx[c.Slug] = len(e.categories)
		e.categories = append(e.categories, c.Slug)
	}
	for i, s := range e.ref.Schemes {
		if _, dup := e.schemeIdx[s.ID]; !dup {
			e.schemeIdx[s.ID] = i
		}
	}
}

// tokenizer gives each distinct satisfier (scheme and minimum level) of the
// engine a token: a bit position.
type tokenizer struct {
	e   *Engine
	ids map[token]int
}

// id returns the token of s, giving it the next one the first time; -1 for
// a scheme the reference data does not know.
func (t *tokenizer) id(s Satisfier) int {
	e := t.e
	si, ok := e.schemeIdx[s.Scheme]
	if !ok {
		return -1
	}
	k := token{si, s.MinLevel}
	id, ok := t.ids[k]
	if !ok {
		id = len(e.tokens)
		t.ids[k] = id
		e.tokens = append(e.tokens, k)
		e.tokensOf[si] = append(e.tokensOf[si], id)
	}
	return id
}

// compileCells compiles the applicable requirements of every country,
// category and buyer kind, noting the binding ones.
func (e *Engine) compileCells(overrides []override, tok func(Satisfier) int) {
	e.cells = make([]cell, len(e.countries)*len(e.categories)*2)
	for ci, c := range e.countries {
		for ki, cat := range e.categories {
			for _, b := range Buyers {
				cl := &e.cells[e.cellIndex(ci, ki, buyerIndex(b))]
				cl.country, cl.category, cl.buyer = ci, ki, b
				for _, r := range e.ref.Applicable(c.code, cat, b) {
					cr := e.compile(r, ci, overrides, tok)
					cr.binding = r.Binding(b)
					if cr.binding {
						cl.binding = append(cl.binding, len(cl.reqs))
					}
					cl.reqs = append(cl.reqs, cr)
				}
			}
		}
	}
}

// compile binds requirement r to country ci.
func (e *Engine) compile(r Requirement, ci int, overrides []override, tok func(Satisfier) int) creq {
	rp := &r // a copy owned by the engine
	sats := r.SatisfiedBy
	for _, o := range overrides {
		if o.requirement == r.ID && o.country == e.countries[ci].code {
			sats = append(slices.Clip(sats), o.sat)
		}
	}
	cr := creq{r: rp, duty: r.IsDuty(), noSats: len(sats) == 0, unprovable: e.unprovable(r)}
	if r.AppliesWhen != nil {
		cr.when = true
		cr.whenAll, cr.whenAny = r.AppliesWhen.masks()
		cr.whenText = r.AppliesWhen.String()
	}
	rp.SatisfiedBy = sats
	var partial []string
	var drafts []string
	for _, s := range sats {
		t := tok(s)
		if t < 0 {
			continue
		}
		si := e.tokens[t].scheme
		if s.Extent == Full {
			cr.full = append(cr.full, t)
			if e.ref.Schemes[si].Status == SchemeDraft {
				drafts = append(drafts, s.Scheme)
				continue
			}
			min := -1
			if s.MinLevel != "" {
				min = e.ref.Schemes[si].LevelIndex(s.MinLevel)
			}
			cr.obtain = append(cr.obtain, obtainable{scheme: si, minIdx: min})
		} else {
			cr.partial = append(cr.partial, t)
			partial = append(partial, s.Scheme)
		}
	}
	switch {
	case len(cr.obtain) > 0:
	case len(drafts) > 0:
		cr.whyNot = "only draft schemes, which cannot be held yet, satisfy it fully: " + strings.Join(drafts, ", ")
	case len(partial) > 0:
		cr.whyNot = "no scheme satisfies it fully; partial evidence only: " + strings.Join(partial, ", ")
	default:
		cr.whyNot = "no certification shows it"
	}
	cr.conds = e.compileConditions(r.Conditions, ci)
	return cr
}

// compileConditions binds the conditions of a requirement to country ci: a
// language condition without languages means the country's own.
func (e *Engine) compileConditions(conds []Condition, ci int) []ccond {
	var out []ccond
	for i := range conds {
		c := &conds[i]
		cc := ccond{c: c, country: ci}
		if c.Kind == LanguageCondition {
			if len(c.Languages) == 0 {
				cc.langs = e.countries[ci].langs
			} else {
				for _, l := range c.Languages {
					cc.langs = append(cc.langs, e.langIdx[l])
				}
			}
		}
		out = append(out, cc)
	}
	return out
}

func words(n int) int { return (n + 63) / 64 }

// bitset is a fixed-size set of small integers.
type bitset []uint64

func (b bitset) has(i int) bool { return b[i>>6]&(1<<(uint(i)&63)) != 0 }
func (b bitset) set(i int)      { b[i>>6] |= 1 << (uint(i) & 63) }
func (b bitset) clear() {
	for i := range b {
		b[i] = 0
	}
}

// kernel is a profile compiled against an engine: what it holds as bit
// positions. One kernel is reused for many profiles by one goroutine.
type kernel struct {
	slab       []uint64
	held       bitset // tokens held on all valid evidence
	verified   bitset // tokens held on verified evidence
	langs      bitset
	estab      bitset
	cleared    bitset
	estabEU    bool
	estabEEA   bool
	clearedEU  bool
	clearedEEA bool
	dataNone   bool // holds no customer data
	dataEU     bool // every data location is an EU member
	dataEEA    bool // every data location is an EU/EEA state
	dataOnly   int  // the single reference country all data is in, or -1
}

func (e *Engine) newKernel() *kernel {
	n := 2*e.tokWords + e.langWords + 2*e.ctyWords
	k := &kernel{slab: make([]uint64, n)}
	s := k.slab
	k.held, s = s[:e.tokWords], s[e.tokWords:]
	k.verified, s = s[:e.tokWords], s[e.tokWords:]
	k.langs, s = s[:e.langWords], s[e.langWords:]
	k.estab, s = s[:e.ctyWords], s[e.ctyWords:]
	k.cleared = s[:e.ctyWords]
	return k
}

// load compiles p into k for day.
func (e *Engine) load(k *kernel, p *Profile, day time.Time) {
	bitset(k.slab).clear()
	for i := range p.Certifications {
		h := &p.Certifications[i]
		if !h.ValidOn(day) {
			continue
		}
		si, ok := e.schemeIdx[h.Scheme]
		if !ok || e.ref.Schemes[si].Status == SchemeDraft {
			continue
		}
		e.hold(k, si, h.Level, h.Status == catalog.Verified)
	}
	for _, l := range p.Languages {
		if i, ok := e.langIdx[l]; ok {
			k.langs.set(i)
		}
	}
	k.estabEU, k.estabEEA = false, false
	for _, c := range p.EstablishedIn {
		if i, ok := e.countryIdx[c]; ok {
			k.estab.set(i)
			k.estabEEA = true
			k.estabEU = k.estabEU || e.countries[i].eu
		}
	}
	k.clearedEU, k.clearedEEA = false, false
	for _, c := range p.ClearedIn {
		if i, ok := e.countryIdx[c]; ok {
			k.cleared.set(i)
			k.clearedEEA = true
			k.clearedEU = k.clearedEU || e.countries[i].eu
		}
	}
	k.dataNone = len(p.DataLocations) == 0
	k.dataEU, k.dataEEA, k.dataOnly = true, true, -1
	for j, c := range p.DataLocations {
		i, ok := e.countryIdx[c]
		if !ok {
			k.dataEU, k.dataEEA, k.dataOnly = false, false, -1
			break
		}
		k.dataEU = k.dataEU && e.countries[i].eu
		switch {
		case j == 0:
			k.dataOnly = i
		case k.dataOnly != i:
			k.dataOnly = -2 // several countries
		}
	}
	if k.dataOnly < 0 {
		k.dataOnly = -1
	}
}

// hold marks scheme si at level as held.
func (e *Engine) hold(k *kernel, si int, level string, verified bool) {
	s := &e.ref.Schemes[si]
	have := -1
	if level != "" {
		have = s.LevelIndex(level)
	}
	for _, t := range e.tokensOf[si] {
		min := e.tokens[t].min
		if min != "" {
			m := s.LevelIndex(min)
			if have < 0 || m < 0 || have < m {
				continue
			}
		}
		k.held.set(t)
		if verified {
			k.verified.set(t)
		}
	}
}

// evidence is the evidence outcome of r given the held tokens.
func (r *creq) evidence(held bitset) Outcome {
	if r.noSats {
		return Met
	}
	for _, t := range r.full {
		if held.has(t) {
			return Met
		}
	}
	for _, t := range r.partial {
		if held.has(t) {
			return PartlyMet
		}
	}
	return Unmet
}

// holds reports whether condition c holds for the kernel's profile.
func (e *Engine) holds(k *kernel, c *ccond) bool {
	switch c.c.Kind {
	case LanguageCondition:
		for _, l := range c.langs {
			if k.langs.has(l) {
				return true
			}
		}
		return false
	case EstablishmentCondition:
		switch c.c.Region {
		case InEU:
			return k.estabEU
		case InEEA:
			return k.estabEEA
		}
		return k.estab.has(c.country)
	case DataLocationCondition:
		if k.dataNone {
			return true
		}
		switch c.c.Region {
		case InEU:
			return k.dataEU
		case InEEA:
			return k.dataEEA
		}
		return k.dataOnly == c.country
	case ClearanceCondition:
		switch c.c.Region {
		case InEU:
			return k.clearedEU
		case InEEA:
			return k.clearedEEA
		}
		return k.cleared.has(c.country)
	}
	return false // a kind this engine does not know never holds
}

// conditionsHold reports whether every condition of r holds.
func (e *Engine) conditionsHold(k *kernel, r *creq) bool {
	for i := range r.conds {
		if !e.holds(k, &r.conds[i]) {
			return false
		}
	}
	return true
}

// outcome combines evidence and conditions.
func outcome(r *creq, ev Outcome, conds bool) Outcome {
	switch {
	case r.duty:
		return NotAssessable
	case !conds:
		return Unmet
	case r.unprovable && ev != Met:
		return NotAssessable
	}
	return ev
}

// unprovable reports whether r, as the reference data states it, names
// satisfiers of which none is an active scheme satisfying it fully.
func (e *Engine) unprovable(r Requirement) bool {
	if len(r.SatisfiedBy) == 0 {
		return false
	}
	for _, s := range r.SatisfiedBy {
		if s.Extent != Full {
			continue
		}
		if sc, ok := e.ref.Scheme(s.Scheme); ok && sc.Status != SchemeDraft {
			return false
		}
	}
	return true
}

// verdict is a cell's eligibility for one kernel, with what the gap needs.
type verdict struct {
	eligible, eligibleVerified bool
	basis                      Basis
	// fail and condFail are masks over the cell's binding requirements (only
	// when the cell has at most 64): failing on all evidence, and failing
	// because a condition does not hold.
	fail, condFail uint64
}

// judge decides one cell for the kernel's profile. It allocates nothing.
func (e *Engine) judge(k *kernel, cl *cell) verdict {
	v := verdict{eligible: true, eligibleVerified: true}
	decided := false
	for bi, ri := range cl.binding {
		r := &cl.reqs[ri]
		if r.duty || !e.applies(cl, r) {
			continue
		}
		decided = decided || r.certDecided()
		conds := e.conditionsHold(k, r)
		all := outcome(r, r.evidence(k.held), conds)
		if all.blocks() {
			v.eligible, v.eligibleVerified = false, false
			if bi < 64 {
				v.fail |= 1 << uint(bi)
				if !conds {
					v.condFail |= 1 << uint(bi)
				}
			}
			continue
		}
		if v.eligibleVerified && outcome(r, r.evidence(k.verified), conds).blocks() {
			v.eligibleVerified = false
		}
	}
	v.basis = basisOf(v.eligible, v.eligibleVerified, decided)
	v.eligibleVerified = v.basis == BasisVerified
	return v
}

// certDecided reports whether certificates decide r: it names a full
// satisfier a vendor can hold (not a duty, not only conditions, not
// unprovable).
func (r *creq) certDecided() bool { return !r.duty && !r.noSats && !r.unprovable }

// basisOf is the evidence basis of an answer: eligible on all evidence,
// eligible on verified certifications only, and whether any binding
// requirement is certificate-decided.
func basisOf(eligible, onVerified, decided bool) Basis {
	switch {
	case !eligible:
		return ""
	case !decided:
		return BasisNoneRequired
	case onVerified:
		return BasisVerified
	}
	return BasisSelfDeclared
}

// lookup finds the cell for country, category and buyer, or an *InputError.
func (e *Engine) lookup(countryCode, category string, buyer Buyer) (*cell, error) {
	ci, ok := e.countryIdx[strings.ToUpper(strings.TrimSpace(countryCode))]
	if !ok {
		return nil, &InputError{Field: "country", Value: countryCode}
	}
	ki, ok := e.catIdx[category]
	if !ok {
		return nil, &InputError{Field: "category", Value: category}
	}
	bi := buyerIndex(buyer)
	if bi < 0 {
		return nil, &InputError{Field: "buyer", Value: string(buyer)}
	}
	return &e.cells[e.cellIndex(ci, ki, bi)], nil
}

// Assess tells whether the offering of profile p may serve a buyer of the
// buyer kind in the country (ISO code) on day, requirement by requirement,
// with the gap. It returns an *InputError naming the field for an unknown
// country, category (p.Category) or buyer kind.
func (e *Engine) Assess(p Profile, country string, buyer Buyer, day time.Time) (Assessment, error) {
	cl, err := e.lookup(country, p.Category, buyer)
	if err != nil {
		return Assessment{}, err
	}
	k := e.newKernel()
	day = catalog.Day(day)
	e.load(k, &p, day)
	return e.assess(k, &p, cl, day), nil
}

// AssessAll assesses p in every country of the reference data (in its
// order), for public then private buyers. It returns nil when p.Category is
// not a category of the reference data (Assess says so as an error).
func (e *Engine) AssessAll(p Profile, day time.Time) []Assessment {
	ki, ok := e.catIdx[p.Category]
	if !ok {
		return nil
	}
	k := e.newKernel()
	day = catalog.Day(day)
	e.load(k, &p, day)
	out := make([]Assessment, 0, 2*len(e.countries))
	for ci := range e.countries {
		for _, b := range Buyers {
			out = append(out, e.assess(k, &p, &e.cells[e.cellIndex(ci, ki, buyerIndex(b))], day))
		}
	}
	return out
}

// Eligibility is an offering's eligibility in one country for one buyer kind.
type Eligibility struct {
	Country          string `json:"country"`
	Buyer            Buyer  `json:"buyer"`
	Eligible         bool   `json:"eligible"`
	EligibleVerified bool   `json:"eligible_verified"`
	Basis            Basis  `json:"basis,omitempty"`
}

// Eligibility is the eligibility map of p (what a search index needs): every
// country in reference order, public then private buyers, as AssessAll would
// decide it but without details, gap or allocation beyond the result. It
// returns nil for an unknown category.
func (e *Engine) Eligibility(p Profile, day time.Time) []Eligibility {
	ki, ok := e.catIdx[p.Category]
	if !ok {
		return nil
	}
	k := e.newKernel()
	e.load(k, &p, catalog.Day(day))
	out := make([]Eligibility, 0, 2*len(e.countries))
	for ci, c := range e.countries {
		for _, b := range Buyers {
			v := e.judge(k, &e.cells[e.cellIndex(ci, ki, buyerIndex(b))])
			out = append(out, Eligibility{Country: c.code, Buyer: b, Eligible: v.eligible, EligibleVerified: v.eligibleVerified, Basis: v.basis})
		}
	}
	return out
}

// assess builds the full answer for one cell.
func (e *Engine) assess(k *kernel, p *Profile, cl *cell, day time.Time) Assessment {
	a := Assessment{
		Country:          e.countries[cl.country].code,
		Category:         e.categories[cl.category],
		Buyer:            cl.buyer,
		Day:              day,
		Context:          e.ctx,
		Eligible:         true,
		EligibleVerified: true,
		Requirements:     make([]RequirementResult, len(cl.reqs)),
	}
	var failing []failure
	decided := false
	for i := range cl.reqs {
		r := &cl.reqs[i]
		res := &a.Requirements[i]
		applies := e.applies(cl, r)
		*res = RequirementResult{
			ID: r.r.ID, Title: r.r.Title, Scope: r.r.Country, Strength: r.r.Strength,
			RequirementStatus: r.r.Status, Binding: r.binding && applies, Applies: applies,
			MetBy: []Evidence{}, UnmetConditions: []UnmetCondition{},
		}
		res.AppliesWhen = r.whenText
		conds := true
		for j := range r.conds {
			c := &r.conds[j]
			if !e.holds(k, c) {
				conds = false
				res.UnmetConditions = append(res.UnmetConditions, e.unmet(p, c))
			}
		}
		res.Status = outcome(r, r.evidence(k.held), conds)
		res.StatusVerified = outcome(r, r.evidence(k.verified), conds)
		if !applies {
			res.Status, res.StatusVerified = NotApplicable, NotApplicable
		}
		if !r.noSats {
			res.MetBy = e.metBy(p, r, day, res.MetBy)
		}
		if res.Binding {
			decided = decided || r.certDecided()
			if res.Status.blocks() {
				a.Eligible = false
				failing = append(failing, failure{req: i, conds: conds})
			}
			if res.StatusVerified.blocks() {
				a.EligibleVerified = false
			}
		}
	}
	a.Basis = basisOf(a.Eligible, a.EligibleVerified, decided)
	a.EligibleVerified = a.Basis == BasisVerified
	a.Gap = e.gap(cl, failing, a.Requirements)
	return a
}

// failure is a failing binding requirement: its index in the cell and
// whether its conditions hold.
type failure struct {
	req   int
	conds bool
}

// metBy lists the valid held certifications that satisfy r at level.
func (e *Engine) metBy(p *Profile, r *creq, day time.Time, out []Evidence) []Evidence {
	for i := range p.Certifications {
		h := &p.Certifications[i]
		if !h.ValidOn(day) {
			continue
		}
		si, ok := e.schemeIdx[h.Scheme]
		if !ok || e.ref.Schemes[si].Status == SchemeDraft {
			continue
		}
		s := &e.ref.Schemes[si]
		best := Extent("")
		for _, sat := range r.r.SatisfiedBy {
			if sat.Scheme != h.Scheme || !s.MeetsLevel(h.Level, sat.MinLevel) {
				continue
			}
			if sat.Extent == Full || best == "" {
				best = sat.Extent
			}
		}
		if best != "" {
			out = append(out, Evidence{Certification: h.ID, Scheme: h.Scheme, Level: h.Level, Extent: best, Verified: h.Status == catalog.Verified})
		}
	}
	slices.SortStableFunc(out, func(a, b Evidence) int {
		if a.Extent != b.Extent {
			if a.Extent == Full {
				return -1
			}
			return 1
		}
		if a.Verified != b.Verified {
			if a.Verified {
				return -1
			}
			return 1
		}
		if c := strings.Compare(a.Scheme, b.Scheme); c != 0 {
			return c
		}
		return strings.Compare(a.Certification.String(), b.Certification.String())
	})
	return out
}

// unmet explains why condition c does not hold for p.
func (e *Engine) unmet(p *Profile, c *ccond) UnmetCondition {
	code := e.countries[c.country].code
	u := UnmetCondition{Kind: c.c.Kind, Region: c.c.Region}
	where := map[Region]string{InEU: "any EU member state", InEEA: "any EU/EEA state"}[c.c.Region]
	if where == "" {
		where = code
	}
	switch c.c.Kind {
	case LanguageCondition:
		u.Region = ""
		u.Languages = c.c.Languages
		if len(u.Languages) == 0 {
			u.Languages = e.countries[c.country].langCodes
		}
		u.Reason = "support is offered in none of: " + strings.Join(u.Languages, ", ")
	case EstablishmentCondition:
		u.Reason = "the vendor is not established in " + where
	case DataLocationCondition:
		var outside []string
		for _, d := range p.DataLocations {
			i, ok := e.countryIdx[d]
			in := ok && (c.c.Region == InEEA || (c.c.Region == InEU && e.countries[i].eu) || i == c.country)
			if !in {
				outside = append(outside, d)
			}
		}
		region := map[Region]string{InEU: "the EU", InEEA: "the EEA"}[c.c.Region]
		if region == "" {
			region = code
		}
		u.Reason = "customer data is stored or processed outside " + region + ": " + strings.Join(outside, ", ")
	case ClearanceCondition:
		u.Reason = "no staff with a security clearance valid in " + where
	default:
		u.Reason = "unknown condition kind " + string(c.c.Kind)
	}
	return u
}
