package openapi

import (
	"fmt"

	"github.com/cybermarket/cybermarket/catalog"
	"github.com/cybermarket/cybermarket/compliance"
)

// The API's views of the engine's analytics: the barriers matrix, what-if
// rows and a vendor's roadmap, mapped field by field from package compliance.

// BarrierRow is what one country demands of one category for one buyer
// kind, and how the catalogue fares.
type BarrierRow struct {
	Country               string   `json:"country" doc:"Country (ISO code)."`
	Category              string   `json:"category" doc:"Service category."`
	Buyer                 string   `json:"buyer" doc:"Buyer kind."`
	Requirements          int      `json:"requirements" doc:"Applicable requirements."`
	BindingRequirements   int      `json:"binding_requirements" doc:"Applicable requirements that decide eligibility."`
	Offerings             int      `json:"offerings" doc:"Published offerings of the category: the potential market."`
	Serving               int      `json:"serving" doc:"Of those, offerings that list the country as served."`
	Eligible              int      `json:"eligible" doc:"Eligible offerings of the category."`
	EligibleVerified      int      `json:"eligible_verified" doc:"Eligible on verified certifications only."`
	ServingEligible       int      `json:"serving_eligible" doc:"Eligible offerings that also serve the country."`
	ShareEligible         *float64 `json:"share_eligible" doc:"eligible / offerings; null without offerings."`
	ShareEligibleVerified *float64 `json:"share_eligible_verified" doc:"eligible_verified / offerings; null without offerings."`
	MedianGapCostEUR      *float64 `json:"median_gap_cost_eur" doc:"Median of the low ends of the gap cost ranges over ineligible offerings that certification alone makes eligible and whose cost is known; null when none."`
	MedianGapCostHighEUR  *float64 `json:"median_gap_cost_high_eur" doc:"Median of the high ends, over the same offerings."`
	GapCostUnknown        int      `json:"gap_cost_unknown" doc:"Ineligible offerings left out of the medians for an unknown cost."`
	GapCostUnknownSchemes []string `json:"gap_cost_unknown_schemes" doc:"The schemes of unknown cost in those offerings' gaps."`
	NotClosable           int      `json:"not_closable" doc:"Ineligible offerings no certification makes eligible."`
	MedianLeadTimeMonths  *float64 `json:"median_lead_time_months" doc:"Median of the high ends of the gap lead times, over offerings like the cost medians."`
	LeadTimeUnknown       int      `json:"lead_time_unknown" doc:"Ineligible offerings left out of the lead-time median."`
	TopBarrier            *Barrier `json:"top_barrier" doc:"The binding requirement that excludes most offerings; null when none excludes any."`
	HomeBias              HomeBias `json:"home_bias" doc:"Eligibility of domestic vendors against vendors from other EU/EEA states."`
	// Confidence and coverage of the row (issue 9 item 6).
	Intervals Intervals `json:"intervals" doc:"Each share's sample size n, 95% Wilson score interval and small-sample flag (n < 10)."`
	Coverage  string    `json:"coverage" enum:"national-rules,researched-no-national-rule,not-researched" doc:"How the cell was researched: national rules exist; the research found none (only EU/EEA-wide rules decide, see GET /v1/countries/{code}/coverage); or not researched. Tells an open market from a gap in the research."`
}

// Proportion is a share's sample size and 95% Wilson score interval.
type Proportion struct {
	N      int      `json:"n" doc:"Sample size: the offerings the share is taken over."`
	Low    *float64 `json:"low" doc:"Lower bound of the 95% Wilson score interval; null when n is 0."`
	High   *float64 `json:"high" doc:"Upper bound; null when n is 0."`
	SmallN bool     `json:"small_n" doc:"n < 10: too few offerings to rest a decision on."`
}

// Intervals are the confidence intervals of a barrier row's shares.
type Intervals struct {
	ShareEligible         Proportion `json:"share_eligible" doc:"For share_eligible."`
	ShareEligibleVerified Proportion `json:"share_eligible_verified" doc:"For share_eligible_verified."`
	DomesticShare         Proportion `json:"domestic_share" doc:"For home_bias.domestic_share."`
	OtherEEAShare         Proportion `json:"other_eea_share" doc:"For home_bias.other_eea_share."`
}

// Barrier is a requirement and how many offerings it excludes.
type Barrier struct {
	Requirement string `json:"requirement" doc:"Requirement identifier."`
	Title       string `json:"title" doc:"Requirement title."`
	Excluded    int    `json:"excluded" doc:"Offerings it excludes."`
}

