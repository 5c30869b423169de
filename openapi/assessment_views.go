package openapi

import (
	"time"

	"github.com/cybermarket/cybermarket/compliance"
)

// The API's views of the burden engine's results. The engine's types carry
// no API documentation; these do, and the functions below map one to the
// other field by field. Slices keep the engine's nil (null in JSON) or empty.

// Assessment is the answer for one offering in one country for one buyer kind.
type Assessment struct {
	Country          string              `json:"country" doc:"Country assessed (ISO code)."`
	Category         string              `json:"category" doc:"Service category of the offering."`
	Buyer            string              `json:"buyer" doc:"Buyer kind assessed."`
	Day              time.Time           `json:"day" doc:"Day the assessment is for: only certifications valid that day count."`
	Eligible         bool                `json:"eligible" doc:"Every binding requirement is met (or not assessable) on all valid evidence, self-declared included."`
	EligibleVerified bool                `json:"eligible_verified" doc:"Basis is verified: verified certifications decide every certificate-decided binding requirement (never true when none binds)."`
	Basis            string              `json:"basis,omitempty" enum:"none-required,self-declared,verified" doc:"What an eligible answer rests on: none-required (no binding requirement is decided by a certificate), self-declared (some is met only by self-declared certifications), verified (verified certifications decide every one). Absent when not eligible."`
	Requirements     []RequirementResult `json:"requirements" doc:"Every applicable requirement: the country's own, then EU-wide, then EEA-wide."`
	Gap              Gap                 `json:"gap" doc:"The cheapest set of certifications that closes the failing binding requirements."`
}

// RequirementResult is the outcome of one requirement.
type RequirementResult struct {
	ID                string           `json:"id" doc:"Requirement identifier."`
	Title             string           `json:"title" doc:"Requirement title."`
	Scope             string           `json:"scope" doc:"Country code, EU or EEA."`
	Strength          string           `json:"strength" doc:"How binding the requirement is."`
	RequirementStatus string           `json:"requirement_status" doc:"in-force or pending."`
	Binding           bool             `json:"binding" doc:"Whether it decides eligibility for this buyer kind in the tender context."`
	AppliesWhen       string           `json:"applies_when,omitempty" doc:"The tender-context condition the requirement applies under (facts joined by and/or); absent when it always applies." example:"security_sensitive or classified_information"`
	Applies           bool             `json:"applies" doc:"Whether it applies in the tender context; when not, its status is not-applicable."`
	Status            string           `json:"status" doc:"Outcome on all valid evidence: met, partly-met, unmet, not-assessable, or not-applicable (its applies_when does not hold)."`
	StatusVerified    string           `json:"status_verified" doc:"Outcome on verified certifications only."`
	MetBy             []Evidence       `json:"met_by" doc:"Valid held certifications that satisfy it (full ones first, verified first)."`
	UnmetConditions   []UnmetCondition `json:"unmet_conditions" doc:"Conditions that do not hold, with reasons."`
}

// Evidence is a held certification that satisfies a requirement.
type Evidence struct {
	Certification string `json:"certification" doc:"Certification identifier."`
	Scheme        string `json:"scheme" doc:"Scheme of the certification."`
	Level         string `json:"level" doc:"Level held."`
	Extent        string `json:"extent" doc:"full or partial satisfier."`
	Verified      bool   `json:"verified" doc:"Whether staff verified the certification."`
}

// UnmetCondition is a condition of a requirement that does not hold.
type UnmetCondition struct {
	Kind      string   `json:"kind" doc:"Kind of condition."`
	Region    string   `json:"region,omitempty" doc:"Region of an establishment, data-location or clearance condition."`
	Languages []string `json:"languages,omitempty" doc:"Languages of a language condition."`
	Reason    string   `json:"reason" doc:"Why it does not hold."`
}

