package compliance_test

import (
	"testing"

	"github.com/cybermarket/cybermarket/compliance"

	"github.com/cybermarket/cybermarket/compliance/synth"
)

// Every share of a barrier row carries its n and an interval that contains
// it; every row says how its cell was researched.
func TestBarriers_IntervalsAndCoverage(t *testing.T) {
	ref, err := compliance.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	e := compliance.NewEngine(ref)
	profiles := synth.New(11, ref).Catalogue(300).Profiles()
	rows, err := e.Barriers(profiles, synth.Today, compliance.BarrierFilter{})
	if err != nil {
		t.Fatal(err)
	}
	small := 0
	for _, row := range rows {
		check := func(name string, pr compliance.Proportion, x, n int, share *float64) {
			if pr.N != n || pr.SmallN != (n < 10) {
				t.Fatalf("%s %s %s %s: %+v for %d of %d", row.Country, row.Category, row.Buyer, name, pr, x, n)
			}
			if n == 0 {
				if pr.Low != nil || share != nil {
					t.Fatalf("%s: interval or share without a sample", name)
				}
				return
			}
			if *pr.Low > *share || *share > *pr.High || *pr.Low < 0 || *pr.High > 1 {
				t.Fatalf("%s: share %v outside (%v, %v)", name, *share, *pr.Low, *pr.High)
			}
		}
		check("eligible", row.Intervals.Eligible, row.Eligible, row.Offerings, row.ShareEligible)
		check("verified", row.Intervals.EligibleVerified, row.EligibleVerified, row.Offerings, row.ShareEligibleVerified)
		check("domestic", row.Intervals.Domestic, row.HomeBias.DomesticEligible, row.HomeBias.Domestic, row.HomeBias.DomesticShare)
		check("other", row.Intervals.OtherEEA, row.HomeBias.OtherEEAEligible, row.HomeBias.OtherEEA, row.HomeBias.OtherEEAShare)
		if row.Intervals.Domestic.SmallN {
			small++
		}
		if want := ref.CellState(row.Country, row.Category, row.Buyer); row.Coverage != want || want == compliance.CoverageNotResearched {
			t.Fatalf("%s %s %s: coverage %q, want %q", row.Country, row.Category, row.Buyer, row.Coverage, want)
		}
	}
	if small == 0 {
		t.Error("300 offerings over 30 countries give no small domestic sample: the flag is never exercised")
	}
	for _, row := range rows {
		if row.Country == "IS" && row.Coverage != compliance.CoverageNoNationalRule {
			t.Errorf("IS %s %s: %s, want researched-no-national-rule", row.Category, row.Buyer, row.Coverage)
		}
	}
}
