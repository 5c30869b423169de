package compliance

import (
	"encoding/json"
	"errors"
	"io/fs"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
)

func mustEmbedded(t *testing.T) *Reference {
	t.Helper()
	r, err := Embedded()
	if err != nil {
		t.Fatalf("Embedded: %v", err)
	}
	return r
}

func TestEmbeddedLoadsAndValidates(t *testing.T) {
	r := mustEmbedded(t)
	if err := r.Validate(); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	if got := len(r.Countries); got != 30 {
		t.Errorf("countries = %d, want 30 (EU-27 + NO, IS, LI)", got)
	}
	eea := 0
	for _, c := range r.Countries {
		if c.Membership == MemberEEA {
			eea++
			if !slices.Contains([]string{"NO", "IS", "LI"}, c.Code) {
				t.Errorf("%s is marked EEA-only", c.Code)
			}
		}
	}
	if eea != 3 {
		t.Errorf("EEA-only countries = %d, want 3", eea)
	}
	if _, ok := r.Country("EL"); ok {
		t.Error("Greece must be GR, not EL")
	}
	wantCategories := []string{"incident-response", "managed-detection-response", "penetration-testing", "security-audit",
		"cloud-hosting", "managed-security-services", "consulting-governance", "training-awareness",
		"medical-device-security", "identity-access-management"}
	var gotCategories []string
	for _, c := range r.Categories {
		gotCategories = append(gotCategories, c.Slug)
	}
	slices.Sort(gotCategories)
	slices.Sort(wantCategories)
	if diff := cmp.Diff(wantCategories, gotCategories); diff != "" {
		t.Errorf("categories (-want +got):\n%s", diff)
	}
	for _, id := range []string{"iso-iec-27001", "soc-2", "csa-star", "eucc", "bsi-c5", "secnumcloud", "hds", "ens",
		"passi", "pris", "nen-7510", "cyfun", "eucs", "europrivacy"} {
		if _, ok := r.Scheme(id); !ok {
			t.Errorf("scheme %s missing", id)
		}
	}
	if len(r.Schemes) < 23 {
		t.Errorf("schemes = %d, want at least the 23 of the research", len(r.Schemes))
	}
	// every country has its own requirements file with at least one record
	own := map[string]int{}
	for _, q := range r.Requirements {
		own[q.Country]++
	}
	for _, c := range r.Countries {
		if own[c.Code] == 0 {
			t.Errorf("%s has no requirement of its own", c.Code)
		}
	}
	if own["EU"] == 0 || own["EEA"] == 0 {
		t.Errorf("EU-wide = %d, EEA-wide = %d requirements, want both > 0", own["EU"], own["EEA"])
	}
}

func TestEveryCellHasRequirements(t *testing.T) {
	r := mustEmbedded(t)
	for _, c := range r.Countries {
		for _, cat := range r.Categories {
			for _, b := range Buyers {
				if len(r.Applicable(c.Code, cat.Slug, b)) == 0 {
					t.Errorf("no requirement for %s / %s / %s", c.Code, cat.Slug, b)
				}
			}
		}
	}
}

func TestSchemeLevelsReferencedExist(t *testing.T) {
	r := mustEmbedded(t)
	n := 0
	for _, q := range r.Requirements {
		for _, s := range q.SatisfiedBy {
			sc, ok := r.Scheme(s.Scheme)
			if !ok {
				t.Errorf("%s: unknown scheme %s", q.ID, s.Scheme)
				continue
			}
			if s.MinLevel == "" {
				continue
			}
			n++
			if sc.LevelIndex(s.MinLevel) < 0 {
				t.Errorf("%s: scheme %s has no level %q (levels %v)", q.ID, s.Scheme, s.MinLevel, sc.Levels)
			}
		}
	}
	if n == 0 {
		t.Error("no requirement uses min_level; the check would prove nothing")
	}
}

