package compliance

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"slices"
	"sort"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"
)

//go:embed reference/*.yaml reference/requirements/*.yaml
var embedded embed.FS

// Buyer is the kind of hospital that buys: a public body or a private provider.
type Buyer string

// The buyer kinds.
const (
	Public  Buyer = "public"
	Private Buyer = "private"
)

// Buyers lists every buyer kind.
var Buyers = []Buyer{Public, Private}

// Strength is how binding a requirement is for the vendor.
type Strength string

// The strengths, from strongest to weakest.
const (
	// Mandatory: required by law of the provider or the service, whoever the buyer is.
	Mandatory Strength = "mandatory"
	// MandatoryForPublicBuyers: required when the buyer is a public body.
	MandatoryForPublicBuyers Strength = "mandatory-for-public-buyers"
	// DeFactoExpected: not a legal duty of the provider, but a duty of the
	// hospital passed on by contract, or routinely demanded in tenders.
	DeFactoExpected Strength = "de-facto-expected"
	// Optional: a voluntary label or qualification that helps win business.
	Optional Strength = "optional"
)

// Extent says how far holding a scheme satisfies a requirement.
type Extent string

// The extents.
const (
	// Full: holding the scheme (at the minimum level) satisfies the requirement.
	Full Extent = "full"
	// Partial: the scheme helps as evidence but does not satisfy it alone.
	Partial Extent = "partial"
)

// ConditionKind is what a condition asks of the vendor besides certifications.
type ConditionKind string

// The condition kinds.
const (
	// LanguageCondition: support in at least one of the condition's languages.
	LanguageCondition ConditionKind = "language"
	// EstablishmentCondition: the vendor is established in the condition's region.
	EstablishmentCondition ConditionKind = "establishment"
	// DataLocationCondition: every place customer data is stored or processed
	// lies in the condition's region.
	DataLocationCondition ConditionKind = "data-location"
	// ClearanceCondition: the vendor's staff hold security clearance valid in
	// the condition's region.
	ClearanceCondition ConditionKind = "clearance"
)

// Region is the area a condition refers to, relative to the requirement.
type Region string

// The regions.
const (
	// InCountry: the requirement's own country.
	InCountry Region = "country"
	// InEU: any EU member state.
	InEU Region = "eu"
	// InEEA: any EU member state, Norway, Iceland or Liechtenstein.
	InEEA Region = "eea"
)

// Verified says whether a fact was seen in its cited source.
type Verified string

// The verification states.
const (
	// VerifiedYes: the core fact was seen in the cited source.
	VerifiedYes Verified = "yes"
	// VerifiedPartial: the core fact was seen, some detail (date, number, scope) was not.
	VerifiedPartial Verified = "partial"
	// VerifiedNo: plausible or commonly stated, not confirmed in a source; a lead, not a fact.
	VerifiedNo Verified = "no"
)

// Membership says whether a country is an EU member or an EEA-only state.
type Membership string

// The memberships.
const (
	MemberEU  Membership = "eu"
	MemberEEA Membership = "eea"
)

// TranspositionStatus is the state of a country's NIS2 transposition.
type TranspositionStatus string

// The transposition states.
const (
	// InForce: the transposing law is in force.
	InForce TranspositionStatus = "in-force"
	// Adopted: the law is adopted but its entry into force was not verified or is later.
	Adopted TranspositionStatus = "adopted"
	// Pending: a bill or draft, not yet adopted.
	Pending TranspositionStatus = "pending"
	// NotIncorporated: an EEA-only state where NIS2 is not yet part of the EEA Agreement.
	NotIncorporated TranspositionStatus = "not-incorporated"
)

// SchemeKind classifies a certification scheme.
type SchemeKind string

// The scheme kinds.
const (
	KindManagementSystem SchemeKind = "management-system" // ISO-style management-system certification
	KindProduct          SchemeKind = "product"           // certifies an ICT product
	KindService          SchemeKind = "service"           // attestation or seal of a service
	KindCloud            SchemeKind = "cloud"             // cloud-specific certification or attestation
	KindPersonnel        SchemeKind = "personnel"         // personal certificate of an individual
	KindMembership       SchemeKind = "membership"        // membership or selection, not a certificate
	KindQualification    SchemeKind = "qualification"     // state qualification of a provider
	KindLabel            SchemeKind = "label"             // voluntary label
	KindListing          SchemeKind = "listing"           // entry in an official catalogue
	KindAccreditation    SchemeKind = "accreditation"     // accreditation or authorisation as an audit body
)

