package openapi

import (
	"slices"
	"sync"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/cybermarket/cybermarket/catalog"
	"github.com/cybermarket/cybermarket/compliance"
)

// Input resolvers: huma calls Resolve on an input after checking it against
// the schema, whether or not that check passed, and answers with the errors
// of both (joinRejections in errors.go merges them). So a body with a value
// of the wrong shape and another the domain rejects (a VAT number whose check
// digit does not match, an unknown tender-context fact) is answered once,
// with both. Resolvers check countries against the embedded reference data
// (resolvers cannot reach the live one); the handlers check again against
// the live reference data (cleaning is cheap and idempotent), and what needs
// the engine (the entries of a what-if scenario).

// embeddedReference is the reference data built into the binary, loaded on
// first use; nil when it does not load (then resolvers leave countries to
// the handlers).
var embeddedReference = sync.OnceValue(func() *compliance.Reference {
	ref, err := compliance.Embedded()
	if err != nil {
		return nil
	}
	return ref
})

// rejected turns the error of a domain check into resolver errors.
func rejected(err error) []error {
	if err == nil {
		return nil
	}
	return []error{err}
}

// Resolve checks the vendor as the handler will.
func (in *CreateVendorInput) Resolve(huma.Context) []error {
	v := in.Body.domain()
	return rejected(v.Clean())
}

// Resolve checks the offering as the handler will.
func (in *CreateOfferingInput) Resolve(huma.Context) []error {
	o := catalog.Offering{VendorID: in.ID}
	in.Body.apply(&o)
	return rejected(o.Clean())
}

// Resolve checks the certification as the handler will.
func (in *CreateCertificationInput) Resolve(huma.Context) []error {
	c := catalog.Certification{VendorID: in.ID, Status: catalog.SelfDeclared}
	if err := in.Body.apply(&c); err != nil {
		return rejected(err) // a date huma rejected too
	}
	return rejected(c.Clean())
}

// Resolve checks the buyer as the handler will.
func (in *CreateBuyerInput) Resolve(huma.Context) []error {
	b := in.Body.domain()
	return rejected(b.Clean())
}

// Resolve checks the project and its tender context as the handler will,
// but for the country, which the handler checks against the reference data.
func (in *CreateProjectInput) Resolve(huma.Context) []error {
	p := in.Body.domain(catalog.Buyer{Ownership: catalog.OwnershipPublic})
	return rejected(checkProject(embeddedReference(), p))
}

// Resolve checks the country and language against the embedded reference data.
// Its own Resolve hides those of its DayParam and ContextParam from huma,
// so it calls them.
func (in *GetOfferingAssessmentInput) Resolve(ctx huma.Context) []error {
	return slices.Concat(in.DayParam.Resolve(ctx), in.ContextParam.Resolve(ctx),
		rejected(checkAssessmentQuery(embeddedReference(), in)))
}

// Resolve checks the day, so that a bad date is reported with the other
// faults of the request.
func (d *DayParam) Resolve(huma.Context) []error {
	_, err := d.day()
	return rejected(err)
}

// Resolve checks the tender context, so that an unknown fact is reported
// with the other faults of the request.
func (p *ContextParam) Resolve(huma.Context) []error {
	_, err := p.tender()
	return rejected(err)
}

// embeddedEngine is the engine of the embedded reference data, for the
// resolvers that need one; nil when the data does not load.
var embeddedEngine = sync.OnceValue(func() *compliance.Engine {
	if ref := embeddedReference(); ref != nil {
		return compliance.NewEngine(ref)
	}
	return nil
})

// Resolve checks the tender context and every scenario entry against the
// embedded reference data, so that they are answered with the date's and
// the other schema errors at once; the handler checks them again against
// the live data.
func (in *RunWhatIfInput) Resolve(huma.Context) []error {
	e := embeddedEngine()
	if e == nil {
		return nil
	}
	var r rejections
	tc, err := tenderContext("body.context", in.Body.Context)
	_ = r.add(err)
	if err == nil {
		e = e.WithContext(tc)
	}
	_, err = whatIf(e, nil, catalog.Day(time.Now()), mapSlice(in.Body.Recognitions, Recognition.domain))
	_ = r.add(err)
	return rejected(r.err())
}
