package openapi

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"github.com/cybermarket/cybermarket/catalog"
	"github.com/cybermarket/cybermarket/compliance"
)

// SourceView is where a fact comes from.
type SourceView struct {
	URL              string `json:"url" doc:"Page or document the fact was read in." example:"https://www.gesetze-im-internet.de/sgb_5/__393.html"`
	LegalReference   string `json:"legal_reference,omitempty" doc:"The law, decree or standard, as the source cites it." example:"SGB V § 393"`
	AsOf             string `json:"as_of,omitempty" doc:"Date the fact is as of (YYYY, YYYY-MM or YYYY-MM-DD)." example:"2025-10-30"`
	Verified         string `json:"verified,omitempty" enum:"yes,partial,no" doc:"Whether the fact was seen in the source: yes, partial, or no (a lead, not a fact)." example:"yes"`
	Note             string `json:"note,omitempty" doc:"What was verified, disagreements between sources, dates." example:""`
	InForceConfirmed string `json:"in_force_confirmed,omitempty" format:"date" doc:"For a source older than 24 months: the check date on which the rule was confirmed still in force (the note says how)." example:"2026-12-02"`
}

// AuthorityView is a public body.
type AuthorityView struct {
	Name         string `json:"name" doc:"Name of the body." example:"Bundesamt für Sicherheit in der Informationstechnik"`
	Abbreviation string `json:"abbreviation,omitempty" doc:"Usual abbreviation." example:"BSI"`
	URL          string `json:"url,omitempty" doc:"The body's website, where a source gave it." example:"https://www.bsi.bund.de"`
}

// TranspositionView is a country's NIS2 transposition status.
type TranspositionView struct {
	Status     string     `json:"status" doc:"Transposition status." example:"in-force"`
	InForce    string     `json:"in_force,omitempty" doc:"Date the law entered (or enters) into force." example:"2025-12-06"`
	AsOf       string     `json:"as_of" doc:"Date the status is as of." example:"2026-06"`
	Instrument string     `json:"instrument" doc:"The national law." example:"NIS2UmsuCG"`
	Source     SourceView `json:"source" doc:"Where the status comes from."`
}

// CountryView is a Member State (or EEA state) with its authority and languages.
type CountryView struct {
	Code       string            `json:"code" doc:"ISO 3166-1 alpha-2 code (Greece is GR)." example:"DE"`
	Name       string            `json:"name" doc:"English name." example:"Germany"`
	Membership string            `json:"membership" enum:"eu,eea" doc:"EU member state, or EEA state outside the EU." example:"eu"`
	Authority  AuthorityView     `json:"authority" doc:"Competent cybersecurity (NIS2) authority."`
	Languages  []string          `json:"languages" doc:"Official languages, ISO 639-1." example:"[\"de\"]"`
	NIS2       TranspositionView `json:"nis2" doc:"NIS2 transposition status."`
	Notes      []string          `json:"notes,omitempty" doc:"Remarks on the country's data."`
	Sources    []SourceView      `json:"sources" doc:"Sources of the country's facts."`
}

// CategoryView is a service category of the taxonomy.
type CategoryView struct {
	Slug        string    `json:"slug" doc:"Identifier used by offerings." example:"incident-response"`
	Name        string    `json:"name" doc:"Display name." example:"Incident response"`
	Description string    `json:"description" doc:"What the category covers." example:"Emergency response to cyber incidents."`
	CSFPrimary  []string  `json:"csf_primary" doc:"NIST CSF 2.0 functions the category mainly serves." example:"[\"respond\"]"`
	CSFSupport  []string  `json:"csf_supporting" doc:"NIST CSF 2.0 functions it also supports." example:"[\"recover\"]"`
	CPV         []CPVView `json:"cpv" doc:"CPV 2008 codes suited to tenders in this category."`
}

// CPVView is a Common Procurement Vocabulary code.
type CPVView struct {
	Code  string `json:"code" doc:"CPV code with check digit." example:"72212730-5"`
	Label string `json:"label" doc:"English label from Regulation (EC) 213/2008." example:"Security software development services"`
	Fit   string `json:"fit" doc:"How well the code fits the category: primary, secondary, weak or umbrella." example:"primary"`
}