// Gap is the cheapest set of certifications that closes the failing binding
// requirements (see compliance.Gap).
type Gap struct {
	Schemes             []GapScheme   `json:"schemes" doc:"Schemes to obtain."`
	CostRangeEUR        *CostRange    `json:"cost_range_eur" doc:"Sum of the cost ranges of the chosen schemes whose cost is known (unknown_cost_schemes are left out); null when none is known, so an unknown or incomplete gap never shows 0. 0-0 only for an empty, complete gap."`
	UnknownCost         int           `json:"unknown_cost" doc:"Number of chosen schemes of unknown cost."`
	UnknownCostSchemes  []string      `json:"unknown_cost_schemes" doc:"The chosen schemes of unknown cost."`
	TotalCostRangeEUR   *CostRange    `json:"total_cost_range_eur" doc:"The whole cost range: cost_range_eur when the gap is complete and no chosen scheme's cost is unknown; null otherwise."`
	LeadTimeRangeMonths *MonthRange   `json:"lead_time_range_months" doc:"Longest lead time of the chosen schemes, pursued in parallel (largest low, largest high); null when any is unknown or the gap is incomplete."`
	NotClosable         []NotClosable `json:"not_closable" doc:"Failing binding requirements no certification closes."`
	Complete            bool          `json:"complete" doc:"Holding the schemes makes the offering eligible."`
}

// GapScheme is one scheme of a gap.
type GapScheme struct {
	Scheme              string      `json:"scheme" doc:"Scheme identifier."`
	Name                string      `json:"name" doc:"Scheme name."`
	Level               string      `json:"level" doc:"Level to obtain; empty when any level will do."`
	CostRangeEUR        *CostRange  `json:"cost_range_eur" doc:"Typical cost range in euro (what it covers and its source: get-reference-schemes); null when unknown."`
	LeadTimeRangeMonths *MonthRange `json:"lead_time_range_months" doc:"Typical lead time range; null when unknown."`
	Closes              []string    `json:"closes" doc:"Failing binding requirements it closes."`
}

// CostRange is a cost range in whole euros.
type CostRange struct {
	LowEUR  int `json:"low_eur" doc:"Low end in euro." example:"4500"`
	HighEUR int `json:"high_eur" doc:"High end in euro." example:"9500"`
}

// MonthRange is a lead time range in months.
type MonthRange struct {
	LowMonths  float64 `json:"low_months" doc:"Low end in months." example:"6"`
	HighMonths float64 `json:"high_months" doc:"High end in months." example:"12"`
}

func costRangeView(r *compliance.EURRange) *CostRange {
	if r == nil {
		return nil
	}
	return &CostRange{LowEUR: r.LowEUR, HighEUR: r.HighEUR}
}

func monthRangeView(r *compliance.MonthRange) *MonthRange {
	if r == nil {
		return nil
	}
	return &MonthRange{LowMonths: r.LowMonths, HighMonths: r.HighMonths}
}

// NotClosable is a failing binding requirement no certification closes.
type NotClosable struct {
	Requirement string `json:"requirement" doc:"Requirement identifier."`
	Reason      string `json:"reason" doc:"Why no certification closes it."`
}

// mapSlice maps each element of in with f, keeping a nil slice nil.
func mapSlice[T, U any](in []T, f func(T) U) []U {
	if in == nil {
		return nil
	}
	out := make([]U, len(in))
	for i, v := range in {
		out[i] = f(v)
	}
	return out
}

func assessmentView(a compliance.Assessment) Assessment {
	return Assessment{
		Country: a.Country, Category: a.Category, Buyer: string(a.Buyer), Day: a.Day,
		Eligible: a.Eligible, EligibleVerified: a.EligibleVerified, Basis: string(a.Basis),
		Requirements: mapSlice(a.Requirements, requirementResultView), Gap: gapView(a.Gap),
	}
}

func requirementResultView(r compliance.RequirementResult) RequirementResult {
	return RequirementResult{
		ID: r.ID, Title: r.Title, Scope: r.Scope, Strength: string(r.Strength),
		RequirementStatus: string(r.RequirementStatus), Binding: r.Binding, AppliesWhen: r.AppliesWhen, Applies: r.Applies,
		Status: string(r.Status), StatusVerified: string(r.StatusVerified),
		MetBy: mapSlice(r.MetBy, evidenceView), UnmetConditions: mapSlice(r.UnmetConditions, unmetConditionView),
	}
}

func evidenceView(e compliance.Evidence) Evidence {
	return Evidence{Certification: e.Certification.String(), Scheme: e.Scheme, Level: e.Level, Extent: string(e.Extent), Verified: e.Verified}
}

