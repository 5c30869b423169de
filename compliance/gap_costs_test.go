package compliance

import (
	"slices"
	"testing"
)

// TestSchemeCosts_Sourced pins the sourced cost and lead-time ranges of the
// reference data to the page each was read in: a changed figure or source
// must change this table too.
func TestSchemeCosts_Sourced(t *testing.T) {
	ref := mustEngine(t).ref
	for _, tc := range []struct {
		scheme    string
		low, high int
		source    string
	}{
		{"iso-iec-27001", 4500, 4500, "https://www.budgetcertificering.nl/faq/hoe-hoog-zijn-de-certificeringskosten/"},
		{"iso-9001", 3500, 3500, "https://www.budgetcertificering.nl/faq/hoe-hoog-zijn-de-certificeringskosten/"},
		{"expertcyber", 800, 800, "https://cyberguerre.numerama.com/5236-a-quoi-va-servir-expert-cyber-le-nouveau-label-du-gouvernement.html"},
		{"sk-cybersecurity-auditor", 500, 500, "https://cybercompetence.sk/certifikacna-skuska-auditor-kb/"},
	} {
		t.Run(tc.scheme, func(t *testing.T) {
			s, ok := ref.Scheme(tc.scheme)
			if !ok {
				t.Fatalf("no scheme %s", tc.scheme)
			}
			if s.Cost == nil || s.Cost.Range() != (EURRange{tc.low, tc.high}) || s.Cost.Source.URL != tc.source {
				t.Errorf("cost = %+v, want %d-%d EUR from %s", s.Cost, tc.low, tc.high, tc.source)
			}
		})
	}
	for _, tc := range []struct {
		scheme    string
		low, high float64
		source    string
	}{
		{"bsi-c5", 6, 12, "https://agor-legal.com/c5-testat-schreckgespenst-oder-reales-problem/"},
		{"isae-3402", 6, 12, "https://www.qresultancy.nl/isae-3402/"},
		{"cz-cloud-catalogue", 1.5, 1.5, "https://podnikatel.cz/zakony/zakon-o-informacnich-systemech-verejne-spravy-a-o-zmene-nekterych-dalsich-zakonu/zneni-20210901/f7170107"},
	} {
		t.Run(tc.scheme+" lead time", func(t *testing.T) {
			s, _ := ref.Scheme(tc.scheme)
			if s.LeadTime == nil || s.LeadTime.Range() != (MonthRange{tc.low, tc.high}) || s.LeadTime.Source.URL != tc.source {
				t.Errorf("lead time = %+v, want %g-%g months from %s", s.LeadTime, tc.low, tc.high, tc.source)
			}
		})
	}
}

// TestGap_CostsFromTheReference checks real gaps: the scheme's own range
// (sourced above) reaches the gap, and a scheme of unknown cost is named,
// never priced at 0.
func TestGap_CostsFromTheReference(t *testing.T) {
	e := mustEngine(t)
	for _, tc := range []struct {
		name, country, category, scheme string
		want                            *EURRange // nil: unknown cost
	}{
		{"SK statutory audit needs the certified auditor (EUR 500 exam, cybercompetence.sk)", "SK", "security-audit",
			"sk-cybersecurity-auditor", &EURRange{500, 500}},
		{"DE health cloud needs C5 type 2 (no fee found)", "DE", "cloud-hosting", "bsi-c5", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, err := e.Assess(localProfile(t, e, tc.country, tc.category), tc.country, Private, testDay)
			if err != nil {
				t.Fatal(err)
			}
			i := slices.IndexFunc(a.Gap.Schemes, func(s GapScheme) bool { return s.Scheme == tc.scheme })
			if i < 0 {
				t.Fatalf("gap %+v lacks %s", a.Gap, tc.scheme)
			}
			got := a.Gap.Schemes[i].CostRangeEUR
			unknown := slices.Contains(a.Gap.UnknownCostSchemes, tc.scheme)
			switch {
			case tc.want == nil && (got != nil || !unknown):
				t.Errorf("%s: cost %v, unknown %v; want unknown and named", tc.scheme, got, a.Gap.UnknownCostSchemes)
			case tc.want != nil && (got == nil || *got != *tc.want || unknown):
				t.Errorf("%s: cost %v, want %v", tc.scheme, got, *tc.want)
			case tc.want != nil && (a.Gap.CostRangeEUR == nil || a.Gap.CostRangeEUR.LowEUR < tc.want.LowEUR):
				t.Errorf("gap cost %v does not include %s's %v", a.Gap.CostRangeEUR, tc.scheme, *tc.want)
			}
			if a.Gap.TotalCostRangeEUR != nil && (a.Gap.UnknownCost > 0 || !a.Gap.Complete) {
				t.Errorf("a total %v with %d unknown (complete %v)", a.Gap.TotalCostRangeEUR, a.Gap.UnknownCost, a.Gap.Complete)
			}
		})
	}
}