// SchemeStatus says whether a scheme can be held today.
type SchemeStatus string

// The scheme states.
const (
	// SchemeActive: certificates can be obtained and held.
	SchemeActive SchemeStatus = "active"
	// SchemeDraft: in development or not adopted; cannot be held yet.
	SchemeDraft SchemeStatus = "draft"
)

// RequirementStatus says whether a requirement applies today.
type RequirementStatus string

// The requirement states.
const (
	// RequirementInForce: the rule applies today.
	RequirementInForce RequirementStatus = "in-force"
	// RequirementPending: the rule comes from a bill, draft or future date.
	RequirementPending RequirementStatus = "pending"
)

// Function is a NIST Cybersecurity Framework 2.0 function.
type Function string

// The NIST CSF 2.0 functions.
const (
	Govern   Function = "govern"
	Identify Function = "identify"
	Protect  Function = "protect"
	Detect   Function = "detect"
	Respond  Function = "respond"
	Recover  Function = "recover"
)

// Source is the provenance of a fact.
type Source struct {
	// URL of the page or document the fact was read in.
	URL string `yaml:"url" json:"url"`
	// LegalReference cites the law, decree or standard, as given by the source.
	LegalReference string `yaml:"legal_reference,omitempty" json:"legal_reference,omitempty"`
	// AsOf is the date the fact is as of: YYYY, YYYY-MM or YYYY-MM-DD.
	AsOf string `yaml:"as_of,omitempty" json:"as_of,omitempty"`
	// Verified says whether the fact was seen in the source.
	Verified Verified `yaml:"verified,omitempty" json:"verified,omitempty"`
	// Note explains partial verification, dates or disagreements.
	Note string `yaml:"note,omitempty" json:"note,omitempty"`
	// InForceConfirmed is the check date (YYYY-MM-DD) on which the rule an
	// older source states was confirmed still in force (the note says how);
	// empty when not confirmed or when the source is recent.
	InForceConfirmed string `yaml:"in_force_confirmed,omitempty" json:"in_force_confirmed,omitempty"`
}

// Authority is a public body: a competent authority or a rule's issuer.
type Authority struct {
	Name         string `yaml:"name" json:"name"`
	Abbreviation string `yaml:"abbreviation,omitempty" json:"abbreviation,omitempty"`
	// URL of the body's own site, where one was seen in a source.
	URL string `yaml:"url,omitempty" json:"url,omitempty"`
}

// Transposition is a country's NIS2 transposition status with its date.
type Transposition struct {
	Status TranspositionStatus `yaml:"status" json:"status"`
	// InForce is the date the law entered (or enters) into force, when known.
	InForce string `yaml:"in_force,omitempty" json:"in_force,omitempty"`
	// AsOf is the date the status is as of.
	AsOf        string   `yaml:"as_of" json:"as_of"`
	Instrument  string   `yaml:"instrument" json:"instrument"`
	Source      Source   `yaml:"source" json:"source"`
	Note        string   `yaml:"note,omitempty" json:"note,omitempty"`
	MoreSources []Source `yaml:"more_sources,omitempty" json:"more_sources,omitempty"`
}

// Country is one of the 30 EU/EEA states.
type Country struct {
	// Code is the ISO 3166-1 alpha-2 code (Greece is GR).
	Code       string     `yaml:"code" json:"code"`
	Name       string     `yaml:"name" json:"name"`
	Membership Membership `yaml:"membership" json:"membership"`
	// Authority is the competent cybersecurity / NIS2 authority.
	Authority Authority `yaml:"authority" json:"authority"`
	// Languages are the official languages, ISO 639-1, lower case.
	Languages []string      `yaml:"languages" json:"languages"`
	NIS2      Transposition `yaml:"nis2" json:"nis2"`
	Notes     []string      `yaml:"notes,omitempty" json:"notes,omitempty"`
	Sources   []Source      `yaml:"sources" json:"sources"`
}