func TestRequirementsScopeAndOrder(t *testing.T) {
	r := mustEmbedded(t)
	ids := func(rs []Requirement) []string {
		var out []string
		for _, q := range rs {
			out = append(out, q.ID)
		}
		return out
	}

	de := r.Applicable("de", "cloud-hosting", Public)
	for _, id := range []string{"de-c5-sgbv-393", "eu-gdpr-processor", "eu-nis2-supply-chain-flowdown"} {
		if !slices.Contains(ids(de), id) {
			t.Errorf("DE cloud-hosting public: missing %s in %v", id, ids(de))
		}
	}
	if de[0].Country != "DE" || de[len(de)-1].Country == "DE" {
		t.Errorf("own requirements must come first, EU/EEA-wide last: %v", ids(de))
	}
	if diff := cmp.Diff(ids(de), ids(r.Applicable("DE", "cloud-hosting", Public))); diff != "" {
		t.Errorf("order not stable:\n%s", diff)
	}

	no := ids(r.Applicable("NO", "cloud-hosting", Private))
	if slices.Contains(no, "eu-nis2-supply-chain-flowdown") {
		t.Error("an EU-only rule applies in Norway")
	}
	if !slices.Contains(no, "eu-gdpr-processor") {
		t.Error("the EEA-wide GDPR rule is missing in Norway")
	}
	for _, q := range r.Applicable("ES", "cloud-hosting", Private) {
		if !slices.Contains(q.Buyers, Private) {
			t.Errorf("%s concerns %v but was returned for a private buyer", q.ID, q.Buyers)
		}
	}
	if slices.Contains(ids(r.Applicable("ES", "cloud-hosting", Private)), "es-ens-conformity") {
		t.Error("ENS is for public buyers only")
	}
	if got := r.Applicable("XX", "cloud-hosting", Public); got != nil {
		t.Errorf("unknown country: got %v, want nil", ids(got))
	}
	if got := r.Applicable("DE", "no-such-category", Public); len(got) != 0 {
		t.Errorf("unknown category: got %v", ids(got))
	}
}

func TestLookupsAndLevels(t *testing.T) {
	r := mustEmbedded(t)
	gr, ok := r.Country("gr")
	if !ok || gr.Name != "Greece" || !slices.Contains(gr.Languages, "el") {
		t.Errorf("Country(gr) = %+v, %v", gr, ok)
	}
	if _, ok := r.Category("cloud-hosting"); !ok {
		t.Error("Category(cloud-hosting) not found")
	}
	if _, ok := r.Scheme("no-such-scheme"); ok {
		t.Error("Scheme(no-such-scheme) found")
	}
	ens, _ := r.Scheme("ens")
	if diff := cmp.Diff([]string{"basica", "media", "alta"}, ens.Levels); diff != "" {
		t.Errorf("ENS levels (-want +got):\n%s", diff)
	}
	for _, tc := range []struct {
		have, min string
		want      bool
	}{{"alta", "media", true}, {"media", "media", true}, {"basica", "media", false}, {"", "", true}, {"x", "media", false}, {"basica", "", true}} {
		if got := ens.MeetsLevel(tc.have, tc.min); got != tc.want {
			t.Errorf("MeetsLevel(%q, %q) = %v, want %v", tc.have, tc.min, got, tc.want)
		}
	}
	for _, s := range r.Schemes {
		if s.Cost != nil && ((s.Cost.LowEUR <= 0) != s.Cost.NoFee || s.Cost.HighEUR < s.Cost.LowEUR || s.Cost.Source.URL == "") {
			t.Errorf("%s: cost %+v; unknown costs must be null, ranges low <= high with a source, 0 only without fee", s.ID, *s.Cost)
		}
	}
}

func TestVersionIsContentHash(t *testing.T) {
	r := mustEmbedded(t)
	if !regexp.MustCompile(`^[0-9a-f]{12}$`).MatchString(r.Version) {
		t.Fatalf("Version = %q, want 12 hex digits", r.Version)
	}
	fsys := embeddedCopy(t)
	r2, err := Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	if r2.Version != r.Version {
		t.Errorf("same files, different version: %s vs %s", r2.Version, r.Version)
	}
	f := fsys["schemes.yaml"]
	f.Data = append(append([]byte{}, f.Data...), []byte("\n# a comment changes the content\n")...)
	r3, err := Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	if r3.Version == r.Version {
		t.Error("changed content kept the same version")
	}
	b, err := json.Marshal(r3)
	if err != nil || !strings.Contains(string(b), `"version":"`+r3.Version+`"`) || !strings.Contains(string(b), `"requirements":[`) {
		t.Errorf("JSON encoding lacks version or requirements: %v", err)
	}
}

