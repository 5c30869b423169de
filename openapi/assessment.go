package openapi

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/google/uuid"

	"github.com/cybermarket/cybermarket/catalog"
	"github.com/cybermarket/cybermarket/compliance"
)

// DayParam is the optional day an assessment is for.
type DayParam struct {
	Date string `query:"date" format:"date" doc:"Day to assess (YYYY-MM-DD): only certifications valid that day count. Default: today (UTC)." example:"2026-11-28"`
}

func (d DayParam) day() (time.Time, error) {
	if d.Date == "" {
		return catalog.Day(time.Now()), nil
	}
	return parseDate("query.date", d.Date)
}

// AssessmentList is the assessment of one offering, per country and buyer kind.
type AssessmentList struct {
	Offering    string        `json:"offering" doc:"Offering identifier." example:"0192f1e0-7b1c-7c3e-9a4b-2f1d3c4b5a70"`
	Reference   string        `json:"reference_version" doc:"Version of the reference data used." example:"5cec871640c4+r3"`
	Context     TenderContext `json:"context" doc:"The tender context the assessments are for."`
	Detail      string        `json:"detail" enum:"compact,full" doc:"compact: summary only; full: summary and assessments."`
	Summary     []Market      `json:"summary" doc:"Per country and buyer kind asked for: eligible (on which basis), or the blockers, each with the action that removes it."`
	Assessments []Assessment  `json:"assessments,omitempty" doc:"With detail=full: one full assessment per country and buyer kind asked for, requirement by requirement."`
}

// catalogueCache keeps the public listings for analytics for a short while:
// the barriers matrix over the whole catalogue need not reread it per request.
type catalogueCache struct {
	mu       sync.Mutex
	loadedAt time.Time
	listings []catalog.Listing
}

const catalogueTTL = time.Minute

func (c *catalogueCache) get(ctx context.Context, store *catalog.Store) ([]catalog.Listing, time.Time, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.listings != nil && time.Since(c.loadedAt) < catalogueTTL {
		return c.listings, c.loadedAt, nil
	}
	l, err := store.PublicListings(ctx)
	if err != nil {
		return nil, time.Time{}, err
	}
	c.listings, c.loadedAt = l, time.Now().UTC()
	return l, c.loadedAt, nil
}

func profiles(listings []catalog.Listing) []compliance.Profile {
	out := make([]compliance.Profile, len(listings))
	for i, l := range listings {
		out[i] = compliance.ProfileOf(l.Vendor, l.Offering, l.Certifications)
	}
	return out
}

// BarriersReport is the market-entry burden matrix.
type BarriersReport struct {
	Day       string        `json:"day" doc:"Day the matrix is for." example:"2026-11-28"`
	Catalogue time.Time     `json:"catalogue_as_of" doc:"When the catalogue was read (it is reread at most once a minute)."`
	Reference string        `json:"reference_version" doc:"Version of the reference data used." example:"5cec871640c4+r3"`
	Context   TenderContext `json:"context" doc:"The tender context the matrix is for."`
	Rows      []BarrierRow  `json:"rows" doc:"One row per country, category and buyer kind."`
}

// WhatIfInput is a mutual-recognition scenario.
type WhatIfInput struct {
	Date         string        `json:"date,omitempty" format:"date" doc:"Day to assess; default today." example:"2026-11-28"`
	Context      string        `json:"context,omitempty" doc:"Tender context, as the context query parameter of the other operations." example:"security_sensitive"`
	Recognitions []Recognition `json:"recognitions" minItems:"1" maxItems:"100" doc:"Recognitions applied together: country C accepts scheme S as fully satisfying requirement R."`
	ChangedLimit *int          `json:"changed_limit,omitempty" minimum:"0" maximum:"1000" doc:"How many changed offerings to name (default 50); changed_total counts them all." example:"50"`
}

// WhatIfReport is the effect of a scenario.
type WhatIfReport struct {
	Day       string        `json:"day" doc:"Day assessed." example:"2026-11-28"`
	Reference string        `json:"reference_version" doc:"Version of the reference data used." example:"5cec871640c4+r3"`
	Context   TenderContext `json:"context" doc:"The tender context the scenario was run in."`
	Rows      []WhatIfRow   `json:"rows" doc:"Per named country, category and buyer kind: eligible offerings before and after."`
	WhatIfChanges
}

// assessmentHandlers are the burden engine's operations; analytics share a
// short-lived copy of the public catalogue.
type assessmentHandlers struct {
	*handlers
	cache *catalogueCache
}

