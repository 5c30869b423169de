package openapi

import (
	"strconv"
	"strings"

	"github.com/cybermarket/cybermarket/compliance"
)

// The CSV tables of the open data: one header line, then one line per row;
// lists are joined with "; ", absent numbers are empty cells.

var requirementColumns = []string{"id", "scope", "title", "categories", "buyers", "strength", "status", "duty",
	"satisfied_by", "conditions", "applies_when", "authority", "source_url", "legal_reference", "source_as_of", "source_verified",
	"more_sources"}

func requirementsTable(reqs []compliance.Requirement) [][]string {
	out := [][]string{requirementColumns}
	for _, r := range reqs {
		var sats, conds, more []string
		for _, s := range r.SatisfiedBy {
			sats = append(sats, strings.TrimSuffix(s.Scheme+" "+s.MinLevel, " ")+" ("+string(s.Extent)+")")
		}
		for _, c := range r.Conditions {
			conds = append(conds, strings.TrimSpace(string(c.Kind)+" "+string(c.Region)+" "+strings.Join(c.Languages, "/")))
		}
		for _, s := range r.MoreSources {
			more = append(more, s.URL)
		}
		when := ""
		if r.AppliesWhen != nil {
			when = r.AppliesWhen.String()
		}
		buyers := make([]string, len(r.Buyers))
		for i, b := range r.Buyers {
			buyers[i] = string(b)
		}
		out = append(out, []string{r.ID, r.Country, r.Title, cellList(r.Categories), cellList(buyers), string(r.Strength), string(r.Status),
			strconv.FormatBool(r.IsDuty()), cellList(sats), cellList(conds), when, r.Authority.Name, r.Source.URL, r.Source.LegalReference,
			r.Source.AsOf, string(r.Source.Verified), cellList(more)})
	}
	return out
}

var schemeColumns = []string{"id", "name", "owner", "kind", "status", "jurisdiction", "levels", "validity_years",
	"cost_low_eur", "cost_high_eur", "cost_no_fee", "cost_covers", "cost_source", "cost_note",
	"lead_time_low_months", "lead_time_high_months", "lead_time_note", "recognition", "source_urls"}

func schemesTable(schemes []compliance.Scheme) [][]string {
	out := [][]string{schemeColumns}
	for _, s := range schemes {
		var urls []string
		for _, src := range s.Sources {
			urls = append(urls, src.URL)
		}
		var costLow, costHigh, noFee, covers, costSource, leadLow, leadHigh string
		if c := s.Cost; c != nil {
			costLow, costHigh, covers, costSource = strconv.Itoa(c.LowEUR), strconv.Itoa(c.HighEUR), c.Covers, c.Source.URL
			noFee = strconv.FormatBool(c.NoFee)
		}
		if l := s.LeadTime; l != nil {
			leadLow = strconv.FormatFloat(l.LowMonths, 'f', -1, 64)
			leadHigh = strconv.FormatFloat(l.HighMonths, 'f', -1, 64)
		}
		out = append(out, []string{s.ID, s.Name, s.Owner, string(s.Kind), string(s.Status), s.Jurisdiction, cellList(s.Levels),
			cellNum(s.ValidityYears), costLow, costHigh, noFee, covers, costSource, s.CostNote, leadLow, leadHigh, s.LeadTimeNote,
			cellList(s.Recognition), cellList(urls)})
	}
	return out
}

var barrierColumns = []string{"country", "category", "buyer", "coverage", "requirements", "binding_requirements",
	"offerings", "serving", "eligible", "eligible_verified", "serving_eligible",
	"share_eligible", "share_eligible_low", "share_eligible_high", "share_eligible_verified",
	"share_eligible_verified_low", "share_eligible_verified_high", "small_n",
	"median_gap_cost_eur", "median_gap_cost_high_eur", "gap_cost_unknown", "not_closable", "median_lead_time_months", "lead_time_unknown",
	"top_barrier", "top_barrier_excluded",
	"domestic", "domestic_eligible", "domestic_share", "domestic_share_low", "domestic_share_high", "domestic_small_n",
	"other_eea", "other_eea_eligible", "other_eea_share", "other_eea_share_low", "other_eea_share_high", "other_eea_small_n",
	"domestic_minus_other_eea"}

func barriersTable(rows []compliance.BarrierRow) [][]string {
	out := [][]string{barrierColumns}
	for _, r := range rows {
		top, excluded := "", ""
		if r.TopBarrier != nil {
			top, excluded = r.TopBarrier.Requirement, strconv.Itoa(r.TopBarrier.Excluded)
		}
		iv, hb := r.Intervals, r.HomeBias
		line := []string{r.Country, r.Category, string(r.Buyer), string(r.Coverage), cellInt(r.Requirements), cellInt(r.BindingRequirements),
			cellInt(r.Offerings), cellInt(r.Serving), cellInt(r.Eligible), cellInt(r.EligibleVerified), cellInt(r.ServingEligible),
			cellNum(r.ShareEligible), cellNum(iv.Eligible.Low), cellNum(iv.Eligible.High), cellNum(r.ShareEligibleVerified),
			cellNum(iv.EligibleVerified.Low), cellNum(iv.EligibleVerified.High), strconv.FormatBool(iv.Eligible.SmallN),
			cellNum(r.MedianGapCostEUR), cellNum(r.MedianGapCostHighEUR), cellInt(r.GapCostUnknown), cellInt(r.NotClosable), cellNum(r.MedianLeadTimeMonths), cellInt(r.LeadTimeUnknown),
			top, excluded,
			cellInt(hb.Domestic), cellInt(hb.DomesticEligible), cellNum(hb.DomesticShare), cellNum(iv.Domestic.Low), cellNum(iv.Domestic.High),
			strconv.FormatBool(iv.Domestic.SmallN),
			cellInt(hb.OtherEEA), cellInt(hb.OtherEEAEligible), cellNum(hb.OtherEEAShare), cellNum(iv.OtherEEA.Low), cellNum(iv.OtherEEA.High),
			strconv.FormatBool(iv.OtherEEA.SmallN), cellNum(hb.DomesticMinusOtherEEA)}
		out = append(out, line)
	}
	return out
}

// cellList joins a list into one cell.
func cellList(vs []string) string { return strings.Join(vs, "; ") }

// cellInt formats a count.
func cellInt(n int) string { return strconv.Itoa(n) }

// num formats a number, empty for nil.
func cellNum(v *float64) string {
	if v == nil {
		return ""
	}
	return strconv.FormatFloat(*v, 'g', -1, 64)
}
