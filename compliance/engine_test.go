package compliance

import (
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"
	"pgregory.net/rapid"

	"github.com/cybermarket/cybermarket/catalog"
)

// testDay is the day the tests assess on.
var testDay = time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)

var embeddedEngine = sync.OnceValues(func() (*Engine, error) {
	ref, err := Embedded()
	if err != nil {
		return nil, err
	}
	return NewEngine(ref), nil
})

func mustEngine(t testing.TB) *Engine {
	t.Helper()
	e, err := embeddedEngine()
	if err != nil {
		t.Fatalf("Embedded: %v", err)
	}
	return e
}

// held is a verified certification valid for a year either side of testDay.
func held(scheme, level string) Held {
	return Held{ID: uuid.New(), Scheme: scheme, Level: level,
		ValidFrom: testDay.AddDate(-1, 0, 0), ValidUntil: testDay.AddDate(1, 0, 0), Status: catalog.Verified}
}

func withStatus(h Held, s catalog.Verification) Held { h.Status = s; return h }

// localProfile is an offering of a vendor at home in country: established
// there, supporting its official languages and English, data and cleared
// staff there.
func localProfile(t testing.TB, e *Engine, countryCode, category string, certs ...Held) Profile {
	t.Helper()
	c, ok := e.ref.Country(countryCode)
	if !ok {
		t.Fatalf("no country %s", countryCode)
	}
	return Profile{
		Offering: uuid.New(), Vendor: uuid.New(),
		VendorCountry: countryCode, EstablishedIn: []string{countryCode}, Category: category,
		Countries: []string{countryCode}, Languages: append(slices.Clone(c.Languages), "en"),
		DataLocations: []string{countryCode}, ClearedIn: []string{countryCode},
		Certifications: certs,
	}
}

func result(t *testing.T, a Assessment, id string) RequirementResult {
	t.Helper()
	for _, r := range a.Requirements {
		if r.ID == id {
			return r
		}
	}
	ids := make([]string, 0, len(a.Requirements))
	for _, r := range a.Requirements {
		ids = append(ids, r.ID)
	}
	t.Fatalf("%s/%s/%s: requirement %s does not apply; applicable: %v", a.Country, a.Category, a.Buyer, id, ids)
	return RequirementResult{}
}