func (h *handlers) registerAssessment(api huma.API) {
	a := &assessmentHandlers{handlers: h, cache: &catalogueCache{}}

	huma.Register(api, huma.Operation{
		OperationID: "get-offering-assessment", Method: http.MethodGet, Path: "/v1/offerings/{id}/assessment",
		Summary:     "Assess where an offering may serve hospitals",
		Description: "Runs the burden engine: for each country (or the one asked for) and buyer kind, whether the offering is eligible on all valid evidence and on verified evidence only, each requirement met (by which certification), partly met, unmet, not assessable or not applicable in the tender context, the evidence basis of an eligible answer (none-required, self-declared, verified), and the cheapest set of certifications that closes what is unmet, with cost and lead time (null when unknown). " + contextDoc,
		Tags:        []string{"Compliance"}, Errors: []int{404, 422},
	}, a.getOfferingAssessment)

	huma.Register(api, huma.Operation{
		OperationID: "get-vendor-roadmap", Method: http.MethodGet, Path: "/v1/vendors/{id}/roadmap",
		Summary:     "Plan which certifications open most markets",
		Description: "For a vendor's published offerings: which schemes (alone or in pairs) open most offering x country x buyer markets per euro, a greedy plan within the budget, and the options whose cost is unknown (listed apart, never treated as free). " + contextDoc,
		Tags:        []string{"Compliance"}, Errors: []int{404, 422},
	}, a.getVendorRoadmap)

	huma.Register(api, huma.Operation{
		OperationID: "get-barriers", Method: http.MethodGet, Path: "/v1/analytics/barriers",
		Summary:     "Market-entry barriers per Member State",
		Description: "Per country x category (x buyer kind): how many requirements apply, the share of published catalogue offerings eligible, the median gap cost and lead time of the others (unknowns counted, not guessed), the requirement that excludes most offerings, and home bias (domestic vendors against vendors from other EU/EEA states). " + contextDoc,
		Tags:        []string{"Analytics"}, Errors: []int{422},
	}, a.getBarriers)

	huma.Register(api, huma.Operation{
		OperationID: "run-what-if", Method: http.MethodPost, Path: "/v1/analytics/what-if",
		Summary:     "Simulate mutual recognition",
		Description: "Applies a recognition scenario (country C accepts scheme S as fully satisfying requirement R; several at once) to the published catalogue and returns, per named country, category and buyer kind, the eligible offerings before and after, in the body's tender context (as the context query parameter elsewhere). Nothing is stored.",
		Tags:        []string{"Analytics"}, Errors: []int{404, 422},
		Metadata: allow(publicRead), // a POST that only reads: nothing is stored
	}, a.runWhatIf)
}

// GetOfferingAssessmentInput names the offering and narrows the assessment.
type GetOfferingAssessmentInput struct {
	OfferingPath
	Country  string `query:"country" doc:"Only this country (ISO 3166-1 alpha-2); all 30 when omitted." example:"DE"`
	Buyer    string `query:"buyer" enum:"public,private" doc:"Only this buyer kind; both when omitted." example:"public"`
	Language string `query:"language" doc:"The buyer's language (ISO 639-1, any case) for available; default: the country's official languages." example:"de"`
	Detail   string `query:"detail" enum:"compact,full" doc:"compact: per country and buyer kind, eligible or the blockers with their actions; full: also every requirement's outcome and the gap. Default: compact for all countries, full for one." example:"full"`
	DayParam
	ContextParam
}

// GetOfferingAssessmentOutput is the offering's assessment per country and buyer kind.
type GetOfferingAssessmentOutput struct{ Body AssessmentList }

func (a *assessmentHandlers) getOfferingAssessment(ctx context.Context, in *GetOfferingAssessmentInput) (*GetOfferingAssessmentOutput, error) {
	day, err := in.day()
	if err != nil {
		return nil, err
	}
	tc, err := in.tender()
	if err != nil {
		return nil, err
	}
	if err := checkAssessmentQuery(a.Compliance.Current().Reference, in); err != nil {
		return nil, err
	}
	o, err := a.Catalog.VisibleOffering(ctx, in.ID, viewerFrom(ctx))
	if err != nil {
		return nil, err
	}
	v, err := a.Catalog.FindVendor(ctx, o.VendorID)
	if err != nil {
		return nil, err
	}
	certs, err := a.Catalog.VendorCertifications(ctx, o.VendorID)
	if err != nil {
		return nil, err
	}
	snap := a.Compliance.Current()
	p := compliance.ProfileOf(v, o, certs)
	out := &GetOfferingAssessmentOutput{Body: AssessmentList{Offering: o.ID.String(), Reference: snap.Reference.Version,
		Context: contextView(snap.Reference, tc, o.Category)}}
	lang := strings.ToLower(strings.TrimSpace(in.Language))
	out.Body.Detail = in.Detail
	if out.Body.Detail == "" {
		out.Body.Detail = map[bool]string{true: "compact", false: "full"}[in.Country == ""]
	}
	engine := snap.Engine.WithContext(tc)
	out.Body.Summary = []Market{}
	for _, c := range countriesOr(snap.Reference, in.Country) {
		for _, b := range buyersOr(in.Buyer) {
			r, err := engine.Assess(p, c, b, day)
			if err != nil {
				return nil, placeInput(err, map[string]string{"country": "query.country", "buyer": "query.buyer", "category": "body.category"})
			}
			m := marketView(r)
			m.Available = r.Eligible && availableTo(snap.Reference, o, r.Country, lang)
			out.Body.Summary = append(out.Body.Summary, m)
			if out.Body.Detail == "full" {
				out.Body.Assessments = append(out.Body.Assessments, assessmentView(r))
			}
		}
	}
	return out, nil
}