func unmetConditionView(c compliance.UnmetCondition) UnmetCondition {
	return UnmetCondition{Kind: string(c.Kind), Region: string(c.Region), Languages: c.Languages, Reason: c.Reason}
}

func gapView(g compliance.Gap) Gap {
	return Gap{
		Schemes: mapSlice(g.Schemes, gapSchemeView), CostRangeEUR: costRangeView(g.CostRangeEUR),
		UnknownCost: g.UnknownCost, UnknownCostSchemes: g.UnknownCostSchemes,
		TotalCostRangeEUR: costRangeView(g.TotalCostRangeEUR), LeadTimeRangeMonths: monthRangeView(g.LeadTimeRangeMonths),
		NotClosable: mapSlice(g.NotClosable, notClosableView), Complete: g.Complete,
	}
}

func gapSchemeView(s compliance.GapScheme) GapScheme {
	return GapScheme{Scheme: s.Scheme, Name: s.Name, Level: s.Level, CostRangeEUR: costRangeView(s.CostRangeEUR),
		LeadTimeRangeMonths: monthRangeView(s.LeadTimeRangeMonths), Closes: s.Closes}
}

func notClosableView(n compliance.NotClosable) NotClosable {
	return NotClosable{Requirement: n.Requirement, Reason: n.Reason}
}

// Market is the compact answer for one country and buyer kind.
type Market struct {
	Country   string    `json:"country" doc:"Country (ISO code)."`
	Buyer     string    `json:"buyer" doc:"Buyer kind."`
	Eligible  bool      `json:"eligible" doc:"Every binding requirement is met (or not assessable) on all valid evidence."`
	Basis     string    `json:"basis,omitempty" enum:"none-required,self-declared,verified" doc:"What an eligible answer rests on (see Assessment.basis); absent when not eligible."`
	Available bool      `json:"available" doc:"Available to this buyer: eligible, the offering serves the country, and supports the buyer's language (the language parameter, else one of the country's official languages)."`
	Blockers  []Blocker `json:"blockers" doc:"When not eligible: each failing binding requirement with the action that removes it."`
}

// Blocker is a binding requirement that keeps an offering out of a market,
// with the action that removes it.
type Blocker struct {
	Requirement         string      `json:"requirement" doc:"Requirement identifier."`
	Title               string      `json:"title" doc:"Requirement title."`
	Kind                string      `json:"kind" enum:"obtain-scheme,add-language,declare-establishment,keep-data-in,declare-cleared-staff,none" doc:"The action: obtain a scheme, add a support language, declare an establishment, keep customer data in a region, declare cleared staff; none when nothing a vendor can hold closes it today."`
	Action              string      `json:"action" doc:"The action in words, or why none exists." example:"obtain BSI C5 (level type-2 or higher)"`
	Scheme              string      `json:"scheme,omitempty" doc:"obtain-scheme: the scheme."`
	Level               string      `json:"level,omitempty" doc:"obtain-scheme: the lowest level that closes it."`
	CostRangeEUR        *CostRange  `json:"cost_range_eur,omitempty" doc:"obtain-scheme: typical cost range in euro; absent when unknown."`
	LeadTimeRangeMonths *MonthRange `json:"lead_time_range_months,omitempty" doc:"obtain-scheme: typical lead time range; absent when unknown."`
	Languages           []string    `json:"languages,omitempty" doc:"add-language: support in one of these closes it."`
	Region              string      `json:"region,omitempty" doc:"declare-establishment, keep-data-in, declare-cleared-staff: the country code, EU or EEA."`
}

func marketView(a compliance.Assessment) Market {
	return Market{Country: a.Country, Buyer: string(a.Buyer), Eligible: a.Eligible, Basis: string(a.Basis),
		Blockers: mapSlice(a.Blockers(), blockerView)}
}

func blockerView(b compliance.Blocker) Blocker {
	return Blocker{Requirement: b.Requirement, Title: b.Title, Kind: string(b.Kind), Action: b.Action, Scheme: b.Scheme,
		Level: b.Level, CostRangeEUR: costRangeView(b.CostRangeEUR), LeadTimeRangeMonths: monthRangeView(b.LeadTimeRangeMonths),
		Languages: b.Languages, Region: b.Region}
}