// TestAssess_Requirements checks requirement outcomes on the real reference
// data: per category, a country where a scheme satisfies a rule and one where
// it does not.
func TestAssess_Requirements(t *testing.T) {
	e := mustEngine(t)
	cases := []struct {
		name              string
		country, category string
		buyer             Buyer
		certs             []Held
		edit              func(*Profile)
		req               string
		want              Outcome
	}{
		// incident-response: PRIS is the French qualification; in Germany it is partial evidence only.
		{"PRIS in France", "FR", "incident-response", Private, []Held{held("pris", "")}, nil, "fr-pris", Met},
		{"PRIS in Germany", "DE", "incident-response", Private, []Held{held("pris", "")}, nil, "de-bsi-ir-providers", PartlyMet},
		{"BSI APT provider in Germany", "DE", "incident-response", Private, []Held{held("bsi-apt-response-provider", "")}, nil, "de-bsi-ir-providers", Met},
		// managed-detection-response: PDIS in France; PDIS does nothing for C5 in Germany.
		{"PDIS in France", "FR", "managed-detection-response", Public, []Held{held("pdis", "")}, nil, "fr-pdis", Met},
		{"PDIS in Germany", "DE", "managed-detection-response", Public, []Held{held("pdis", "")}, nil, "de-c5-sgbv-393", Unmet},
		// penetration-testing: a CISSP qualifies a Polish auditor, not a Finnish inspection body.
		{"CISSP in Poland", "PL", "penetration-testing", Private, []Held{held("cissp", "")}, nil, "pl-ksc-audit-qualifications", Met},
		{"CISSP in Finland", "FI", "penetration-testing", Public, []Held{held("cissp", "")}, nil, "fi-accredited-inspection-body-authorities", Unmet},
		// security-audit: § 8a competence in Germany; not the Austrian NIS audit body.
		{"8a competence in Germany", "DE", "security-audit", Private, []Held{held("bsi-8a-audit-competence", "")}, nil, "de-kritis-pruefende-stelle", Met},
		{"8a competence in Austria", "AT", "security-audit", Private, []Held{held("bsi-8a-audit-competence", "")}, nil, "at-nisg-audit-body", Unmet},
		{"ISO 27001 in Austria", "AT", "security-audit", Private, []Held{held("iso-iec-27001", "")}, nil, "at-nisg-audit-body", PartlyMet},
		// cloud-hosting: C5 type 2 and a German establishment; HDS with data in the EEA in France.
		{"C5 type-2 in Germany", "DE", "cloud-hosting", Private, []Held{held("bsi-c5", "type-2")}, nil, "de-c5-sgbv-393", Met},
		{"C5 type-1 in Germany (level too low)", "DE", "cloud-hosting", Private, []Held{held("bsi-c5", "type-1")}, nil, "de-c5-sgbv-393", Unmet},
		{"C5 type-2 without German establishment", "DE", "cloud-hosting", Private, []Held{held("bsi-c5", "type-2")},
			func(p *Profile) { p.EstablishedIn = []string{"AT"} }, "de-c5-sgbv-393", Unmet},
		{"C5 type-2 in France", "FR", "cloud-hosting", Private, []Held{held("bsi-c5", "type-2")}, nil, "fr-hds", Unmet},
		{"HDS in France", "FR", "cloud-hosting", Private, []Held{held("hds", "")}, nil, "fr-hds", Met},
		{"HDS with data in Norway (EEA)", "FR", "cloud-hosting", Private, []Held{held("hds", "")},
			func(p *Profile) { p.DataLocations = []string{"FR", "NO"} }, "fr-hds", Met},
		{"HDS with data in the US", "FR", "cloud-hosting", Private, []Held{held("hds", "")},
			func(p *Profile) { p.DataLocations = []string{"FR", "US"} }, "fr-hds", Unmet},
		{"Spanish registries with data in Norway (not EU)", "ES", "cloud-hosting", Public, nil,
			func(p *Profile) { p.DataLocations = []string{"NO"} }, "es-eu-location-public-registries", Unmet},
		{"Spanish registries holding no data", "ES", "cloud-hosting", Public, nil,
			func(p *Profile) { p.DataLocations = nil }, "es-eu-location-public-registries", Met},
		// managed-security-services: the Czech cloud catalogue is not the Slovak one.
		{"Czech catalogue in Czechia", "CZ", "managed-security-services", Public, []Held{held("cz-cloud-catalogue", "high")}, nil, "cz-cloud-computing-catalogue", Met},
		{"Czech catalogue in Slovakia", "SK", "managed-security-services", Public, []Held{held("cz-cloud-catalogue", "high")}, nil, "sk-government-cloud-catalogue", Unmet},
		// consulting-governance: BSI IS-Revisor in Germany; Latvia has only partial satisfiers.
		{"IS-Revisor in Germany", "DE", "consulting-governance", Private, []Held{held("bsi-is-revisor", "")}, nil, "de-bsi-personal-certs", Met},
		{"ISO 27001 in Latvia", "LV", "consulting-governance", Private, []Held{held("iso-iec-27001", "")}, nil, "lv-cabinet-regulation-397", NotAssessable}, // partial satisfiers only: supports, cannot decide
		{"KHZG provider without German support", "DE", "consulting-governance", Private, []Held{held("khzg-authorised-it-provider", "")},
			func(p *Profile) { p.Languages = []string{"en"} }, "de-khzg-berechtigter-it-dienstleister", Unmet},
		// training-awareness: ISO 27001 fully satisfies CyFun in Belgium, only partly E-ITS in Estonia.
		{"ISO 27001 in Belgium", "BE", "training-awareness", Private, []Held{held("iso-iec-27001", "")}, nil, "be-cyfun", Met},
		{"ISO 27001 in Estonia", "EE", "training-awareness", Private, []Held{held("iso-iec-27001", "")}, nil, "ee-e-its", PartlyMet},
		{"CyFun basic in Belgium", "BE", "training-awareness", Private, []Held{held("cyfun", "basic")}, nil, "be-cyfun", Met},
		// medical-device-security: NEN 7510 in the Netherlands, not CyFun in Belgium.
		{"NEN 7510 in the Netherlands", "NL", "medical-device-security", Private, []Held{held("nen-7510", "")}, nil, "nl-nen7510", Met},
		{"NEN 7510 in Belgium", "BE", "medical-device-security", Private, []Held{held("nen-7510", "")}, nil, "be-cyfun", Unmet},
		{"IEC 62443 for the MDR (EU-wide, partial)", "AT", "medical-device-security", Private, []Held{held("iec-62443", "")}, nil, "eu-mdr-device-security", NotAssessable}, // partial satisfiers only
		// identity-access-management: CPSTIC in Spain; in France CSPN is needed, EUCC is partial.
		{"CPSTIC in Spain", "ES", "identity-access-management", Public, []Held{held("cpstic", "")}, nil, "es-cpstic", Met},
		{"CPSTIC in France", "FR", "identity-access-management", Public, []Held{held("cpstic", "")}, nil, "fr-cspn", Unmet},
		{"EUCC in France", "FR", "identity-access-management", Public, []Held{held("eucc", "high")}, nil, "fr-cspn", PartlyMet},
		// levels: ENS needs MEDIA or higher.
		{"ENS media", "ES", "security-audit", Public, []Held{held("ens", "media")}, nil, "es-ens-conformity", Met},
		{"ENS alta", "ES", "security-audit", Public, []Held{held("ens", "alta")}, nil, "es-ens-conformity", Met},
		{"ENS basica", "ES", "security-audit", Public, []Held{held("ens", "basica")}, nil, "es-ens-conformity", Unmet},
		{"ENS with an unknown level", "ES", "security-audit", Public, []Held{held("ens", "gold")}, nil, "es-ens-conformity", Unmet},
		// validity: only valid, not suspended, withdrawn or rejected, certifications count.
		{"ENS expired yesterday", "ES", "security-audit", Public,
			[]Held{func() Held { h := held("ens", "alta"); h.ValidUntil = testDay.AddDate(0, 0, -1); return h }()}, nil, "es-ens-conformity", Unmet},
		{"ENS valid until today", "ES", "security-audit", Public,
			[]Held{func() Held { h := held("ens", "alta"); h.ValidUntil = testDay; return h }()}, nil, "es-ens-conformity", Met},
		{"ENS valid from tomorrow", "ES", "security-audit", Public,
			[]Held{func() Held { h := held("ens", "alta"); h.ValidFrom = testDay.AddDate(0, 0, 1); return h }()}, nil, "es-ens-conformity", Unmet},
		{"ENS suspended", "ES", "security-audit", Public, []Held{withStatus(held("ens", "alta"), catalog.Suspended)}, nil, "es-ens-conformity", Unmet},
		{"ENS withdrawn", "ES", "security-audit", Public, []Held{withStatus(held("ens", "alta"), catalog.Withdrawn)}, nil, "es-ens-conformity", Unmet},
		{"ENS rejected", "ES", "security-audit", Public, []Held{withStatus(held("ens", "alta"), catalog.Rejected)}, nil, "es-ens-conformity", Unmet},
		{"ENS self-declared", "ES", "security-audit", Public, []Held{withStatus(held("ens", "alta"), catalog.SelfDeclared)}, nil, "es-ens-conformity", Met},
		// conditions.
		{"Spanish support", "ES", "penetration-testing", Public, nil, nil, "es-language", Met},
		{"no Spanish support", "ES", "penetration-testing", Public, nil, func(p *Profile) { p.Languages = []string{"en", "pt"} }, "es-language", Unmet},
		// KSC art. 14 and 8g as amended by Dz.U. 2026 poz. 252 (in force 2026-04-03; official PDF mirrored in
		// github.com/sebastian-c87/Lex-Assistant, commit e81df5e): the RFC 2350 Polish-and-English condition of
		// Dz.U. 2019 poz. 2479 is gone, so the managed-provider rule is a duty ISO/IEC 27001 can only evidence.
		{"Polish managed-provider duty has no language condition", "PL", "incident-response", Private, []Held{held("iso-iec-27001", "")},
			func(p *Profile) { p.Languages = []string{"pl"} }, "pl-cybersecurity-service-provider-conditions", NotAssessable},
		// tender language in Slovakia (ZVO § 21(6), akkk.sk 2022-01-18): Slovak, or Czech without translation.
		{"Czech support in a Slovak tender", "SK", "penetration-testing", Public, nil, func(p *Profile) { p.Languages = []string{"cs"} }, "sk-procurement-language", Met},
		{"no Slovak or Czech support", "SK", "penetration-testing", Public, nil, func(p *Profile) { p.Languages = []string{"en", "pl"} }, "sk-procurement-language", Unmet},
		// tender language in Slovenia (ZJN-3 art. 36, forum-media.si): Slovenian unless the buyer allows otherwise.
		{"no Slovenian support", "SI", "security-audit", Public, nil, func(p *Profile) { p.Languages = []string{"en"} }, "si-procurement-language", Unmet},
		{"Danish clearance", "DK", "penetration-testing", Public, nil, nil, "dk-pet-security-clearance", Met},
		{"no Danish clearance", "DK", "penetration-testing", Public, nil, func(p *Profile) { p.ClearedIn = []string{"SE"} }, "dk-pet-security-clearance", Unmet},
		// draft schemes cannot be held.
		{"PACS is a draft scheme", "FR", "consulting-governance", Private, []Held{held("pacs", "")}, nil, "fr-pacs", NotAssessable}, // only a draft scheme satisfies it: nothing a vendor can show
		// duties.
		{"NIS2 registration is a duty", "DE", "cloud-hosting", Private, nil, nil, "de-nis2-registration", NotAssessable},
	}
	// The cases of conditional requirements state the context they apply in.
	contexts := map[string]string{
		"NEN 7510 in the Netherlands": "health_data_processed",
		"Danish clearance":            "classified_information",
		"no Danish clearance":         "classified_information",
	}
	for _, tc := range cases {
		t.Run(tc.category+"/"+tc.country+"/"+tc.req+"/"+tc.name, func(t *testing.T) {
			p := localProfile(t, e, tc.country, tc.category, tc.certs...)
			if tc.edit != nil {
				tc.edit(&p)
			}
			c, err := ParseContext(contexts[tc.name])
			if err != nil {
				t.Fatal(err)
			}
			a, err := e.WithContext(c).Assess(p, tc.country, tc.buyer, testDay)
			if err != nil {
				t.Fatal(err)
			}
			if got := result(t, a, tc.req); got.Status != tc.want {
				t.Errorf("status = %s, want %s (%+v)", got.Status, tc.want, got)
			}
		})
	}
}

