package compliance

import (
	"fmt"
	"slices"
	"strings"
)

// The checks of each kind of record, as Reference.Validate runs them. Each
// adds its problems to the checker, whose record names the record.

// country checks a country and adds it to k.
func (c *checker) country(co Country, k *known) {
	if !countryRE.MatchString(co.Code) {
		c.add("code", "%q is not an upper-case ISO 3166-1 alpha-2 code", co.Code)
	}
	if co.Code == "EL" || co.Code == "UK" {
		c.add("code", "%q is not the ISO code (use GR for Greece; the UK is not in scope)", co.Code)
	}
	if _, dup := k.countries[co.Code]; dup {
		c.add("code", "duplicate country code")
	}
	k.countries[co.Code] = co.Membership
	c.nonEmpty("name", co.Name)
	c.oneOf("membership", string(co.Membership), string(MemberEU), string(MemberEEA))
	c.nonEmpty("authority.name", co.Authority.Name)
	if co.Authority.URL != "" {
		c.url("authority.url", co.Authority.URL)
	}
	c.languages("languages", co.Languages)
	c.transposition(co.NIS2, co.Membership)
	if len(co.Sources) == 0 {
		c.add("sources", "needs at least one source")
	}
	for j, s := range co.Sources {
		c.source(fmt.Sprintf("sources[%d]", j), s, true)
	}
}

// transposition checks a country's NIS2 transposition.
func (c *checker) transposition(t Transposition, m Membership) {
	c.oneOf("nis2.status", string(t.Status), string(InForce), string(Adopted), string(Pending), string(NotIncorporated))
	if t.Status == NotIncorporated && m == MemberEU {
		c.add("nis2.status", "not-incorporated is only for EEA-only states")
	}
	c.asOf("nis2.as_of", t.AsOf, true)
	c.asOf("nis2.in_force", t.InForce, false)
	c.nonEmpty("nis2.instrument", t.Instrument)
	c.source("nis2.source", t.Source, true)
	for j, s := range t.MoreSources {
		c.source(fmt.Sprintf("nis2.more_sources[%d]", j), s, false)
	}
}

var csfFunctions = []string{string(Govern), string(Identify), string(Protect), string(Detect), string(Respond), string(Recover)}

// category checks a service category and adds it to k.
func (c *checker) category(ca Category, k *known) {
	if !slugRE.MatchString(ca.Slug) {
		c.add("slug", "%q is not a lower-case slug", ca.Slug)
	}
	if k.categories[ca.Slug] {
		c.add("slug", "duplicate category slug")
	}
	k.categories[ca.Slug] = true
	c.nonEmpty("name", ca.Name)
	c.nonEmpty("description", ca.Description)
	if len(ca.CSFFunctions.Primary) == 0 {
		c.add("csf_functions.primary", "needs at least one NIST CSF function")
	}
	for j, f := range slices.Concat(ca.CSFFunctions.Primary, ca.CSFFunctions.Supporting) {
		c.oneOf(fmt.Sprintf("csf_functions[%d]", j), string(f), csfFunctions...)
	}
	c.cpvs(ca.CPV)
	if len(ca.Sources) == 0 {
		c.add("sources", "needs at least one source")
	}
	for j, s := range ca.Sources {
		c.source(fmt.Sprintf("sources[%d]", j), s, true)
	}
}

// cpvs checks a category's CPV codes.
func (c *checker) cpvs(cpv []CPV) {
	if len(cpv) == 0 {
		c.add("cpv", "needs at least one CPV code")
	}
	codes := make([]string, 0, len(cpv))
	for j, p := range cpv {
		if !cpvRE.MatchString(p.Code) {
			c.add(fmt.Sprintf("cpv[%d].code", j), "%q is not a CPV code NNNNNNNN-C", p.Code)
		}
		c.nonEmpty(fmt.Sprintf("cpv[%d].label", j), p.Label)
		c.oneOf(fmt.Sprintf("cpv[%d].fit", j), p.Fit, "primary", "secondary", "weak", "umbrella")
		codes = append(codes, p.Code)
	}
	c.unique("cpv", codes)
}

var schemeKinds = []string{string(KindManagementSystem), string(KindProduct), string(KindService), string(KindCloud), string(KindPersonnel),
	string(KindMembership), string(KindQualification), string(KindLabel), string(KindListing), string(KindAccreditation)}

