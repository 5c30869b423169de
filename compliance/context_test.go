package compliance

import (
	"slices"
	"strings"
	"testing"
)

func mustContext(t *testing.T, s string) Context {
	t.Helper()
	c, err := ParseContext(s)
	if err != nil {
		t.Fatalf("ParseContext(%q): %v", s, err)
	}
	return c
}

func TestParseContext(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"default", ""},
		{"Security_Sensitive", "security_sensitive"},
		{"security_sensitive, -health_data_processed", "-health_data_processed,security_sensitive"},
		{"-nis2_entity,health_data_hosted", "health_data_hosted,-nis2_entity"},
	} {
		if got := mustContext(t, tc.in).String(); got != tc.want {
			t.Errorf("ParseContext(%q).String() = %q, want %q", tc.in, got, tc.want)
		}
	}
	for _, bad := range []string{"clearance", "security_sensitive,-security_sensitive", "health_data_hosted,,"} {
		if _, err := ParseContext(bad); err == nil {
			t.Errorf("ParseContext(%q) = nil error, want an InputError", bad)
		}
	}
}

func TestContext_DefaultsNameKnownCategories(t *testing.T) {
	e := mustEngine(t)
	for _, f := range Facts {
		for _, c := range f.Defaults {
			if _, ok := e.ref.Category(c); !ok {
				t.Errorf("fact %s: default category %q is not a category of the reference data", f.Fact, c)
			}
		}
	}
	// Resolve: stated facts win over defaults.
	c := mustContext(t, "-health_data_hosted,security_sensitive")
	got := c.Resolve("cloud-hosting")
	if got[HealthDataHosted] || !got[SecuritySensitive] || !got[HealthDataProcessed] || !got[NIS2Entity] || got[ClassifiedInformation] {
		t.Errorf("Resolve(cloud-hosting) = %v", got)
	}
}

// TestAssess_TenderContext checks the cases the issue names.
func TestAssess_TenderContext(t *testing.T) {
	e := mustEngine(t)
	t.Run("DE incident response, public hospital, default context: no clearance needed", func(t *testing.T) {
		p := localProfile(t, e, "DE", "incident-response")
		p.ClearedIn = nil
		a, err := e.Assess(p, "DE", Public, testDay)
		if err != nil {
			t.Fatal(err)
		}
		r := result(t, a, "de-sue-clearance")
		if r.Applies || r.Binding || r.Status != NotApplicable || r.AppliesWhen != "security_sensitive or classified_information" {
			t.Errorf("de-sue-clearance = %+v, want not applicable, not binding", r)
		}
		if slices.ContainsFunc(a.Gap.NotClosable, func(n NotClosable) bool { return n.Requirement == "de-sue-clearance" }) {
			t.Errorf("de-sue-clearance blocks by default: %+v", a.Gap.NotClosable)
		}
	})
	t.Run("DE incident response, public hospital, security_sensitive: clearance blocks", func(t *testing.T) {
		p := localProfile(t, e, "DE", "incident-response")
		p.ClearedIn = nil
		a, err := e.WithContext(mustContext(t, "security_sensitive")).Assess(p, "DE", Public, testDay)
		if err != nil {
			t.Fatal(err)
		}
		r := result(t, a, "de-sue-clearance")
		if !r.Applies || !r.Binding || r.Status != Unmet || a.Eligible {
			t.Errorf("de-sue-clearance = %+v, eligible %v; want binding, unmet, not eligible", r, a.Eligible)
		}
		if !a.Context.Equal(mustContext(t, "security_sensitive")) {
			t.Errorf("assessment context = %q", a.Context)
		}
		p.ClearedIn = []string{"DE"}
		if a, _ := e.WithContext(mustContext(t, "security_sensitive")).Assess(p, "DE", Public, testDay); result(t, a, "de-sue-clearance").Status != Met {
			t.Errorf("with German clearance: %+v", result(t, a, "de-sue-clearance"))
		}
	})
	for _, tc := range []struct {
		name, context string
		certs         []Held
		want          Outcome
	}{
		{"FR MDR, default context: HDS does not apply", "", nil, NotApplicable},
		{"FR MDR, health data hosted: HDS needed", "health_data_hosted", nil, Unmet},
		{"FR MDR, health data hosted, HDS held", "health_data_hosted", []Held{held("hds", "")}, Met},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := localProfile(t, e, "FR", "managed-detection-response", tc.certs...)
			a, err := e.WithContext(mustContext(t, tc.context)).Assess(p, "FR", Public, testDay)
			if err != nil {
				t.Fatal(err)
			}
			if r := result(t, a, "fr-hds"); r.Status != tc.want {
				t.Errorf("fr-hds = %+v, want %s", r, tc.want)
			}
		})
	}
}

