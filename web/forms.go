package web

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// form is the state of a form on a page: the values sent (to show them
// again) and the API's errors, beside each field and in a summary at the
// top (the GOV.UK error summary pattern: each entry links to its field).
type form struct {
	Values url.Values
	// Detail is the problem's sentence, shown at the top of the summary.
	Detail  string
	Summary []fieldError
	errors  map[string]string
}

// fieldError is one entry of the error summary.
type fieldError struct {
	Field   string // form field name; "" when the error names no field
	Label   string
	Message string
}

// ID is the HTML id of the field, the target of the summary's link.
func (e fieldError) ID() string { return fieldID(e.Field) }

// fieldID is the id of the input of form field name.
func fieldID(name string) string {
	return "f-" + strings.NewReplacer(".", "-", "_", "-").Replace(name)
}

func newForm(values url.Values) *form {
	if values == nil {
		values = url.Values{}
	}
	return &form{Values: values, errors: map[string]string{}}
}

// Value is the value sent for field name.
func (f *form) Value(name string) string { return f.Values.Get(name) }

// Has reports whether value was sent for field name (checkboxes, multiple selects).
func (f *form) Has(name, value string) bool {
	for _, v := range f.Values[name] {
		if v == value {
			return true
		}
	}
	return false
}

// Error is the error of field name, or "".
func (f *form) Error(name string) string { return f.errors[name] }

// ID is the HTML id of field name.
func (f *form) ID(name string) string { return fieldID(name) }

// Invalid reports whether the form has errors.
func (f *form) Invalid() bool { return len(f.Summary) > 0 || f.Detail != "" }

// field is a form field the API's error locations map to.
type field struct {
	Name  string // form field name, also the API location after "body."
	Label string // shown in the summary, translated
	API   string // the API's name of the field, when not Name
	// Choice marks a select: a missing, short or unknown value reads as
	// "choose one from the list", not as typing advice.
	Choice bool
	// Lines marks a text area typed one item per line: an error of the
	// API's item i is said of line i+1.
	Lines bool
}

// index matches array indices and map keys in locations: body.countries[0].
var index = regexp.MustCompile(`\[[^\]]*\]`)

// addProblem shows the API's problem p on the form: each error beside the
// field its location names (body.legal_name -> legal_name,
// body.contact.email -> contact.email, body.countries[2] -> countries), or
// in the summary alone when no field matches.
//
// A rejected value (422) is put in words for the user in the page's
// language (humanMessage), under one summary sentence; other problems (a
// conflict, a stale version) keep the API's words.
func (f *form) addProblem(p *problem, fields []field) {
	f.addProblemIn(nil, p, fields)
}

// addProblemIn is addProblem with the page's view v for the wording of
// rejected values (nil: the API's words).
func (f *form) addProblemIn(v *view, p *problem, fields []field) {
	f.Detail = p.Detail
	invalid := v != nil && p.Status == http.StatusUnprocessableEntity && len(p.Errors) > 0
	if invalid {
		f.Detail = v.T("Some answers need changing. Correct each one below and send the form again.")
	}
	for _, e := range p.Errors {
		fld, known := fieldOf(e.Location, fields)
		msg := e.Message
		switch {
		case invalid && known && fld.Choice:
			msg = v.T("Choose one from the list")
		case invalid:
			msg = humanMessage(v, msg)
		}
		if n, ok := lineOf(e.Location); ok && known && fld.Lines {
			msg = lineText(v, n) + msg
		}
		fe := fieldError{Message: msg}
		if known {
			fe.Field, fe.Label = fld.Name, fld.Label
			switch old := f.errors[fld.Name]; {
			case old == "":
				f.errors[fld.Name] = msg
			case !strings.Contains(old, msg):
				f.errors[fld.Name] = old + "; " + msg
			}
		}
		f.Summary = append(f.Summary, fe)
	}
	// In the order of the form (GOV.UK), errors without a field last.
	order := func(e fieldError) int {
		if i := slices.IndexFunc(fields, func(f field) bool { return f.Name == e.Field }); i >= 0 && e.Field != "" {
			return i
		}
		return len(fields)
	}
	slices.SortStableFunc(f.Summary, func(a, b fieldError) int { return order(a) - order(b) })
}

// firstIndex matches the first numeric index of a location: body.lots[2].title.
var firstIndex = regexp.MustCompile(`\[(\d+)\]`)

// lineOf is the line (from 1) of the list item a location names.
func lineOf(location string) (int, bool) {
	m := firstIndex.FindStringSubmatch(location)
	if m == nil {
		return 0, false
	}
	n, err := strconv.Atoi(m[1])
	return n + 1, err == nil
}

// lineText is "Line n: " in the page's language (English without a view).
func lineText(v *view, n int) string {
	if v == nil {
		return fmt.Sprintf("Line %d: ", n)
	}
	return v.T("Line %d: ", n)
}

// fieldOf finds the field of an API error location: the longest field name
// that is the location (without "body." and indices) or a prefix of it
// ending at a dot.
func fieldOf(location string, fields []field) (field, bool) {
	loc := strings.TrimPrefix(strings.TrimPrefix(location, "body."), "query.")
	loc = index.ReplaceAllString(loc, "")
	var best field
	bestLen := 0
	for _, f := range fields {
		name := f.Name
		if f.API != "" {
			name = f.API
		}
		if (loc == name || strings.HasPrefix(loc, name+".")) && len(name) > bestLen {
			best, bestLen = f, len(name)
		}
	}
	return best, best.Name != ""
}