func TestAssess_EligibilityAndVerification(t *testing.T) {
	e := mustEngine(t)
	// German consulting for hospitals: the KHZG authorisation and German support are binding.
	khzg := held("khzg-authorised-it-provider", "")
	cases := []struct {
		name                   string
		certs                  []Held
		langs                  []string
		eligible, eligibleVer  bool
		gapSchemes, notClosing []string
	}{
		{"verified", []Held{khzg}, []string{"de", "en"}, true, true, nil, nil},
		{"self-declared", []Held{withStatus(khzg, catalog.SelfDeclared)}, []string{"de"}, true, false, nil, nil},
		{"missing", nil, []string{"de"}, false, false, []string{"khzg-authorised-it-provider"}, nil},
		{"no German", []Held{khzg}, []string{"en"}, false, false, nil, []string{"de-khzg-berechtigter-it-dienstleister"}},
	}
	for _, tc := range cases {
		for _, b := range Buyers {
			t.Run(tc.name+"/"+string(b), func(t *testing.T) {
				p := localProfile(t, e, "DE", "consulting-governance", tc.certs...)
				p.Languages = tc.langs
				a, err := e.Assess(p, "DE", b, testDay)
				if err != nil {
					t.Fatal(err)
				}
				if a.Eligible != tc.eligible || a.EligibleVerified != tc.eligibleVer {
					t.Errorf("eligible = %v, verified = %v; want %v, %v", a.Eligible, a.EligibleVerified, tc.eligible, tc.eligibleVer)
				}
				var got, notClosing []string
				for _, s := range a.Gap.Schemes {
					got = append(got, s.Scheme)
				}
				for _, n := range a.Gap.NotClosable {
					notClosing = append(notClosing, n.Requirement)
				}
				if !slices.Equal(got, tc.gapSchemes) || !slices.Equal(notClosing, tc.notClosing) {
					t.Errorf("gap = %v, not closable %v; want %v, %v", got, notClosing, tc.gapSchemes, tc.notClosing)
				}
				r := result(t, a, "de-khzg-berechtigter-it-dienstleister")
				if !r.Binding || r.Strength != Mandatory {
					t.Errorf("de-khzg-berechtigter-it-dienstleister: binding = %v, strength = %s", r.Binding, r.Strength)
				}
				if len(tc.certs) > 0 && tc.eligible {
					want := []Evidence{{Certification: tc.certs[0].ID, Scheme: "khzg-authorised-it-provider", Extent: Full, Verified: tc.eligibleVer}}
					if diff := cmp.Diff(want, r.MetBy); diff != "" {
						t.Errorf("met_by (-want +got):\n%s", diff)
					}
				}
			})
		}
	}
}

