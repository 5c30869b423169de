package openapi

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/cybermarket/cybermarket/compliance"
	"github.com/cybermarket/cybermarket/compliance/synth"
)

// The views must serve exactly what the engine's values held: the engine's
// types keep their JSON names, so a value and its view encode alike.
func sameJSON(t *testing.T, name string, engine, view any) {
	t.Helper()
	a, err := json.Marshal(engine)
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(view)
	if err != nil {
		t.Fatal(err)
	}
	if string(a) != string(b) {
		t.Errorf("%s: the view differs from the engine's value\nengine: %s\nview:   %s", name, a, b)
	}
}

func ptrTo[T any](v T) *T { return &v }

// Every field set, nil and empty slices both present.
func TestViews_EveryField(t *testing.T) {
	a := compliance.Assessment{
		Country: "DE", Category: "cloud-hosting", Buyer: compliance.Public, Day: time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC),
		Eligible: true, EligibleVerified: true,
		Requirements: []compliance.RequirementResult{{
			ID: "de-c5", Title: "C5", Scope: "DE", Strength: compliance.Mandatory, RequirementStatus: compliance.RequirementInForce,
			Binding: true, Status: compliance.Met, StatusVerified: compliance.PartlyMet,
			MetBy:           []compliance.Evidence{{Certification: uuid.New(), Scheme: "bsi-c5", Level: "type-2", Extent: compliance.Full, Verified: true}},
			UnmetConditions: []compliance.UnmetCondition{{Kind: compliance.LanguageCondition, Region: compliance.InEU, Languages: []string{"de"}, Reason: "no German"}},
		}, {ID: "eu-x", MetBy: []compliance.Evidence{}}},
		Gap: compliance.Gap{
			Schemes: []compliance.GapScheme{{Scheme: "bsi-c5", Name: "C5", Level: "type-2", CostRangeEUR: &compliance.EURRange{LowEUR: 5, HighEUR: 7},
				LeadTimeRangeMonths: &compliance.MonthRange{LowMonths: 1, HighMonths: 1.5}, Closes: []string{"de-c5"}}},
			CostRangeEUR: &compliance.EURRange{LowEUR: 5, HighEUR: 7}, UnknownCost: 1, UnknownCostSchemes: []string{"u"},
			TotalCostRangeEUR: &compliance.EURRange{LowEUR: 8, HighEUR: 9}, LeadTimeRangeMonths: &compliance.MonthRange{LowMonths: 2, HighMonths: 2.5},
			NotClosable: []compliance.NotClosable{{Requirement: "de-lang", Reason: "a condition fails"}}, Complete: true,
		},
	}
	sameJSON(t, "Assessment", a, assessmentView(a))
	sameJSON(t, "empty Assessment", compliance.Assessment{}, assessmentView(compliance.Assessment{}))

	share := ptrTo(0.5)
	row := compliance.BarrierRow{
		Country: "DE", Category: "soc", Buyer: compliance.Private, Requirements: 1, BindingRequirements: 2, Offerings: 3, Serving: 4,
		Eligible: 5, EligibleVerified: 6, ServingEligible: 7, ShareEligible: share, ShareEligibleVerified: ptrTo(0.25),
		MedianGapCostEUR: ptrTo(100.0), MedianGapCostHighEUR: ptrTo(150.0), GapCostUnknown: 8, GapCostUnknownSchemes: []string{"u"}, NotClosable: 9, MedianLeadTimeMonths: ptrTo(3.0), LeadTimeUnknown: 10,
		TopBarrier: &compliance.Barrier{Requirement: "de-c5", Title: "C5", Excluded: 11},
		HomeBias: compliance.HomeBias{Domestic: 12, DomesticEligible: 13, DomesticShare: share, OtherEEA: 14, OtherEEAEligible: 15,
			OtherEEAShare: ptrTo(0.1), DomesticMinusOtherEEA: ptrTo(0.4)},
	}
	sameJSON(t, "BarrierRow", row, barrierRowView(row))
	sameJSON(t, "empty BarrierRow", compliance.BarrierRow{}, barrierRowView(compliance.BarrierRow{}))

	w := compliance.WhatIfRow{Country: "FR", Category: "soc", Buyer: compliance.Public, Offerings: 1, Before: 2, After: 3, Change: 4,
		BeforeVerified: 5, AfterVerified: 6, ChangeVerified: 7}
	sameJSON(t, "WhatIfRow", w, whatIfRowView(w))

	opt := compliance.RoadmapOption{Schemes: []compliance.SchemeLevel{{Scheme: "a", Level: "high"}, {Scheme: "b"}}, CostRangeEUR: &compliance.EURRange{LowEUR: 10, HighEUR: 20},
		KnownCostRangeEUR: &compliance.EURRange{LowEUR: 10, HighEUR: 20}, UnknownCostSchemes: []string{}, LeadTimeRangeMonths: &compliance.MonthRange{LowMonths: 1, HighMonths: 2}, Markets: 3, MarketsPer1000EUR: ptrTo(300.0)}
	rm := compliance.Roadmap{Countries: []string{"DE"}, Budget: ptrTo(1000), Cells: 1, Eligible: 2, Unreachable: 3,
		Options: []compliance.RoadmapOption{opt}, UnknownCost: []compliance.RoadmapOption{{Markets: 1, KnownCostRangeEUR: &compliance.EURRange{LowEUR: 1, HighEUR: 2}, UnknownCostSchemes: []string{"u"}}},
		Steps: []compliance.RoadmapStep{{Schemes: opt.Schemes, CostRangeEUR: compliance.EURRange{LowEUR: 10, HighEUR: 20}, Markets: 3,
			TotalCostRangeEUR: compliance.EURRange{LowEUR: 10, HighEUR: 20}, Eligible: 5}}}
	sameJSON(t, "Roadmap", rm, roadmapView(rm))
	empty := compliance.Roadmap{Options: []compliance.RoadmapOption{}, Steps: []compliance.RoadmapStep{}}
	sameJSON(t, "empty Roadmap", empty, roadmapView(empty))

	rec := Recognition{Country: "DE", Scheme: "a", Requirement: "de-c5", Level: "high"}
	sameJSON(t, "Recognition", rec, rec.domain())
}

