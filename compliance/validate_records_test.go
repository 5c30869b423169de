package compliance

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The steps of Reference.Validate, each on its own, on Go values.
// TestBrokenDataIsRejected checks them together, from YAML.

// fieldsOf runs check on a fresh checker and returns "field: message" per problem.
func fieldsOf(check func(c *checker)) []string {
	c := &checker{}
	check(c)
	var out []string
	for _, p := range c.problems {
		out = append(out, p.Field+": "+p.Message)
	}
	return out
}

func newKnown() *known {
	return &known{countries: map[string]Membership{"DE": MemberEU}, categories: map[string]bool{"cloud": true},
		schemes: map[string]Scheme{"c5": {ID: "c5", Levels: []string{"type-1", "type-2"}}}, requirements: map[string]string{}}
}

func validSource() Source {
	return Source{URL: "https://example.org", AsOf: "2025", Verified: VerifiedYes}
}

func validCountry() Country {
	return Country{Code: "FR", Name: "France", Membership: MemberEU, Authority: Authority{Name: "ANSSI"}, Languages: []string{"fr"},
		NIS2:    Transposition{Status: Pending, AsOf: "2026-01", Instrument: "Loi", Source: validSource()},
		Sources: []Source{validSource()}}
}

func TestChecker_Country(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(*Country)
		want []string
	}{
		{"valid", func(*Country) {}, nil},
		{"lower case", func(c *Country) { c.Code = "fr" }, []string{`code: "fr" is not an upper-case ISO 3166-1 alpha-2 code`}},
		{"Greece as EL", func(c *Country) { c.Code = "EL" }, []string{`code: "EL" is not the ISO code (use GR for Greece; the UK is not in scope)`}},
		{"duplicate", func(c *Country) { c.Code = "DE" }, []string{"code: duplicate country code"}},
		{"bad authority URL", func(c *Country) { c.Authority.URL = "ftp://x" }, []string{`authority.url: "ftp://x" is not an http(s) URL`}},
		{"no sources", func(c *Country) { c.Sources = nil }, []string{"sources: needs at least one source"}},
	} {
		co := validCountry()
		tc.edit(&co)
		k := newKnown()
		if diff := cmp.Diff(tc.want, fieldsOf(func(c *checker) { c.country(co, k) })); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.name, diff)
		}
		if _, ok := k.countries[co.Code]; !ok {
			t.Errorf("%s: %s not added to the known countries", tc.name, co.Code)
		}
	}
}

func TestChecker_Transposition(t *testing.T) {
	valid := validCountry().NIS2
	for _, tc := range []struct {
		name string
		edit func(*Transposition)
		m    Membership
		want []string
	}{
		{"valid", func(*Transposition) {}, MemberEU, nil},
		{"not incorporated in the EU", func(t *Transposition) { t.Status = NotIncorporated }, MemberEU,
			[]string{"nis2.status: not-incorporated is only for EEA-only states"}},
		{"not incorporated in the EEA", func(t *Transposition) { t.Status = NotIncorporated }, MemberEEA, nil},
		{"bad in_force", func(t *Transposition) { t.InForce = "soon" }, MemberEU,
			[]string{`nis2.in_force: "soon" is not a date YYYY, YYYY-MM or YYYY-MM-DD`}},
		{"secondary source without URL", func(t *Transposition) { t.MoreSources = []Source{{}} }, MemberEU,
			[]string{"nis2.more_sources[0].url: source URL is missing"}},
	} {
		tr := valid
		tc.edit(&tr)
		if diff := cmp.Diff(tc.want, fieldsOf(func(c *checker) { c.transposition(tr, tc.m) })); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.name, diff)
		}
	}
}

func TestChecker_Category(t *testing.T) {
	valid := Category{Slug: "soc", Name: "SOC", Description: "Monitoring.", CSFFunctions: CSF{Primary: []Function{Detect}},
		CPV: []CPV{{Code: "72000000-5", Label: "IT services", Fit: "umbrella"}}, Sources: []Source{validSource()}}
	for _, tc := range []struct {
		name string
		edit func(*Category)
		want []string
	}{
		{"valid", func(*Category) {}, nil},
		{"duplicate", func(c *Category) { c.Slug = "cloud" }, []string{"slug: duplicate category slug"}},
		{"no primary function", func(c *Category) { c.CSFFunctions = CSF{Supporting: []Function{"defend"}} },
			[]string{"csf_functions.primary: needs at least one NIST CSF function",
				`csf_functions[0]: "defend" is not one of govern, identify, protect, detect, respond, recover`}},
		{"bad slug", func(c *Category) { c.Slug = "SOC" }, []string{`slug: "SOC" is not a lower-case slug`}},
	} {
		ca := valid
		tc.edit(&ca)
		if diff := cmp.Diff(tc.want, fieldsOf(func(c *checker) { c.category(ca, newKnown()) })); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.name, diff)
		}
	}
}