func TestAssess_Binding(t *testing.T) {
	e := mustEngine(t)
	cases := []struct {
		country, category string
		buyer             Buyer
		req               string
		binding           bool
	}{
		{"FR", "penetration-testing", Public, "fr-language", true},      // mandatory for public buyers
		{"FR", "penetration-testing", Public, "fr-passi", false},        // de-facto expected
		{"IE", "cloud-hosting", Private, "ie-nis2-registration", false}, // mandatory but pending
		{"DE", "cloud-hosting", Private, "de-c5-sgbv-393", true},        // mandatory
		{"FR", "consulting-governance", Private, "fr-pacs", false},      // optional and pending
		{"NL", "penetration-testing", Private, "nl-ccv-pentest", false}, // optional
		// Act 1406/2011 § 3 (finlex.fi) binds state administration authorities only, not the
		// wellbeing services counties that run public hospitals: optional since the 2026-12-02 check.
		{"FI", "penetration-testing", Public, "fi-accredited-inspection-body-authorities", false},
	}
	for _, tc := range cases {
		t.Run(tc.req+"/"+string(tc.buyer), func(t *testing.T) {
			a, err := e.Assess(localProfile(t, e, tc.country, tc.category), tc.country, tc.buyer, testDay)
			if err != nil {
				t.Fatal(err)
			}
			if got := result(t, a, tc.req); got.Binding != tc.binding {
				t.Errorf("binding = %v, want %v", got.Binding, tc.binding)
			}
		})
	}
	// fr-language concerns public buyers only: it does not apply to private ones.
	a, _ := e.Assess(localProfile(t, e, "FR", "penetration-testing"), "FR", Private, testDay)
	for _, r := range a.Requirements {
		if r.ID == "fr-language" {
			t.Error("fr-language applies to private buyers")
		}
	}
}