// HomeBias is the eligibility of domestic offerings against those of vendors
// from the other EU/EEA states.
type HomeBias struct {
	Domestic              int      `json:"domestic" doc:"Offerings of vendors with their head office in the country."`
	DomesticEligible      int      `json:"domestic_eligible" doc:"Of those, eligible."`
	DomesticShare         *float64 `json:"domestic_share" doc:"Eligible share of domestic offerings; null when none."`
	OtherEEA              int      `json:"other_eea" doc:"Offerings of vendors from other EU/EEA states."`
	OtherEEAEligible      int      `json:"other_eea_eligible" doc:"Of those, eligible."`
	OtherEEAShare         *float64 `json:"other_eea_share" doc:"Eligible share of other-EU/EEA offerings; null when none."`
	DomesticMinusOtherEEA *float64 `json:"domestic_minus_other_eea" doc:"domestic_share minus other_eea_share; null when either is null."`
}

// Recognition is a what-if change: a country accepts a scheme as a full
// satisfier of a requirement.
type Recognition struct {
	Country     string `json:"country" doc:"Country that recognises the scheme (ISO code)."`
	Scheme      string `json:"scheme" doc:"Scheme it accepts."`
	Requirement string `json:"requirement" doc:"Requirement the scheme would satisfy fully (an EU- or EEA-wide one changes in this country only)."`
	Level       string `json:"level,omitempty" doc:"Lowest level accepted; empty for any."`
}

// WhatIfRow is the effect of a scenario in one country, category and buyer kind.
type WhatIfRow struct {
	Country        string `json:"country" doc:"Country (ISO code)."`
	Category       string `json:"category" doc:"Service category."`
	Buyer          string `json:"buyer" doc:"Buyer kind."`
	Offerings      int    `json:"offerings" doc:"Offerings of the category."`
	Before         int    `json:"before" doc:"Eligible offerings today."`
	After          int    `json:"after" doc:"Eligible offerings under the scenario."`
	Change         int    `json:"change" doc:"after minus before."`
	BeforeVerified int    `json:"before_verified" doc:"Eligible today on verified certifications only."`
	AfterVerified  int    `json:"after_verified" doc:"Eligible under the scenario on verified certifications only."`
	ChangeVerified int    `json:"change_verified" doc:"after_verified minus before_verified."`
}

// WhatIfChanges names the offerings a scenario changes and warns of the
// recognitions that cannot change anything.
type WhatIfChanges struct {
	Changed      []ChangedOffering `json:"changed" doc:"The first changed_limit offerings (catalogue order) whose eligibility changes in a named country, with the markets it opens and closes."`
	ChangedTotal int               `json:"changed_total" doc:"All offerings whose eligibility changes."`
	Warnings     []WhatIfWarning   `json:"warnings" doc:"Recognitions that cannot change anything: the requirement already accepts the scheme, no certificate decides it (left out of the scenario), or it binds no buyer in this tender context."`
}

// ChangedOffering is an offering whose eligibility a scenario changes.
type ChangedOffering struct {
	Offering string         `json:"offering" doc:"Offering identifier." example:"0192f1e0-7b1c-7c3e-9a4b-2f1d3c4b5a70"`
	Name     string         `json:"name" doc:"Offering name." example:"24/7 SOC"`
	Vendor   string         `json:"vendor" doc:"Vendor name." example:"Polder Security B.V."`
	Opened   []WhatIfMarket `json:"opened" doc:"Country and buyer kinds where it turns eligible."`
	Closed   []WhatIfMarket `json:"closed" doc:"Country and buyer kinds where it stops being eligible."`
}

// WhatIfMarket is a country and buyer kind.
type WhatIfMarket struct {
	Country string `json:"country" doc:"Country (ISO code)." example:"DE"`
	Buyer   string `json:"buyer" enum:"public,private" doc:"Buyer kind." example:"public"`
}

// WhatIfWarning is a recognition that cannot change anything.
type WhatIfWarning struct {
	Location string `json:"location" doc:"The recognition, as a request location." example:"body.recognitions[0]"`
	Code     string `json:"code" enum:"already-accepted,not-certificate-decided,not-binding" doc:"Why it cannot change anything." example:"already-accepted"`
	Message  string `json:"message" doc:"The same in words."`
}

// defaultChangedLimit is how many changed offerings a what-if names unless asked.
const defaultChangedLimit = 50

func changedLimit(n *int) int {
	if n == nil {
		return defaultChangedLimit
	}
	return *n
}

