package openapi

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/google/uuid"

	"github.com/cybermarket/cybermarket/catalog"
)

// Outcome is what came of a locked project.
type Outcome struct {
	Awarded    bool       `json:"awarded" doc:"Whether a contract was awarded."`
	OfferingID *uuid.UUID `json:"offering_id,omitempty" doc:"The offering awarded (one the shortlist included)."`
	ValueEUR   *int64     `json:"value_eur,omitempty" doc:"Contract value in euro, excluding VAT." example:"480000"`
	StartsOn   string     `json:"starts_on,omitempty" format:"date" doc:"First day of the contract." example:"2027-01-01"`
	EndsOn     string     `json:"ends_on,omitempty" format:"date" doc:"Last day of the contract." example:"2029-12-31"`
	Reason     string     `json:"reason,omitempty" doc:"Why nothing was awarded (required then), or a note on the award."`
	RecordedAt time.Time  `json:"recorded_at" doc:"When the outcome was recorded (UTC)."`
}

func newOutcome(o catalog.Outcome) Outcome {
	out := Outcome{Awarded: o.Awarded, ValueEUR: o.ValueEUR, Reason: o.Reason, RecordedAt: o.RecordedAt}
	if o.OfferingID != uuid.Nil {
		id := o.OfferingID
		out.OfferingID = &id
	}
	if o.StartsOn != nil {
		out.StartsOn = o.StartsOn.Format(time.DateOnly)
	}
	if o.EndsOn != nil {
		out.EndsOn = o.EndsOn.Format(time.DateOnly)
	}
	return out
}

// OutcomeInput is an award or a decision not to award.
type OutcomeInput struct {
	Awarded    bool       `json:"awarded" doc:"true for an award, false for no award." example:"true"`
	OfferingID *uuid.UUID `json:"offering_id,omitempty" doc:"The offering awarded: one the project's shortlist included. Only for an award." example:"0192f1e0-7b1c-7c3e-9a4b-2f1d3c4b5a70"`
	ValueEUR   *int64     `json:"value_eur,omitempty" minimum:"0" doc:"Contract value in euro, excluding VAT." example:"480000"`
	StartsOn   string     `json:"starts_on,omitempty" format:"date" doc:"First day of the contract (YYYY-MM-DD)." example:"2027-01-01"`
	EndsOn     string     `json:"ends_on,omitempty" format:"date" doc:"Last day of the contract (YYYY-MM-DD)." example:"2029-12-31"`
	Reason     string     `json:"reason,omitempty" maxLength:"2000" doc:"Why nothing was awarded (required for no award)." example:"No offering met the German requirements on verified certificates."`
}

func (in OutcomeInput) domain() (catalog.Outcome, error) {
	o := catalog.Outcome{Awarded: in.Awarded, ValueEUR: in.ValueEUR, Reason: in.Reason}
	if in.OfferingID != nil {
		o.OfferingID = *in.OfferingID
	}
	for _, d := range []struct {
		field, value string
		dst          **time.Time
	}{{"body.starts_on", in.StartsOn, &o.StartsOn}, {"body.ends_on", in.EndsOn, &o.EndsOn}} {
		if d.value == "" {
			continue
		}
		t, err := parseDate(d.field, d.value)
		if err != nil {
			return catalog.Outcome{}, err
		}
		*d.dst = &t
	}
	return o, nil
}

// RecordOutcomeInput is the outcome of a locked project.
type RecordOutcomeInput struct {
	ProjectPath
	Body OutcomeInput
}

// GetOfferingAwardsInput names the offering.
type GetOfferingAwardsInput struct {
	OfferingPath
}

// OfferingAwards is the public, aggregated award record of an offering.
type OfferingAwards struct {
	Offering  uuid.UUID `json:"offering" doc:"Offering identifier."`
	Buyers    int       `json:"buyers" doc:"How many buyer organisations recorded an award for it." example:"3"`
	Countries int       `json:"countries" doc:"In how many countries those buyers are." example:"2"`
}

// GetOfferingAwardsOutput is an offering's award counts.
type GetOfferingAwardsOutput struct {
	Body OfferingAwards
}

func (h *handlers) registerOutcomes(api huma.API) {
	huma.Register(api, huma.Operation{
		OperationID: "record-outcome", Method: http.MethodPost, Path: "/v1/projects/{id}/outcome",
		Summary:     "Record the outcome of a locked project",
		Description: "Records, once, an award (an offering the shortlist included, the value, the contract dates) or no award (with the reason). The project must be locked (409 otherwise); the outcome is not part of the snapshot and does not change its digest.",
		Tags:        []string{"Projects"}, Errors: []int{401, 403, 404, 409, 422},
		Metadata: allow(projectAccess),
	}, h.recordOutcome)
	huma.Register(api, huma.Operation{
		OperationID: "get-offering-awards", Method: http.MethodGet, Path: "/v1/offerings/{id}/awards",
		Summary:     "How often an offering was awarded",
		Description: "How many buyer organisations in how many countries recorded an award for a published offering: a reuse signal. Never which buyers.",
		Tags:        []string{"Offerings"}, Errors: []int{404},
	}, h.getOfferingAwards)
}

func (h *handlers) recordOutcome(ctx context.Context, in *RecordOutcomeInput) (*ProjectOutput, error) {
	if _, err := h.projectFor(ctx, in.ID, true); err != nil {
		return nil, err
	}
	o, err := in.Body.domain()
	if err != nil {
		return nil, err
	}
	st, err := h.Catalog.RecordOutcome(ctx, in.ID, o)
	if err != nil {
		return nil, err
	}
	return projectOutput(st), nil
}

func (h *handlers) getOfferingAwards(ctx context.Context, in *GetOfferingAwardsInput) (*GetOfferingAwardsOutput, error) {
	if _, err := h.Catalog.VisibleOffering(ctx, in.ID, viewerFrom(ctx)); err != nil {
		return nil, err
	}
	a, err := h.Catalog.OfferingAwards(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	return &GetOfferingAwardsOutput{Body: OfferingAwards{Offering: in.ID, Buyers: a.Buyers, Countries: a.Countries}}, nil
}
