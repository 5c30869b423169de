package openapi

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/danielgtaylor/huma/v2"

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

// inputProblem turns an engine input error into a problem naming the field.
func inputProblem(err error, locations map[string]string) error {
	var ie *compliance.InputError
	if !errors.As(err, &ie) {
		return err
	}
	loc := locations[strings.SplitN(ie.Field, "[", 2)[0]]
	if loc == "" {
		loc = "body." + ie.Field
	} else if i := strings.Index(ie.Field, "["); i >= 0 {
		loc += ie.Field[i:]
	}
	msg := "is not known to the reference data"
	if ie.Reason != "" {
		msg = ie.Reason
	}
	if ie.Field == "country" {
		return huma.Error404NotFound("No country "+ie.Value+" in the reference data.", &huma.ErrorDetail{Location: loc, Message: msg, Value: ie.Value})
	}
	return huma.Error422UnprocessableEntity("Unknown "+ie.Field+" "+ie.Value+".", &huma.ErrorDetail{Location: loc, Message: msg, Value: ie.Value})
}

// AssessmentList is the assessment of one offering, per country and buyer kind.
type AssessmentList struct {
	Offering    string                  `json:"offering" doc:"Offering identifier." example:"0192f1e0-7b1c-7c3e-9a4b-2f1d3c4b5a70"`
	Reference   string                  `json:"reference_version" doc:"Version of the reference data used." example:"5cec871640c4+r3"`
	Assessments []compliance.Assessment `json:"assessments" doc:"One assessment per country and buyer kind asked for."`
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
	Day       string                  `json:"day" doc:"Day the matrix is for." example:"2026-11-28"`
	Catalogue time.Time               `json:"catalogue_as_of" doc:"When the catalogue was read (it is reread at most once a minute)."`
	Reference string                  `json:"reference_version" doc:"Version of the reference data used." example:"5cec871640c4+r3"`
	Rows      []compliance.BarrierRow `json:"rows" doc:"One row per country, category and buyer kind."`
}

// WhatIfInput is a mutual-recognition scenario.
type WhatIfInput struct {
	Date         string                   `json:"date,omitempty" format:"date" doc:"Day to assess; default today." example:"2026-11-28"`
	Recognitions []compliance.Recognition `json:"recognitions" minItems:"1" maxItems:"100" doc:"Recognitions applied together: country C accepts scheme S as fully satisfying requirement R."`
}

// WhatIfReport is the effect of a scenario.
type WhatIfReport struct {
	Day       string                 `json:"day" doc:"Day assessed." example:"2026-11-28"`
	Reference string                 `json:"reference_version" doc:"Version of the reference data used." example:"5cec871640c4+r3"`
	Rows      []compliance.WhatIfRow `json:"rows" doc:"Per named country, category and buyer kind: eligible offerings before and after."`
}