func TestChecker_CPVs(t *testing.T) {
	ok := CPV{Code: "72000000-5", Label: "IT services", Fit: "primary"}
	for _, tc := range []struct {
		name string
		cpv  []CPV
		want []string
	}{
		{"valid", []CPV{ok}, nil},
		{"none", nil, []string{"cpv: needs at least one CPV code"}},
		{"twice", []CPV{ok, ok}, []string{`cpv: "72000000-5" is listed twice`}},
		{"bad code, label and fit", []CPV{{Code: "72", Fit: "good"}}, []string{
			`cpv[0].code: "72" is not a CPV code NNNNNNNN-C`, "cpv[0].label: must not be empty",
			`cpv[0].fit: "good" is not one of primary, secondary, weak, umbrella`}},
	} {
		if diff := cmp.Diff(tc.want, fieldsOf(func(c *checker) { c.cpvs(tc.cpv) })); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.name, diff)
		}
	}
}

func TestChecker_Scheme(t *testing.T) {
	valid := Scheme{ID: "iso-27001", Name: "ISO/IEC 27001", Owner: "ISO", Kind: KindManagementSystem, Status: SchemeActive,
		Cost: validCost(), LeadTime: validLeadTime(), Sources: []Source{validSource()}}
	for _, tc := range []struct {
		name string
		edit func(*Scheme)
		want []string
	}{
		{"valid", func(*Scheme) {}, nil},
		{"duplicate", func(s *Scheme) { s.ID = "c5" }, []string{"id: duplicate scheme id"}},
		{"unknown jurisdiction", func(s *Scheme) { s.Jurisdiction = "FR" }, []string{`jurisdiction: "FR" is not a country code, EU or EEA`}},
		{"EU jurisdiction", func(s *Scheme) { s.Jurisdiction = "EU" }, nil},
		{"bad and repeated levels", func(s *Scheme) { s.Levels = []string{"High", "low", "low"} },
			[]string{`levels[0]: "High" is not a lower-case slug`, `levels: "low" is listed twice`}},
	} {
		s := valid
		tc.edit(&s)
		if diff := cmp.Diff(tc.want, fieldsOf(func(c *checker) { c.scheme(s, newKnown()) })); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.name, diff)
		}
	}
}

func validCost() *SchemeCost {
	return &SchemeCost{LowEUR: 4500, HighEUR: 9500, Covers: "certification-body fees", VendorSize: "up to 20 staff",
		AsOf: "2026-12-01", Source: validSource()}
}

func validLeadTime() *SchemeLeadTime {
	return &SchemeLeadTime{LowMonths: 6, HighMonths: 12, Source: validSource()}
}