// SchemeView is a certification scheme.
type SchemeView struct {
	ID            string              `json:"id" doc:"Identifier used by certifications." example:"bsi-c5"`
	Name          string              `json:"name" doc:"Full name." example:"BSI C5 Cloud Computing Compliance Criteria Catalogue"`
	Owner         string              `json:"owner" doc:"Who owns the scheme and who issues certificates." example:"BSI; attested by auditors"`
	Kind          string              `json:"kind" doc:"Kind of credential." example:"attestation"`
	Status        string              `json:"status" doc:"active, or draft (cannot be held yet)." example:"active"`
	Jurisdiction  string              `json:"jurisdiction,omitempty" doc:"Country of a national scheme, EU/EEA for a European one, empty for an international one." example:"DE"`
	Levels        []string            `json:"levels" doc:"Levels from lowest to highest; empty when the scheme has none." example:"[\"type-1\",\"type-2\"]"`
	ValidityYears *float64            `json:"validity_years" doc:"How long a certificate lasts, in years; null when unknown." example:"1"`
	Cost          *SchemeCostView     `json:"cost" doc:"Typical cost range in euro as one source states it; null when unknown (never 0 for unknown)."`
	CostNote      string              `json:"cost_note,omitempty" doc:"Why the cost is unknown (what was searched)." example:""`
	LeadTime      *SchemeLeadTimeView `json:"lead_time" doc:"Typical lead time range as one source states it; null when unknown."`
	LeadTimeNote  string              `json:"lead_time_note,omitempty" doc:"Why the lead time is unknown." example:""`
	Recognition   []string            `json:"recognition,omitempty" doc:"Where the scheme is recognised beyond its origin."`
	Sources       []SourceView        `json:"sources" doc:"Sources of the scheme's facts."`
}

// SchemeCostView is a scheme's typical cost range with what it covers and its source.
type SchemeCostView struct {
	LowEUR     int        `json:"low_eur" doc:"Low end in euro." example:"4500"`
	HighEUR    int        `json:"high_eur" doc:"High end in euro (equal to low_eur for a single figure)." example:"9500"`
	NoFee      bool       `json:"no_fee" doc:"The source states obtaining the scheme costs nothing (a free course and test); the range is then 0-0 and covers says what is still spent." example:"false"`
	Covers     string     `json:"covers" doc:"What the price covers." example:"Certification-body fee of the first year, excl. VAT"`
	VendorSize string     `json:"vendor_size" doc:"The vendor size the figure is for." example:"up to 20 employees"`
	AsOf       string     `json:"as_of" doc:"Date the figure is as of." example:"2026-12-01"`
	Source     SourceView `json:"source" doc:"Where the figure was read."`
}

// SchemeLeadTimeView is a scheme's typical lead time range with its source.
type SchemeLeadTimeView struct {
	LowMonths  float64    `json:"low_months" doc:"Low end in months." example:"6"`
	HighMonths float64    `json:"high_months" doc:"High end in months." example:"12"`
	Source     SourceView `json:"source" doc:"Where the figure was read."`
}

func schemeCostView(c *compliance.SchemeCost) *SchemeCostView {
	if c == nil {
		return nil
	}
	return &SchemeCostView{LowEUR: c.LowEUR, HighEUR: c.HighEUR, NoFee: c.NoFee, Covers: c.Covers, VendorSize: c.VendorSize, AsOf: c.AsOf,
		Source: sourceView(c.Source)}
}

func schemeLeadTimeView(l *compliance.SchemeLeadTime) *SchemeLeadTimeView {
	if l == nil {
		return nil
	}
	return &SchemeLeadTimeView{LowMonths: l.LowMonths, HighMonths: l.HighMonths, Source: sourceView(l.Source)}
}