// CSF maps a category to NIST CSF 2.0 functions.
type CSF struct {
	Primary    []Function `yaml:"primary" json:"primary"`
	Supporting []Function `yaml:"supporting" json:"supporting"`
}

// CPV is a Common Procurement Vocabulary code suited to a category.
type CPV struct {
	// Code is NNNNNNNN-C (eight digits and the check digit).
	Code  string `yaml:"code" json:"code"`
	Label string `yaml:"label" json:"label"`
	// Fit is how well the code fits: primary, secondary, weak or umbrella.
	Fit  string `yaml:"fit" json:"fit"`
	Note string `yaml:"note,omitempty" json:"note,omitempty"`
}

// Category is a service category of the catalogue.
type Category struct {
	Slug         string   `yaml:"slug" json:"slug"`
	Name         string   `yaml:"name" json:"name"`
	Description  string   `yaml:"description" json:"description"`
	CSFFunctions CSF      `yaml:"csf_functions" json:"csf_functions"`
	CPV          []CPV    `yaml:"cpv" json:"cpv"`
	Notes        []string `yaml:"notes,omitempty" json:"notes,omitempty"`
	Sources      []Source `yaml:"sources" json:"sources"`
}

// Scheme is a certification, attestation, qualification or listing a vendor can hold.
type Scheme struct {
	ID     string       `yaml:"id" json:"id"`
	Name   string       `yaml:"name" json:"name"`
	Owner  string       `yaml:"owner" json:"owner"`
	Kind   SchemeKind   `yaml:"kind" json:"kind"`
	Status SchemeStatus `yaml:"status" json:"status"`
	// Jurisdiction is the country code of a national scheme, EU or EEA for a
	// European one, empty for an international one.
	Jurisdiction string `yaml:"jurisdiction" json:"jurisdiction"`
	// Levels are ordered from lowest to highest; empty when the scheme has none.
	Levels []string `yaml:"levels" json:"levels"`
	// ValidityYears is how long a certificate lasts; nil when unknown or varying.
	ValidityYears *float64 `yaml:"validity_years" json:"validity_years"`
	ValidityNote  string   `yaml:"validity_note,omitempty" json:"validity_note,omitempty"`
	// Cost is the typical cost range a source states; nil = unknown, and
	// CostNote then says why (what was searched).
	Cost     *SchemeCost `yaml:"cost" json:"cost"`
	CostNote string      `yaml:"cost_note,omitempty" json:"cost_note,omitempty"`
	// LeadTime is the typical lead time range a source states; nil = unknown,
	// and LeadTimeNote then says why.
	LeadTime     *SchemeLeadTime `yaml:"lead_time" json:"lead_time"`
	LeadTimeNote string          `yaml:"lead_time_note,omitempty" json:"lead_time_note,omitempty"`
	// Recognition lists where the scheme is recognised beyond its origin.
	Recognition []string `yaml:"recognition,omitempty" json:"recognition,omitempty"`
	Notes       []string `yaml:"notes,omitempty" json:"notes,omitempty"`
	Sources     []Source `yaml:"sources" json:"sources"`
}

// SchemeCost is a typical cost range of obtaining a scheme, as one source
// states it in euros (never converted without a read exchange-rate source).
type SchemeCost struct {
	// LowEUR and HighEUR bound the range (equal for a single figure), whole
	// euros, both above 0 unless NoFee.
	LowEUR  int `yaml:"low_eur" json:"low_eur"`
	HighEUR int `yaml:"high_eur" json:"high_eur"`
	// NoFee: the source states that obtaining the scheme costs nothing
	// (a free course and test, no fee); the range is then 0-0. Covers says
	// what is still spent (staff time).
	NoFee bool `yaml:"no_fee,omitempty" json:"no_fee"`
	// Covers says what the price covers (certification-body fee, exam fee,
	// total with implementation, ...), VendorSize for what size of vendor.
	Covers     string `yaml:"covers" json:"covers"`
	VendorSize string `yaml:"vendor_size" json:"vendor_size"`
	// AsOf is the date the figure is as of (YYYY, YYYY-MM or YYYY-MM-DD).
	AsOf   string `yaml:"as_of" json:"as_of"`
	Source Source `yaml:"source" json:"source"`
}

