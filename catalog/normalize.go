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

// sortedSet applies f to each element, drops empty and repeated elements and
// sorts the rest. A nil slice becomes an empty one so that JSON shows [].
func sortedSet(in []string, f func(string) string) []string {
	out := make([]string, 0, len(in))
	for _, s := range in {
		if s = f(s); s != "" {
			out = append(out, s)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func upperSet(in []string) []string { return sortedSet(in, upperTrim) }

func contains(list []string, s string) bool { return slices.Contains(list, s) }

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
