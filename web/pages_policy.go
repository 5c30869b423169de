package web

import (
	"cmp"
	"encoding/csv"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
)

// barriersData is the barriers page's data.
type barriersData struct {
	Ref      *reference
	Report   barriersReport
	Category string
	Buyer    string
	Sort     string
	Columns  []barrierColumn
}

// barrierColumn is a sortable column of the barriers table.
type barrierColumn struct {
	Key, Label string
	// Sort is "ascending", "descending" or "" (aria-sort of the header).
	Sort string
	// URL sorts by the column (the other way when it is the current order).
	URL string
}

// barrierSorts are the orders of the table: a key per column.
var barrierSorts = map[string]func(a, b barrierRow) int{
	"country":  func(a, b barrierRow) int { return cmp.Compare(a.Country, b.Country) },
	"binding":  func(a, b barrierRow) int { return cmp.Compare(a.BindingRequirements, b.BindingRequirements) },
	"serving":  func(a, b barrierRow) int { return cmp.Compare(a.Serving, b.Serving) },
	"eligible": func(a, b barrierRow) int { return cmp.Compare(a.Eligible, b.Eligible) },
	"share":    func(a, b barrierRow) int { return cmpPtr(a.ShareEligible, b.ShareEligible) },
	"gap":      func(a, b barrierRow) int { return cmpPtr(a.MedianGapCostEUR, b.MedianGapCostEUR) },
}

// cmpPtr orders nil (no value) first.
func cmpPtr(a, b *float64) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return -1
	case b == nil:
		return 1
	}
	return cmp.Compare(*a, *b)
}

// barriers answers the policymakers' table of market-entry barriers
// (get-barriers) for one category and buyer kind, sortable by column, with
// the same rows as CSV at /policy/barriers.csv.
func (s *Server) barriers(q *request) error {
	d, err := q.barriersData()
	if err != nil {
		return err
	}
	v := q.view("Market-entry barriers", d)
	d.Columns = barrierColumns(v, d)
	return q.render(http.StatusOK, "barriers", v)
}

func (q *request) barriersData() (*barriersData, error) {
	ref, err := q.reference()
	if err != nil {
		return nil, err
	}
	in := q.r.URL.Query()
	d := &barriersData{Ref: ref, Category: in.Get("category"), Buyer: in.Get("buyer"), Sort: in.Get("sort")}
	if d.Category == "" && len(ref.Categories) > 0 {
		d.Category = ref.Categories[0].Slug
	}
	if d.Buyer != "private" {
		d.Buyer = "public"
	}
	if err := q.api.get(q.r.Context(), "/v1/analytics/barriers", url.Values{"category": {d.Category}, "buyer": {d.Buyer}}, &d.Report); err != nil {
		return nil, err
	}
	key, desc := d.Sort, false
	if len(key) > 0 && key[0] == '-' {
		key, desc = key[1:], true
	}
	if by, ok := barrierSorts[key]; ok {
		slices.SortStableFunc(d.Report.Rows, func(a, b barrierRow) int {
			if desc {
				return by(b, a)
			}
			return by(a, b)
		})
	} else {
		d.Sort = ""
	}
	return d, nil
}

func barrierColumns(v *view, d *barriersData) []barrierColumn {
	cols := []barrierColumn{
		{Key: "country", Label: v.T("Country")}, {Key: "binding", Label: v.T("Binding requirements")},
		{Key: "serving", Label: v.T("Offerings serving it")}, {Key: "eligible", Label: v.T("Eligible offerings")},
		{Key: "share", Label: v.T("Share eligible")}, {Key: "gap", Label: v.T("Median gap cost (EUR)")},
	}
	for i := range cols {
		c := &cols[i]
		next := c.Key
		switch d.Sort {
		case c.Key:
			c.Sort, next = "ascending", "-"+c.Key
		case "-" + c.Key:
			c.Sort = "descending"
		}
		c.URL = "/policy/barriers?" + url.Values{"category": {d.Category}, "buyer": {d.Buyer}, "sort": {next}}.Encode()
	}
	return cols
}

// barriersCSV answers the barriers table as CSV.
func (s *Server) barriersCSV(q *request) error {
	d, err := q.barriersData()
	if err != nil {
		return err
	}
	h := q.w.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="barriers-%s-%s.csv"`, d.Category, d.Buyer))
	w := csv.NewWriter(q.w)
	_ = w.Write([]string{"country", "category", "buyer", "requirements", "binding_requirements", "offerings", "serving",
		"eligible", "eligible_verified", "share_eligible", "share_eligible_low", "share_eligible_high", "small_n",
		"median_gap_cost_eur", "not_closable", "top_barrier", "coverage"})
	for _, r := range d.Report.Rows {
		top := ""
		if r.TopBarrier != nil {
			top = r.TopBarrier.Requirement
		}
		_ = w.Write([]string{r.Country, r.Category, r.Buyer, strconv.Itoa(r.Requirements), strconv.Itoa(r.BindingRequirements),
			strconv.Itoa(r.Offerings), strconv.Itoa(r.Serving), strconv.Itoa(r.Eligible), strconv.Itoa(r.EligibleVerified),
			floatCell(r.ShareEligible), floatCell(r.Intervals.ShareEligible.Low), floatCell(r.Intervals.ShareEligible.High),
			strconv.FormatBool(r.Intervals.ShareEligible.SmallN), floatCell(r.MedianGapCostEUR), strconv.Itoa(r.NotClosable), top,
			r.Coverage})
	}
	w.Flush()
	return w.Error()
}

func floatCell(f *float64) string {
	if f == nil {
		return ""
	}
	return strconv.FormatFloat(*f, 'f', -1, 64)
}

// Percent formats a share as a whole percentage, "–" without a value.
func (v *view) Percent(f *float64) string {
	if f == nil {
		return "–"
	}
	return strconv.Itoa(int(*f*100+0.5)) + " %"
}

// Interval formats a share's 95% interval and n ("9–91 %, n = 2"), "" when
// n is 0.
func (v *view) Interval(p proportion) string {
	if p.Low == nil || p.High == nil {
		return ""
	}
	pct := func(f float64) int { return int(f*100 + 0.5) }
	return v.T("95%% interval %d–%d %%, n = %d", pct(*p.Low), pct(*p.High), p.N)
}

// Euros formats an amount in whole euros, "–" without a value.
func (v *view) Euros(f *float64) string {
	if f == nil {
		return "–"
	}
	return v.p.Sprintf("%d", int(*f+0.5))
}