// RequirementInput is a requirement as an administrator edits it.
type RequirementInput struct {
	Scope       string           `json:"scope" doc:"Country code, or EU (every EU member state) or EEA." example:"DE"`
	Title       string           `json:"title" doc:"Short title." example:"BSI C5 attestation for cloud processing of health data"`
	Summary     string           `json:"summary" doc:"What it demands, in plain words." example:"Cloud services processing health data need a current C5 attestation."`
	Categories  []string         `json:"categories" doc:"Service categories it concerns." example:"[\"cloud-hosting\"]"`
	Buyers      []string         `json:"buyers" doc:"Buyer kinds it concerns." example:"[\"public\",\"private\"]"`
	Strength    string           `json:"strength" enum:"mandatory,mandatory-for-public-buyers,de-facto-expected,optional" doc:"How binding it is." example:"mandatory"`
	Status      string           `json:"status" enum:"in-force,pending" doc:"in-force, or pending (adopted or proposed, not yet applicable; never binding)." example:"in-force"`
	SatisfiedBy []SatisfierView  `json:"satisfied_by" doc:"Schemes that satisfy it, fully or partly."`
	Conditions  []ConditionView  `json:"conditions" doc:"Conditions on the vendor or offering that no certificate proves."`
	AppliesWhen *AppliesWhenView `json:"applies_when,omitempty" doc:"The tender context it applies in at all; absent when it always applies. Omitting it in an edit removes the condition."`
	Authority   AuthorityView    `json:"authority" doc:"Who issues or enforces it."`
	Source      SourceView       `json:"source" doc:"The primary source."`
	MoreSources []SourceView     `json:"more_sources,omitempty" doc:"Further sources, including disagreeing ones."`
	Notes       []string         `json:"notes,omitempty" doc:"Commentary: substitutes, disagreements, dates."`
}

// RequirementView is what a country (or the EU/EEA) demands of a vendor.
type RequirementView struct {
	ID string `json:"id" doc:"Requirement identifier." example:"de-c5-sgbv-393"`
	RequirementInput
	Binding *bool `json:"binding,omitempty" doc:"Whether it decides eligibility for the buyer kind asked about (only when a buyer was given)." example:"true"`
	Duty    bool  `json:"duty" doc:"A duty no certificate or condition can show (such as registering with an authority): reported, never blocking." example:"false"`
}

// AppliesWhenView is the tender-context condition of a requirement.
type AppliesWhenView struct {
	AllOf      []string   `json:"all_of,omitempty" doc:"It applies when all of these facts hold." example:"[\"health_data_processed\",\"cloud_delivered\"]"`
	AnyOf      []string   `json:"any_of,omitempty" doc:"It applies when one of these facts holds (instead of all_of)."`
	Scope      string     `json:"scope" doc:"What the condition means for this requirement."`
	Confidence string     `json:"confidence" enum:"high,medium,low" doc:"high: the rule text says so; medium: authority guidance or commentary; low: research reading."`
	Source     SourceView `json:"source" doc:"Where the condition is stated."`
}

func appliesWhenView(w *compliance.AppliesWhen) *AppliesWhenView {
	if w == nil {
		return nil
	}
	v := &AppliesWhenView{Scope: w.Scope, Confidence: w.Confidence, Source: sourceView(w.Source)}
	for _, f := range w.AllOf {
		v.AllOf = append(v.AllOf, string(f))
	}
	for _, f := range w.AnyOf {
		v.AnyOf = append(v.AnyOf, string(f))
	}
	return v
}

func (v *AppliesWhenView) domain(src func(SourceView) compliance.Source) *compliance.AppliesWhen {
	if v == nil {
		return nil
	}
	w := &compliance.AppliesWhen{Scope: v.Scope, Confidence: v.Confidence, Source: src(v.Source)}
	for _, f := range v.AllOf {
		w.AllOf = append(w.AllOf, compliance.Fact(f))
	}
	for _, f := range v.AnyOf {
		w.AnyOf = append(w.AnyOf, compliance.Fact(f))
	}
	return w
}

// SatisfierView is a scheme that satisfies a requirement.
type SatisfierView struct {
	Scheme   string `json:"scheme" doc:"Scheme identifier." example:"bsi-c5"`
	MinLevel string `json:"min_level,omitempty" doc:"Lowest level that counts; empty for any." example:"type-2"`
	Extent   string `json:"extent" enum:"full,partial" doc:"full: meets the requirement; partial: helps but does not meet it alone." example:"full"`
	Note     string `json:"note,omitempty" doc:"Limits of the substitution." example:""`
}