// countriesOr returns [code] in upper case, or every country of the
// reference data when code is empty.
func countriesOr(ref *compliance.Reference, code string) []string {
	if code != "" {
		return []string{strings.ToUpper(code)}
	}
	out := make([]string, len(ref.Countries))
	for i, c := range ref.Countries {
		out[i] = c.Code
	}
	return out
}

// GetVendorRoadmapInput names the vendor, the countries and the budget.
type GetVendorRoadmapInput struct {
	VendorPath
	Countries string `query:"countries" doc:"Comma-separated country codes to consider; all when omitted." example:"DE,FR,NL"`
	Budget    int    `query:"budget" minimum:"0" doc:"Budget in euro for the plan; no limit when omitted; 0 means nothing may be spent." example:"50000"`
	DayParam
	ContextParam

	budgetGiven bool
}

// Resolve notes whether the budget was given at all (0 is a budget of
// zero), and checks the countries against the embedded reference data, and
// the day and context (this Resolve hides theirs from huma).
func (in *GetVendorRoadmapInput) Resolve(ctx huma.Context) []error {
	u := ctx.URL()
	in.budgetGiven = u.Query().Has("budget")
	return slices.Concat(in.DayParam.Resolve(ctx), in.ContextParam.Resolve(ctx),
		rejected(checkCountries(embeddedReference(), "query.countries", splitCountries(in.Countries))))
}

// GetVendorRoadmapOutput is the vendor's certification roadmap.
type GetVendorRoadmapOutput struct{ Body Roadmap }

