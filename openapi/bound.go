package openapi

import (
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/validation"
)

// Limits of a problem document, whatever the input: an answer about bad
// input must never grow with the input.
const (
	// maxProblemErrors is how many errors a problem lists; the detail
	// counts the rest.
	maxProblemErrors = 20
	// maxEchoBytes is the longest rejected string echoed as an error's
	// value; longer ones are cut and marked with an ellipsis.
	maxEchoBytes = 64
	// maxLocationBytes and maxMessageBytes bound the other texts of an error
	// (a location holds a client-chosen property name).
	maxLocationBytes = 200
	maxMessageBytes  = 300
	maxDetailBytes   = 500
)

// bound cuts p down to the limits above, in place: at most maxProblemErrors
// errors, each with a short location and message, and a value only when it
// is a small scalar. Unknown properties are named by their location alone.
// The number of errors left out is stated in the detail.
func bound(p *huma.ErrorModel) *huma.ErrorModel {
	if p == nil {
		return nil
	}
	p.Detail = truncate(p.Detail, maxDetailBytes)
	p.Title = truncate(p.Title, maxMessageBytes)
	errs := p.Errors[:0]
	for _, d := range p.Errors {
		if d != nil {
			errs = append(errs, d)
		}
	}
	if n := len(errs); n > maxProblemErrors {
		errs = errs[:maxProblemErrors]
		p.Detail = strings.TrimSpace(fmt.Sprintf("%s (%d errors; the first %d are listed, %d more are not.)",
			p.Detail, n, maxProblemErrors, n-maxProblemErrors))
	}
	for _, d := range errs {
		d.Location = truncate(d.Location, maxLocationBytes)
		d.Message = truncate(d.Message, maxMessageBytes)
		if d.Message == validation.MsgUnexpectedProperty {
			d.Value = nil // huma sets the whole object: the name is in the location
			continue
		}
		d.Value = echo(d.Value)
	}
	p.Errors = errs
	return p
}

// echo returns v when it is a small scalar (a string cut to maxEchoBytes),
// nil otherwise: lists and objects are never echoed.
func echo(v any) any {
	switch v := v.(type) {
	case nil, bool, int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64, float32, float64:
		return v
	case string:
		return truncate(v, maxEchoBytes)
	case fmt.Stringer:
		return truncate(v.String(), maxEchoBytes)
	}
	return nil
}

// truncate cuts s to at most n bytes on a rune boundary, ending it with an
// ellipsis when cut. Invalid UTF-8 is replaced, so that the answer is valid.
func truncate(s string, n int) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	if len(s) <= n {
		return s
	}
	const ellipsis = "…"
	cut := n - len(ellipsis)
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + ellipsis
}

// problemStatus builds the bounded problem for status with detail.
func problemStatus(status int, detail string, errs ...*huma.ErrorDetail) *huma.ErrorModel {
	return bound(&huma.ErrorModel{Status: status, Title: http.StatusText(status), Detail: detail, Errors: errs})
}
