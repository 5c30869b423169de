package openapi

import (
	"errors"
	"fmt"
	"net/http"
	"testing"

	"github.com/danielgtaylor/huma/v2"
	"github.com/google/go-cmp/cmp"

	"github.com/cybermarket/cybermarket/catalog"
	"github.com/cybermarket/cybermarket/compliance"
)

func TestInputLocation(t *testing.T) {
	where := map[string]string{"country": "query.country", "scenario": "body.recognitions"}
	for field, want := range map[string]string{
		"country":              "query.country",
		"scenario":             "body.recognitions",
		"scenario[2].level":    "body.recognitions[2].level",
		"profiles[1].category": "body.profiles[1].category",
		"budget":               "body.budget",
		"countryside[0]":       "body.countryside[0]",
		"scenario.requirement": "body.scenario.requirement", // only "[" separates the name
	} {
		if got := inputLocation(field, where); got != want {
			t.Errorf("inputLocation(%q) = %q, want %q", field, got, want)
		}
	}
}

// problemOf maps err as newError does.
func problemOf(err error) *huma.ErrorModel { return domainProblem([]error{err}) }

func TestPlaceInput(t *testing.T) {
	where := map[string]string{"country": "query.country", "countries": "query.countries"}
	for _, tc := range []struct {
		name string
		err  error
		want *huma.ErrorModel
	}{
		{"unknown country: 404", &compliance.InputError{Field: "country", Value: "XX"}, &huma.ErrorModel{
			Status: 404, Title: "Not Found", Detail: "No country XX in the reference data.",
			Errors: []*huma.ErrorDetail{{Location: "query.country", Message: "is not known to the reference data", Value: "XX"}}}},
		{"unknown in a list: 422", fmt.Errorf("roadmap: %w", &compliance.InputError{Field: "countries", Value: "XX"}), &huma.ErrorModel{
			Status: 422, Title: "Unprocessable Entity", Detail: "Unknown countries XX.",
			Errors: []*huma.ErrorDetail{{Location: "query.countries", Message: "is not known to the reference data", Value: "XX"}}}},
		{"with a reason, unmapped", &compliance.InputError{Field: "budget", Value: "-1", Reason: "must not be negative"}, &huma.ErrorModel{
			Status: 422, Title: "Unprocessable Entity", Detail: "Unknown budget -1.",
			Errors: []*huma.ErrorDetail{{Location: "body.budget", Message: "must not be negative", Value: "-1"}}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, problemOf(placeInput(tc.err, where))); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
	other := errors.New("boom")
	if err := placeInput(other, where); err != other {
		t.Errorf("another error became %v", err)
	}
}

func TestPlaceScenario(t *testing.T) {
	got := problemOf(placeScenario(&compliance.InputError{Field: "scenario[1].level", Value: "x", Reason: "not a level of a (low)"}))
	want := &huma.ErrorModel{Status: 422, Title: "Unprocessable Entity",
		Detail: "The scenario names something the reference data does not know.",
		Errors: []*huma.ErrorDetail{{Location: "body.recognitions[1].level", Message: "not a level of a (low)", Value: "x"}}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	got = problemOf(placeScenario(&compliance.InputError{Field: "scenario[0].country", Value: "XX"}))
	if got.Status != http.StatusUnprocessableEntity || got.Errors[0].Location != "body.recognitions[0].country" {
		t.Errorf("unknown country in a scenario: %+v", got)
	}
	other := errors.New("boom")
	if err := placeScenario(other); err != other {
		t.Errorf("another error became %v", err)
	}
}

func TestUnknownReferenceProblems(t *testing.T) {
	for _, tc := range []struct {
		err            error
		status         int
		location, text string
	}{
		{unknownCountry("path.code", "xx"), 404, "path.code", "is not an EU/EEA country code of the reference data"},
		{unknownRequirement("nope"), 404, "path.id", "is not a requirement of the reference data"},
		{unknownCategory("query.category", "catering"), 422, "query.category", "is not a service category of the reference taxonomy"},
		{unknownScheme("path.id", "nope"), 404, "path.id", "is not a scheme of the reference data"},
	} {
		p := problemOf(tc.err)
		if p == nil || p.Status != tc.status || len(p.Errors) != 1 || p.Errors[0].Location != tc.location || p.Errors[0].Message != tc.text || p.Detail == "" {
			t.Errorf("%v: %+v", tc.err, p)
		}
	}
}

func TestJoinRejections(t *testing.T) {
	schema := &huma.ErrorDetail{Location: "body.size", Message: "expected value to be one of", Value: "huge"}
	missing := &huma.ErrorDetail{Location: "body", Message: "expected required property legal_name to be present", Value: map[string]any{"x": 1}}
	domain := catalog.Invalid("vat_number", "check digit does not match", "FR12345678901")
	dup := catalog.Invalid("size", "must be one of: micro, small", "huge")
	got := joinRejections(422, []error{schema, missing, domain, dup})
	var verr *catalog.ValidationError
	if len(got) != 1 || !errors.As(got[0], &verr) {
		t.Fatalf("got %v, want one *catalog.ValidationError", got)
	}
	var locations []string
	for _, f := range verr.Fields {
		locations = append(locations, f.Field)
	}
	if diff := cmp.Diff([]string{"body.size", "body.legal_name", "body.vat_number"}, locations); diff != "" {
		t.Errorf("locations (-want +got):\n%s", diff)
	}
	if got := joinRejections(400, []error{schema, domain}); len(got) != 1 || got[0] != error(schema) {
		t.Errorf("an unparsed body keeps huma's errors alone: %v", got)
	}
	one := unknownCountry("query.country", "XX")
	if got := joinRejections(500, []error{one}); len(got) != 1 || got[0] != one {
		t.Errorf("one rejection is left alone: %v", got)
	}
	two := joinRejections(422, []error{one, domain})
	if len(two) != 1 || problemOf(two[0]).Status != 422 || len(problemOf(two[0]).Errors) != 2 {
		t.Errorf("two rejections: %v", two)
	}
}