// scheme checks a certification scheme and adds it to k.
func (c *checker) scheme(s Scheme, k *known) {
	if !slugRE.MatchString(s.ID) {
		c.add("id", "%q is not a lower-case slug", s.ID)
	}
	if _, dup := k.schemes[s.ID]; dup {
		c.add("id", "duplicate scheme id")
	}
	k.schemes[s.ID] = s
	c.nonEmpty("name", s.Name)
	c.nonEmpty("owner", s.Owner)
	c.oneOf("kind", string(s.Kind), schemeKinds...)
	c.oneOf("status", string(s.Status), string(SchemeActive), string(SchemeDraft))
	if s.Jurisdiction != "" && !k.scope(s.Jurisdiction) {
		c.add("jurisdiction", "%q is not a country code, EU or EEA", s.Jurisdiction)
	}
	for j, l := range s.Levels {
		if !slugRE.MatchString(l) {
			c.add(fmt.Sprintf("levels[%d]", j), "%q is not a lower-case slug", l)
		}
	}
	c.unique("levels", s.Levels)
	c.schemeFigures(s)
	if len(s.Sources) == 0 {
		c.add("sources", "needs at least one source (URL and as_of)")
	}
	for j, src := range s.Sources {
		c.source(fmt.Sprintf("sources[%d]", j), src, true)
	}
}

// schemeFigures checks a scheme's validity, cost and lead time: a cost
// range above 0 with low <= high, what it covers, its as_of and a primary
// source; a lead time range not negative with low <= high and a primary
// source; a note for each unknown (null).
func (c *checker) schemeFigures(s Scheme) {
	c.nonNegative("validity_years", s.ValidityYears)
	if s.Cost == nil && s.CostNote == "" {
		c.add("cost_note", "an unknown (null) cost needs a note")
	}
	if s.Cost != nil {
		c.schemeCost(*s.Cost)
	}
	if s.LeadTime == nil && s.LeadTimeNote == "" {
		c.add("lead_time_note", "an unknown (null) lead time needs a note")
	}
	if l := s.LeadTime; l != nil {
		if l.LowMonths < 0 {
			c.add("lead_time.low_months", "must not be negative, got %g", l.LowMonths)
		}
		if l.HighMonths < l.LowMonths {
			c.add("lead_time.high_months", "must not be below low_months (%g), got %g", l.LowMonths, l.HighMonths)
		}
		c.source("lead_time.source", l.Source, true)
		if l.Source.Verified == VerifiedNo {
			c.add("lead_time.source.verified", "a figure needs a source it was read in (yes or partial), got no")
		}
	}
}

// schemeCost checks a known cost range.
func (c *checker) schemeCost(k SchemeCost) {
	switch {
	case k.NoFee && (k.LowEUR != 0 || k.HighEUR != 0):
		c.add("cost.no_fee", "a scheme without fee costs 0-0, got %d-%d", k.LowEUR, k.HighEUR)
	case !k.NoFee && k.LowEUR <= 0:
		c.add("cost.low_eur", "must be above 0 (null the cost when unknown, or set no_fee where the source says it is free), got %d", k.LowEUR)
	}
	if k.HighEUR < k.LowEUR {
		c.add("cost.high_eur", "must not be below low_eur (%d), got %d", k.LowEUR, k.HighEUR)
	}
	c.nonEmpty("cost.covers", k.Covers)
	c.nonEmpty("cost.vendor_size", k.VendorSize)
	c.asOf("cost.as_of", k.AsOf, true)
	c.source("cost.source", k.Source, true)
	if k.Source.Verified == VerifiedNo {
		c.add("cost.source.verified", "a figure needs a source it was read in (yes or partial), got no")
	}
}