// TestAssess_EveryConditionalRule checks each requirement with applies_when
// in the reference data: it applies (and binds as its strength says) where
// its condition holds, does not apply where it does not, and applies by
// default exactly when the category's defaults make its condition hold.
func TestAssess_EveryConditionalRule(t *testing.T) {
	e := mustEngine(t)
	cases := []struct {
		req, country, category string
		buyer                  Buyer
		on, off                string
		byDefault              bool
	}{
		{"at-nisg-audit-body", "AT", "security-audit", Public, "nis2_entity", "-nis2_entity", true},
		{"at-rkeg-reliability-checks", "AT", "incident-response", Public, "security_sensitive", "-security_sensitive", false},
		{"be-cab-authorisation", "BE", "security-audit", Public, "nis2_entity", "-nis2_entity", true},
		// Clearance rules added 2026-12-02 (research/check-2026-12-02-a.md): dksi.bg, ceskezakony.cz decree
		// 384/2024, kapo.ee, narodne-novine.nn.hr NN 85/2008, nbf.hu - binding only with classified information.
		{"bg-classified-information-clearance", "BG", "incident-response", Public, "classified_information", "-classified_information", false},
		{"cz-cloud-computing-catalogue", "CZ", "managed-detection-response", Public, "cloud_delivered", "-cloud_delivered", true},
		{"cz-cloud-computing-catalogue", "CZ", "managed-detection-response", Public, "cloud_delivered", "-cloud_delivered", true},
		{"cz-nbu-security-clearance", "CZ", "security-audit", Public, "classified_information", "security_sensitive", false},
		{"de-c5-sgbv-393", "DE", "managed-detection-response", Public, "health_data_processed,cloud_delivered", "-health_data_processed", true},
		{"de-c5-sgbv-393", "DE", "managed-detection-response", Public, "health_data_processed,cloud_delivered", "-cloud_delivered", true},
		{"de-kritis-pruefende-stelle", "DE", "security-audit", Public, "nis2_entity", "-nis2_entity", true},
		{"de-sue-clearance", "DE", "incident-response", Public, "security_sensitive", "-security_sensitive,-classified_information", false},
		{"de-sue-clearance", "DE", "security-audit", Public, "classified_information", "", false},
		{"dk-pet-security-clearance", "DK", "incident-response", Public, "classified_information", "security_sensitive", false},
		// The EE health-information-system lead was dropped 2026-12-02 (unconfirmed; research/dropped-leads-2026-12-02.md).
		{"ee-state-secrets-access", "EE", "penetration-testing", Public, "classified_information", "-classified_information", false},
		{"es-eu-location-public-registries", "ES", "cloud-hosting", Public, "health_data_hosted", "-health_data_hosted", true},
		{"fi-client-data-act-system-certification", "FI", "cloud-hosting", Public, "health_data_processed", "-health_data_processed", true},
		{"fi-findata-secure-operating-environment", "FI", "cloud-hosting", Public, "health_data_processed", "-health_data_processed", true},
		{"fi-security-clearance", "FI", "incident-response", Public, "classified_information", "-classified_information,-security_sensitive", false},
		{"fi-security-clearance", "FI", "incident-response", Public, "security_sensitive", "", false},
		{"fr-hds", "FR", "managed-detection-response", Public, "health_data_hosted", "-health_data_hosted", false},
		{"fr-hds", "FR", "cloud-hosting", Private, "health_data_hosted", "-health_data_hosted", true},
		{"fr-pgssi-s-eid", "FR", "cloud-hosting", Public, "health_data_processed", "-health_data_processed", true},
		{"hr-security-vetting-classified", "HR", "managed-security-services", Public, "classified_information", "-classified_information", false},
		{"hu-nbf-industrial-security", "HU", "cloud-hosting", Public, "classified_information", "-classified_information", false},
		{"hu-sztfh-registered-cyber-auditor", "HU", "security-audit", Public, "nis2_entity", "-nis2_entity", true},
		{"it-acn-cloud-qualification", "IT", "managed-detection-response", Public, "cloud_delivered", "-cloud_delivered", true},
		{"it-perimetro-cvcn", "IT", "managed-detection-response", Public, "security_sensitive", "-security_sensitive", false},
		{"lt-untrusted-supplier-exclusion", "LT", "incident-response", Public, "security_sensitive", "-security_sensitive", false},
		{"lt-state-information-resources-hosting", "LT", "cloud-hosting", Public, "cloud_delivered", "-cloud_delivered", true},
		// likumi.lv, MK 417 (2018): industrial security certificate only for classified procurements.
		{"lv-classified-information-industrial-security", "LV", "penetration-testing", Public, "classified_information", "-classified_information", false},
		{"nl-nen7510", "NL", "incident-response", Public, "health_data_processed", "-health_data_processed", true},
		{"nl-nen7510", "NL", "penetration-testing", Public, "health_data_processed", "-health_data_processed", false},
		{"no-security-act-supplier-clearance", "NO", "incident-response", Public, "classified_information", "-classified_information", false},
		{"pl-cybersecurity-service-provider-conditions", "PL", "incident-response", Public, "nis2_entity", "-nis2_entity", true},
		{"pl-ksc-audit-qualifications", "PL", "penetration-testing", Public, "nis2_entity", "-nis2_entity", true},
		// bip.abw.gov.pl, industrial security: certificate and staff clearance only for classified contracts.
		{"pl-classified-information-clearance", "PL", "incident-response", Public, "classified_information", "-classified_information", false},
		{"ro-attested-cybersecurity-auditor", "RO", "security-audit", Public, "nis2_entity", "-nis2_entity", true},
		{"ro-government-cloud", "RO", "cloud-hosting", Public, "cloud_delivered", "-cloud_delivered", true},
		// orniss.ro, HG 585/2002 chapter VII: industrial security only for classified contracts.
		{"ro-classified-information-clearance", "RO", "cloud-hosting", Public, "classified_information", "-classified_information", false},
		// pisrs.si, ZTP art. 1(3) and the 2007 regulation: clearance only for classified orders.
		{"si-classified-information-clearance", "SI", "managed-security-services", Public, "classified_information", "-classified_information", false},
		{"se-protective-security-agreement", "SE", "incident-response", Public, "classified_information", "-classified_information,-security_sensitive", false},
		{"se-outsourcing-confidentiality", "SE", "managed-detection-response", Public, "health_data_processed", "-health_data_processed", true},
		{"sk-certified-cybersecurity-auditor", "SK", "security-audit", Public, "nis2_entity", "-nis2_entity", true},
		{"sk-government-cloud-catalogue", "SK", "cloud-hosting", Public, "cloud_delivered", "-cloud_delivered", true},
		// nbu.gov.sk, bezpečnostné previerky: NBÚ clearance only where classified information is passed on.
		{"sk-classified-information-clearance", "SK", "security-audit", Public, "classified_information", "-classified_information", false},
	}
	covered := map[string]bool{}
	for _, tc := range cases {
		covered[tc.req] = true
		t.Run(tc.req+"/"+tc.country+"/"+tc.category+"/"+string(tc.buyer)+"/"+tc.on+" vs "+tc.off, func(t *testing.T) {
			p := localProfile(t, e, tc.country, tc.category)
			assess := func(ctx string) RequirementResult {
				a, err := e.WithContext(mustContext(t, ctx)).Assess(p, tc.country, tc.buyer, testDay)
				if err != nil {
					t.Fatal(err)
				}
				return result(t, a, tc.req)
			}
			req := e.ref.Requirements[slices.IndexFunc(e.ref.Requirements, func(r Requirement) bool { return r.ID == tc.req })]
			if r := assess(tc.on); !r.Applies || r.Binding != req.Binding(tc.buyer) || r.Status == NotApplicable {
				t.Errorf("context %q: %+v, want applying, binding %v", tc.on, r, req.Binding(tc.buyer))
			}
			if r := assess(tc.off); r.Applies || r.Binding || r.Status != NotApplicable || r.StatusVerified != NotApplicable {
				t.Errorf("context %q: %+v, want not applicable", tc.off, r)
			}
			if r := assess(""); r.Applies != tc.byDefault {
				t.Errorf("default context: applies = %v, want %v", r.Applies, tc.byDefault)
			}
		})
	}
	for _, r := range e.ref.Requirements {
		if r.AppliesWhen != nil && !covered[r.ID] {
			t.Errorf("conditional requirement %s has no case", r.ID)
		}
	}
}

