package compliance

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/cybermarket/cybermarket/catalog"
)

// Problem is one thing wrong in the reference data.
type Problem struct {
	// Record names the file and record, such as "requirements/de.yaml: requirement de-c5-sgbv-393".
	Record string
	// Field is the path of the offending field inside the record, such as "satisfied_by[0].scheme".
	Field   string
	Message string
}

func (p Problem) String() string { return p.Record + ": " + p.Field + ": " + p.Message }

// ValidationError lists every problem found by Validate.
type ValidationError struct {
	Problems []Problem
}

func (e *ValidationError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "compliance: invalid reference data (%d problems)", len(e.Problems))
	for _, p := range e.Problems {
		b.WriteString("\n  ")
		b.WriteString(p.String())
	}
	return b.String()
}

var (
	slugRE    = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	countryRE = regexp.MustCompile(`^[A-Z]{2}$`)
	cpvRE     = regexp.MustCompile(`^[0-9]{8}-[0-9]$`)
	asOfRE    = regexp.MustCompile(`^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$`)
)

// ValidAsOf reports whether s is a date of the form YYYY, YYYY-MM or YYYY-MM-DD.
func ValidAsOf(s string) bool {
	if !asOfRE.MatchString(s) {
		return false
	}
	layout := map[int]string{4: "2006", 7: "2006-01", 10: "2006-01-02"}[len(s)]
	_, err := time.Parse(layout, s)
	return err == nil
}

type checker struct {
	problems []Problem
	record   string
}

func (c *checker) add(field, format string, args ...any) {
	c.problems = append(c.problems, Problem{Record: c.record, Field: field, Message: fmt.Sprintf(format, args...)})
}

func (c *checker) nonEmpty(field, v string) {
	if strings.TrimSpace(v) == "" {
		c.add(field, "must not be empty")
	}
}

func (c *checker) oneOf(field string, v string, allowed ...string) {
	if !slices.Contains(allowed, v) {
		c.add(field, "%q is not one of %s", v, strings.Join(allowed, ", "))
	}
}

func (c *checker) url(field, v string) {
	if v == "" {
		c.add(field, "source URL is missing")
		return
	}
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		c.add(field, "%q is not an http(s) URL", v)
	}
}

func (c *checker) asOf(field, v string, required bool) {
	if v == "" {
		if required {
			c.add(field, "as_of is missing")
		}
		return
	}
	if !ValidAsOf(v) {
		c.add(field, "%q is not a date YYYY, YYYY-MM or YYYY-MM-DD", v)
	}
}

// source checks a source; primary sources need a URL, an as_of date and a verification state.
func (c *checker) source(field string, s Source, primary bool) {
	c.url(field+".url", s.URL)
	c.asOf(field+".as_of", s.AsOf, primary)
	if s.Verified != "" || primary {
		c.oneOf(field+".verified", string(s.Verified), string(VerifiedYes), string(VerifiedPartial), string(VerifiedNo))
	}
}

func (c *checker) languages(field string, langs []string) {
	if len(langs) == 0 {
		c.add(field, "needs at least one language")
	}
	for i, l := range langs {
		if !catalog.IsLanguage(l) {
			c.add(fmt.Sprintf("%s[%d]", field, i), "%q is not a lower-case ISO 639-1 code", l)
		}
	}
	c.unique(field, langs)
}

func (c *checker) unique(field string, vs []string) {
	seen := map[string]bool{}
	for _, v := range vs {
		if seen[v] {
			c.add(field, "%q is listed twice", v)
		}
		seen[v] = true
	}
}

func (c *checker) nonNegative(field string, v *float64) {
	if v != nil && *v < 0 {
		c.add(field, "must not be negative, got %v", *v)
	}
}

