package openapi

import (
	"errors"
	"net/http"
	"strings"

	"github.com/cybermarket/cybermarket/compliance"
)

// inputError is a request value the reference data does not know, or
// rejects. Handlers return it; domainProblem (errors.go) turns it into a
// problem with one error detail.
type inputError struct {
	status   int    // 404 when the value names what the request is about, 422 otherwise
	detail   string // the problem's detail
	location string // where in the request: "path.code", "query.category", "body.recognitions[1].level"
	message  string // why the value is rejected
	value    string
}

func (e *inputError) Error() string { return e.location + " " + e.value + ": " + e.message }

func unknownCountry(location, code string) error {
	return &inputError{status: http.StatusNotFound, location: location, value: code,
		detail:  "No country " + code + " in the reference data; see GET /v1/countries for the 30 EU/EEA states.",
		message: "is not an EU/EEA country code of the reference data"}
}

func unknownRequirement(id string) error {
	return &inputError{status: http.StatusNotFound, location: "path.id", value: id,
		detail: "No requirement " + id + " in the reference data.", message: "is not a requirement of the reference data"}
}

func unknownCategory(location, slug string) error {
	return &inputError{status: http.StatusUnprocessableEntity, location: location, value: slug,
		detail:  "Unknown service category " + slug + "; see GET /v1/categories.",
		message: "is not a service category of the reference taxonomy"}
}

func unknownScheme(location, id string) error {
	return &inputError{status: http.StatusNotFound, location: location, value: id,
		detail: "No scheme " + id + " in the reference data; see GET /v1/schemes.", message: "is not a scheme of the reference data"}
}

// placeInput places an engine *compliance.InputError in the request: where
// maps the engine's input names (the field up to its first "[") to request
// locations, and unmapped names are body fields. An unknown country is 404
// (the country assessed does not exist), anything else 422. Other errors
// are returned as they are.
func placeInput(err error, where map[string]string) error {
	var ie *compliance.InputError
	if !errors.As(err, &ie) {
		return err
	}
	out := &inputError{status: http.StatusUnprocessableEntity, location: inputLocation(ie.Field, where), value: ie.Value,
		detail: "Unknown " + ie.Field + " " + ie.Value + ".", message: inputReason(ie)}
	if ie.Field == "country" {
		out.status, out.detail = http.StatusNotFound, "No country "+ie.Value+" in the reference data."
	}
	return out
}

// placeScenario places an engine input error of a what-if scenario: the
// engine's "scenario[i]" is the body's "recognitions[i]".
func placeScenario(err error) error {
	err = placeInput(err, map[string]string{"scenario": "body.recognitions"})
	if ie, ok := err.(*inputError); ok {
		ie.status, ie.detail = http.StatusUnprocessableEntity, "The scenario names something the reference data does not know."
	}
	return err
}

// inputLocation maps an engine input name such as "scenario[2].level" to its
// request location: where's entry for "scenario", followed by "[2].level".
func inputLocation(field string, where map[string]string) string {
	name, rest := field, ""
	if i := strings.Index(field, "["); i >= 0 {
		name, rest = field[:i], field[i:]
	}
	if loc, ok := where[name]; ok && loc != "" {
		return loc + rest
	}
	return "body." + field
}

// inputReason is why the engine rejected an input.
func inputReason(ie *compliance.InputError) string {
	if ie.Reason != "" {
		return ie.Reason
	}
	if alias, ok := countryAliases[strings.ToUpper(strings.TrimSpace(ie.Value))]; ok && (ie.Field == "country" || strings.HasSuffix(ie.Field, ".country")) {
		return "is not the ISO code (that is " + alias + "); only the EU/EEA states are known"
	}
	return "is not known to the reference data"
}