func TestAssess_Scope(t *testing.T) {
	e := mustEngine(t)
	has := func(country, id string) bool {
		a, err := e.Assess(localProfile(t, e, country, "medical-device-security"), country, Private, testDay)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range a.Requirements {
			if r.ID == id {
				return true
			}
		}
		return false
	}
	if !has("AT", "eu-mdr-device-security") || has("NO", "eu-mdr-device-security") {
		t.Error("EU-wide eu-mdr-device-security must apply in AT (EU) and not in NO (EEA only)")
	}
	if !has("AT", "eu-gdpr-processor") || !has("NO", "eu-gdpr-processor") {
		t.Error("EEA-wide eu-gdpr-processor must apply in AT and NO")
	}
}

func TestAssess_InputErrors(t *testing.T) {
	e := mustEngine(t)
	p := localProfile(t, e, "DE", "cloud-hosting")
	cases := []struct {
		country, category string
		buyer             Buyer
		field, value      string
	}{
		{"XX", "cloud-hosting", Public, "country", "XX"},
		{"EL", "cloud-hosting", Public, "country", "EL"},
		{"DE", "quantum-healing", Public, "category", "quantum-healing"},
		{"DE", "cloud-hosting", "charity", "buyer", "charity"},
	}
	for _, tc := range cases {
		p.Category = tc.category
		_, err := e.Assess(p, tc.country, tc.buyer, testDay)
		var ie *InputError
		if !errors.As(err, &ie) || ie.Field != tc.field || ie.Value != tc.value {
			t.Errorf("Assess(%s, %s, %s) error = %v, want unknown %s %q", tc.country, tc.category, tc.buyer, err, tc.field, tc.value)
		}
	}
	p.Category = "cloud-hosting"
	if _, err := e.Assess(p, " de ", Public, testDay); err != nil {
		t.Errorf("a lower-case country code: %v", err)
	}
	p.Category = "quantum-healing"
	if got := e.AssessAll(p, testDay); got != nil {
		t.Errorf("AssessAll of an unknown category = %d assessments, want nil", len(got))
	}
}

func TestAssessAll_CoversEveryCell(t *testing.T) {
	e := mustEngine(t)
	p := localProfile(t, e, "DE", "cloud-hosting", held("bsi-c5", "type-2"), held("iso-iec-27001", ""))
	all := e.AssessAll(p, testDay)
	if len(all) != 2*len(e.ref.Countries) {
		t.Fatalf("%d assessments, want %d", len(all), 2*len(e.ref.Countries))
	}
	el := e.Eligibility(p, testDay)
	for i, a := range all {
		want, err := e.Assess(p, a.Country, a.Buyer, testDay)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, a); diff != "" {
			t.Errorf("%s/%s differs from Assess:\n%s", a.Country, a.Buyer, diff)
		}
		if el[i].Country != a.Country || el[i].Buyer != a.Buyer || el[i].Eligible != a.Eligible || el[i].EligibleVerified != a.EligibleVerified {
			t.Errorf("Eligibility[%d] = %+v, AssessAll says %s/%s %v/%v", i, el[i], a.Country, a.Buyer, a.Eligible, a.EligibleVerified)
		}
	}
}

