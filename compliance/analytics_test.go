package compliance

import (
	"errors"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/google/uuid"
	"pgregory.net/rapid"

	"github.com/cybermarket/cybermarket/catalog"
)

// analyticsRef is the fixture of the analytics tests:
//
//	de-a     DE  mandatory                   pentest, cloud  full a (100 EUR, 6 months)
//	de-lang  DE  mandatory for public buyers pentest, cloud  language: the official one (de)
//	fr-b     FR  mandatory                   cloud           full b (300 EUR, 12 months) or u (unknown cost)
//	fr-opt   FR  optional                    pentest         full c
//	eea-c    EEA mandatory                   cloud           full c (50 EUR, 3 months)
//	no-duty  NO  mandatory                   pentest         a duty
func analyticsRef() *Reference {
	return fixtureRef([]Scheme{
		sch("a", ptr(100), ptr(6.0)),
		sch("b", ptr(300), ptr(12.0)),
		sch("c", ptr(50), ptr(3.0)),
		sch("u", nil, nil),
		sch("lv", ptr(10), ptr(1.0), "low", "high"),
	},
		rq("de-a", full("a", "")),
		Requirement{ID: "de-lang", Strength: MandatoryForPublicBuyers, Buyers: []Buyer{Public}, Conditions: []Condition{{Kind: LanguageCondition}}},
		Requirement{ID: "fr-b", Country: "FR", Categories: []string{"cloud"}, SatisfiedBy: []Satisfier{full("b", ""), full("u", "")}},
		Requirement{ID: "fr-opt", Country: "FR", Strength: Optional, Categories: []string{"pentest"}, SatisfiedBy: []Satisfier{full("c", "")}},
		Requirement{ID: "eea-c", Country: "EEA", Categories: []string{"cloud"}, SatisfiedBy: []Satisfier{full("c", "")}},
		Requirement{ID: "no-duty", Country: "NO", Categories: []string{"pentest"}},
	)
}

func fixProfile(vendorCountry, category string, countries, langs []string, certs ...Held) Profile {
	return Profile{Offering: uuid.New(), Vendor: uuid.New(), VendorCountry: vendorCountry, EstablishedIn: []string{vendorCountry},
		Category: category, Countries: countries, Languages: langs, Certifications: certs}
}

// analyticsProfiles: P1-P4 pentest, C1-C3 cloud.
func analyticsProfiles() []Profile {
	return []Profile{
		fixProfile("DE", "pentest", []string{"DE"}, []string{"de"}, held("a", "")),                                            // P1
		fixProfile("FR", "pentest", []string{"FR", "DE"}, []string{"fr", "en"}),                                               // P2
		fixProfile("FR", "pentest", []string{"FR"}, []string{"de"}, withStatus(held("a", ""), catalog.SelfDeclared)),          // P3
		fixProfile("US", "pentest", []string{"DE", "FR", "NO"}, []string{"en"}),                                               // P4
		fixProfile("DE", "cloud", []string{"DE"}, []string{"de"}, held("a", ""), held("c", "")),                               // C1
		fixProfile("NO", "cloud", []string{"NO"}, []string{"nb"}, held("c", "")),                                              // C2
		fixProfile("DE", "cloud", []string{"DE"}, []string{"de"}, held("a", ""), withStatus(held("c", ""), catalog.Rejected)), // C3
	}
}

func rowOf(t *testing.T, rows []BarrierRow, country, category string, buyer Buyer) BarrierRow {
	t.Helper()
	for _, r := range rows {
		if r.Country == country && r.Category == category && r.Buyer == buyer {
			return r
		}
	}
	t.Fatalf("no row %s/%s/%s", country, category, buyer)
	return BarrierRow{}
}

