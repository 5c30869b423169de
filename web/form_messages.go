package web

import (
	"regexp"
	"strconv"
	"strings"
)

// The API's field messages are written for developers ("expected length
// >= 2", "expected value to be one of ..."): forms show each one as a
// sentence telling the user what to enter, in the page's language. A
// message no rule knows is shown as the API wrote it.

// messageRule turns the API messages its pattern matches into words.
type messageRule struct {
	pattern *regexp.Regexp
	say     func(v *view, m []string) string
}

var messageRules = []messageRule{
	// huma's schema messages, then the catalogue's (catalog/validate.go).
	{regexp.MustCompile(`^(?:is required|must not be blank|must list at least one value|must have at least one entry|expected required property .* to be present)$`),
		func(v *view, _ []string) string { return v.T("Enter or choose a value") }},
	{regexp.MustCompile(`^(?:expected (?:string )?length >=|must be at least) (\d+)(?: characters long)?$`), func(v *view, m []string) string {
		if atoi(m[1]) == 1 {
			return v.T("Enter at least one character")
		}
		return v.T("Enter at least %d characters", atoi(m[1]))
	}},
	{regexp.MustCompile(`^(?:expected (?:string )?length <=|must be at most) (\d+)(?: characters long)?$`), func(v *view, m []string) string {
		return v.T("Enter at most %d characters", atoi(m[1]))
	}},
	{regexp.MustCompile(`^(?:expected array length >=|must list at least) (\d+)`), func(v *view, m []string) string {
		return v.T("Choose at least %d", atoi(m[1]))
	}},
	{regexp.MustCompile(`^(?:expected array length <=|must list at most) (\d+)`), func(v *view, m []string) string {
		return v.T("Choose at most %d", atoi(m[1]))
	}},
	{regexp.MustCompile(`^(?:expected value to be one of|must be one of)`), func(v *view, _ []string) string { return v.T("Choose one of the options") }},
	{regexp.MustCompile(`(?i)phone`), func(v *view, _ []string) string {
		return v.T("Enter an international phone number: a plus sign, the country code and the number, like +4930123456")
	}},
	{regexp.MustCompile(`country code`), func(v *view, _ []string) string { return v.T("Choose a country from the list") }},
	{regexp.MustCompile(`language code`), func(v *view, _ []string) string { return v.T("Choose a language from the list") }},
	{regexp.MustCompile(`(?i)e-?mail`), func(v *view, _ []string) string { return v.T("Enter an e-mail address, like name@example.eu") }},
	{regexp.MustCompile(`(?i)RFC 3986|web address|\buri\b`), func(v *view, _ []string) string {
		return v.T("Enter a web address starting with https://")
	}},
	{regexp.MustCompile(`VAT number|prefix EL`), func(v *view, _ []string) string {
		return v.T("Enter a valid VAT number with its country prefix, like DE811907980")
	}},
	{regexp.MustCompile(`^expected (?:string to be RFC 3339 date|date)`), func(v *view, _ []string) string {
		return v.T("Enter a date, like 2027-06-30")
	}},
	{regexp.MustCompile(`^must be after (.+)$`), func(v *view, _ []string) string { return v.T("Enter a later date") }},
	{regexp.MustCompile(`^expected (?:number|integer) >= (-?\d+)$`), func(v *view, m []string) string {
		return v.T("Enter a number of at least %d", atoi(m[1]))
	}},
	{regexp.MustCompile(`^expected (?:number|integer) <= (-?\d+)$`), func(v *view, m []string) string {
		return v.T("Enter a number of at most %d", atoi(m[1]))
	}},
	{regexp.MustCompile(`^expected (?:number|integer)`), func(v *view, _ []string) string { return v.T("Enter a whole number") }},
	{regexp.MustCompile(`^expected string to match pattern`), func(v *view, _ []string) string {
		return v.T("Enter a value in the form the hint shows")
	}},
}

// humanMessage is the API's field message msg in words for the user.
func humanMessage(v *view, msg string) string {
	for _, r := range messageRules {
		if m := r.pattern.FindStringSubmatch(msg); m != nil {
			return r.say(v, m)
		}
	}
	return strings.TrimSpace(msg)
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}