func TestGap_RealData(t *testing.T) {
	e := mustEngine(t)
	// C5 type 1 held: the same scheme at type 2 is the candidate; the GDPR
	// processor duty has partial satisfiers only, so it is not-assessable and
	// not part of the gap, which is then complete.
	p := localProfile(t, e, "DE", "cloud-hosting", held("bsi-c5", "type-1"))
	a, err := e.Assess(p, "DE", Private, testDay)
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Gap.Schemes) != 1 {
		t.Fatalf("gap = %+v", a.Gap)
	}
	g := a.Gap.Schemes[0]
	if g.Scheme != "bsi-c5" || g.Level != "type-2" || !slices.Equal(g.Closes, []string{"de-c5-sgbv-393"}) {
		t.Errorf("gap scheme = %+v, want bsi-c5 type-2 closing de-c5-sgbv-393", g)
	}
	c5 := e.ref.Schemes[slices.IndexFunc(e.ref.Schemes, func(s Scheme) bool { return s.ID == "bsi-c5" })]
	if c5.Cost == nil {
		if a.Gap.CostRangeEUR != nil || a.Gap.TotalCostRangeEUR != nil || a.Gap.UnknownCost != 1 || !slices.Equal(a.Gap.UnknownCostSchemes, []string{"bsi-c5"}) {
			t.Errorf("C5 has no cost in the data: gap = %+v", a.Gap)
		}
	} else if a.Gap.TotalCostRangeEUR == nil || *a.Gap.TotalCostRangeEUR != c5.Cost.Range() || a.Gap.UnknownCost != 0 {
		t.Errorf("C5 costs %+v (%s): gap = %+v", c5.Cost.Range(), c5.Cost.Source.URL, a.Gap)
	}
	if a.Gap.LeadTimeRangeMonths == nil || *a.Gap.LeadTimeRangeMonths != (MonthRange{6, 12}) {
		t.Errorf("lead time = %v, want 6-12 months (C5, agor-legal.com)", a.Gap.LeadTimeRangeMonths)
	}
	if !a.Gap.Complete || len(a.Gap.NotClosable) != 0 {
		t.Errorf("gap complete = %v, not closable = %+v; want complete with nothing unclosable", a.Gap.Complete, a.Gap.NotClosable)
	}

	// French public consulting without French support: not closable by certification.
	p = localProfile(t, e, "FR", "consulting-governance")
	p.Languages = []string{"en"}
	a, _ = e.Assess(p, "FR", Public, testDay)
	var found bool
	for _, n := range a.Gap.NotClosable {
		if n.Requirement == "fr-language" {
			found = strings.Contains(n.Reason, "support is offered in none of: fr")
		}
	}
	if !found {
		t.Errorf("fr-language must be not closable, with the language reason: %+v", a.Gap.NotClosable)
	}
}

func TestHeld_ValidOnMatchesCatalog(t *testing.T) {
	from, until := testDay, testDay.AddDate(0, 0, 2)
	for _, st := range []catalog.Verification{catalog.SelfDeclared, catalog.Verified, catalog.Rejected, catalog.Suspended, catalog.Withdrawn} {
		for d := -1; d <= 3; d++ {
			day := testDay.AddDate(0, 0, d).Add(13 * time.Hour)
			c := catalog.Certification{Status: st, ValidFrom: from, ValidUntil: until}
			h := Held{Status: st, ValidFrom: from, ValidUntil: until}
			if got, want := h.ValidOn(day), c.ValidOn(day); got != want {
				t.Errorf("%s day %+d: Held.ValidOn = %v, catalog says %v", st, d, got, want)
			}
		}
	}
}

func TestProfileOf(t *testing.T) {
	v := catalog.Vendor{ID: uuid.New(), Country: "DE", EstablishedIn: []string{"AT"}}
	o := catalog.Offering{ID: uuid.New(), VendorID: v.ID, Category: "cloud-hosting", Countries: []string{"DE", "AT"},
		Languages: []string{"de", "en"}, DataLocations: []string{"DE"}, ClearedIn: []string{"DE"}}
	other := uuid.New()
	orgWide := catalog.Certification{ID: uuid.New(), VendorID: v.ID, Scheme: "iso-iec-27001", Status: catalog.Verified}
	mine := catalog.Certification{ID: uuid.New(), VendorID: v.ID, Scheme: "bsi-c5", Level: "type-2", OfferingIDs: []uuid.UUID{other, o.ID}}
	notMine := catalog.Certification{ID: uuid.New(), VendorID: v.ID, Scheme: "hds", OfferingIDs: []uuid.UUID{other}}
	otherVendor := catalog.Certification{ID: uuid.New(), VendorID: uuid.New(), Scheme: "pris"}
	p := ProfileOf(v, o, []catalog.Certification{orgWide, mine, notMine, otherVendor})
	var ids []uuid.UUID
	for _, h := range p.Certifications {
		ids = append(ids, h.ID)
	}
	if !slices.Equal(ids, []uuid.UUID{orgWide.ID, mine.ID}) {
		t.Errorf("certifications = %v, want the organisation-wide one and the one listing the offering", ids)
	}
	if p.Certifications[1].Level != "type-2" || p.Certifications[1].Scheme != "bsi-c5" {
		t.Errorf("held = %+v", p.Certifications[1])
	}
	want := Profile{Offering: o.ID, Vendor: v.ID, VendorCountry: "DE", EstablishedIn: []string{"AT", "DE"}, Category: "cloud-hosting",
		Countries: []string{"DE", "AT"}, Languages: []string{"de", "en"}, DataLocations: []string{"DE"}, ClearedIn: []string{"DE"},
		Certifications: p.Certifications}
	if diff := cmp.Diff(want, p); diff != "" {
		t.Errorf("profile (-want +got):\n%s", diff)
	}
}

