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
	dateRE    = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}$`)
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
	if d := s.InForceConfirmed; d != "" {
		switch {
		case !dateRE.MatchString(d) || !ValidAsOf(d):
			c.add(field+".in_force_confirmed", "%q is not a date YYYY-MM-DD", d)
		case s.AsOf != "" && d < s.AsOf:
			c.add(field+".in_force_confirmed", "%s is before the source's as_of %s", d, s.AsOf)
		}
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
	k := &known{countries: map[string]Membership{}, categories: map[string]bool{}, schemes: map[string]Scheme{},
		requirements: map[string]string{}}
	for i, co := range r.Countries {
		c.record = recordName("countries.yaml: country", co.Code, i)
		c.country(co, k)
	}
	for i, ca := range r.Categories {
		c.record = recordName("categories.yaml: category", ca.Slug, i)
		c.category(ca, k)
	}
	for i, s := range r.Schemes {
		c.record = recordName("schemes.yaml: scheme", s.ID, i)
		c.scheme(s, k)
	}
	for i, q := range r.Requirements {
		c.record = q.recordName()
		if q.ID == "" {
			c.record = fmt.Sprintf("%s: requirement #%d", q.file, i+1)
		}
		c.requirement(q, k)
	}
	if r.Research != nil {
		c.validateResearch(r)
	}
	if len(c.problems) > 0 {
		return &ValidationError{Problems: c.problems}
	}
	return nil
}

// recordName names record i (from 0) of a file by its key, or by its
// position when it has none: "schemes.yaml: scheme bsi-c5", "schemes.yaml: scheme #3".
func recordName(prefix, key string, i int) string {
	if key == "" {
		return fmt.Sprintf("%s #%d", prefix, i+1)
	}
	return prefix + " " + key
}

// known is what the records checked so far define, for the checks of the
// records after them: duplicates, and references that must resolve.
type known struct {
	countries  map[string]Membership
	categories map[string]bool
	schemes    map[string]Scheme
	// requirements maps requirement ids to their files.
	requirements map[string]string
}

// scope reports whether code is a known country, EU or EEA.
func (k *known) scope(code string) bool {
	_, ok := k.countries[code]
	return ok || code == "EU" || code == "EEA"
}