func (a *assessmentHandlers) getVendorRoadmap(ctx context.Context, in *GetVendorRoadmapInput) (*GetVendorRoadmapOutput, error) {
	day, err := in.day()
	if err != nil {
		return nil, err
	}
	tc, err := in.tender()
	if err != nil {
		return nil, err
	}
	snap := a.Compliance.Current()
	if err := checkCountries(snap.Reference, "query.countries", splitCountries(in.Countries)); err != nil {
		return nil, err
	}
	ps, err := a.publishedProfiles(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	var budget *int
	if in.budgetGiven {
		budget = &in.Budget
	}
	r, err := snap.Engine.WithContext(tc).Roadmap(ps, splitCountries(in.Countries), budget, day)
	if err != nil {
		return nil, placeInput(err, map[string]string{"countries": "query.countries", "country": "query.countries"})
	}
	view := roadmapView(r)
	ec := contextView(snap.Reference, tc)
	view.Context = &ec
	return &GetVendorRoadmapOutput{Body: view}, nil
}

// publishedProfiles returns the profiles of a vendor's published offerings
// the caller may see, or catalog.ErrNotFound for a vendor it may not.
func (a *assessmentHandlers) publishedProfiles(ctx context.Context, vendorID uuid.UUID) ([]compliance.Profile, error) {
	v, err := a.Catalog.VisibleVendor(ctx, vendorID, viewerFrom(ctx))
	if err != nil {
		return nil, err
	}
	certs, err := a.Catalog.VendorCertifications(ctx, v.ID)
	if err != nil {
		return nil, err
	}
	var ps []compliance.Profile
	f := catalog.OfferingFilter{VendorID: v.ID, Status: catalog.OfferingPublished, Limit: catalog.MaxPageSize, Viewer: viewerFrom(ctx)}
	for {
		page, err := a.Catalog.ListOfferings(ctx, f)
		if err != nil {
			return nil, err
		}
		for _, o := range page.Items {
			ps = append(ps, compliance.ProfileOf(v, o, certs))
		}
		if page.Next == "" {
			return ps, nil
		}
		f.Cursor = page.Next
	}
}

// splitCountries splits a comma-separated list of country codes, upper
// case, without blanks.
func splitCountries(list string) []string {
	var out []string
	for _, c := range strings.Split(list, ",") {
		if c = strings.ToUpper(strings.TrimSpace(c)); c != "" {
			out = append(out, c)
		}
	}
	return out
}

// GetBarriersInput narrows the barriers matrix.
type GetBarriersInput struct {
	Category string `query:"category" doc:"Only this service category." example:"cloud-hosting"`
	Buyer    string `query:"buyer" enum:"public,private" doc:"Only this buyer kind." example:"public"`
	DayParam
	ContextParam
}

// GetBarriersOutput is the barriers matrix.
type GetBarriersOutput struct{ Body BarriersReport }

func (a *assessmentHandlers) getBarriers(ctx context.Context, in *GetBarriersInput) (*GetBarriersOutput, error) {
	day, err := in.day()
	if err != nil {
		return nil, err
	}
	tc, err := in.tender()
	if err != nil {
		return nil, err
	}
	snap := a.Compliance.Current()
	in.Category = strings.ToLower(strings.TrimSpace(in.Category))
	if in.Category != "" {
		if _, ok := snap.Reference.Category(in.Category); !ok {
			return nil, unknownCategory("query.category", in.Category)
		}
	}
	listings, loaded, err := a.cache.get(ctx, a.Catalog)
	if err != nil {
		return nil, err
	}
	rows, err := snap.Engine.WithContext(tc).Barriers(profiles(listings), day, compliance.BarrierFilter{Category: in.Category, Buyer: compliance.Buyer(in.Buyer)})
	if err != nil {
		return nil, placeInput(err, map[string]string{"category": "query.category", "buyer": "query.buyer"})
	}
	return &GetBarriersOutput{Body: BarriersReport{
		Day: day.Format(dateLayout), Catalogue: loaded, Reference: snap.Reference.Version,
		Context: contextView(snap.Reference, tc, barrierCategories(in.Category)...), Rows: mapSlice(rows, barrierRowView),
	}}, nil
}

// RunWhatIfInput is the scenario to simulate.
type RunWhatIfInput struct{ Body WhatIfInput }

// RunWhatIfOutput is the effect of the scenario.
type RunWhatIfOutput struct{ Body WhatIfReport }

func (a *assessmentHandlers) runWhatIf(ctx context.Context, in *RunWhatIfInput) (*RunWhatIfOutput, error) {
	// Every bad value of the body in one answer: the date, the context and
	// each scenario entry.
	var r rejections
	day := catalog.Day(time.Now())
	if in.Body.Date != "" {
		d, err := parseDate("date", in.Body.Date)
		if err := r.add(err); err != nil {
			return nil, err
		}
		if err == nil {
			day = d
		}
	}
	snap := a.Compliance.Current()
	scenario := mapSlice(in.Body.Recognitions, Recognition.domain)
	engine := snap.Engine
	tc, err := tenderContext("body.context", in.Body.Context)
	if err := r.add(err); err != nil {
		return nil, err
	}
	if err == nil {
		engine = engine.WithContext(tc)
	}
	if _, err := whatIf(engine, nil, day, scenario); r.add(err) != nil {
		return nil, err
	}
	if err := r.err(); err != nil {
		return nil, err
	}
	listings, _, err := a.cache.get(ctx, a.Catalog)
	if err != nil {
		return nil, err
	}
	res, err := engine.Simulate(profiles(listings), day, scenario, changedLimit(in.Body.ChangedLimit))
	if err != nil {
		return nil, placeScenario(err)
	}
	return &RunWhatIfOutput{Body: WhatIfReport{Day: day.Format(dateLayout), Reference: snap.Reference.Version,
		Context: contextView(snap.Reference, tc), Rows: mapSlice(res.Rows, whatIfRowView), WhatIfChanges: whatIfChanges(res, listings)}}, nil
}

// barrierCategories returns [slug], or nil (every category) when slug is empty.
func barrierCategories(slug string) []string {
	if slug == "" {
		return nil
	}
	return []string{slug}
}

// availableTo reports whether offering o serves country and supports lang
// (one of the country's official languages when lang is empty).
func availableTo(ref *compliance.Reference, o catalog.Offering, country, lang string) bool {
	if !slices.Contains(o.Countries, country) {
		return false
	}
	if lang != "" {
		return slices.Contains(o.Languages, lang)
	}
	c, _ := ref.Country(country)
	return slices.ContainsFunc(c.Languages, func(l string) bool { return slices.Contains(o.Languages, l) })
}