func embeddedCopy(t *testing.T) fstest.MapFS {
	t.Helper()
	sub, err := fs.Sub(embedded, "reference")
	if err != nil {
		t.Fatal(err)
	}
	out := fstest.MapFS{}
	err = fs.WalkDir(sub, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(sub, p)
		out[p] = &fstest.MapFile{Data: data}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// fixture is a minimal valid data set; the cases below break it one way each.
const (
	fixCountries = `countries:
- code: DE
  name: Germany
  membership: eu
  authority: {name: BSI}
  languages: [de]
  nis2:
    status: in-force
    as_of: "2025-12"
    instrument: NIS2UmsuCG
    source: {url: "https://example.org/nis2", as_of: "2025-12", verified: yes}
  sources: [{url: "https://example.org/de", as_of: "2025", verified: yes}]
`
	fixCategories = `categories:
- slug: cloud-hosting
  name: Cloud hosting
  description: Hosting.
  csf_functions: {primary: [protect], supporting: []}
  cpv: [{code: "72317000-0", label: Data storage services, fit: primary}]
  sources: [{url: "https://example.org/cpv", as_of: "2008", verified: yes}]
`
	fixSchemes = `schemes:
- id: bsi-c5
  name: BSI C5
  owner: BSI
  kind: cloud
  status: active
  jurisdiction: DE
  levels: [type-1, type-2]
  validity_years: null
  cost: null
  cost_note: unknown
  lead_time: {low_months: 6, high_months: 12, source: {url: "https://example.org/c5-lead", as_of: "2025", verified: partial}}
  sources: [{url: "https://example.org/c5", as_of: "2025", verified: yes}]
`
	fixReq = `requirements:
- id: de-c5
  country: DE
  title: C5 for health clouds
  summary: Processing health data in a cloud needs a C5 attestation.
  categories: [cloud-hosting]
  buyers: [public, private]
  strength: mandatory
  status: in-force
  satisfied_by: [{scheme: bsi-c5, min_level: type-2, extent: full}]
  conditions: [{kind: establishment, region: country}, {kind: language, languages: [de]}]
  authority: {name: Bundestag}
  source: {url: "https://example.org/393", as_of: "2024-07-01", verified: yes}
`

	fixCoverage = `research:
- country: DE
  checked: [{date: "2026-12-01", what: fixture check}]
  searched: []
`
)

func fixture() fstest.MapFS {
	return fstest.MapFS{
		"countries.yaml":          {Data: []byte(fixCountries)},
		"categories.yaml":         {Data: []byte(fixCategories)},
		"schemes.yaml":            {Data: []byte(fixSchemes)},
		"coverage.yaml":           {Data: []byte(fixCoverage)},
		"requirements/de.yaml":    {Data: []byte(fixReq)},
		"requirements/notes.txt":  {Data: []byte("ignored: not a .yaml file")},
		"unrelated/elsewhere.txt": {Data: []byte("ignored")},
	}
}

func TestFixtureIsValid(t *testing.T) {
	r, err := Load(fixture())
	if err != nil {
		t.Fatalf("the base fixture must load: %v", err)
	}
	if got := r.Applicable("DE", "cloud-hosting", Private); len(got) != 1 || got[0].ID != "de-c5" {
		t.Errorf("Requirements = %+v", got)
	}
}

func TestBrokenDataIsRejected(t *testing.T) {
	cases := []struct {
		name, file, old, new string
		want                 []string // every string must appear in the error
	}{
		{"unknown scheme", "requirements/de.yaml", "scheme: bsi-c5", "scheme: bsi-c6",
			[]string{"requirement de-c5", "satisfied_by[0].scheme", `unknown scheme "bsi-c6"`}},
		{"unknown level", "requirements/de.yaml", "min_level: type-2", "min_level: type-3",
			[]string{"requirement de-c5", "satisfied_by[0].min_level", `no level "type-3"`}},
		{"missing source url", "requirements/de.yaml", `source: {url: "https://example.org/393", `, "source: {",
			[]string{"requirement de-c5", "source.url", "source URL is missing"}},
		{"missing as_of", "requirements/de.yaml", `as_of: "2024-07-01", `, "",
			[]string{"requirement de-c5", "source.as_of", "as_of is missing"}},
		{"bad as_of", "requirements/de.yaml", `as_of: "2024-07-01"`, `as_of: "2024-13"`,
			[]string{"requirement de-c5", "source.as_of", `"2024-13"`}},
		{"in-force confirmation not a day", "requirements/de.yaml", `as_of: "2024-07-01", `, `as_of: "2024-07-01", in_force_confirmed: "2026-12", `,
			[]string{"requirement de-c5", "source.in_force_confirmed", `"2026-12" is not a date YYYY-MM-DD`}},
		{"in-force confirmation before the source", "requirements/de.yaml", `as_of: "2024-07-01", `, `as_of: "2024-07-01", in_force_confirmed: "2024-01-31", `,
			[]string{"requirement de-c5", "source.in_force_confirmed", "2024-01-31 is before the source's as_of 2024-07-01"}},
		{"bad strength", "requirements/de.yaml", "strength: mandatory", "strength: compulsory",
			[]string{"requirement de-c5", "strength", `"compulsory"`}},
		{"public-only strength for private buyers", "requirements/de.yaml", "strength: mandatory", "strength: mandatory-for-public-buyers",
			[]string{"requirement de-c5", "buyers", "public buyers only"}},
		{"duplicate id", "requirements/de.yaml", "requirements:\n", "requirements:\n" + strings.TrimPrefix(fixReq, "requirements:\n"),
			[]string{"requirement de-c5", "duplicate requirement id"}},
		{"unknown category", "requirements/de.yaml", "categories: [cloud-hosting]", "categories: [cloud]",
			[]string{"requirement de-c5", `unknown category "cloud"`}},
		{"bad language", "requirements/de.yaml", "languages: [de]", "languages: [DE]",
			[]string{"requirement de-c5", "conditions[1].languages[0]", "ISO 639-1"}},
		{"bad region", "requirements/de.yaml", "region: country", "region: germany",
			[]string{"requirement de-c5", "conditions[0].region"}},
		{"wrong file for country", "requirements/de.yaml", "country: DE", "country: FR",
			[]string{"requirement de-c5", `"FR" is not a known country code`}},
		{"typo in field name", "requirements/de.yaml", "summary:", "sumary:",
			[]string{"requirements/de.yaml", "sumary"}},
		{"unknown scheme kind", "schemes.yaml", "kind: cloud", "kind: cloudy",
			[]string{"scheme bsi-c5", "kind"}},
		{"negative cost", "schemes.yaml", "cost: null\n  cost_note: unknown", costFix("-5", "100", "verified: yes"),
			[]string{"scheme bsi-c5", "cost.low_eur", "above 0"}},
		{"zero cost for unknown", "schemes.yaml", "cost: null\n  cost_note: unknown", costFix("0", "0", "verified: yes"),
			[]string{"scheme bsi-c5", "cost.low_eur", "null the cost"}},
		{"cost range upside down", "schemes.yaml", "cost: null\n  cost_note: unknown", costFix("9000", "4000", "verified: yes"),
			[]string{"scheme bsi-c5", "cost.high_eur", "below low_eur"}},
		{"cost from an unverified lead", "schemes.yaml", "cost: null\n  cost_note: unknown", costFix("4000", "9000", "verified: \"no\""),
			[]string{"scheme bsi-c5", "cost.source.verified", "read in"}},
		{"cost without a source", "schemes.yaml", "cost: null\n  cost_note: unknown",
			"cost: {low_eur: 1, high_eur: 2, covers: fee, vendor_size: any, as_of: \"2025\"}",
			[]string{"scheme bsi-c5", "cost.source.url", "missing"}},
		{"unknown cost field", "schemes.yaml", "cost: null\n  cost_note: unknown", "cost_eur: 800",
			[]string{"schemes.yaml", "cost_eur"}},
		{"lead time upside down", "schemes.yaml", "low_months: 6, high_months: 12", "low_months: 12, high_months: 6",
			[]string{"scheme bsi-c5", "lead_time.high_months"}},
		{"scheme without source", "schemes.yaml", `sources: [{url: "https://example.org/c5", as_of: "2025", verified: yes}]`, "sources: []",
			[]string{"scheme bsi-c5", "sources", "needs at least one source"}},
		{"bad CPV code", "categories.yaml", `code: "72317000-0"`, `code: "7231700-0"`,
			[]string{"category cloud-hosting", "cpv[0].code"}},
		{"bad country language", "countries.yaml", "languages: [de]", "languages: [ger]",
			[]string{"country DE", "languages[0]"}},
		{"Greece as EL", "countries.yaml", "code: DE", "code: EL",
			[]string{"country EL", "GR"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fsys := fixture()
			data := string(fsys[tc.file].Data)
			if !strings.Contains(data, tc.old) {
				t.Fatalf("fixture %s lacks %q", tc.file, tc.old)
			}
			fsys[tc.file] = &fstest.MapFile{Data: []byte(strings.Replace(data, tc.old, tc.new, 1))}
			_, err := Load(fsys)
			if err == nil {
				t.Fatal("broken data was accepted")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error lacks %q:\n%v", w, err)
				}
			}
		})
	}
}

func TestValidateReportsEveryProblem(t *testing.T) {
	fsys := fixture()
	data := strings.NewReplacer("scheme: bsi-c5", "scheme: nope", "strength: mandatory", "strength: maybe").Replace(fixReq)
	fsys["requirements/de.yaml"] = &fstest.MapFile{Data: []byte(data)}
	_, err := Load(fsys)
	var verr *ValidationError
	if !errors.As(err, &verr) {
		t.Fatalf("want *ValidationError, got %v", err)
	}
	if len(verr.Problems) != 2 {
		t.Errorf("want 2 problems, got %d:\n%v", len(verr.Problems), err)
	}
}

// costFix is a scheme cost range in the fixture's flow style.
func costFix(low, high, verified string) string {
	return "cost: {low_eur: " + low + ", high_eur: " + high + `, covers: attestation fee, vendor_size: any, as_of: "2025", ` +
		`source: {url: "https://example.org/c5-fee", as_of: "2025", ` + verified + "}}"
}