// whatIfChanges maps the changes of a scenario run over listings (the
// profiles' order) to the API.
func whatIfChanges(res compliance.WhatIfResult, listings []catalog.Listing) WhatIfChanges {
	v := WhatIfChanges{ChangedTotal: res.ChangedTotal, Changed: []ChangedOffering{}, Warnings: []WhatIfWarning{}}
	market := func(m compliance.WhatIfMarket) WhatIfMarket {
		return WhatIfMarket{Country: m.Country, Buyer: string(m.Buyer)}
	}
	for _, c := range res.Changed {
		l := listings[c.Profile]
		vendor := l.Vendor.TradingName
		if vendor == "" {
			vendor = l.Vendor.LegalName
		}
		v.Changed = append(v.Changed, ChangedOffering{Offering: c.Offering.String(), Name: l.Offering.Name, Vendor: vendor,
			Opened: orEmpty(mapSlice(c.Opened, market)), Closed: orEmpty(mapSlice(c.Closed, market))})
	}
	for _, w := range res.Warnings {
		v.Warnings = append(v.Warnings, WhatIfWarning{Location: fmt.Sprintf("body.recognitions[%d]", w.Recognition), Code: w.Code, Message: w.Message})
	}
	return v
}

// SchemeLevel is a scheme to obtain, at a level (empty: any level).
type SchemeLevel struct {
	Scheme string `json:"scheme" doc:"Scheme identifier."`
	Level  string `json:"level,omitempty" doc:"Level to obtain; empty for any."`
}

// RoadmapOption is a scheme, or a pair of schemes, and the markets it opens.
type RoadmapOption struct {
	Schemes             []SchemeLevel `json:"schemes" doc:"The scheme, or pair of schemes."`
	CostRangeEUR        *CostRange    `json:"cost_range_eur" doc:"Cost range in euro; null when any cost is unknown."`
	KnownCostRangeEUR   *CostRange    `json:"known_cost_range_eur" doc:"Sum of the known cost ranges; null when none is known."`
	UnknownCostSchemes  []string      `json:"unknown_cost_schemes" doc:"Schemes of unknown cost."`
	LeadTimeRangeMonths *MonthRange   `json:"lead_time_range_months" doc:"Longest lead time range; null when any is unknown."`
	Markets             int           `json:"markets" doc:"Offering x country x buyer cells that turn eligible."`
	MarketsPer1000EUR   *float64      `json:"markets_per_1000_eur" doc:"Markets per 1,000 euro of the low end; null when the cost is unknown or 0 (a free option, listed first)."`
}

// RoadmapStep is one step of the greedy plan.
type RoadmapStep struct {
	Schemes           []SchemeLevel `json:"schemes" doc:"Schemes obtained in this step."`
	CostRangeEUR      CostRange     `json:"cost_range_eur" doc:"Cost range of the step in euro."`
	Markets           int           `json:"markets" doc:"Cells the step opens."`
	TotalCostRangeEUR CostRange     `json:"total_cost_range_eur" doc:"Cost range of all steps so far; its high end keeps within the budget."`
	Eligible          int           `json:"eligible" doc:"Eligible cells after the step."`
}

// Roadmap is a vendor's certification roadmap.
type Roadmap struct {
	Countries   []string `json:"countries" doc:"Countries considered."`
	Budget      *int     `json:"budget_eur" doc:"Budget the steps keep within; null for none."`
	Cells       int      `json:"cells" doc:"Offering x country x buyer cells considered."`
	Eligible    int      `json:"eligible" doc:"Cells eligible today."`
	Unreachable int      `json:"unreachable" doc:"Cells no certification opens (a condition fails, or no obtainable scheme satisfies a requirement)."`
	// UnreachableMarkets names them.
	UnreachableMarkets []UnreachableMarket `json:"unreachable_markets" doc:"The unreachable cells, each with the reasons no certification opens it."`
	BeyondPairs        int                 `json:"beyond_pairs" doc:"Reachable cells that no scheme alone and no pair of schemes opens: they need three or more at once, so no option names them." example:"3"`
	Options            []RoadmapOption     `json:"options" doc:"Known-cost schemes, alone or in pairs, by markets per euro."`
	Steps              []RoadmapStep       `json:"steps" doc:"Greedy plan within the budget."`
	UnknownCost        []RoadmapOption     `json:"unknown_cost" doc:"Options involving a scheme of unknown cost, by markets (never taken as free)."`
	Context            *TenderContext      `json:"context,omitempty" doc:"The tender context the roadmap is for."`
}