func TestChecker_SchemeFigures(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(*Scheme)
		want []string
	}{
		{"known ranges", func(*Scheme) {}, nil},
		{"single figures (low = high)", func(s *Scheme) { s.Cost.HighEUR, s.LeadTime.HighMonths = 4500, 6 }, nil},
		{"unknown with notes", func(s *Scheme) { s.Cost, s.LeadTime, s.CostNote, s.LeadTimeNote = nil, nil, "varies", "varies" }, nil},
		{"unknown without notes", func(s *Scheme) { s.Cost, s.LeadTime = nil, nil }, []string{
			"cost_note: an unknown (null) cost needs a note", "lead_time_note: an unknown (null) lead time needs a note"}},
		{"negative validity and lead time", func(s *Scheme) { s.ValidityYears, s.LeadTime.LowMonths = ptr(-3.0), -2 }, []string{
			"validity_years: must not be negative, got -3", "lead_time.low_months: must not be negative, got -2"}},
		{"zero cost", func(s *Scheme) { s.Cost.LowEUR = 0 }, []string{
			"cost.low_eur: must be above 0 (null the cost when unknown, or set no_fee where the source says it is free), got 0"}},
		{"free, as the source says", func(s *Scheme) { s.Cost.LowEUR, s.Cost.HighEUR, s.Cost.NoFee = 0, 0, true }, nil},
		{"free but priced", func(s *Scheme) { s.Cost.NoFee = true }, []string{"cost.no_fee: a scheme without fee costs 0-0, got 4500-9500"}},
		{"high below low", func(s *Scheme) { s.Cost.HighEUR, s.LeadTime.HighMonths = 4000, 3 }, []string{
			"cost.high_eur: must not be below low_eur (4500), got 4000", "lead_time.high_months: must not be below low_months (6), got 3"}},
		{"a figure without a source", func(s *Scheme) { s.Cost.Source, s.LeadTime.Source = Source{}, Source{} }, []string{
			"cost.source.url: source URL is missing", "cost.source.as_of: as_of is missing",
			`cost.source.verified: "" is not one of yes, partial, no`,
			"lead_time.source.url: source URL is missing", "lead_time.source.as_of: as_of is missing",
			`lead_time.source.verified: "" is not one of yes, partial, no`}},
		{"a figure from an unverified lead", func(s *Scheme) { s.Cost.Source.Verified, s.LeadTime.Source.Verified = VerifiedNo, VerifiedNo }, []string{
			"cost.source.verified: a figure needs a source it was read in (yes or partial), got no",
			"lead_time.source.verified: a figure needs a source it was read in (yes or partial), got no"}},
		{"no covers, size or as_of", func(s *Scheme) { s.Cost.Covers, s.Cost.VendorSize, s.Cost.AsOf = "", " ", "2026-13" }, []string{
			"cost.covers: must not be empty", "cost.vendor_size: must not be empty",
			`cost.as_of: "2026-13" is not a date YYYY, YYYY-MM or YYYY-MM-DD`}},
	} {
		s := Scheme{Cost: validCost(), LeadTime: validLeadTime()}
		tc.edit(&s)
		if diff := cmp.Diff(tc.want, fieldsOf(func(c *checker) { c.schemeFigures(s) })); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.name, diff)
		}
	}
}

func validRequirement() Requirement {
	return Requirement{ID: "de-c5", Country: "DE", Title: "C5", Summary: "Needs C5.", Categories: []string{"cloud"},
		Buyers: []Buyer{Public, Private}, Strength: Mandatory, Status: RequirementInForce,
		SatisfiedBy: []Satisfier{{Scheme: "c5", MinLevel: "type-2", Extent: Full}},
		Authority:   Authority{Name: "Bundestag"}, Source: validSource(), file: "requirements/de.yaml"}
}

func TestChecker_Requirement(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(*Requirement)
		want []string
	}{
		{"valid", func(*Requirement) {}, nil},
		{"unknown country", func(r *Requirement) { r.Country = "XX"; r.file = "" }, []string{`country: "XX" is not a known country code, EU or EEA`}},
		{"unknown and repeated categories", func(r *Requirement) { r.Categories = []string{"soc", "cloud", "cloud"} },
			[]string{`categories[0]: unknown category "soc"`, `categories: "cloud" is listed twice`}},
		{"no categories", func(r *Requirement) { r.Categories = nil }, []string{"categories: needs at least one category"}},
		{"pending is fine, planned is not", func(r *Requirement) { r.Status = "planned" },
			[]string{`status: "planned" is not one of in-force, pending`}},
		{"no authority", func(r *Requirement) { r.Authority = Authority{} }, []string{"authority.name: must not be empty"}},
	} {
		q := validRequirement()
		tc.edit(&q)
		if diff := cmp.Diff(tc.want, fieldsOf(func(c *checker) { c.requirement(q, newKnown()) })); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.name, diff)
		}
	}
	k := newKnown()
	got := fieldsOf(func(c *checker) { c.requirement(validRequirement(), k); c.requirement(validRequirement(), k) })
	if diff := cmp.Diff([]string{"id: duplicate requirement id (also in requirements/de.yaml)"}, got); diff != "" {
		t.Errorf("twice (-want +got):\n%s", diff)
	}
}

func TestChecker_RequirementFile(t *testing.T) {
	for _, tc := range []struct {
		country, file string
		want          []string
	}{
		{"DE", "requirements/de.yaml", nil},
		{"EU", "requirements/eu.yaml", nil},
		{"EEA", "requirements/eu.yaml", nil},
		{"FR", "", nil}, // not read from a file
		{"FR", "requirements/de.yaml", []string{`country: "FR" does not belong in requirements/de.yaml`}},
	} {
		q := Requirement{Country: tc.country, file: tc.file}
		if diff := cmp.Diff(tc.want, fieldsOf(func(c *checker) { c.requirementFile(q) })); diff != "" {
			t.Errorf("%s in %q (-want +got):\n%s", tc.country, tc.file, diff)
		}
	}
}