// Validate reports every problem in the reference data: duplicate ids, references
// (categories, schemes, levels, countries) that do not resolve, invalid enum
// values, missing source URLs or as_of dates, bad language or CPV codes and
// negative costs. It returns nil or a *ValidationError.
func (r *Reference) Validate() error {
	c := &checker{}
	r.index()

	countries := map[string]Membership{}
	for i, co := range r.Countries {
		c.record = fmt.Sprintf("countries.yaml: country %s", co.Code)
		if co.Code == "" {
			c.record = fmt.Sprintf("countries.yaml: country #%d", i+1)
		}
		if !countryRE.MatchString(co.Code) {
			c.add("code", "%q is not an upper-case ISO 3166-1 alpha-2 code", co.Code)
		}
		if co.Code == "EL" || co.Code == "UK" {
			c.add("code", "%q is not the ISO code (use GR for Greece; the UK is not in scope)", co.Code)
		}
		if _, dup := countries[co.Code]; dup {
			c.add("code", "duplicate country code")
		}
		countries[co.Code] = co.Membership
		c.nonEmpty("name", co.Name)
		c.oneOf("membership", string(co.Membership), string(MemberEU), string(MemberEEA))
		c.nonEmpty("authority.name", co.Authority.Name)
		if co.Authority.URL != "" {
			c.url("authority.url", co.Authority.URL)
		}
		c.languages("languages", co.Languages)
		c.oneOf("nis2.status", string(co.NIS2.Status), string(InForce), string(Adopted), string(Pending), string(NotIncorporated))
		if co.NIS2.Status == NotIncorporated && co.Membership == MemberEU {
			c.add("nis2.status", "not-incorporated is only for EEA-only states")
		}
		c.asOf("nis2.as_of", co.NIS2.AsOf, true)
		c.asOf("nis2.in_force", co.NIS2.InForce, false)
		c.nonEmpty("nis2.instrument", co.NIS2.Instrument)
		c.source("nis2.source", co.NIS2.Source, true)
		for j, s := range co.NIS2.MoreSources {
			c.source(fmt.Sprintf("nis2.more_sources[%d]", j), s, false)
		}
		if len(co.Sources) == 0 {
			c.add("sources", "needs at least one source")
		}
		for j, s := range co.Sources {
			c.source(fmt.Sprintf("sources[%d]", j), s, true)
		}
	}

	functions := []string{string(Govern), string(Identify), string(Protect), string(Detect), string(Respond), string(Recover)}
	categories := map[string]bool{}
	for i, ca := range r.Categories {
		c.record = fmt.Sprintf("categories.yaml: category %s", ca.Slug)
		if ca.Slug == "" {
			c.record = fmt.Sprintf("categories.yaml: category #%d", i+1)
		}
		if !slugRE.MatchString(ca.Slug) {
			c.add("slug", "%q is not a lower-case slug", ca.Slug)
		}
		if categories[ca.Slug] {
			c.add("slug", "duplicate category slug")
		}
		categories[ca.Slug] = true
		c.nonEmpty("name", ca.Name)
		c.nonEmpty("description", ca.Description)
		if len(ca.CSFFunctions.Primary) == 0 {
			c.add("csf_functions.primary", "needs at least one NIST CSF function")
		}
		for j, f := range slices.Concat(ca.CSFFunctions.Primary, ca.CSFFunctions.Supporting) {
			c.oneOf(fmt.Sprintf("csf_functions[%d]", j), string(f), functions...)
		}
		if len(ca.CPV) == 0 {
			c.add("cpv", "needs at least one CPV code")
		}
		codes := make([]string, 0, len(ca.CPV))
		for j, p := range ca.CPV {
			if !cpvRE.MatchString(p.Code) {
				c.add(fmt.Sprintf("cpv[%d].code", j), "%q is not a CPV code NNNNNNNN-C", p.Code)
			}
			c.nonEmpty(fmt.Sprintf("cpv[%d].label", j), p.Label)
			c.oneOf(fmt.Sprintf("cpv[%d].fit", j), p.Fit, "primary", "secondary", "weak", "umbrella")
			codes = append(codes, p.Code)
		}
		c.unique("cpv", codes)
		if len(ca.Sources) == 0 {
			c.add("sources", "needs at least one source")
		}
		for j, s := range ca.Sources {
			c.source(fmt.Sprintf("sources[%d]", j), s, true)
		}
	}

	scope := func(code string) bool { _, ok := countries[code]; return ok || code == "EU" || code == "EEA" }
	kinds := []string{string(KindManagementSystem), string(KindProduct), string(KindService), string(KindCloud), string(KindPersonnel),
		string(KindMembership), string(KindQualification), string(KindLabel), string(KindListing), string(KindAccreditation)}
	schemes := map[string]Scheme{}
	for i, s := range r.Schemes {
		c.record = fmt.Sprintf("schemes.yaml: scheme %s", s.ID)
		if s.ID == "" {
			c.record = fmt.Sprintf("schemes.yaml: scheme #%d", i+1)
		}
		if !slugRE.MatchString(s.ID) {
			c.add("id", "%q is not a lower-case slug", s.ID)
		}
		if _, dup := schemes[s.ID]; dup {
			c.add("id", "duplicate scheme id")
		}
		schemes[s.ID] = s
		c.nonEmpty("name", s.Name)
		c.nonEmpty("owner", s.Owner)
		c.oneOf("kind", string(s.Kind), kinds...)
		c.oneOf("status", string(s.Status), string(SchemeActive), string(SchemeDraft))
		if s.Jurisdiction != "" && !scope(s.Jurisdiction) {
			c.add("jurisdiction", "%q is not a country code, EU or EEA", s.Jurisdiction)
		}
		for j, l := range s.Levels {
			if !slugRE.MatchString(l) {
				c.add(fmt.Sprintf("levels[%d]", j), "%q is not a lower-case slug", l)
			}
		}
		c.unique("levels", s.Levels)
		c.nonNegative("validity_years", s.ValidityYears)
		if s.CostEUR != nil && *s.CostEUR < 0 {
			c.add("cost_eur", "must not be negative, got %d", *s.CostEUR)
		}
		if s.CostEUR != nil && *s.CostEUR == 0 {
			c.add("cost_eur", "0 is not allowed: use null for unknown")
		}
		c.nonNegative("lead_time_months", s.LeadTimeMonths)
		if s.CostEUR == nil && s.CostNote == "" {
			c.add("cost_note", "an unknown (null) cost needs a note")
		}
		if s.LeadTimeMonths == nil && s.LeadTimeNote == "" {
			c.add("lead_time_note", "an unknown (null) lead time needs a note")
		}
		if len(s.Sources) == 0 {
			c.add("sources", "needs at least one source (URL and as_of)")
		}
		for j, src := range s.Sources {
			c.source(fmt.Sprintf("sources[%d]", j), src, true)
		}
	}

	ids := map[string]string{}
	for i, q := range r.Requirements {
		c.record = q.recordName()
		if q.ID == "" {
			c.record = fmt.Sprintf("%s: requirement #%d", q.file, i+1)
		}
		if !slugRE.MatchString(q.ID) {
			c.add("id", "%q is not a lower-case slug", q.ID)
		}
		if other, dup := ids[q.ID]; dup {
			c.add("id", "duplicate requirement id (also in %s)", other)
		}
		ids[q.ID] = q.file
		if !scope(q.Country) {
			c.add("country", "%q is not a known country code, EU or EEA", q.Country)
		}
		if q.file != "" {
			want := strings.TrimSuffix(strings.TrimPrefix(q.file, "requirements/"), ".yaml")
			got := strings.ToLower(q.Country)
			if q.Country == "EU" || q.Country == "EEA" {
				got = "eu"
			}
			if want != got {
				c.add("country", "%q does not belong in %s", q.Country, q.file)
			}
		}
		c.nonEmpty("title", q.Title)
		c.nonEmpty("summary", q.Summary)
		if len(q.Categories) == 0 {
			c.add("categories", "needs at least one category")
		}
		for j, ca := range q.Categories {
			if !categories[ca] {
				c.add(fmt.Sprintf("categories[%d]", j), "unknown category %q", ca)
			}
		}
		c.unique("categories", q.Categories)
		if len(q.Buyers) == 0 {
			c.add("buyers", "needs at least one buyer kind")
		}
		buyers := make([]string, len(q.Buyers))
		for j, b := range q.Buyers {
			c.oneOf(fmt.Sprintf("buyers[%d]", j), string(b), string(Public), string(Private))
			buyers[j] = string(b)
		}
		c.unique("buyers", buyers)
		c.oneOf("strength", string(q.Strength), string(Mandatory), string(MandatoryForPublicBuyers), string(DeFactoExpected), string(Optional))
		if q.Strength == MandatoryForPublicBuyers && !slices.Equal(q.Buyers, []Buyer{Public}) {
			c.add("buyers", "a mandatory-for-public-buyers requirement concerns public buyers only")
		}
		c.oneOf("status", string(q.Status), string(RequirementInForce), string(RequirementPending))
		for j, sb := range q.SatisfiedBy {
			f := fmt.Sprintf("satisfied_by[%d]", j)
			s, ok := schemes[sb.Scheme]
			if !ok {
				c.add(f+".scheme", "unknown scheme %q", sb.Scheme)
			} else if sb.MinLevel != "" && s.LevelIndex(sb.MinLevel) < 0 {
				c.add(f+".min_level", "scheme %s has no level %q (levels: %s)", sb.Scheme, sb.MinLevel, strings.Join(s.Levels, ", "))
			}
			c.oneOf(f+".extent", string(sb.Extent), string(Full), string(Partial))
		}
		for j, co := range q.Conditions {
			f := fmt.Sprintf("conditions[%d]", j)
			switch co.Kind {
			case LanguageCondition:
				c.languages(f+".languages", co.Languages)
				if co.Region != "" {
					c.add(f+".region", "a language condition has no region")
				}
			case EstablishmentCondition, DataLocationCondition, ClearanceCondition:
				c.oneOf(f+".region", string(co.Region), string(InCountry), string(InEU), string(InEEA))
				if len(co.Languages) > 0 {
					c.add(f+".languages", "only language conditions have languages")
				}
				if co.Region == InCountry && (q.Country == "EU" || q.Country == "EEA") {
					c.add(f+".region", "an EU/EEA-wide requirement cannot ask for a single country")
				}
			default:
				c.add(f+".kind", "%q is not one of language, establishment, data-location, clearance", co.Kind)
			}
		}
		c.nonEmpty("authority.name", q.Authority.Name)
		c.source("source", q.Source, true)
		for j, s := range q.MoreSources {
			c.source(fmt.Sprintf("more_sources[%d]", j), s, false)
		}
	}

	if len(c.problems) > 0 {
		return &ValidationError{Problems: c.problems}
	}
	return nil
}