func TestBarriers_Fixture(t *testing.T) {
	e := NewEngine(analyticsRef())
	rows, err := e.Barriers(analyticsProfiles(), testDay, BarrierFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3*2*2 {
		t.Fatalf("%d rows, want 12 (3 countries x 2 categories x 2 buyers)", len(rows))
	}
	cases := []struct {
		country, category string
		buyer             Buyer
		want              BarrierRow
	}{
		{"DE", "pentest", Public, BarrierRow{
			Requirements: 2, BindingRequirements: 2, Offerings: 4, Serving: 3,
			Eligible: 2, EligibleVerified: 1, ServingEligible: 1,
			ShareEligible: ptr(0.5), ShareEligibleVerified: ptr(0.25),
			NotClosable: 2, // P2 and P4 lack German
			TopBarrier:  &Barrier{Requirement: "de-a", Title: "de-a", Excluded: 2},
			HomeBias: HomeBias{Domestic: 1, DomesticEligible: 1, DomesticShare: ptr(1.0),
				OtherEEA: 2, OtherEEAEligible: 1, OtherEEAShare: ptr(0.5), DomesticMinusOtherEEA: ptr(0.5)},
		}},
		{"DE", "pentest", Private, BarrierRow{
			Requirements: 1, BindingRequirements: 1, Offerings: 4, Serving: 3,
			Eligible: 2, EligibleVerified: 1, ServingEligible: 1,
			ShareEligible: ptr(0.5), ShareEligibleVerified: ptr(0.25),
			MedianGapCostEUR: ptr(100.0), MedianGapCostHighEUR: ptr(200.0), MedianLeadTimeMonths: ptr(6.0),
			TopBarrier: &Barrier{Requirement: "de-a", Title: "de-a", Excluded: 2},
			HomeBias: HomeBias{Domestic: 1, DomesticEligible: 1, DomesticShare: ptr(1.0),
				OtherEEA: 2, OtherEEAEligible: 1, OtherEEAShare: ptr(0.5), DomesticMinusOtherEEA: ptr(0.5)},
		}},
		{"FR", "pentest", Public, BarrierRow{
			Requirements: 1, BindingRequirements: 0, Offerings: 4, Serving: 3,
			// No certificate-decided requirement binds: eligible, on no
			// basis that could be called verified (basis none-required).
			Eligible: 4, EligibleVerified: 0, ServingEligible: 3,
			ShareEligible: ptr(1.0), ShareEligibleVerified: ptr(0.0),
			HomeBias: HomeBias{Domestic: 2, DomesticEligible: 2, DomesticShare: ptr(1.0),
				OtherEEA: 1, OtherEEAEligible: 1, OtherEEAShare: ptr(1.0), DomesticMinusOtherEEA: ptr(0.0)},
		}},
		{"FR", "cloud", Private, BarrierRow{
			Requirements: 2, BindingRequirements: 2, Offerings: 3, Serving: 0,
			ShareEligible: ptr(0.0), ShareEligibleVerified: ptr(0.0),
			// C1 and C3 need b (300), C2 needs b (300): the known-cost b beats the unknown u.
			// C3's c is rejected, so it needs c too: 350.
			MedianGapCostEUR: ptr(300.0), MedianGapCostHighEUR: ptr(600.0), MedianLeadTimeMonths: ptr(12.0),
			TopBarrier: &Barrier{Requirement: "fr-b", Title: "fr-b", Excluded: 3},
			HomeBias:   HomeBias{OtherEEA: 3, OtherEEAShare: ptr(0.0)},
		}},
		{"NO", "cloud", Public, BarrierRow{
			Requirements: 1, BindingRequirements: 1, Offerings: 3, Serving: 1,
			Eligible: 2, EligibleVerified: 2, ServingEligible: 1,
			ShareEligible: ptr(2.0 / 3), ShareEligibleVerified: ptr(2.0 / 3),
			MedianGapCostEUR: ptr(50.0), MedianGapCostHighEUR: ptr(100.0), MedianLeadTimeMonths: ptr(3.0),
			TopBarrier: &Barrier{Requirement: "eea-c", Title: "eea-c", Excluded: 1},
			HomeBias: HomeBias{Domestic: 1, DomesticEligible: 1, DomesticShare: ptr(1.0),
				OtherEEA: 2, OtherEEAEligible: 1, OtherEEAShare: ptr(0.5), DomesticMinusOtherEEA: ptr(0.5)},
		}},
	}
	for _, tc := range cases {
		t.Run(tc.country+"/"+tc.category+"/"+string(tc.buyer), func(t *testing.T) {
			want := tc.want
			want.Country, want.Category, want.Buyer = tc.country, tc.category, tc.buyer
			if diff := cmp.Diff(want, rowOf(t, rows, tc.country, tc.category, tc.buyer), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("row (-want +got):\n%s", diff)
			}
		})
	}

	// Filters.
	rows, err = e.Barriers(analyticsProfiles(), testDay, BarrierFilter{Category: "cloud", Buyer: Private})
	if err != nil || len(rows) != 3 {
		t.Fatalf("filtered: %d rows, %v; want 3", len(rows), err)
	}
	for _, r := range rows {
		if r.Category != "cloud" || r.Buyer != Private {
			t.Errorf("filtered row %s/%s/%s", r.Country, r.Category, r.Buyer)
		}
	}
	var ie *InputError
	if _, err := e.Barriers(nil, testDay, BarrierFilter{Category: "nope"}); !errors.As(err, &ie) || ie.Field != "category" {
		t.Errorf("unknown category: %v", err)
	}
	if _, err := e.Barriers(nil, testDay, BarrierFilter{Buyer: "nope"}); !errors.As(err, &ie) || ie.Field != "buyer" {
		t.Errorf("unknown buyer: %v", err)
	}
}

func TestMedian(t *testing.T) {
	cases := []struct {
		in   []weighted
		want *float64
	}{
		{nil, nil},
		{[]weighted{{5, 1}}, ptr(5.0)},
		{[]weighted{{5, 1}, {1, 1}}, ptr(3.0)},
		{[]weighted{{9, 1}, {1, 2}}, ptr(1.0)},
		{[]weighted{{1, 2}, {9, 2}}, ptr(5.0)},
		{[]weighted{{3, 0}, {7, 3}, {1, 1}}, ptr(7.0)},
	}
	for _, tc := range cases {
		if got := median(tc.in); !cmp.Equal(got, tc.want) {
			t.Errorf("median(%v) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

// TestBarriers_MatchesAssess recounts the barriers matrix with Assess on
// random real-data profiles.
func TestBarriers_MatchesAssess(t *testing.T) {
	e := mustEngine(t)
	rapid.Check(t, func(t *rapid.T) {
		profiles := rapid.SliceOfN(profileGen(e), 1, 30).Draw(t, "profiles")
		rows, err := e.Barriers(profiles, testDay, BarrierFilter{})
		if err != nil {
			t.Fatal(err)
		}
		type key struct {
			country, category string
			buyer             Buyer
		}
		want := map[key]*BarrierRow{}
		excluded := map[key]map[string]int{}
		for _, p := range profiles {
			for _, a := range e.AssessAll(p, testDay) {
				k := key{a.Country, a.Category, a.Buyer}
				r := want[k]
				if r == nil {
					r = &BarrierRow{}
					want[k] = r
					excluded[k] = map[string]int{}
				}
				r.Offerings++
				r.Eligible += b2i(a.Eligible)
				r.EligibleVerified += b2i(a.EligibleVerified)
				if !a.Eligible && !a.Gap.Complete {
					r.NotClosable++
				}
				if !a.Eligible && a.Gap.Complete && a.Gap.TotalCostRangeEUR == nil {
					r.GapCostUnknown++
				}
				for _, req := range a.Requirements {
					if req.Binding && (req.Status == Unmet || req.Status == PartlyMet) {
						excluded[k][req.ID]++
					}
				}
			}
		}
		for _, row := range rows {
			k := key{row.Country, row.Category, row.Buyer}
			w := want[k]
			if w == nil {
				if row.Offerings != 0 {
					t.Fatalf("%v: %d offerings, want none", k, row.Offerings)
				}
				continue
			}
			got := [5]int{row.Offerings, row.Eligible, row.EligibleVerified, row.NotClosable, row.GapCostUnknown}
			exp := [5]int{w.Offerings, w.Eligible, w.EligibleVerified, w.NotClosable, w.GapCostUnknown}
			if got != exp {
				t.Fatalf("%v: offerings, eligible, verified, not closable, unknown cost = %v, Assess says %v", k, got, exp)
			}
			if row.TopBarrier != nil && excluded[k][row.TopBarrier.Requirement] != row.TopBarrier.Excluded {
				t.Fatalf("%v: top barrier %+v, Assess counts %d", k, row.TopBarrier, excluded[k][row.TopBarrier.Requirement])
			}
			for id, n := range excluded[k] {
				if row.TopBarrier == nil || n > row.TopBarrier.Excluded {
					t.Fatalf("%v: %s excludes %d, more than the top barrier %+v", k, id, n, row.TopBarrier)
				}
			}
		}
	})
}

func TestWhatIf_Fixture(t *testing.T) {
	e := NewEngine(analyticsRef())
	profiles := analyticsProfiles()

	// FR accepts a for fr-b: C1 (a and c) becomes eligible in FR.
	rows, err := e.WhatIf(profiles, testDay, []Recognition{{Country: "FR", Scheme: "a", Requirement: "fr-b"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 4 {
		t.Fatalf("%d rows, want FR x 2 categories x 2 buyers", len(rows))
	}
	for _, r := range rows {
		want := WhatIfRow{Country: "FR", Category: r.Category, Buyer: r.Buyer, Offerings: 4, Before: 4, After: 4} // nothing certificate-decided binds: never "verified"
		if r.Category == "cloud" {
			want = WhatIfRow{Country: "FR", Category: "cloud", Buyer: r.Buyer, Offerings: 3, Before: 0, After: 1, Change: 1, AfterVerified: 1, ChangeVerified: 1}
		}
		if diff := cmp.Diff(want, r); diff != "" {
			t.Errorf("row (-want +got):\n%s", diff)
		}
	}

	// An EEA-wide requirement changed in DE only: C3 (a, c rejected) gains DE, not NO.
	rows, err = e.WhatIf(profiles, testDay, []Recognition{
		{Country: "DE", Scheme: "a", Requirement: "eea-c"},
		{Country: "NO", Scheme: "u", Requirement: "eea-c"},
	})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for _, r := range rows {
		if r.Category == "cloud" {
			got[r.Country+"/"+string(r.Buyer)] = r.Change
		}
	}
	// DE public: C1 eligible before; C3 gains (German support). DE private: the same.
	if diff := cmp.Diff(map[string]int{"DE/public": 1, "DE/private": 1, "NO/public": 0, "NO/private": 0}, got); diff != "" {
		t.Errorf("changes (-want +got):\n%s", diff)
	}

	// A level: lv at high satisfies fr-b in FR; nobody holds it.
	if _, err := e.WhatIf(profiles, testDay, []Recognition{{Country: "FR", Scheme: "lv", Requirement: "fr-b", Level: "high"}}); err != nil {
		t.Errorf("a valid level: %v", err)
	}

	bad := []struct {
		rec   Recognition
		field string
	}{
		{Recognition{Country: "XX", Scheme: "a", Requirement: "fr-b"}, "scenario[1].country"},
		{Recognition{Country: "FR", Scheme: "zz", Requirement: "fr-b"}, "scenario[1].scheme"},
		{Recognition{Country: "FR", Scheme: "a", Requirement: "nope"}, "scenario[1].requirement"},
		{Recognition{Country: "FR", Scheme: "a", Requirement: "de-a"}, "scenario[1].requirement"},
		{Recognition{Country: "NO", Scheme: "a", Requirement: "de-a"}, "scenario[1].requirement"},
		{Recognition{Country: "FR", Scheme: "lv", Requirement: "fr-b", Level: "mid"}, "scenario[1].level"},
		{Recognition{Country: "FR", Scheme: "a", Requirement: "fr-b", Level: "high"}, "scenario[1].level"},
	}
	for _, tc := range bad {
		_, err := e.WhatIf(profiles, testDay, []Recognition{{Country: "FR", Scheme: "a", Requirement: "fr-b"}, tc.rec})
		var ie *InputError
		if !errors.As(err, &ie) || ie.Field != tc.field {
			t.Errorf("%+v: error %v, want one naming %s", tc.rec, err, tc.field)
		}
	}
	if _, err := e.WhatIf(profiles, testDay, nil); err == nil {
		t.Error("an empty scenario must fail")
	}
}

// TestWhatIf_RealData: if Germany accepted SecNumCloud for C5, French
// SecNumCloud holders established in Germany would gain the German C5 rule.
func TestWhatIf_RealData(t *testing.T) {
	e := mustEngine(t)
	p := localProfile(t, e, "DE", "cloud-hosting", held("secnumcloud", ""))
	before, _ := e.Assess(p, "DE", Private, testDay)
	if result(t, before, "de-c5-sgbv-393").Status == Met {
		t.Fatal("SecNumCloud must not meet de-c5-sgbv-393 today")
	}
	// eu-gdpr-processor (partial satisfiers only) keeps everyone ineligible in
	// cloud hosting, so recognise a full satisfier for it too.
	rows, err := e.WhatIf([]Profile{p}, testDay, []Recognition{
		{Country: "DE", Scheme: "secnumcloud", Requirement: "de-c5-sgbv-393"},
		{Country: "DE", Scheme: "secnumcloud", Requirement: "eu-gdpr-processor"},
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if r.Category == "cloud-hosting" && (r.Before != 0 || r.After != 1) {
			t.Errorf("%s/%s: before %d after %d, want 0 and 1", r.Country, r.Buyer, r.Before, r.After)
		}
	}
}

func TestRoadmap_Fixture(t *testing.T) {
	e := NewEngine(analyticsRef())
	vendor := uuid.New()
	r1 := fixProfile("DE", "pentest", []string{"DE"}, []string{"de", "fr"})
	r2 := fixProfile("DE", "cloud", []string{"DE"}, []string{"de", "fr"})
	r1.Vendor, r2.Vendor = vendor, vendor
	profiles := []Profile{r1, r2}

	describe := func(o RoadmapOption) string {
		s := ""
		for i, x := range o.Schemes {
			if i > 0 {
				s += "+"
			}
			s += x.Scheme
		}
		per := "nil"
		if o.MarketsPer1000EUR != nil {
			per = fmt.Sprintf("%.2f", *o.MarketsPer1000EUR)
		}
		return fmt.Sprintf("%s:%d:%s", s, o.Markets, per)
	}
	steps := func(rm Roadmap) []string {
		var out []string
		for _, s := range rm.Steps {
			names := ""
			for i, x := range s.Schemes {
				if i > 0 {
					names += "+"
				}
				names += x.Scheme
			}
			out = append(out, fmt.Sprintf("%s:%s:+%d=%s/%d", names, eurString(&s.CostRangeEUR), s.Markets, eurString(&s.TotalCostRangeEUR), s.Eligible))
		}
		return out
	}

	rm, err := e.Roadmap(profiles, nil, nil, testDay)
	if err != nil {
		t.Fatal(err)
	}
	if rm.Cells != 12 || rm.Eligible != 4 || rm.Unreachable != 0 {
		t.Errorf("cells %d eligible %d unreachable %d, want 12, 4, 0", rm.Cells, rm.Eligible, rm.Unreachable)
	}
	var options, unknown []string
	for _, o := range rm.Options {
		options = append(options, describe(o))
	}
	for _, o := range rm.UnknownCost {
		unknown = append(unknown, describe(o))
	}
	// a+c open R2 in DE, which neither opens alone; b+c open R2 in FR.
	if diff := cmp.Diff([]string{"a+c:6:40.00", "c:2:40.00", "a:2:20.00", "b+c:4:11.43"}, options); diff != "" {
		t.Errorf("options (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"c+u:4:nil"}, unknown); diff != "" {
		t.Errorf("unknown-cost options (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"a+c:150-300:+6=150-300/10", "b:300-600:+2=450-900/12"}, steps(rm)); diff != "" {
		t.Errorf("steps (-want +got):\n%s", diff)
	}

	for _, tc := range []struct {
		budget int
		want   []string
	}{
		// The budget bounds the high ends: a+c (150-300) fits 300, not 200.
		{300, []string{"a+c:150-300:+6=150-300/10"}},
		{200, []string{"c:50-100:+2=50-100/6"}},
		{60, nil},
		{10, nil},
	} {
		rm, err := e.Roadmap(profiles, nil, ptr(tc.budget), testDay)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(tc.want, steps(rm)); diff != "" {
			t.Errorf("budget %d: steps (-want +got):\n%s", tc.budget, diff)
		}
	}

	// Countries narrow the cells: NO only needs c.
	rm, _ = e.Roadmap(profiles, []string{"no"}, nil, testDay)
	if rm.Cells != 4 || rm.Eligible != 2 || len(rm.Steps) != 1 || rm.Steps[0].Schemes[0].Scheme != "c" {
		t.Errorf("NO roadmap: %+v", rm)
	}
	// Unreachable: a French pentester without German support cannot serve German public buyers.
	r3 := fixProfile("FR", "pentest", nil, []string{"fr"})
	r3.Vendor = vendor
	rm, _ = e.Roadmap([]Profile{r3}, []string{"DE"}, nil, testDay)
	if rm.Cells != 2 || rm.Unreachable != 1 || len(rm.Steps) != 1 || rm.Steps[0].Markets != 1 {
		t.Errorf("DE roadmap without German: %+v", rm)
	}

	var ie *InputError
	if _, err := e.Roadmap(profiles, []string{"XX"}, nil, testDay); !errors.As(err, &ie) || ie.Field != "countries" {
		t.Errorf("unknown country: %v", err)
	}
	if _, err := e.Roadmap(profiles, nil, ptr(-1), testDay); !errors.As(err, &ie) || ie.Field != "budget" {
		t.Errorf("negative budget: %v", err)
	}
	other := fixProfile("DE", "cloud", nil, nil)
	if _, err := e.Roadmap([]Profile{r1, other}, nil, nil, testDay); !errors.As(err, &ie) || ie.Field != "profiles[1].vendor" {
		t.Errorf("two vendors: %v", err)
	}
}

// TestBarriers_ManyBindingRequirements exercises cells with more than 64
// binding requirements (the path without bit masks).
func TestBarriers_ManyBindingRequirements(t *testing.T) {
	var schemes []Scheme
	var reqs []Requirement
	for i := range 70 {
		id := fmt.Sprintf("s%02d", i)
		schemes = append(schemes, sch(id, ptr(10+i), ptr(1.0)))
		reqs = append(reqs, rq(fmt.Sprintf("r%02d", i), full(id, "")))
	}
	e := NewEngine(fixtureRef(schemes, reqs...))
	var all []Held
	for i := range 70 {
		all = append(all, held(fmt.Sprintf("s%02d", i), ""))
	}
	profiles := []Profile{
		fixProfile("DE", "pentest", []string{"DE"}, []string{"de"}, all...),      // eligible
		fixProfile("DE", "pentest", []string{"DE"}, []string{"de"}, all[:69]...), // lacks s69
		fixProfile("FR", "pentest", []string{"DE"}, []string{"de"}, all[1:]...),  // lacks s00
	}
	rows, err := e.Barriers(profiles, testDay, BarrierFilter{Category: "pentest", Buyer: Private})
	if err != nil {
		t.Fatal(err)
	}
	row := rowOf(t, rows, "DE", "pentest", Private)
	if row.BindingRequirements != 70 || row.Eligible != 1 || row.MedianGapCostEUR == nil || *row.MedianGapCostEUR != (10+79)/2.0 {
		t.Errorf("row = %+v (median %v), want 70 binding, 1 eligible, median gap (10+79)/2", row, row.MedianGapCostEUR)
	}
	if row.TopBarrier == nil || row.TopBarrier.Requirement != "r00" || row.TopBarrier.Excluded != 1 {
		t.Errorf("top barrier %+v, want r00 excluding 1", row.TopBarrier)
	}
	for i, p := range profiles {
		a, _ := e.Assess(p, "DE", Private, testDay)
		el := e.Eligibility(p, testDay)
		if el[1].Buyer != Private || el[1].Eligible != a.Eligible {
			t.Errorf("profile %d: Eligibility %+v, Assess %v", i, el[1], a.Eligible)
		}
	}
	rm, err := e.Roadmap(profiles[1:2], []string{"DE"}, nil, testDay)
	if err != nil || len(rm.Steps) != 1 || rm.Steps[0].Schemes[0].Scheme != "s69" || rm.Steps[0].Markets != 2 {
		t.Errorf("roadmap %+v, %v; want s69 opening DE for both buyers", rm.Steps, err)
	}
}