// ConditionView is a condition of a requirement.
type ConditionView struct {
	Kind      string   `json:"kind" enum:"language,establishment,data-location,clearance" doc:"What is required." example:"establishment"`
	Languages []string `json:"languages,omitempty" doc:"For language: support in at least one of these (ISO 639-1); empty means the country's official languages." example:"[\"de\"]"`
	Region    string   `json:"region,omitempty" enum:"country,eu,eea" doc:"For establishment and data location: within the country, the EU or the EEA." example:"country"`
	Note      string   `json:"note,omitempty" doc:"Detail of the condition." example:""`
}

func sourceView(s compliance.Source) SourceView {
	return SourceView{URL: s.URL, LegalReference: s.LegalReference, AsOf: s.AsOf, Verified: string(s.Verified), Note: s.Note,
		InForceConfirmed: s.InForceConfirmed}
}

func sourceViews(in []compliance.Source) []SourceView {
	out := make([]SourceView, len(in))
	for i, s := range in {
		out[i] = sourceView(s)
	}
	return out
}

func authorityView(a compliance.Authority) AuthorityView { return AuthorityView(a) }

func countryView(c compliance.Country) CountryView {
	return CountryView{
		Code: c.Code, Name: c.Name, Membership: string(c.Membership), Authority: authorityView(c.Authority),
		Languages: orEmpty(c.Languages), Notes: c.Notes, Sources: sourceViews(c.Sources),
		NIS2: TranspositionView{Status: string(c.NIS2.Status), InForce: c.NIS2.InForce, AsOf: c.NIS2.AsOf,
			Instrument: c.NIS2.Instrument, Source: sourceView(c.NIS2.Source)},
	}
}

func categoryView(c compliance.Category) CategoryView {
	v := CategoryView{Slug: c.Slug, Name: c.Name, Description: c.Description, CPV: make([]CPVView, len(c.CPV))}
	for _, f := range c.CSFFunctions.Primary {
		v.CSFPrimary = append(v.CSFPrimary, string(f))
	}
	for _, f := range c.CSFFunctions.Supporting {
		v.CSFSupport = append(v.CSFSupport, string(f))
	}
	v.CSFPrimary, v.CSFSupport = orEmpty(v.CSFPrimary), orEmpty(v.CSFSupport)
	for i, p := range c.CPV {
		v.CPV[i] = CPVView{Code: p.Code, Label: p.Label, Fit: p.Fit}
	}
	return v
}

func schemeView(s compliance.Scheme) SchemeView {
	return SchemeView{
		ID: s.ID, Name: s.Name, Owner: s.Owner, Kind: string(s.Kind), Status: string(s.Status), Jurisdiction: s.Jurisdiction,
		Levels: orEmpty(s.Levels), ValidityYears: s.ValidityYears, Cost: schemeCostView(s.Cost), CostNote: s.CostNote,
		LeadTime: schemeLeadTimeView(s.LeadTime), LeadTimeNote: s.LeadTimeNote, Recognition: s.Recognition, Sources: sourceViews(s.Sources),
	}
}

func requirementView(r compliance.Requirement) RequirementView {
	in := RequirementInput{
		Scope: r.Country, Title: r.Title, Summary: r.Summary, Categories: orEmpty(r.Categories),
		Strength: string(r.Strength), Status: string(r.Status), Authority: authorityView(r.Authority),
		Source: sourceView(r.Source), MoreSources: sourceViews(r.MoreSources), Notes: r.Notes,
		SatisfiedBy: make([]SatisfierView, len(r.SatisfiedBy)), Conditions: make([]ConditionView, len(r.Conditions)),
		AppliesWhen: appliesWhenView(r.AppliesWhen),
	}
	for _, b := range r.Buyers {
		in.Buyers = append(in.Buyers, string(b))
	}
	for i, s := range r.SatisfiedBy {
		in.SatisfiedBy[i] = SatisfierView{Scheme: s.Scheme, MinLevel: s.MinLevel, Extent: string(s.Extent), Note: s.Note}
	}
	for i, c := range r.Conditions {
		in.Conditions[i] = ConditionView{Kind: string(c.Kind), Languages: c.Languages, Region: string(c.Region), Note: c.Note}
	}
	return RequirementView{ID: r.ID, RequirementInput: in, Duty: r.IsDuty()}
}

