package compliance

import (
	"slices"
)

// CountryResearch is the research log of one country (coverage.yaml): when
// it was checked, what was searched, the limits of the research, and the
// conclusions for the category x buyer cells where no national rule was found.
// What the requirements already say (the national rules per cell, the
// verification states, the oldest as_of) is not kept here but computed: see
// Coverage.
type CountryResearch struct {
	Country  string         `yaml:"country" json:"country"`
	Checked  []ResearchStep `yaml:"checked" json:"checked"`
	Searched []ResearchStep `yaml:"searched" json:"searched"`
	// Limits say what the research did not cover, so that "none found" is
	// read as what it is.
	Limits      []string     `yaml:"limits,omitempty" json:"limits,omitempty"`
	Conclusions []Conclusion `yaml:"conclusions,omitempty" json:"conclusions,omitempty"`
}

// ResearchStep is one dated piece of research: a check of the country or a search.
type ResearchStep struct {
	// Date is YYYY, YYYY-MM or YYYY-MM-DD.
	Date string `yaml:"date" json:"date"`
	What string `yaml:"what" json:"what"`
}

// Conclusion is the research finding for the cells Categories x Buyers of a
// country that have no national rule: a dated statement with its sources.
type Conclusion struct {
	Categories []string `yaml:"categories" json:"categories"`
	Buyers     []Buyer  `yaml:"buyers" json:"buyers"`
	AsOf       string   `yaml:"as_of" json:"as_of"`
	Statement  string   `yaml:"statement" json:"statement"`
	Sources    []Source `yaml:"sources" json:"sources"`
}

// CoverageState says what is known of a country x category x buyer cell.
type CoverageState string

// The coverage states.
const (
	// CoverageNationalRules: a national requirement that a certificate or a
	// condition decides concerns the cell.
	CoverageNationalRules CoverageState = "national-rules"
	// CoverageNoNationalRule: the research looked and found no such national
	// rule (national duties may exist); only EU/EEA-wide rules decide.
	CoverageNoNationalRule CoverageState = "researched-no-national-rule"
	// CoverageNotResearched: neither a national rule nor a research
	// conclusion; an open market cannot be told from a gap in the research.
	CoverageNotResearched CoverageState = "not-researched"
)

// CellCoverage is the coverage of one category and buyer kind in a country.
type CellCoverage struct {
	Category string        `json:"category"`
	Buyer    Buyer         `json:"buyer"`
	State    CoverageState `json:"state"`
	// NationalRules are the country's own requirements of the cell that a
	// certificate (a full satisfier) or a condition decides, whatever their
	// strength or status; NationalDuties its other requirements (duties, or
	// only partial evidence); WideRules the EU- and EEA-wide requirements.
	NationalRules  []string `json:"national_rules"`
	NationalDuties []string `json:"national_duties"`
	WideRules      []string `json:"wide_rules"`
	// Conclusion is the research finding of a cell without national rules.
	Conclusion *Conclusion `json:"conclusion,omitempty"`
}

// VerifiedCounts counts requirements by the verification state of their
// primary source.
type VerifiedCounts struct {
	Yes     int `json:"yes"`
	Partial int `json:"partial"`
	No      int `json:"no"`
}

// CountryCoverage is a country's research coverage: the computed summary of
// its national requirements, its research log and every cell's state.
type CountryCoverage struct {
	Country string `json:"country"`
	// Requirements counts the country's own requirements, Verified by the
	// state of their primary source; OldestAsOf is the oldest primary
	// source's as_of (empty without requirements).
	Requirements int            `json:"requirements"`
	Verified     VerifiedCounts `json:"verified"`
	OldestAsOf   string         `json:"oldest_as_of"`
	// LastChecked is the latest date in the research log; empty when none.
	LastChecked string         `json:"last_checked"`
	Checked     []ResearchStep `json:"checked"`
	Searched    []ResearchStep `json:"searched"`
	Limits      []string       `json:"limits"`
	Cells       []CellCoverage `json:"cells"`
	// States counts the cells per state.
	States map[CoverageState]int `json:"states"`
}

// Coverage returns the research coverage of the country (ISO code), computed
// from the requirements and the research log; false for an unknown country.
func (r *Reference) Coverage(code string) (CountryCoverage, bool) {
	c, ok := r.Country(code)
	if !ok {
		return CountryCoverage{}, false
	}
	if cv, ok := r.coverage[c.Code]; ok {
		return *cv, true
	}
	return r.computeCoverage(c), true
}