func TestRequirementBinding(t *testing.T) {
	cases := []struct {
		strength Strength
		status   RequirementStatus
		public   bool
		private  bool
	}{
		{Mandatory, RequirementInForce, true, true},
		{MandatoryForPublicBuyers, RequirementInForce, true, false},
		{DeFactoExpected, RequirementInForce, false, false},
		{Optional, RequirementInForce, false, false},
		{Mandatory, RequirementPending, false, false},
	}
	for _, tc := range cases {
		r := Requirement{Strength: tc.strength, Status: tc.status}
		if r.Binding(Public) != tc.public || r.Binding(Private) != tc.private {
			t.Errorf("%s %s: binding public/private = %v/%v, want %v/%v", tc.strength, tc.status, r.Binding(Public), r.Binding(Private), tc.public, tc.private)
		}
	}
}

// heldGen draws certifications of any scheme (and an unknown one), any level
// (including none and a wrong one), any state and validity around testDay.
func heldGen(ref *Reference) *rapid.Generator[Held] {
	ids := []string{"no-such-scheme"}
	for _, s := range ref.Schemes {
		ids = append(ids, s.ID)
	}
	statuses := []catalog.Verification{catalog.SelfDeclared, catalog.Verified, catalog.Verified, catalog.Rejected, catalog.Suspended, catalog.Withdrawn}
	return rapid.Custom(func(t *rapid.T) Held {
		id := rapid.SampledFrom(ids).Draw(t, "scheme")
		levels := []string{"", "bogus"}
		if s, ok := ref.Scheme(id); ok {
			levels = append(levels, s.Levels...)
			levels = append(levels, s.Levels...)
		}
		from := testDay.AddDate(0, 0, rapid.IntRange(-1500, 30).Draw(t, "from"))
		return Held{
			ID: uuid.UUID{byte(rapid.IntRange(0, 255).Draw(t, "id"))}, Scheme: id,
			Level:     rapid.SampledFrom(levels).Draw(t, "level"),
			ValidFrom: from, ValidUntil: from.AddDate(0, 0, rapid.IntRange(0, 1500).Draw(t, "days")),
			Status: rapid.SampledFrom(statuses).Draw(t, "status"),
		}
	})
}

// validHeldGen draws certifications valid on testDay.
func validHeldGen(ref *Reference) *rapid.Generator[Held] {
	return rapid.Custom(func(t *rapid.T) Held {
		h := heldGen(ref).Draw(t, "held")
		h.ValidFrom, h.ValidUntil = testDay.AddDate(0, -rapid.IntRange(0, 30).Draw(t, "back"), 0), testDay.AddDate(0, rapid.IntRange(0, 30).Draw(t, "ahead"), 0)
		h.Status = rapid.SampledFrom([]catalog.Verification{catalog.SelfDeclared, catalog.Verified}).Draw(t, "status")
		return h
	})
}

// profileGen draws profiles over the reference data of e.
func profileGen(e *Engine) *rapid.Generator[Profile] {
	ref := e.ref
	var countries, langs, cats []string
	for _, c := range ref.Countries {
		countries = append(countries, c.Code)
		langs = append(langs, c.Languages...)
	}
	langs = append(langs, "en", "ja")
	for _, c := range ref.Categories {
		cats = append(cats, c.Slug)
	}
	anywhere := append(slices.Clone(countries), "US", "CH", "IN")
	return rapid.Custom(func(t *rapid.T) Profile {
		home := rapid.SampledFrom(countries).Draw(t, "home")
		p := Profile{
			VendorCountry:  home,
			EstablishedIn:  append(rapid.SliceOfNDistinct(rapid.SampledFrom(countries), 0, 3, rapid.ID[string]).Draw(t, "established"), home),
			Category:       rapid.SampledFrom(cats).Draw(t, "category"),
			Countries:      rapid.SliceOfNDistinct(rapid.SampledFrom(countries), 1, 5, rapid.ID[string]).Draw(t, "countries"),
			Languages:      rapid.SliceOfNDistinct(rapid.SampledFrom(langs), 0, 5, rapid.ID[string]).Draw(t, "languages"),
			DataLocations:  rapid.SliceOfNDistinct(rapid.SampledFrom(anywhere), 0, 3, rapid.ID[string]).Draw(t, "data"),
			ClearedIn:      rapid.SliceOfNDistinct(rapid.SampledFrom(countries), 0, 3, rapid.ID[string]).Draw(t, "cleared"),
			Certifications: rapid.SliceOfN(heldGen(ref), 0, 8).Draw(t, "certifications"),
		}
		return p
	})
}