func barrierRowView(r compliance.BarrierRow) BarrierRow {
	v := BarrierRow{
		Country: r.Country, Category: r.Category, Buyer: string(r.Buyer),
		Requirements: r.Requirements, BindingRequirements: r.BindingRequirements,
		Offerings: r.Offerings, Serving: r.Serving,
		Eligible: r.Eligible, EligibleVerified: r.EligibleVerified, ServingEligible: r.ServingEligible,
		ShareEligible: r.ShareEligible, ShareEligibleVerified: r.ShareEligibleVerified,
		MedianGapCostEUR: r.MedianGapCostEUR, MedianGapCostHighEUR: r.MedianGapCostHighEUR, GapCostUnknown: r.GapCostUnknown,
		GapCostUnknownSchemes: r.GapCostUnknownSchemes, NotClosable: r.NotClosable,
		MedianLeadTimeMonths: r.MedianLeadTimeMonths, LeadTimeUnknown: r.LeadTimeUnknown,
		HomeBias: homeBiasView(r.HomeBias), Coverage: string(r.Coverage),
		Intervals: Intervals{
			ShareEligible: Proportion(r.Intervals.Eligible), ShareEligibleVerified: Proportion(r.Intervals.EligibleVerified),
			DomesticShare: Proportion(r.Intervals.Domestic), OtherEEAShare: Proportion(r.Intervals.OtherEEA),
		},
	}
	if b := r.TopBarrier; b != nil {
		v.TopBarrier = &Barrier{Requirement: b.Requirement, Title: b.Title, Excluded: b.Excluded}
	}
	return v
}

func homeBiasView(h compliance.HomeBias) HomeBias {
	return HomeBias{
		Domestic: h.Domestic, DomesticEligible: h.DomesticEligible, DomesticShare: h.DomesticShare,
		OtherEEA: h.OtherEEA, OtherEEAEligible: h.OtherEEAEligible, OtherEEAShare: h.OtherEEAShare,
		DomesticMinusOtherEEA: h.DomesticMinusOtherEEA,
	}
}

func (r Recognition) domain() compliance.Recognition {
	return compliance.Recognition{Country: r.Country, Scheme: r.Scheme, Requirement: r.Requirement, Level: r.Level}
}

func whatIfRowView(r compliance.WhatIfRow) WhatIfRow {
	return WhatIfRow{
		Country: r.Country, Category: r.Category, Buyer: string(r.Buyer), Offerings: r.Offerings,
		Before: r.Before, After: r.After, Change: r.Change,
		BeforeVerified: r.BeforeVerified, AfterVerified: r.AfterVerified, ChangeVerified: r.ChangeVerified,
	}
}

func schemeLevelView(s compliance.SchemeLevel) SchemeLevel {
	return SchemeLevel{Scheme: s.Scheme, Level: s.Level}
}

func roadmapOptionView(o compliance.RoadmapOption) RoadmapOption {
	return RoadmapOption{
		Schemes: mapSlice(o.Schemes, schemeLevelView), CostRangeEUR: costRangeView(o.CostRangeEUR),
		KnownCostRangeEUR: costRangeView(o.KnownCostRangeEUR), UnknownCostSchemes: o.UnknownCostSchemes,
		LeadTimeRangeMonths: monthRangeView(o.LeadTimeRangeMonths), Markets: o.Markets, MarketsPer1000EUR: o.MarketsPer1000EUR,
	}
}

func roadmapStepView(s compliance.RoadmapStep) RoadmapStep {
	return RoadmapStep{
		Schemes: mapSlice(s.Schemes, schemeLevelView), CostRangeEUR: *costRangeView(&s.CostRangeEUR), Markets: s.Markets,
		TotalCostRangeEUR: *costRangeView(&s.TotalCostRangeEUR), Eligible: s.Eligible,
	}
}

func roadmapView(r compliance.Roadmap) Roadmap {
	return Roadmap{
		Countries: r.Countries, Budget: r.Budget, Cells: r.Cells, Eligible: r.Eligible, Unreachable: r.Unreachable,
		UnreachableMarkets: mapSlice(r.UnreachableMarkets, unreachableMarketView),
		BeyondPairs:        r.BeyondPairs,
		Options:            mapSlice(r.Options, roadmapOptionView), Steps: mapSlice(r.Steps, roadmapStepView),
		UnknownCost: mapSlice(r.UnknownCost, roadmapOptionView),
	}
}

// UnreachableMarket is an offering x country x buyer cell no certification opens.
type UnreachableMarket struct {
	Offering string   `json:"offering" doc:"Offering identifier."`
	Country  string   `json:"country" doc:"Country (ISO code)."`
	Buyer    string   `json:"buyer" doc:"Buyer kind."`
	Reasons  []string `json:"reasons" doc:"Per failing requirement no certification closes: the requirement id and why (the condition that fails, or why no scheme can be obtained)."`
}

func unreachableMarketView(m compliance.UnreachableMarket) UnreachableMarket {
	return UnreachableMarket{Offering: m.Offering, Country: m.Country, Buyer: string(m.Buyer), Reasons: m.Reasons}
}
