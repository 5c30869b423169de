package openapi

import (
	"context"
	"net/http"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"github.com/cybermarket/cybermarket/compliance"
)

// ResearchStepView is one dated piece of research.
type ResearchStepView struct {
	Date string `json:"date" doc:"Date of the check or search (YYYY, YYYY-MM or YYYY-MM-DD)." example:"2026-12-01"`
	What string `json:"what" doc:"What was checked or searched, and what it changed." example:"SÜG scope for the clearance condition"`
}

// ConclusionView is the research finding for cells without a national rule.
type ConclusionView struct {
	AsOf      string       `json:"as_of" doc:"Date the finding is as of." example:"2026-12-01"`
	Statement string       `json:"statement" doc:"What the research found."`
	Sources   []SourceView `json:"sources" doc:"Sources the finding rests on."`
}

// CellCoverageView is what is known of one category and buyer kind in a country.
type CellCoverageView struct {
	Category       string          `json:"category" doc:"Service category." example:"penetration-testing"`
	Buyer          string          `json:"buyer" enum:"public,private" doc:"Buyer kind." example:"public"`
	Coverage       string          `json:"coverage" enum:"national-rules,researched-no-national-rule,not-researched" doc:"national-rules: a national requirement a certificate or condition decides concerns the cell; researched-no-national-rule: the research looked and found none (only EU/EEA-wide rules decide); not-researched: neither." example:"national-rules"`
	NationalRules  []string        `json:"national_rules" doc:"The country's own requirements a certificate or condition decides (any strength or status)."`
	NationalDuties []string        `json:"national_duties" doc:"The country's other requirements of the cell: duties, or rules with only partial evidence."`
	WideRules      []string        `json:"wide_rules" doc:"EU- and EEA-wide requirements of the cell."`
	Conclusion     *ConclusionView `json:"conclusion,omitempty" doc:"The research finding, for a cell without national rules."`
}

// VerifiedCountsView counts requirements by the verification of their primary source.
type VerifiedCountsView struct {
	Yes     int `json:"yes" doc:"Primary source seen to state the fact."`
	Partial int `json:"partial" doc:"Core fact seen, some detail not."`
	No      int `json:"no" doc:"A lead, not confirmed in a source."`
}

// CountryCoverageView is a country's research coverage.
type CountryCoverageView struct {
	Country      string             `json:"country" doc:"ISO code." example:"IS"`
	Requirements int                `json:"requirements" doc:"The country's own requirements (computed from the reference data)."`
	Verified     VerifiedCountsView `json:"verified" doc:"Those requirements by the verification state of their primary source."`
	OldestAsOf   string             `json:"oldest_as_of" doc:"Oldest as_of among their primary sources; empty without requirements." example:"2020-09-01"`
	LastChecked  string             `json:"last_checked" doc:"Latest date of the research log." example:"2026-12-01"`
	Checked      []ResearchStepView `json:"checked" doc:"When the country was checked."`
	Searched     []ResearchStepView `json:"searched" doc:"What was searched."`
	Limits       []string           `json:"limits" doc:"What the research did not cover: read 'none found' with these in mind."`
	States       map[string]int     `json:"states" doc:"Cells per coverage state."`
	Cells        []CellCoverageView `json:"cells" doc:"Every category x buyer cell."`
}

func researchStepViews(in []compliance.ResearchStep) []ResearchStepView {
	return orEmpty(mapSlice(in, func(s compliance.ResearchStep) ResearchStepView { return ResearchStepView(s) }))
}

func countryCoverageView(c compliance.CountryCoverage) CountryCoverageView {
	v := CountryCoverageView{
		Country: c.Country, Requirements: c.Requirements, Verified: VerifiedCountsView(c.Verified),
		OldestAsOf: c.OldestAsOf, LastChecked: c.LastChecked, Checked: researchStepViews(c.Checked),
		Searched: researchStepViews(c.Searched), Limits: orEmpty(c.Limits), States: map[string]int{},
	}
	for s, n := range c.States {
		v.States[string(s)] = n
	}
	for _, cell := range c.Cells {
		cv := CellCoverageView{Category: cell.Category, Buyer: string(cell.Buyer), Coverage: string(cell.State),
			NationalRules: orEmpty(cell.NationalRules), NationalDuties: orEmpty(cell.NationalDuties), WideRules: orEmpty(cell.WideRules)}
		if k := cell.Conclusion; k != nil {
			cv.Conclusion = &ConclusionView{AsOf: k.AsOf, Statement: k.Statement, Sources: sourceViews(k.Sources)}
		}
		v.Cells = append(v.Cells, cv)
	}
	v.Cells = orEmpty(v.Cells)
	return v
}

func (h *handlers) registerCoverage(api huma.API) {
	huma.Register(api, huma.Operation{
		OperationID: "get-country-coverage", Method: http.MethodGet, Path: "/v1/countries/{code}/coverage",
		Summary: "Get a country's research coverage",
		Description: "What the reference data knows of a country and how it was researched: its own requirements by verification state and " +
			"the oldest as-of (computed from the data), the research log (dates, searches, limits), and for every category x buyer " +
			"cell whether national rules exist, the research found none (with its dated conclusion and sources), or it was not researched. " +
			"A country with only EU-wide rules thus differs from an unresearched one. 404 for codes outside the reference data.",
		Tags: []string{"Reference data"}, Errors: []int{404},
	}, h.getCountryCoverage)
}

// GetCountryCoverageInput names a country.
type GetCountryCoverageInput struct{ CountryPath }

// GetCountryCoverageOutput is a country's research coverage.
type GetCountryCoverageOutput struct{ Body CountryCoverageView }

func (h *handlers) getCountryCoverage(ctx context.Context, in *GetCountryCoverageInput) (*GetCountryCoverageOutput, error) {
	c, ok := h.reference().Coverage(strings.ToUpper(in.Code))
	if !ok {
		return nil, unknownCountry("path.code", in.Code)
	}
	return &GetCountryCoverageOutput{Body: countryCoverageView(c)}, nil
}