// Range is the cost range.
func (c SchemeCost) Range() EURRange { return EURRange{LowEUR: c.LowEUR, HighEUR: c.HighEUR} }

// SchemeLeadTime is a typical lead time range of obtaining a scheme, in
// months from starting to holding it, as one source states it.
type SchemeLeadTime struct {
	LowMonths  float64 `yaml:"low_months" json:"low_months"`
	HighMonths float64 `yaml:"high_months" json:"high_months"`
	Source     Source  `yaml:"source" json:"source"`
}

// Range is the lead time range.
func (l SchemeLeadTime) Range() MonthRange {
	return MonthRange{LowMonths: l.LowMonths, HighMonths: l.HighMonths}
}

// EURRange is a cost range in whole euros.
type EURRange struct {
	LowEUR  int `json:"low_eur"`
	HighEUR int `json:"high_eur"`
}

// MonthRange is a lead time range in months.
type MonthRange struct {
	LowMonths  float64 `json:"low_months"`
	HighMonths float64 `json:"high_months"`
}

// CostRange is the scheme's cost range, nil when unknown.
func (s Scheme) CostRange() *EURRange {
	if s.Cost == nil {
		return nil
	}
	r := s.Cost.Range()
	return &r
}

// LeadTimeRange is the scheme's lead time range, nil when unknown.
func (s Scheme) LeadTimeRange() *MonthRange {
	if s.LeadTime == nil {
		return nil
	}
	r := s.LeadTime.Range()
	return &r
}

// LevelIndex returns the position of level in the scheme's ordered levels, or -1.
func (s Scheme) LevelIndex(level string) int { return slices.Index(s.Levels, level) }

// MeetsLevel reports whether a certificate at level have meets the minimum
// level min: an empty min is met by any certificate of the scheme; a level the
// scheme does not know never meets a non-empty min.
func (s Scheme) MeetsLevel(have, min string) bool {
	if min == "" {
		return true
	}
	h, m := s.LevelIndex(have), s.LevelIndex(min)
	return h >= 0 && m >= 0 && h >= m
}

// Satisfier is a scheme that satisfies a requirement fully or partly.
type Satisfier struct {
	Scheme string `yaml:"scheme" json:"scheme"`
	// MinLevel is the lowest scheme level that counts; empty = any.
	MinLevel string `yaml:"min_level" json:"min_level"`
	Extent   Extent `yaml:"extent" json:"extent"`
	Note     string `yaml:"note,omitempty" json:"note,omitempty"`
}

// Condition is a requirement on the vendor that no certificate proves.
type Condition struct {
	Kind ConditionKind `yaml:"kind" json:"kind"`
	// Languages (language conditions): support in at least one of them, ISO 639-1.
	Languages []string `yaml:"languages,omitempty" json:"languages,omitempty"`
	// Region (other conditions) is relative to the requirement's country.
	Region Region `yaml:"region,omitempty" json:"region,omitempty"`
	Note   string `yaml:"note,omitempty" json:"note,omitempty"`
}

