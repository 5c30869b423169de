package compliance

import (
	"strings"
	"testing"
	"time"
)

// TestReference_PrimarySourcesCurrent: every requirement whose primary
// source is verified `yes` is current at its country's last check: the
// source's as_of lies within the 24 months before that check, or the source
// records the check date on which the rule was confirmed still in force
// (in_force_confirmed). A year or month alone counts from its first day.
// EU- and EEA-wide rules are held to the latest check of any country.
func TestReference_PrimarySourcesCurrent(t *testing.T) {
	r := mustEmbedded(t)
	last, latest := map[string]string{}, ""
	for _, c := range r.Research {
		for _, s := range c.Checked {
			last[c.Country] = max(last[c.Country], s.Date)
			latest = max(latest, s.Date)
		}
	}
	yes, current := 0, 0
	for _, q := range r.Requirements {
		if q.Source.Verified != VerifiedYes {
			continue
		}
		yes++
		checked, ok := last[q.Country]
		if !ok {
			checked = latest
		}
		day, err := time.Parse(time.DateOnly, checked)
		if err != nil {
			t.Fatalf("%s: last check %q: %v", q.Country, checked, err)
		}
		from := day.AddDate(-2, 0, 0).Format(time.DateOnly)
		asOf := q.Source.AsOf + strings.Repeat("-01", (10-len(q.Source.AsOf))/3)
		switch {
		case asOf >= from:
			current++
		case q.Source.InForceConfirmed >= from && q.Source.InForceConfirmed <= checked:
			current++
		default:
			t.Errorf("%s: source as of %s, before %s (24 months before the check of %s), and not confirmed in force at a check",
				q.ID, q.Source.AsOf, from, checked)
		}
	}
	t.Logf("%d of %d requirements have a primary source verified yes (%.1f%%), %d of them current",
		yes, len(r.Requirements), 100*float64(yes)/float64(len(r.Requirements)), current)
	if 10*yes < 9*len(r.Requirements) {
		t.Errorf("%d of %d primary sources verified yes: under 90%%", yes, len(r.Requirements))
	}
}