// requirement checks a requirement against the countries, categories,
// schemes and requirements in k, and adds it to k.
func (c *checker) requirement(q Requirement, k *known) {
	if !slugRE.MatchString(q.ID) {
		c.add("id", "%q is not a lower-case slug", q.ID)
	}
	if other, dup := k.requirements[q.ID]; dup {
		c.add("id", "duplicate requirement id (also in %s)", other)
	}
	k.requirements[q.ID] = q.file
	if !k.scope(q.Country) {
		c.add("country", "%q is not a known country code, EU or EEA", q.Country)
	}
	c.requirementFile(q)
	c.nonEmpty("title", q.Title)
	c.nonEmpty("summary", q.Summary)
	if len(q.Categories) == 0 {
		c.add("categories", "needs at least one category")
	}
	for j, ca := range q.Categories {
		if !k.categories[ca] {
			c.add(fmt.Sprintf("categories[%d]", j), "unknown category %q", ca)
		}
	}
	c.unique("categories", q.Categories)
	c.buyers(q)
	c.oneOf("status", string(q.Status), string(RequirementInForce), string(RequirementPending))
	for j, sb := range q.SatisfiedBy {
		c.satisfier(fmt.Sprintf("satisfied_by[%d]", j), sb, k)
	}
	for j, co := range q.Conditions {
		c.condition(fmt.Sprintf("conditions[%d]", j), co, q.Country)
	}
	if q.AppliesWhen != nil {
		c.appliesWhen(*q.AppliesWhen)
	}
	c.nonEmpty("authority.name", q.Authority.Name)
	c.source("source", q.Source, true)
	for j, s := range q.MoreSources {
		c.source(fmt.Sprintf("more_sources[%d]", j), s, false)
	}
}

// requirementFile checks that a requirement read from a file is in the file
// of its country (EU- and EEA-wide ones in eu.yaml).
func (c *checker) requirementFile(q Requirement) {
	if q.file == "" {
		return
	}
	want := strings.TrimSuffix(strings.TrimPrefix(q.file, "requirements/"), ".yaml")
	got := strings.ToLower(q.Country)
	if q.Country == "EU" || q.Country == "EEA" {
		got = "eu"
	}
	if want != got {
		c.add("country", "%q does not belong in %s", q.Country, q.file)
	}
}

// buyers checks a requirement's buyer kinds and its strength, which must
// agree with them.
func (c *checker) buyers(q Requirement) {
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
}

// satisfier checks that a satisfier names a known scheme and one of its levels.
func (c *checker) satisfier(f string, sb Satisfier, k *known) {
	s, ok := k.schemes[sb.Scheme]
	if !ok {
		c.add(f+".scheme", "unknown scheme %q", sb.Scheme)
	} else if sb.MinLevel != "" && s.LevelIndex(sb.MinLevel) < 0 {
		c.add(f+".min_level", "scheme %s has no level %q (levels: %s)", sb.Scheme, sb.MinLevel, strings.Join(s.Levels, ", "))
	}
	c.oneOf(f+".extent", string(sb.Extent), string(Full), string(Partial))
}

// condition checks a condition of a requirement of scope country (a
// country code, EU or EEA): languages for a language condition, a region
// for the others.
func (c *checker) condition(f string, co Condition, scope string) {
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
		if co.Region == InCountry && (scope == "EU" || scope == "EEA") {
			c.add(f+".region", "an EU/EEA-wide requirement cannot ask for a single country")
		}
	default:
		c.add(f+".kind", "%q is not one of language, establishment, data-location, clearance", co.Kind)
	}
}

// appliesWhen checks a requirement's tender-context condition: facts of the
// engine's vocabulary, all_of or any_of (not both, not neither), a scope, a
// confidence and a source.
func (c *checker) appliesWhen(w AppliesWhen) {
	if (len(w.AllOf) == 0) == (len(w.AnyOf) == 0) {
		c.add("applies_when", "needs exactly one of all_of and any_of")
	}
	for _, l := range []struct {
		field string
		fs    []Fact
	}{{"applies_when.all_of", w.AllOf}, {"applies_when.any_of", w.AnyOf}} {
		field, fs := l.field, l.fs
		names := make([]string, len(fs))
		for j, f := range fs {
			names[j] = string(f)
			if factBit(f) < 0 {
				c.add(fmt.Sprintf("%s[%d]", field, j), "unknown fact %q (known: %s)", f, strings.Join(FactNames(), ", "))
			}
		}
		c.unique(field, names)
	}
	c.nonEmpty("applies_when.scope", w.Scope)
	c.oneOf("applies_when.confidence", w.Confidence, "high", "medium", "low")
	c.source("applies_when.source", w.Source, true)
}