// domain converts an edited requirement to the reference form.
func (in RequirementInput) domain(id string) compliance.Requirement {
	src := func(s SourceView) compliance.Source {
		return compliance.Source{URL: s.URL, LegalReference: s.LegalReference, AsOf: s.AsOf, Verified: compliance.Verified(s.Verified), Note: s.Note,
			InForceConfirmed: s.InForceConfirmed}
	}
	r := compliance.Requirement{
		ID: id, Country: in.Scope, Title: in.Title, Summary: in.Summary, Categories: in.Categories,
		Strength: compliance.Strength(in.Strength), Status: compliance.RequirementStatus(in.Status),
		Authority: compliance.Authority(in.Authority), Source: src(in.Source), Notes: in.Notes,
		SatisfiedBy: []compliance.Satisfier{}, Conditions: []compliance.Condition{},
		AppliesWhen: in.AppliesWhen.domain(src),
	}
	for _, b := range in.Buyers {
		r.Buyers = append(r.Buyers, compliance.Buyer(b))
	}
	for _, s := range in.MoreSources {
		r.MoreSources = append(r.MoreSources, src(s))
	}
	for _, s := range in.SatisfiedBy {
		r.SatisfiedBy = append(r.SatisfiedBy, compliance.Satisfier{Scheme: s.Scheme, MinLevel: s.MinLevel, Extent: compliance.Extent(s.Extent), Note: s.Note})
	}
	for _, c := range in.Conditions {
		r.Conditions = append(r.Conditions, compliance.Condition{Kind: compliance.ConditionKind(c.Kind), Languages: c.Languages, Region: compliance.Region(c.Region), Note: c.Note})
	}
	return r
}

// reference returns the reference data in use.
func (h *handlers) reference() *compliance.Reference { return h.Compliance.Current().Reference }

// RequirementStore reads and edits the stored requirements
// (refstore.Store in package compliance/refstore).
type RequirementStore interface {
	// RequirementVersion returns the version of a requirement row, or catalog.ErrNotFound.
	RequirementVersion(ctx context.Context, id string) (int64, error)
	// EditRequirement stores an administrator's version of r in place of the
	// current one after validating it against current, if the row is still at
	// ifVersion (catalog.ErrStale otherwise), and returns the new version.
	EditRequirement(ctx context.Context, current *compliance.Reference, r compliance.Requirement, ifVersion int64) (int64, error)
}

// CountryPath names a country in the path.
type CountryPath struct {
	Code string `path:"code" minLength:"2" maxLength:"2" doc:"ISO 3166-1 alpha-2 code." example:"DE"`
}

func (h *handlers) registerReference(api huma.API) {
	tags := []string{"Reference data"}

	huma.Register(api, huma.Operation{
		OperationID: "list-countries", Method: http.MethodGet, Path: "/v1/countries",
		Summary:     "List countries",
		Description: "The 30 EU/EEA states with their NIS2 authority, official languages and NIS2 transposition status, each fact with its source.",
		Tags:        tags,
	}, h.listCountries)

	huma.Register(api, huma.Operation{
		OperationID: "get-country", Method: http.MethodGet, Path: "/v1/countries/{code}",
		Summary:     "Get a country",
		Description: "One EU/EEA state with its authority, languages and NIS2 status. 404 for codes outside the reference data.",
		Tags:        tags, Errors: []int{404},
	}, h.getCountry)

	huma.Register(api, huma.Operation{
		OperationID: "list-country-requirements", Method: http.MethodGet, Path: "/v1/countries/{code}/requirements",
		Summary:     "List what a country requires",
		Description: "The requirements that apply in a country (its own, then EU-wide and EEA-wide ones), optionally for one service category and one buyer kind. With a buyer, each requirement says whether it is binding for that buyer.",
		Tags:        tags, Errors: []int{404, 422},
	}, h.listCountryRequirements)

	huma.Register(api, huma.Operation{
		OperationID: "get-requirement", Method: http.MethodGet, Path: "/v1/requirements/{id}",
		Summary:     "Get a requirement",
		Description: "One requirement with the schemes that satisfy it, its conditions, strength and sources, and its version as ETag (for administrators' edits).",
		Tags:        tags, Errors: []int{404},
	}, h.getRequirement)

	huma.Register(api, huma.Operation{
		OperationID: "replace-requirement", Method: http.MethodPut, Path: "/v1/requirements/{id}",
		Summary:     "Edit a requirement (administrators)",
		Description: "Replaces a requirement when a law or its reading changes. The edit is checked against the whole reference data (schemes, levels, categories, a source for every fact), recorded in the audit trail, kept by later releases (which report a conflict instead of overwriting it), and picked up by every replica's burden engine within seconds. Requires If-Match with the ETag from GET.",
		Tags:        tags, Errors: []int{404, 412, 422, 428},
		Metadata: allow(adminOnly),
	}, h.replaceRequirement)

	huma.Register(api, huma.Operation{
		OperationID: "list-schemes", Method: http.MethodGet, Path: "/v1/schemes",
		Summary:     "List certification schemes",
		Description: "Every certification scheme a vendor can claim, with its levels, validity, typical cost and lead time where a source states them (null when unknown), and sources.",
		Tags:        tags,
	}, h.listSchemes)

	huma.Register(api, huma.Operation{
		OperationID: "get-scheme", Method: http.MethodGet, Path: "/v1/schemes/{id}",
		Summary:     "Get a certification scheme",
		Description: "One scheme with its levels, validity, cost and lead time (null when unknown) and sources.",
		Tags:        tags, Errors: []int{404},
	}, h.getScheme)

	huma.Register(api, huma.Operation{
		OperationID: "list-categories", Method: http.MethodGet, Path: "/v1/categories",
		Summary:     "List service categories",
		Description: "The service taxonomy: each category with its NIST CSF 2.0 functions and the CPV codes to use in tenders.",
		Tags:        tags,
	}, h.listCategories)
}