// Requirement is what a country (or the EU/EEA) demands of a vendor of some
// service categories for some buyer kinds. One with neither satisfiers nor
// conditions is a duty (such as registering with an authority): reported, not
// machine-checkable.
type Requirement struct {
	ID string `yaml:"id" json:"id"`
	// Country is an ISO code, EU (every EU member state) or EEA (EU + NO, IS, LI).
	Country     string            `yaml:"country" json:"country"`
	Title       string            `yaml:"title" json:"title"`
	Summary     string            `yaml:"summary" json:"summary"`
	Categories  []string          `yaml:"categories" json:"categories"`
	Buyers      []Buyer           `yaml:"buyers" json:"buyers"`
	Strength    Strength          `yaml:"strength" json:"strength"`
	Status      RequirementStatus `yaml:"status" json:"status"`
	SatisfiedBy []Satisfier       `yaml:"satisfied_by" json:"satisfied_by"`
	Conditions  []Condition       `yaml:"conditions" json:"conditions"`
	// AppliesWhen, when set, is the tender context the requirement applies
	// in; elsewhere it does not apply at all (see Context).
	AppliesWhen *AppliesWhen `yaml:"applies_when,omitempty" json:"applies_when,omitempty"`
	Authority   Authority    `yaml:"authority" json:"authority"`
	Source      Source       `yaml:"source" json:"source"`
	MoreSources []Source     `yaml:"more_sources,omitempty" json:"more_sources,omitempty"`
	Notes       []string     `yaml:"notes,omitempty" json:"notes,omitempty"`

	file string // the file it was loaded from, for error messages
}

// IsDuty reports whether the requirement has neither satisfiers nor conditions.
func (r Requirement) IsDuty() bool { return len(r.SatisfiedBy) == 0 && len(r.Conditions) == 0 }

// AppliesTo reports whether the requirement concerns the category and buyer kind.
func (r Requirement) AppliesTo(category string, buyer Buyer) bool {
	return slices.Contains(r.Categories, category) && slices.Contains(r.Buyers, buyer)
}

// Reference is the whole reference data set.
type Reference struct {
	// Version is a content hash (12 hex digits of SHA-256 over the files) that
	// changes whenever any fact changes.
	Version    string     `yaml:"-" json:"version"`
	Countries  []Country  `yaml:"countries" json:"countries"`
	Categories []Category `yaml:"categories" json:"categories"`
	Schemes    []Scheme   `yaml:"schemes" json:"schemes"`
	// Requirements holds every requirement, country files in file order.
	Requirements []Requirement `yaml:"requirements" json:"requirements"`
	// Research is the research log per country (coverage.yaml); nil when the
	// data was assembled without one (no coverage is then checked).
	Research []CountryResearch `yaml:"-" json:"-"`

	coverage   map[string]*CountryCoverage // computed by Validate
	countries  map[string]int
	categories map[string]int
	schemes    map[string]int
}

var loadEmbedded = sync.OnceValues(func() (*Reference, error) {
	sub, err := fs.Sub(embedded, "reference")
	if err != nil {
		return nil, err
	}
	return Load(sub)
})

// Embedded returns the reference data compiled into the binary. It is loaded
// and validated once; the result is shared and must not be modified.
func Embedded() (*Reference, error) { return loadEmbedded() }

// Load reads and validates reference data from fsys, laid out as
// countries.yaml, categories.yaml, schemes.yaml, coverage.yaml and requirements/*.yaml.
// Decoding is strict: unknown fields fail. Every validation problem is
// reported, as a *ValidationError.
func Load(fsys fs.FS) (*Reference, error) {
	reqFiles, err := fs.Glob(fsys, "requirements/*.yaml")
	if err != nil {
		return nil, err
	}
	sort.Strings(reqFiles)
	files := append([]string{"categories.yaml", "countries.yaml", "coverage.yaml", "schemes.yaml"}, reqFiles...)

	h := sha256.New()
	r := &Reference{}
	for _, name := range files {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("compliance: %w", err)
		}
		fmt.Fprintf(h, "%s\x00%d\x00", name, len(data))
		h.Write(data)
		err = r.decodeFile(name, data)
		if err != nil {
			return nil, fmt.Errorf("compliance: %s: %w", name, err)
		}
	}
	r.Version = hex.EncodeToString(h.Sum(nil))[:12]
	r.index()
	if err := r.Validate(); err != nil {
		return nil, err
	}
	return r, nil
}

