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
		// Converted at the ECB reference rate of 2025-12-30 (1 EUR = 1.1757 USD = 0.87120 GBP, dpa-AFX on finanzen.net).
		{"soc-2", 17011, 127584, "https://linfordco.com/blog/soc-audit-cost"},
		{"cisa", 489, 646, "https://www.surgent.com/cisa-exam-review/faqs/"},
		{"cissp", 637, 637, "https://eatsip365.com/included-in-the-cissp-certification-exam-cost"},
		{"cyber-essentials", 344, 344, "https://iasme.atlassian.net/wiki/pages/viewpage.action?pageId=3199860787"},
		{"europrivacy", 6000, 6000, "https://www.dp-institute.eu/en/what-is-europrivacy/"},
		// Third pass (2026-12-02): research/costs-2026-12.yaml.
		{"ens", 2500, 8000, "https://github.com/arnau-avson/avson-web2/blob/eccd3f363b87ab0030085edd456a7bd843832ecb/code_new_react/src/pages/blog/CuantoCuestaCertificadoEns.tsx"},
		{"khzg-authorised-it-provider", 0, 0, "https://bundesgesundheitsministerium.de/krankenhauszukunftsgesetz/faq-khzg.html"},
		{"hds", 20000, 30000, "https://www.dsih.fr/article/2703/hds-v2-y-aller-ou-pas.html"},
		{"cyfun", 5000, 25000, "https://easycyberprotection.com/learn/cyberfundamentals/mock-audit"},
		{"bsi-it-grundschutz", 2978, 2978, "https://github.com/bundestag/gesetze/blob/a7b14b93edda3c7faa6a01ba1cdf84fe43e53e3c/b/bmibgebv/index.md"},
		{"bsi-c5", 40000, 120000, "https://github.com/GovaGuard/landing-page/blob/fa41f2cebced4eddd6c87e7806debdb8290bfac7/templates/insight-c5-kosten.html"},
		{"csa-star", 15000, 60000, "https://atlantsecurity.com/blog/csa2-certification-complete-guide-cloud-security"},
		// Fourth pass (2026-12-02): research/costs-pass4.yaml; USD 2,008 at the rate above.
		// HUF 390,000 and 780,000 at the MNB rate of 2025-12-31 (385.4 HUF, Portfolio.hu).
		{"sztfh-registered-auditor", 1012, 2024, "https://github.com/ryzen3100/magyar-jogszabaly-mcp/blob/53819c9f7843470c4225202015c7278b17b1c80d/data/seed/hu-law-2023-15-20-8k.json"},
		{"iso-27001-lead-auditor", 1708, 1708, "https://github.com/PaulJerimy/SecCertRoadmapHTML/blob/08d8c6317ce436645b49e46c724d487107f5a9fa/Security-Certification-Roadmap9.html"},
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
		{"cz-cloud-catalogue", 2.5, 5.5, "https://github.com/flatiocom/czech-law-md/blob/76d8a52ae3e7eb25ec9d290c58cadd2c70db3293/zakony/2000/365-2000.md"},
		{"sztfh-registered-auditor", 3, 3, "https://github.com/Ansvar-Systems/Hungarian-law-mcp/blob/f49a3931dd910d97ce17def87719443f606e5cf7/data/seed/hu-law-2024-69-00-00.json"},
		{"ens", 3, 12, "https://github.com/arnau-avson/avson-web2/blob/eccd3f363b87ab0030085edd456a7bd843832ecb/code_new_react/src/pages/blog/CuantoCuestaCertificadoEns.tsx"},
		{"khzg-authorised-it-provider", 0, 0, "https://www.borchers-kollegen.de/blog/dr-jan-appel/khzg-zertifikat/"},
		{"csa-star", 2, 4, "https://atlantsecurity.com/blog/csa2-certification-complete-guide-cloud-security"},
		{"iso-27001-lead-auditor", 0.25, 0.25, "https://github.com/mfroehlymscpi/pilotage_securite/blob/0b2a4afe99be27168161c2e80db1e8cb1d40d7ca/archive/Certifications_Budget_Formation.md"},
		{"acn-cloud-qualification", 2, 2.5, "https://www.marekhronec.com/knowledge-base/compliance/italy-acn-cloud-qualification"},
		{"acn-cloud-infrastructure-qualification", 2, 2.5, "https://www.marekhronec.com/knowledge-base/compliance/italy-acn-cloud-qualification"},
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
		{"DE health cloud needs C5 type 2 (EUR 40,000-120,000, GovaGuard citing ingenieur.de)", "DE", "cloud-hosting", "bsi-c5",
			&EURRange{40000, 120000}},
		{"RO statutory audit needs a DNSC-attested auditor (no fee found)", "RO", "security-audit", "dnsc-attested-auditor", nil},
		{"DE KHZG consulting needs the BAS authorisation (free training, BMG FAQ): a known 0, not unknown", "DE",
			"consulting-governance", "khzg-authorised-it-provider", &EURRange{0, 0}},
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
