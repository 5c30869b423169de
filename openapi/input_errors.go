package openapi

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/cybermarket/cybermarket/catalog"
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

// rejections gathers the rejected values of one request, so that a request
// with several faults is answered once, listing each with its own location
// and value: the one input rule of every endpoint.
type rejections struct{ errs []error }

// add keeps err when it rejects a value (*catalog.ValidationError or
// *inputError) and returns nil; any other error is returned as it is, for
// the caller to return at once. add(nil) is nil.
func (r *rejections) add(err error) error {
	var verr *catalog.ValidationError
	var ierr *inputError
	if errors.As(err, &verr) || errors.As(err, &ierr) {
		r.errs = append(r.errs, err)
		return nil
	}
	return err
}

// err returns nil when nothing was rejected, the one error when one value
// was (keeping its status: an unknown country in a path stays 404), and
// otherwise one *catalog.ValidationError (422) listing every value, each
// value at a location once (the first reason given for it).
func (r *rejections) err() error {
	switch len(r.errs) {
	case 0:
		return nil
	case 1:
		return r.errs[0]
	}
	out := &catalog.ValidationError{}
	seen := map[string]bool{}
	for _, err := range r.errs {
		for _, f := range fieldErrors(err) {
			if key := f.Field + "\x00" + fmt.Sprint(f.Value); !seen[key] {
				seen[key] = true
				out.Fields = append(out.Fields, f)
			}
		}
	}
	return out
}

// fieldErrors lists the rejected values of a *catalog.ValidationError or an
// *inputError, located in the request.
func fieldErrors(err error) []catalog.FieldError {
	var verr *catalog.ValidationError
	var ierr *inputError
	switch {
	case errors.As(err, &ierr):
		return []catalog.FieldError{{Field: ierr.location, Message: ierr.message, Value: ierr.value}}
	case errors.As(err, &verr):
		out := make([]catalog.FieldError, len(verr.Fields))
		for i, f := range verr.Fields {
			f.Field = location(f.Field)
			out[i] = f
		}
		return out
	}
	return nil
}

// whatIf runs the scenario on the profiles. When the engine rejects an
// entry it checks the entries after it too (on no profiles, which costs
// little), so that every bad entry of the body is reported at once.
func whatIf(e *compliance.Engine, profiles []compliance.Profile, day time.Time, scenario []compliance.Recognition) ([]compliance.WhatIfRow, error) {
	rows, err := e.WhatIf(profiles, day, scenario)
	var r rejections
	for base := 0; err != nil; {
		i, rest, ok := scenarioEntry(err)
		if !ok { // not about one entry: an empty scenario, or no input error
			if err := r.add(placeScenario(err)); err != nil {
				return nil, err
			}
			break
		}
		var ie *compliance.InputError
		errors.As(err, &ie)
		shifted := *ie
		shifted.Field = fmt.Sprintf("scenario[%d]%s", base+i, rest)
		_ = r.add(placeScenario(&shifted))
		if base += i + 1; base >= len(scenario) {
			break
		}
		_, err = e.WhatIf(nil, day, scenario[base:])
	}
	if err := r.err(); err != nil {
		return nil, err
	}
	return rows, nil
}

// scenarioEntry splits the field of an engine input error about a scenario
// entry, "scenario[2].level", into 2 and ".level".
func scenarioEntry(err error) (int, string, bool) {
	var ie *compliance.InputError
	if !errors.As(err, &ie) {
		return 0, "", false
	}
	index, rest, ok := strings.Cut(strings.TrimPrefix(ie.Field, "scenario["), "]")
	if !ok || !strings.HasPrefix(ie.Field, "scenario[") {
		return 0, "", false
	}
	i, convErr := strconv.Atoi(index)
	return i, rest, convErr == nil
}

// checkCountries checks a list of country codes against the reference data,
// rejecting each unknown one at location.
func checkCountries(ref *compliance.Reference, location string, codes []string) error {
	var r rejections
	for _, c := range codes {
		if !knownCountry(ref, c) {
			_ = r.add(&inputError{status: http.StatusUnprocessableEntity, location: location, value: c,
				detail: "Unknown country " + c + "; see GET /v1/countries.", message: countryReason(c)})
		}
	}
	return r.err()
}

// countryReason is why code is no country of the reference data, naming the
// ISO code people may have meant (UK: GB).
func countryReason(code string) string {
	if alias, ok := countryAliases[strings.ToUpper(code)]; ok {
		return "is not the ISO code (that is " + alias + "); only the EU/EEA states are known"
	}
	return "is not an EU/EEA country code of the reference data"
}

// checkAssessmentQuery checks the country and language of an assessment
// request together: an unknown country alone is a 404 (no such market), with
// a bad language a 422 listing both.
func checkAssessmentQuery(ref *compliance.Reference, in *GetOfferingAssessmentInput) error {
	var r rejections
	if in.Country != "" {
		if code := strings.ToUpper(strings.TrimSpace(in.Country)); !knownCountry(ref, code) {
			err := unknownCountry("query.country", in.Country).(*inputError)
			err.message = countryReason(code)
			_ = r.add(err)
		}
	}
	if lang := strings.ToLower(strings.TrimSpace(in.Language)); lang != "" && !catalog.IsLanguage(lang) {
		_ = r.add(catalog.Invalid("query.language", "is not an ISO 639-1 language code", in.Language))
	}
	return r.err()
}

// knownCountry reports whether code is a country of ref; with no reference
// data at hand (nil) every code passes, for the handler to check.
func knownCountry(ref *compliance.Reference, code string) bool {
	if ref == nil {
		return true
	}
	_, ok := ref.Country(code)
	return ok
}