func TestChecker_Buyers(t *testing.T) {
	for _, tc := range []struct {
		name     string
		buyers   []Buyer
		strength Strength
		want     []string
	}{
		{"both, mandatory", []Buyer{Public, Private}, Mandatory, nil},
		{"public, mandatory for public buyers", []Buyer{Public}, MandatoryForPublicBuyers, nil},
		{"both, mandatory for public buyers", []Buyer{Public, Private}, MandatoryForPublicBuyers,
			[]string{"buyers: a mandatory-for-public-buyers requirement concerns public buyers only"}},
		{"none", nil, Optional, []string{"buyers: needs at least one buyer kind"}},
		{"unknown and twice", []Buyer{"state", Public, Public}, "maybe", []string{
			`buyers[0]: "state" is not one of public, private`, `buyers: "public" is listed twice`,
			`strength: "maybe" is not one of mandatory, mandatory-for-public-buyers, de-facto-expected, optional`}},
	} {
		q := Requirement{Buyers: tc.buyers, Strength: tc.strength}
		if diff := cmp.Diff(tc.want, fieldsOf(func(c *checker) { c.buyers(q) })); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.name, diff)
		}
	}
}

func TestChecker_Satisfier(t *testing.T) {
	for _, tc := range []struct {
		name string
		sb   Satisfier
		want []string
	}{
		{"any level", Satisfier{Scheme: "c5", Extent: Partial}, nil},
		{"a level", Satisfier{Scheme: "c5", MinLevel: "type-1", Extent: Full}, nil},
		{"unknown scheme", Satisfier{Scheme: "c6", MinLevel: "x", Extent: Full}, []string{`s.scheme: unknown scheme "c6"`}},
		{"unknown level", Satisfier{Scheme: "c5", MinLevel: "type-3", Extent: "most"}, []string{
			`s.min_level: scheme c5 has no level "type-3" (levels: type-1, type-2)`, `s.extent: "most" is not one of full, partial`}},
	} {
		if diff := cmp.Diff(tc.want, fieldsOf(func(c *checker) { c.satisfier("s", tc.sb, newKnown()) })); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.name, diff)
		}
	}
}

func TestChecker_Condition(t *testing.T) {
	for _, tc := range []struct {
		name  string
		co    Condition
		scope string
		want  []string
	}{
		{"language", Condition{Kind: LanguageCondition, Languages: []string{"de"}}, "DE", nil},
		{"language with a region", Condition{Kind: LanguageCondition, Languages: []string{"de"}, Region: InEU}, "DE",
			[]string{"c.region: a language condition has no region"}},
		{"language without languages", Condition{Kind: LanguageCondition}, "DE", []string{"c.languages: needs at least one language"}},
		{"establishment in the country", Condition{Kind: EstablishmentCondition, Region: InCountry}, "DE", nil},
		{"EU-wide in one country", Condition{Kind: DataLocationCondition, Region: InCountry}, "EU",
			[]string{"c.region: an EU/EEA-wide requirement cannot ask for a single country"}},
		{"clearance with languages", Condition{Kind: ClearanceCondition, Region: InEEA, Languages: []string{"de"}}, "EEA",
			[]string{"c.languages: only language conditions have languages"}},
		{"no region", Condition{Kind: EstablishmentCondition}, "DE", []string{`c.region: "" is not one of country, eu, eea`}},
		{"unknown kind", Condition{Kind: "insurance"}, "DE",
			[]string{`c.kind: "insurance" is not one of language, establishment, data-location, clearance`}},
	} {
		if diff := cmp.Diff(tc.want, fieldsOf(func(c *checker) { c.condition("c", tc.co, tc.scope) })); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.name, diff)
		}
	}
}

func TestRecordName(t *testing.T) {
	if got := recordName("schemes.yaml: scheme", "c5", 2); got != "schemes.yaml: scheme c5" {
		t.Errorf("with a key: %q", got)
	}
	if got := recordName("schemes.yaml: scheme", "", 2); got != "schemes.yaml: scheme #3" {
		t.Errorf("without a key: %q", got)
	}
}

func TestKnown_Scope(t *testing.T) {
	k := newKnown()
	for code, want := range map[string]bool{"DE": true, "EU": true, "EEA": true, "FR": false, "": false} {
		if got := k.scope(code); got != want {
			t.Errorf("scope(%q) = %v, want %v", code, got, want)
		}
	}
}
