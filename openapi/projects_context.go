package openapi

import (
	"fmt"
	"strings"

	"github.com/cybermarket/cybermarket/catalog"
	"github.com/cybermarket/cybermarket/compliance"
)

// A project's tender context is a list of facts, each a fact name of the
// engine (compliance.Facts), stated off with a leading '-'. Facts not listed
// take their category default, as in the context parameter of the engine's
// operations.

// checkProjectContext checks the facts of a project's context, field being
// the body field ("context"): every unknown fact and every fact stated twice
// is rejected at its index, an unknown one with the facts it may have meant.
func checkProjectContext(field string, facts []string) error {
	var errs catalog.ValidationError
	seen := map[string]bool{}
	for i, raw := range facts {
		name := strings.TrimPrefix(strings.ToLower(strings.TrimSpace(raw)), "-")
		loc := fmt.Sprintf("%s[%d]", field, i)
		switch {
		case !isFact(name):
			errs.Fields = append(errs.Fields, catalog.FieldError{Field: loc, Message: unknownFactMessage(name), Value: raw})
		case seen[name]:
			errs.Fields = append(errs.Fields, catalog.FieldError{Field: loc, Message: "states fact " + name + " a second time", Value: raw})
		}
		seen[name] = true
	}
	if len(errs.Fields) == 0 {
		return nil
	}
	return &errs
}

// projectContext is the engine's context for a project's facts, checked by
// checkProjectContext when the project was made. Names that are no fact
// (stored before facts were checked) state nothing.
func projectContext(facts []string) compliance.Context {
	var c compliance.Context
	for _, raw := range facts {
		name := strings.ToLower(strings.TrimSpace(raw))
		_ = c.Set(compliance.Fact(strings.TrimPrefix(name, "-")), !strings.HasPrefix(name, "-")) // unknown: ignored
	}
	return c
}

func isFact(name string) bool {
	for _, f := range compliance.Facts {
		if string(f.Fact) == name {
			return true
		}
	}
	return false
}

// unknownFactMessage says that name is no fact, suggesting the facts that
// share a word with it (health-data-hosting: health_data_hosted,
// health_data_processed), and lists the known ones.
func unknownFactMessage(name string) string {
	msg := "is not a tender-context fact"
	if s := suggestFacts(name); len(s) > 0 {
		msg += "; did you mean " + strings.Join(s, " or ") + "?"
	}
	return msg + " Known facts (prefix '-' to state one off): " + strings.Join(compliance.FactNames(), ", ")
}

// suggestFacts returns the facts that share the most words with name: a
// word of 4 letters or more counts when a fact contains its first 4
// (hosting and hosted share "host").
func suggestFacts(name string) []string {
	words := strings.FieldsFunc(name, func(r rune) bool { return r == '_' || r == '-' || r == ' ' || r == '.' })
	var best []string
	bestScore := 0
	for _, fact := range compliance.FactNames() {
		score := 0
		for _, w := range words {
			if len(w) >= 4 && strings.Contains(fact, stem(w)) {
				score++
			}
		}
		switch {
		case score == 0 || score < bestScore:
		case score > bestScore:
			best, bestScore = []string{fact}, score
		default:
			best = append(best, fact)
		}
	}
	return best
}

// stem is the first 4 letters of w.
func stem(w string) string {
	if len(w) > 4 {
		return w[:4]
	}
	return w
}