// ListCountriesInput takes no parameters.
type ListCountriesInput struct{}

// ListCountriesOutput is every country of the reference data.
type ListCountriesOutput struct{ Body []CountryView }

func (h *handlers) listCountries(ctx context.Context, _ *ListCountriesInput) (*ListCountriesOutput, error) {
	return &ListCountriesOutput{Body: orEmpty(mapSlice(h.reference().Countries, countryView))}, nil
}

// GetCountryInput names a country.
type GetCountryInput struct{ CountryPath }

// GetCountryOutput is one country.
type GetCountryOutput struct{ Body CountryView }

func (h *handlers) getCountry(ctx context.Context, in *GetCountryInput) (*GetCountryOutput, error) {
	c, ok := h.reference().Country(strings.ToUpper(in.Code))
	if !ok {
		return nil, unknownCountry("path.code", in.Code)
	}
	return &GetCountryOutput{Body: countryView(c)}, nil
}

// ListCountryRequirementsInput names a country and narrows its requirements.
type ListCountryRequirementsInput struct {
	CountryPath
	Category string `query:"category" doc:"Only requirements concerning this service category." example:"cloud-hosting"`
	Buyer    string `query:"buyer" enum:"public,private" doc:"Only requirements concerning this buyer kind, with binding set." example:"public"`
}

// ListCountryRequirementsOutput is what applies in the country.
type ListCountryRequirementsOutput struct{ Body []RequirementView }

func (h *handlers) listCountryRequirements(ctx context.Context, in *ListCountryRequirementsInput) (*ListCountryRequirementsOutput, error) {
	ref := h.reference()
	code := strings.ToUpper(in.Code)
	if _, ok := ref.Country(code); !ok {
		return nil, unknownCountry("path.code", in.Code)
	}
	if in.Category != "" {
		if _, ok := ref.Category(in.Category); !ok {
			return nil, unknownCategory("query.category", in.Category)
		}
	}
	return &ListCountryRequirementsOutput{Body: orEmpty(applicableViews(ref, code, in.Category, in.Buyer))}, nil
}

// applicableViews lists the requirements that apply in country to category
// and buyer (every category or both buyer kinds when empty), each once, in
// Applicable order; with a buyer, each says whether it binds that buyer.
func applicableViews(ref *compliance.Reference, country, category, buyer string) []RequirementView {
	var out []RequirementView
	seen := map[string]bool{}
	for _, cat := range categoriesOr(ref, category) {
		for _, b := range buyersOr(buyer) {
			for _, r := range ref.Applicable(country, cat, b) {
				if seen[r.ID] {
					continue
				}
				seen[r.ID] = true
				v := requirementView(r)
				if buyer != "" {
					bind := r.Binding(b)
					v.Binding = &bind
				}
				out = append(out, v)
			}
		}
	}
	return out
}

