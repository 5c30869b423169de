package catalog

import (
	"slices"
	"strings"

	"github.com/google/uuid"
)

func trim(s string) string      { return strings.TrimSpace(s) }
func upperTrim(s string) string { return strings.ToUpper(strings.TrimSpace(s)) }
func lowerTrim(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// compactID upper-cases an identifier and drops spaces, dots and dashes that
// people type for readability (DE 123.456.789 -> DE123456789).
func compactID(s string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case ' ', '.', '-', '\t':
			return -1
		}
		return r
	}, strings.ToUpper(s))
}

// compactPhone drops the spaces, dashes, dots and brackets people write in
// phone numbers (+49 (30) 123-456 -> +4930123456).
func compactPhone(s string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case ' ', '-', '.', '(', ')', '/', '\t':
			return -1
		}
		return r
	}, strings.TrimSpace(s))
}

// each applies f to every element, keeping positions, so that a validation
// error's index is the index the caller sent. A nil slice becomes an empty
// one so that JSON shows [] and the database stores '{}'.
func each(in []string, f func(string) string) []string {
	out := make([]string, len(in))
	for i, s := range in {
		out[i] = f(s)
	}
	return out
}

// set sorts a validated list and drops repeats.
func set(in []string) []string {
	out := slices.Clone(in)
	if out == nil {
		out = []string{}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// lowerKeys returns m with lower-cased, trimmed keys and trimmed values.
func lowerKeys(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[lowerTrim(k)] = trim(v)
	}
	return out
}

func uniqueIDs(in []uuid.UUID) []uuid.UUID {
	out := slices.Clone(in)
	slices.SortFunc(out, func(a, b uuid.UUID) int { return strings.Compare(a.String(), b.String()) })
	out = slices.Compact(out)
	if out == nil {
		out = []uuid.UUID{}
	}
	return out
}