// CellState returns the coverage state of a country x category x buyer cell,
// not-researched for an unknown country.
func (r *Reference) CellState(country, category string, buyer Buyer) CoverageState {
	cv, ok := r.Coverage(country)
	if !ok {
		return CoverageNotResearched
	}
	for _, cell := range cv.Cells {
		if cell.Category == category && cell.Buyer == buyer {
			return cell.State
		}
	}
	return CoverageNotResearched
}

// computeCoverages computes every country's coverage once, at load time.
func (r *Reference) computeCoverages() {
	r.coverage = make(map[string]*CountryCoverage, len(r.Countries))
	for _, c := range r.Countries {
		cv := r.computeCoverage(c)
		r.coverage[c.Code] = &cv
	}
}

func (r *Reference) research(code string) *CountryResearch {
	i := slices.IndexFunc(r.Research, func(cr CountryResearch) bool { return cr.Country == code })
	if i < 0 {
		return nil
	}
	return &r.Research[i]
}

// computeCoverage derives a country's coverage from the requirements and
// attaches its research log.
func (r *Reference) computeCoverage(c Country) CountryCoverage {
	cv := CountryCoverage{Country: c.Code, Checked: []ResearchStep{}, Searched: []ResearchStep{}, Limits: []string{},
		States: map[CoverageState]int{}}
	for _, q := range r.Requirements {
		if q.Country != c.Code {
			continue
		}
		cv.Requirements++
		switch q.Source.Verified {
		case VerifiedYes:
			cv.Verified.Yes++
		case VerifiedPartial:
			cv.Verified.Partial++
		case VerifiedNo:
			cv.Verified.No++
		}
		if a := q.Source.AsOf; a != "" && (cv.OldestAsOf == "" || a < cv.OldestAsOf) {
			cv.OldestAsOf = a
		}
	}
	rs := r.research(c.Code)
	if rs != nil {
		cv.Checked, cv.Searched = orNone(rs.Checked), orNone(rs.Searched)
		cv.Limits = orNone(rs.Limits)
		for _, s := range slices.Concat(rs.Checked, rs.Searched) {
			cv.LastChecked = max(cv.LastChecked, s.Date)
		}
	}
	for _, cat := range r.Categories {
		for _, b := range Buyers {
			cell := r.cellCoverage(c, cat.Slug, b, rs)
			cv.States[cell.State]++
			cv.Cells = append(cv.Cells, cell)
		}
	}
	return cv
}

// cellCoverage computes one cell: the rules by scope, and the state.
func (r *Reference) cellCoverage(c Country, category string, b Buyer, rs *CountryResearch) CellCoverage {
	cell := CellCoverage{Category: category, Buyer: b, NationalRules: []string{}, NationalDuties: []string{}, WideRules: []string{}}
	for _, q := range r.Applicable(c.Code, category, b) {
		switch {
		case q.Country != c.Code:
			cell.WideRules = append(cell.WideRules, q.ID)
		case !q.decidable():
			cell.NationalDuties = append(cell.NationalDuties, q.ID)
		default:
			cell.NationalRules = append(cell.NationalRules, q.ID)
		}
	}
	switch {
	case len(cell.NationalRules) > 0:
		cell.State = CoverageNationalRules
	case rs != nil && rs.conclusion(category, b) != nil:
		cell.State = CoverageNoNationalRule
		cell.Conclusion = rs.conclusion(category, b)
	default:
		cell.State = CoverageNotResearched
	}
	return cell
}

// conclusion returns the first conclusion covering the cell, or nil.
func (cr *CountryResearch) conclusion(category string, b Buyer) *Conclusion {
	for i := range cr.Conclusions {
		k := &cr.Conclusions[i]
		if slices.Contains(k.Categories, category) && slices.Contains(k.Buyers, b) {
			return k
		}
	}
	return nil
}

func orNone[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// decidable reports whether a certificate (a full satisfier) or a condition
// can decide the requirement.
func (r Requirement) decidable() bool {
	return len(r.Conditions) > 0 || slices.ContainsFunc(r.SatisfiedBy, func(s Satisfier) bool { return s.Extent == Full })
}