// decodeFile decodes file name of the reference data into r, strictly.
func (r *Reference) decodeFile(name string, data []byte) error {
	var err error
	switch name {
	case "countries.yaml":
		var f struct {
			Countries []Country `yaml:"countries"`
		}
		err = decodeStrict(data, &f)
		r.Countries = f.Countries
	case "categories.yaml":
		var f struct {
			Categories []Category `yaml:"categories"`
		}
		err = decodeStrict(data, &f)
		r.Categories = f.Categories
	case "coverage.yaml":
		var f struct {
			Research []CountryResearch `yaml:"research"`
		}
		err = decodeStrict(data, &f)
		r.Research = orNone(f.Research)
	case "schemes.yaml":
		var f struct {
			Schemes []Scheme `yaml:"schemes"`
		}
		err = decodeStrict(data, &f)
		r.Schemes = f.Schemes
	default:
		var f struct {
			Requirements []Requirement `yaml:"requirements"`
		}
		err = decodeStrict(data, &f)
		for i := range f.Requirements {
			f.Requirements[i].file = name
		}
		r.Requirements = append(r.Requirements, f.Requirements...)
	}
	return err
}

func decodeStrict(data []byte, v any) error {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(v); err != nil {
		if errors.Is(err, io.EOF) {
			return errors.New("empty file")
		}
		return err
	}
	var extra any
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		return errors.New("more than one YAML document")
	}
	return nil
}

func (r *Reference) index() {
	r.countries = make(map[string]int, len(r.Countries))
	for i, c := range r.Countries {
		if _, dup := r.countries[c.Code]; !dup {
			r.countries[c.Code] = i
		}
	}
	r.categories = make(map[string]int, len(r.Categories))
	for i, c := range r.Categories {
		if _, dup := r.categories[c.Slug]; !dup {
			r.categories[c.Slug] = i
		}
	}
	r.schemes = make(map[string]int, len(r.Schemes))
	for i, s := range r.Schemes {
		if _, dup := r.schemes[s.ID]; !dup {
			r.schemes[s.ID] = i
		}
	}
}

// Country returns the country with the ISO code (case-insensitive).
func (r *Reference) Country(code string) (Country, bool) {
	code = strings.ToUpper(strings.TrimSpace(code))
	if r.countries == nil {
		r.index()
	}
	i, ok := r.countries[code]
	if !ok {
		return Country{}, false
	}
	return r.Countries[i], true
}

// Category returns the service category with the slug.
func (r *Reference) Category(slug string) (Category, bool) {
	if r.categories == nil {
		r.index()
	}
	i, ok := r.categories[slug]
	if !ok {
		return Category{}, false
	}
	return r.Categories[i], true
}

// Scheme returns the certification scheme with the id.
func (r *Reference) Scheme(id string) (Scheme, bool) {
	if r.schemes == nil {
		r.index()
	}
	i, ok := r.schemes[id]
	if !ok {
		return Scheme{}, false
	}
	return r.Schemes[i], true
}

// Applicable returns what applies in the country (ISO code) to a vendor of
// the category for the buyer kind: the country's own requirements, then the
// EU-wide ones (EU members only), then the EEA-wide ones; within each group by
// strength (mandatory first), then by id. It returns nil for an unknown country.
func (r *Reference) Applicable(country string, category string, buyer Buyer) []Requirement {
	c, ok := r.Country(country)
	if !ok {
		return nil
	}
	scope := func(req Requirement) int {
		switch {
		case req.Country == c.Code:
			return 0
		case req.Country == "EU" && c.Membership == MemberEU:
			return 1
		case req.Country == "EEA":
			return 2
		}
		return -1
	}
	var out []Requirement
	for _, req := range r.Requirements {
		if scope(req) >= 0 && req.AppliesTo(category, buyer) {
			out = append(out, req)
		}
	}
	slices.SortStableFunc(out, func(a, b Requirement) int {
		if d := scope(a) - scope(b); d != 0 {
			return d
		}
		if d := strengthRank(a.Strength) - strengthRank(b.Strength); d != 0 {
			return d
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out
}

func strengthRank(s Strength) int {
	switch s {
	case Mandatory:
		return 0
	case MandatoryForPublicBuyers:
		return 1
	case DeFactoExpected:
		return 2
	case Optional:
		return 3
	}
	return 4
}

// recordName names a requirement for messages: "requirements/de.yaml: de-c5-sgbv-393".
func (r Requirement) recordName() string {
	if r.file == "" {
		return "requirement " + r.ID
	}
	return path.Clean(r.file) + ": requirement " + r.ID
}
