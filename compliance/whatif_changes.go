package compliance

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/google/uuid"
)

// WhatIfResult is the effect of a scenario (see Engine.Simulate).
type WhatIfResult struct {
	Rows []WhatIfRow
	// Changed lists, in profile order, the first offerings (up to the limit
	// asked for) whose eligibility changes in a named country; ChangedTotal
	// counts them all.
	Changed      []ChangedOffering
	ChangedTotal int
	// Warnings name the recognitions that cannot change anything.
	Warnings []WhatIfWarning
}

// ChangedOffering is an offering whose eligibility a scenario changes.
type ChangedOffering struct {
	// Profile is the offering's index in the profiles given.
	Profile  int       `json:"-"`
	Offering uuid.UUID `json:"offering"`
	// Opened and Closed are the markets where it turns eligible and
	// ineligible (on all evidence).
	Opened []WhatIfMarket `json:"opened"`
	Closed []WhatIfMarket `json:"closed"`
}

// WhatIfMarket is a country and buyer kind.
type WhatIfMarket struct {
	Country string `json:"country"`
	Buyer   Buyer  `json:"buyer"`
}

func (c *ChangedOffering) add(m WhatIfMarket, opened bool) {
	if opened {
		c.Opened = append(c.Opened, m)
	} else {
		c.Closed = append(c.Closed, m)
	}
}

// The warning codes of a recognition that cannot change anything.
const (
	// WarnAlreadyAccepted: the requirement already accepts the scheme (at
	// that level or a lower one) as a full satisfier.
	WarnAlreadyAccepted = "already-accepted"
	// WarnNotCertificateDecided: no certificate decides the requirement (a
	// duty, or conditions alone); the recognition is left out.
	WarnNotCertificateDecided = "not-certificate-decided"
	// WarnNotBinding: the requirement binds no buyer kind in any of its
	// categories in the tender context (its strength, status or applies_when).
	WarnNotBinding = "not-binding"
)

// WhatIfWarning is a recognition of the scenario that cannot change anything.
type WhatIfWarning struct {
	// Recognition is the entry's index in the scenario.
	Recognition int    `json:"recognition"`
	Code        string `json:"code"`
	Message     string `json:"message"`
}

// futility returns the warning for scenario entry i (already checked by
// recognition), or nil, and whether its override is kept.
func (e *Engine) futility(i int, rec Recognition) (*WhatIfWarning, bool) {
	ri := slices.IndexFunc(e.ref.Requirements, func(r Requirement) bool { return r.ID == rec.Requirement })
	r := &e.ref.Requirements[ri]
	warn := func(code, format string, args ...any) *WhatIfWarning {
		return &WhatIfWarning{Recognition: i, Code: code, Message: fmt.Sprintf(format, args...)}
	}
	switch {
	case r.IsDuty():
		return warn(WarnNotCertificateDecided, "%s is a duty no certificate shows; it never decides eligibility", r.ID), false
	case len(r.SatisfiedBy) == 0:
		return warn(WarnNotCertificateDecided, "conditions alone (%s) decide %s, not a certificate; the recognition is left out",
			conditionKinds(r.Conditions), r.ID), false
	case e.alreadyAccepted(r, rec):
		return warn(WarnAlreadyAccepted, "%s already accepts %s%s as fully satisfying it", r.ID, rec.Scheme, atLevel(rec.Level)), false
	case !e.bindsAnywhere(r):
		return warn(WarnNotBinding, "%s (%s, %s) binds no buyer in any of its categories in this tender context", r.ID, r.Strength, r.Status), true
	}
	return nil, true
}

// alreadyAccepted reports whether r accepts rec's scheme at rec's level (any
// level when empty) as a full satisfier already.
func (e *Engine) alreadyAccepted(r *Requirement, rec Recognition) bool {
	sc, _ := e.ref.Scheme(rec.Scheme)
	return slices.ContainsFunc(r.SatisfiedBy, func(s Satisfier) bool {
		return s.Extent == Full && s.Scheme == rec.Scheme && (s.MinLevel == "" || (rec.Level != "" && sc.MeetsLevel(rec.Level, s.MinLevel)))
	})
}

// bindsAnywhere reports whether r binds some buyer kind in some of its
// categories in the engine's tender context.
func (e *Engine) bindsAnywhere(r *Requirement) bool {
	for _, cat := range r.Categories {
		for _, b := range r.Buyers {
			if r.Binding(b) && r.AppliesIn(e.ctx, cat) {
				return true
			}
		}
	}
	return false
}

func conditionKinds(cs []Condition) string {
	var out []string
	for _, c := range cs {
		out = append(out, string(c.Kind))
	}
	return strings.Join(out, ", ")
}

func atLevel(level string) string {
	if level == "" {
		return ""
	}
	return " at level " + level
}

// mergeChanged merges the workers' changed offerings: the first limit in
// profile order, and the total.
func mergeChanged(states []*whatIfState, limit int) ([]ChangedOffering, int) {
	var all []ChangedOffering
	total := 0
	for _, s := range states {
		all = append(all, s.changed...)
		total += s.total
	}
	slices.SortFunc(all, func(a, b ChangedOffering) int { return cmp.Compare(a.Profile, b.Profile) })
	return all[:min(len(all), limit)], total
}