// TestEligibility_Basis checks the evidence basis: none-required where no
// certificate-decided requirement binds, self-declared, verified.
func TestEligibility_Basis(t *testing.T) {
	e := mustEngine(t)
	selfDeclared := func(h Held) Held { h.Status = "self-declared"; return h }
	for _, tc := range []struct {
		name, country, category, context string
		buyer                            Buyer
		certs                            []Held
		want                             Basis
	}{
		{"FR pentest, public: nothing certificate-decided binds", "FR", "penetration-testing", "", Public, []Held{selfDeclared(held("iso-iec-27001", ""))}, BasisNoneRequired},
		{"FR MDR hosting health data, HDS verified", "FR", "managed-detection-response", "health_data_hosted", Public, []Held{held("hds", "")}, BasisVerified},
		{"FR MDR hosting health data, HDS self-declared", "FR", "managed-detection-response", "health_data_hosted", Public, []Held{selfDeclared(held("hds", ""))}, BasisSelfDeclared},
		{"FR MDR hosting health data, no HDS: not eligible", "FR", "managed-detection-response", "health_data_hosted", Public, nil, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := localProfile(t, e, tc.country, tc.category, tc.certs...)
			eng := e.WithContext(mustContext(t, tc.context))
			a, err := eng.Assess(p, tc.country, tc.buyer, testDay)
			if err != nil {
				t.Fatal(err)
			}
			if a.Basis != tc.want || a.EligibleVerified != (tc.want == BasisVerified) {
				t.Errorf("basis %q, eligible_verified %v; want %q", a.Basis, a.EligibleVerified, tc.want)
			}
			for _, el := range eng.Eligibility(p, testDay) {
				if el.Country == tc.country && el.Buyer == tc.buyer && (el.Basis != a.Basis || el.EligibleVerified != a.EligibleVerified || el.Eligible != a.Eligible) {
					t.Errorf("Eligibility %+v disagrees with Assess %q", el, a.Basis)
				}
			}
		})
	}
}