func TestProperty_VerifiedImpliesEligibleAndKernelAgrees(t *testing.T) {
	e := mustEngine(t)
	rapid.Check(t, func(t *rapid.T) {
		p := profileGen(e).Draw(t, "profile")
		all := e.AssessAll(p, testDay)
		el := e.Eligibility(p, testDay)
		for i, a := range all {
			if a.EligibleVerified && !a.Eligible {
				t.Fatalf("%s/%s: eligible on verified evidence but not on all", a.Country, a.Buyer)
			}
			if el[i].Eligible != a.Eligible || el[i].EligibleVerified != a.EligibleVerified {
				t.Fatalf("%s/%s: Eligibility %+v, AssessAll %v/%v", a.Country, a.Buyer, el[i], a.Eligible, a.EligibleVerified)
			}
			if a.Eligible != (len(a.Gap.Schemes) == 0 && a.Gap.Complete) {
				t.Fatalf("%s/%s: eligible = %v but gap %s", a.Country, a.Buyer, a.Eligible, describeGap(a.Gap))
			}
		}
	})
}

func TestProperty_AddingValidCertificationNeverLowersEligibility(t *testing.T) {
	e := mustEngine(t)
	rapid.Check(t, func(t *rapid.T) {
		p := profileGen(e).Draw(t, "profile")
		q := p
		q.Certifications = append(slices.Clone(p.Certifications), validHeldGen(e.ref).Draw(t, "added"))
		before, after := e.AssessAll(p, testDay), e.AssessAll(q, testDay)
		for i := range before {
			b, a := before[i], after[i]
			if (b.Eligible && !a.Eligible) || (b.EligibleVerified && !a.EligibleVerified) {
				t.Fatalf("%s/%s: eligibility %v/%v became %v/%v", b.Country, b.Buyer, b.Eligible, b.EligibleVerified, a.Eligible, a.EligibleVerified)
			}
			rank := map[Outcome]int{Unmet: 0, PartlyMet: 1, Met: 2, NotAssessable: 3}
			for j := range b.Requirements {
				if rank[a.Requirements[j].Status] < rank[b.Requirements[j].Status] {
					t.Fatalf("%s/%s %s: %s became %s", b.Country, b.Buyer, b.Requirements[j].ID, b.Requirements[j].Status, a.Requirements[j].Status)
				}
			}
		}
	})
}

func TestProperty_InvalidCertificationIsAbsent(t *testing.T) {
	e := mustEngine(t)
	rapid.Check(t, func(t *rapid.T) {
		p := profileGen(e).Draw(t, "profile")
		h := validHeldGen(e.ref).Draw(t, "certification")
		switch rapid.IntRange(0, 4).Draw(t, "why") {
		case 0: // expired
			h.ValidUntil = testDay.AddDate(0, 0, -rapid.IntRange(1, 900).Draw(t, "ago"))
			h.ValidFrom = h.ValidUntil.AddDate(-3, 0, 0)
		case 1: // not yet valid
			h.ValidFrom = testDay.AddDate(0, 0, rapid.IntRange(1, 90).Draw(t, "in"))
			h.ValidUntil = h.ValidFrom.AddDate(3, 0, 0)
		default:
			h.Status = rapid.SampledFrom([]catalog.Verification{catalog.Rejected, catalog.Suspended, catalog.Withdrawn}).Draw(t, "status")
		}
		q := p
		q.Certifications = append(slices.Clone(p.Certifications), h)
		if diff := cmp.Diff(e.AssessAll(p, testDay), e.AssessAll(q, testDay)); diff != "" {
			t.Fatalf("an invalid certification changed the assessment:\n%s", diff)
		}
	})
}

// TestReference_GovernmentCloudsAreNotBinding encodes two corrections of the
// 2026-12-02 check: the Slovak government cloud binds only cloud used for the
// exercise of public authority (Zákon 305/2013 § 10a(5), cloud.statneit.sk),
// and the Romanian one binds central authorities, not hospitals (Law 180/2023
// approving OUG 89/2022, lexcafe.ro 2023-06-28). Neither binds a public buyer.
func TestReference_GovernmentCloudsAreNotBinding(t *testing.T) {
	e := mustEngine(t)
	for _, id := range []string{"sk-government-cloud-catalogue", "ro-government-cloud"} {
		i := slices.IndexFunc(e.ref.Requirements, func(r Requirement) bool { return r.ID == id })
		if i < 0 {
			t.Fatalf("%s missing", id)
		}
		if r := e.ref.Requirements[i]; r.Strength != Optional || r.Binding(Public) {
			t.Errorf("%s: strength %s, binding for public buyers %v; want optional, not binding", id, r.Strength, r.Binding(Public))
		}
	}
}