// The engine's own answers on a synthetic catalogue.
func TestViews_EngineAnswers(t *testing.T) {
	ref, err := compliance.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	e := compliance.NewEngine(ref)
	ps := synth.New(7, ref).Catalogue(40).Profiles()
	for _, p := range ps[:5] {
		for _, a := range e.AssessAll(p, synth.Today) {
			sameJSON(t, "assessment of "+p.Offering.String()+" in "+a.Country, a, assessmentView(a))
		}
	}
	rows, err := e.Barriers(ps, synth.Today, compliance.BarrierFilter{Category: ps[0].Category})
	if err != nil {
		t.Fatal(err)
	}
	sameJSON(t, "barriers", rows, mapSlice(rows, barrierRowView))
	var vendor []compliance.Profile
	for _, p := range ps {
		if p.Vendor == ps[0].Vendor {
			vendor = append(vendor, p)
		}
	}
	rm, err := e.Roadmap(vendor, nil, nil, synth.Today)
	if err != nil {
		t.Fatal(err)
	}
	sameJSON(t, "roadmap", rm, roadmapView(rm))
}

func TestMapSlice(t *testing.T) {
	double := func(i int) int { return 2 * i }
	if got := mapSlice(nil, double); got != nil {
		t.Errorf("nil: %v", got)
	}
	if got := mapSlice([]int{}, double); got == nil || len(got) != 0 {
		t.Errorf("empty: %#v", got)
	}
	if got := mapSlice([]int{1, 2}, double); len(got) != 2 || got[0] != 2 || got[1] != 4 {
		t.Errorf("1, 2: %v", got)
	}
}