// TestRoadmap_NamesUnreachableMarkets: a security-sensitive German tender
// needs cleared staff, which no certification provides.
func TestRoadmap_NamesUnreachableMarkets(t *testing.T) {
	e := mustEngine(t)
	p := localProfile(t, e, "DE", "incident-response")
	p.ClearedIn = nil
	rm, err := e.WithContext(mustContext(t, "security_sensitive")).Roadmap([]Profile{p}, []string{"DE"}, nil, testDay)
	if err != nil {
		t.Fatal(err)
	}
	if rm.Unreachable != len(rm.UnreachableMarkets) || rm.Unreachable == 0 {
		t.Fatalf("unreachable %d, markets %+v", rm.Unreachable, rm.UnreachableMarkets)
	}
	m := rm.UnreachableMarkets[0]
	if m.Country != "DE" || m.Buyer != Public || len(m.Reasons) == 0 || !strings.HasPrefix(m.Reasons[0], "de-sue-clearance: ") {
		t.Errorf("unreachable market %+v", m)
	}
	rm, err = e.Roadmap([]Profile{p}, []string{"DE"}, nil, testDay)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range rm.UnreachableMarkets {
		if slices.ContainsFunc(m.Reasons, func(r string) bool { return strings.HasPrefix(r, "de-sue-clearance") }) {
			t.Errorf("default context: clearance makes %+v unreachable", m)
		}
	}
}

func TestAssessment_Blockers(t *testing.T) {
	e := mustEngine(t)
	for _, tc := range []struct {
		name, country, category, context string
		edit                             func(*Profile)
		want                             []string // requirement:kind:scheme-or-region-or-languages
	}{
		{"German security-sensitive incident response without cleared staff", "DE", "incident-response", "security_sensitive",
			func(p *Profile) { p.ClearedIn = nil }, []string{"de-sue-clearance:declare-cleared-staff:DE"}},
		{"French MDR hosting health data without HDS", "FR", "managed-detection-response", "health_data_hosted",
			nil, []string{"fr-hds:obtain-scheme:hds"}},
		{"Spanish pentest without Spanish support", "ES", "penetration-testing", "",
			func(p *Profile) { p.Languages = []string{"en", "pt"} }, []string{"es-ens-conformity:obtain-scheme:ens", "es-language:add-language:es"}},
		{"French MDR, default context: eligible", "FR", "managed-detection-response", "", nil, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := localProfile(t, e, tc.country, tc.category)
			if tc.edit != nil {
				tc.edit(&p)
			}
			a, err := e.WithContext(mustContext(t, tc.context)).Assess(p, tc.country, Public, testDay)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, b := range a.Blockers() {
				what := b.Scheme + b.Region + strings.Join(b.Languages, ",")
				got = append(got, b.Requirement+":"+string(b.Kind)+":"+what)
				if b.Action == "" {
					t.Errorf("blocker without an action: %+v", b)
				}
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("blockers %v, want %v (eligible %v)", got, tc.want, a.Eligible)
			}
			if a.Eligible != (len(got) == 0) {
				t.Errorf("eligible %v with blockers %v", a.Eligible, got)
			}
		})
	}
}