func (h *handlers) registerAssessment(api huma.API) {
	cache := &catalogueCache{}

	huma.Register(api, huma.Operation{
		OperationID: "get-offering-assessment", Method: http.MethodGet, Path: "/v1/offerings/{id}/assessment",
		Summary:     "Assess where an offering may serve hospitals",
		Description: "Runs the burden engine: for each country (or the one asked for) and buyer kind, whether the offering is eligible on all valid evidence and on verified evidence only, each requirement met (by which certification), partly met, unmet or not assessable, and the cheapest set of certifications that closes what is unmet, with cost and lead time (null when unknown).",
		Tags:        []string{"Compliance"}, Errors: []int{404, 422},
	}, func(ctx context.Context, in *struct {
		OfferingPath
		Country string `query:"country" doc:"Only this country (ISO 3166-1 alpha-2); all 30 when omitted." example:"DE"`
		Buyer   string `query:"buyer" enum:"public,private" doc:"Only this buyer kind; both when omitted." example:"public"`
		DayParam
	}) (*struct{ Body AssessmentList }, error) {
		day, err := in.day()
		if err != nil {
			return nil, err
		}
		o, err := h.Catalog.VisibleOffering(ctx, in.ID, viewerFrom(ctx))
		if err != nil {
			return nil, err
		}
		v, err := h.Catalog.FindVendor(ctx, o.VendorID)
		if err != nil {
			return nil, err
		}
		certs, err := h.Catalog.VendorCertifications(ctx, o.VendorID)
		if err != nil {
			return nil, err
		}
		snap := h.Compliance.Current()
		p := compliance.ProfileOf(v, o, certs)
		out := &struct{ Body AssessmentList }{Body: AssessmentList{Offering: o.ID.String(), Reference: snap.Reference.Version}}
		countries := []string{strings.ToUpper(in.Country)}
		if in.Country == "" {
			countries = countries[:0]
			for _, c := range snap.Reference.Countries {
				countries = append(countries, c.Code)
			}
		}
		for _, c := range countries {
			for _, b := range buyersOr(in.Buyer) {
				a, err := snap.Engine.Assess(p, c, b, day)
				if err != nil {
					return nil, inputProblem(err, map[string]string{"country": "query.country", "buyer": "query.buyer", "category": "body.category"})
				}
				out.Body.Assessments = append(out.Body.Assessments, a)
			}
		}
		return out, nil
	})

	huma.Register(api, huma.Operation{
		OperationID: "get-vendor-roadmap", Method: http.MethodGet, Path: "/v1/vendors/{id}/roadmap",
		Summary:     "Plan which certifications open most markets",
		Description: "For a vendor's published offerings: which schemes (alone or in pairs) open most offering x country x buyer markets per euro, a greedy plan within the budget, and the options whose cost is unknown (listed apart, never treated as free).",
		Tags:        []string{"Compliance"}, Errors: []int{404, 422},
	}, func(ctx context.Context, in *struct {
		VendorPath
		Countries string `query:"countries" doc:"Comma-separated country codes to consider; all when omitted." example:"DE,FR,NL"`
		Budget    int    `query:"budget" minimum:"0" doc:"Budget in euro for the plan; no limit when omitted." example:"50000"`
		DayParam
	}) (*struct{ Body compliance.Roadmap }, error) {
		day, err := in.day()
		if err != nil {
			return nil, err
		}
		v, err := h.Catalog.VisibleVendor(ctx, in.ID, viewerFrom(ctx))
		if err != nil {
			return nil, err
		}
		certs, err := h.Catalog.VendorCertifications(ctx, v.ID)
		if err != nil {
			return nil, err
		}
		var ps []compliance.Profile
		f := catalog.OfferingFilter{VendorID: v.ID, Status: catalog.OfferingPublished, Limit: catalog.MaxPageSize, Viewer: viewerFrom(ctx)}
		for {
			page, err := h.Catalog.ListOfferings(ctx, f)
			if err != nil {
				return nil, err
			}
			for _, o := range page.Items {
				ps = append(ps, compliance.ProfileOf(v, o, certs))
			}
			if page.Next == "" {
				break
			}
			f.Cursor = page.Next
		}
		var countries []string
		for _, c := range strings.Split(in.Countries, ",") {
			if c = strings.ToUpper(strings.TrimSpace(c)); c != "" {
				countries = append(countries, c)
			}
		}
		var budget *int
		if in.Budget > 0 {
			budget = &in.Budget
		}
		r, err := h.Compliance.Current().Engine.Roadmap(ps, countries, budget, day)
		if err != nil {
			return nil, inputProblem(err, map[string]string{"countries": "query.countries", "country": "query.countries"})
		}
		return &struct{ Body compliance.Roadmap }{Body: r}, nil
	})

	huma.Register(api, huma.Operation{
		OperationID: "get-barriers", Method: http.MethodGet, Path: "/v1/analytics/barriers",
		Summary:     "Market-entry barriers per Member State",
		Description: "Per country x category (x buyer kind): how many requirements apply, the share of published catalogue offerings eligible, the median gap cost and lead time of the others (unknowns counted, not guessed), the requirement that excludes most offerings, and home bias (domestic vendors against vendors from other EU/EEA states).",
		Tags:        []string{"Analytics"}, Errors: []int{422},
	}, func(ctx context.Context, in *struct {
		Category string `query:"category" doc:"Only this service category." example:"cloud-hosting"`
		Buyer    string `query:"buyer" enum:"public,private" doc:"Only this buyer kind." example:"public"`
		DayParam
	}) (*struct{ Body BarriersReport }, error) {
		day, err := in.day()
		if err != nil {
			return nil, err
		}
		snap := h.Compliance.Current()
		if in.Category != "" {
			if _, ok := snap.Reference.Category(in.Category); !ok {
				return nil, unknownCategory("query.category", in.Category)
			}
		}
		listings, loaded, err := cache.get(ctx, h.Catalog)
		if err != nil {
			return nil, err
		}
		rows, err := snap.Engine.Barriers(profiles(listings), day, compliance.BarrierFilter{Category: in.Category, Buyer: compliance.Buyer(in.Buyer)})
		if err != nil {
			return nil, inputProblem(err, map[string]string{"category": "query.category", "buyer": "query.buyer"})
		}
		return &struct{ Body BarriersReport }{Body: BarriersReport{Day: day.Format(dateLayout), Catalogue: loaded, Reference: snap.Reference.Version, Rows: rows}}, nil
	})

	huma.Register(api, huma.Operation{
		OperationID: "run-what-if", Method: http.MethodPost, Path: "/v1/analytics/what-if",
		Summary:     "Simulate mutual recognition",
		Description: "Applies a recognition scenario (country C accepts scheme S as fully satisfying requirement R; several at once) to the published catalogue and returns, per named country, category and buyer kind, the eligible offerings before and after. Nothing is stored.",
		Tags:        []string{"Analytics"}, Errors: []int{404, 422},
		Metadata: allow(publicRead), // a POST that only reads: nothing is stored
	}, func(ctx context.Context, in *struct{ Body WhatIfInput }) (*struct{ Body WhatIfReport }, error) {
		day := catalog.Day(time.Now())
		if in.Body.Date != "" {
			d, err := parseDate("date", in.Body.Date)
			if err != nil {
				return nil, err
			}
			day = d
		}
		snap := h.Compliance.Current()
		listings, _, err := cache.get(ctx, h.Catalog)
		if err != nil {
			return nil, err
		}
		rows, err := snap.Engine.WhatIf(profiles(listings), day, in.Body.Recognitions)
		if err != nil {
			var ie *compliance.InputError
			if errors.As(err, &ie) {
				return nil, huma.Error422UnprocessableEntity("The scenario names something the reference data does not know.",
					&huma.ErrorDetail{Location: "body." + strings.Replace(ie.Field, "scenario", "recognitions", 1), Message: inputMessage(ie), Value: ie.Value})
			}
			return nil, err
		}
		return &struct{ Body WhatIfReport }{Body: WhatIfReport{Day: day.Format(dateLayout), Reference: snap.Reference.Version, Rows: rows}}, nil
	})
}

func inputMessage(ie *compliance.InputError) string {
	if ie.Reason != "" {
		return ie.Reason
	}
	return "is not known to the reference data"
}