// GetRequirementInput names a requirement.
type GetRequirementInput struct{ RequirementPath }

func (h *handlers) getRequirement(ctx context.Context, in *GetRequirementInput) (*RequirementOutput, error) {
	for _, r := range h.reference().Requirements {
		if r.ID == in.ID {
			version, err := h.Requirements.RequirementVersion(ctx, r.ID)
			if err != nil {
				return nil, err
			}
			return &RequirementOutput{ETag: etag(version), Body: requirementView(r)}, nil
		}
	}
	return nil, unknownRequirement(in.ID)
}

// ReplaceRequirementInput is an administrator's new version of a requirement.
type ReplaceRequirementInput struct {
	RequirementPath
	RequiredIfMatch
	Body RequirementInput
}

func (h *handlers) replaceRequirement(ctx context.Context, in *ReplaceRequirementInput) (*RequirementOutput, error) {
	version, err := in.RequiredIfMatch.version()
	if err != nil {
		return nil, err
	}
	r := in.Body.domain(in.ID)
	version, err = h.Requirements.EditRequirement(ctx, h.reference(), r, version)
	if errors.Is(err, catalog.ErrNotFound) {
		return nil, unknownRequirement(in.ID)
	}
	if err != nil {
		return nil, err
	}
	if _, err := h.Compliance.Refresh(ctx); err != nil {
		loggerFrom(ctx).WarnContext(ctx, "reference reload after edit failed; other polls will retry", "error", err)
	}
	return &RequirementOutput{ETag: etag(version), Body: requirementView(r)}, nil
}

// ListSchemesInput takes no parameters.
type ListSchemesInput struct{}

// ListSchemesOutput is every certification scheme.
type ListSchemesOutput struct{ Body []SchemeView }

func (h *handlers) listSchemes(ctx context.Context, _ *ListSchemesInput) (*ListSchemesOutput, error) {
	return &ListSchemesOutput{Body: orEmpty(mapSlice(h.reference().Schemes, schemeView))}, nil
}

// GetSchemeInput names a scheme.
type GetSchemeInput struct {
	ID string `path:"id" maxLength:"64" doc:"Scheme identifier." example:"iso-iec-27001"`
}

// GetSchemeOutput is one scheme.
type GetSchemeOutput struct{ Body SchemeView }

func (h *handlers) getScheme(ctx context.Context, in *GetSchemeInput) (*GetSchemeOutput, error) {
	s, ok := h.reference().Scheme(in.ID)
	if !ok {
		return nil, unknownScheme("path.id", in.ID)
	}
	return &GetSchemeOutput{Body: schemeView(s)}, nil
}

// ListCategoriesInput takes no parameters.
type ListCategoriesInput struct{}

// ListCategoriesOutput is the service taxonomy.
type ListCategoriesOutput struct{ Body []CategoryView }

func (h *handlers) listCategories(ctx context.Context, _ *ListCategoriesInput) (*ListCategoriesOutput, error) {
	return &ListCategoriesOutput{Body: orEmpty(mapSlice(h.reference().Categories, categoryView))}, nil
}

// RequirementPath names a requirement in the path.
type RequirementPath struct {
	ID string `path:"id" maxLength:"100" doc:"Requirement identifier." example:"de-c5-sgbv-393"`
}

// RequirementOutput is one requirement with its version as ETag.
type RequirementOutput struct {
	ETag string `header:"ETag" doc:"Version of the requirement row; send it in If-Match to edit."`
	Body RequirementView
}

// categoriesOr returns [slug], or every category when slug is empty.
func categoriesOr(ref *compliance.Reference, slug string) []string {
	if slug != "" {
		return []string{slug}
	}
	out := make([]string, len(ref.Categories))
	for i, c := range ref.Categories {
		out[i] = c.Slug
	}
	return out
}

// buyersOr returns [buyer], or both buyer kinds when buyer is empty.
func buyersOr(buyer string) []compliance.Buyer {
	if buyer != "" {
		return []compliance.Buyer{compliance.Buyer(buyer)}
	}
	return compliance.Buyers
}
