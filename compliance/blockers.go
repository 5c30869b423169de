package compliance

import "strings"

// ActionKind is what a vendor can do to remove a blocker.
type ActionKind string

// The actions.
const (
	// ObtainScheme: obtain a certification (Blocker.Scheme at Blocker.Level).
	ObtainScheme ActionKind = "obtain-scheme"
	// AddLanguage: offer support in one of Blocker.Languages.
	AddLanguage ActionKind = "add-language"
	// DeclareEstablishment: declare an establishment in Blocker.Region.
	DeclareEstablishment ActionKind = "declare-establishment"
	// KeepDataIn: store and process customer data only in Blocker.Region.
	KeepDataIn ActionKind = "keep-data-in"
	// DeclareClearedStaff: declare staff with a security clearance valid in Blocker.Region.
	DeclareClearedStaff ActionKind = "declare-cleared-staff"
	// NoAction: nothing a vendor can hold closes it today (Blocker.Action says why).
	NoAction ActionKind = "none"
)

// Blocker is a binding requirement that keeps an offering out of a market,
// with the action that removes it. A requirement can give several blockers
// (one per failing condition).
type Blocker struct {
	Requirement string     `json:"requirement"`
	Title       string     `json:"title"`
	Kind        ActionKind `json:"kind"`
	// Action says in words what to do (or why nothing can be done).
	Action string `json:"action"`
	// Scheme, Level, CostRangeEUR and LeadTimeRangeMonths describe an
	// obtain-scheme action (the ranges nil when unknown).
	Scheme              string      `json:"scheme,omitempty"`
	Level               string      `json:"level,omitempty"`
	CostRangeEUR        *EURRange   `json:"cost_range_eur,omitempty"`
	LeadTimeRangeMonths *MonthRange `json:"lead_time_range_months,omitempty"`
	// Languages are those of an add-language action.
	Languages []string `json:"languages,omitempty"`
	// Region is the country code, EU or EEA of an establishment, data or
	// clearance action.
	Region string `json:"region,omitempty"`
}

// Blockers lists what keeps the assessed offering out of the market: per
// failing binding requirement, the failing conditions (each with its
// action), else the scheme of the gap that closes it, else why nothing
// can. It is empty when the offering is eligible.
func (a Assessment) Blockers() []Blocker {
	out := []Blocker{}
	closers := map[string]GapScheme{}
	for _, s := range a.Gap.Schemes {
		for _, id := range s.Closes {
			closers[id] = s
		}
	}
	why := map[string]string{}
	for _, n := range a.Gap.NotClosable {
		why[n.Requirement] = n.Reason
	}
	for _, r := range a.Requirements {
		if !r.Binding || !r.Status.blocks() {
			continue
		}
		if len(r.UnmetConditions) > 0 {
			for _, u := range r.UnmetConditions {
				out = append(out, conditionBlocker(r, u, a.Country))
			}
			continue
		}
		b := Blocker{Requirement: r.ID, Title: r.Title, Kind: NoAction, Action: why[r.ID]}
		if s, ok := closers[r.ID]; ok {
			b.Kind, b.Scheme, b.Level = ObtainScheme, s.Scheme, s.Level
			b.CostRangeEUR, b.LeadTimeRangeMonths = s.CostRangeEUR, s.LeadTimeRangeMonths
			b.Action = "obtain " + s.Name
			if s.Level != "" {
				b.Action += " (level " + s.Level + " or higher)"
			}
		}
		out = append(out, b)
	}
	return out
}

// conditionBlocker is the blocker of a failing condition of requirement r
// in country.
func conditionBlocker(r RequirementResult, u UnmetCondition, country string) Blocker {
	b := Blocker{Requirement: r.ID, Title: r.Title}
	region, where := country, country
	switch u.Region {
	case InEU:
		region, where = "EU", "an EU member state"
	case InEEA:
		region, where = "EEA", "an EU/EEA state"
	}
	switch u.Kind {
	case LanguageCondition:
		b.Kind, b.Languages = AddLanguage, u.Languages
		b.Action = "offer support in " + strings.Join(u.Languages, " or ")
	case EstablishmentCondition:
		b.Kind, b.Region, b.Action = DeclareEstablishment, region, "declare an establishment in "+where
	case DataLocationCondition:
		b.Kind, b.Region, b.Action = KeepDataIn, region, "store and process customer data only in "+map[string]string{"EU": "the EU", "EEA": "the EEA"}[region]
		if region != "EU" && region != "EEA" {
			b.Action += region
		}
	case ClearanceCondition:
		b.Kind, b.Region, b.Action = DeclareClearedStaff, region, "declare staff with a security clearance valid in "+where
	default:
		b.Kind, b.Action = NoAction, u.Reason
	}
	return b
}
