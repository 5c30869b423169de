package web

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// The map's outlines are drawn once by internal/mapgen from Natural Earth
// (public domain) through the npm package world-atlas 2.0.2 (ISC licence);
// map_paths.go is its output. To draw them again:
//
//	npm pack world-atlas@2.0.2
//	go generate ./web/
//
//go:generate go run ./internal/mapgen -archive ../world-atlas-2.0.2.tgz -out map_paths.go

// mapDrawing is the projected map: SVG path data in a Width x Height box.
type mapDrawing struct {
	Width, Height int
	// Land is the neighbouring countries, drawn grey under the EU/EEA.
	Land      string
	Countries []mapCountry
}

// mapCountry is one EU/EEA country's outline. Small countries also get a
// dot at X, Y so they can be seen and clicked.
type mapCountry struct {
	Code  string
	D     string
	X, Y  float64
	Small bool
}

// mapMeasures are the measures a map can show, in the order of the form.
var mapMeasures = []string{"share", "gap", "requirements"}

// choropleth is a map coloured by one measure, with the same numbers as a
// table.
type choropleth struct {
	// ID tells two maps of one page apart.
	ID, Caption    string
	Width, Height  int
	Land           string
	Areas          []mapArea
	Legend         []legendEntry
	Measure, Label string
}

// mapArea is one country of a choropleth.
type mapArea struct {
	mapCountry
	Name, URL string
	// Value is the measure as text, "–" without one; Class colours it.
	Value, Class string
	// Detail qualifies a share: its 95% interval and n, and a flag for
	// fewer than 10 offerings; "" for other measures.
	Detail string
}

// legendEntry is one colour of the legend.
type legendEntry struct {
	Class, Label string
}

// mapBins is the number of colours of a measure.
const mapBins = 5

// measureOf is the value of measure in a row, false without one.
func measureOf(measure string, r barrierRow) (float64, bool) {
	switch measure {
	case "gap":
		if r.MedianGapCostEUR == nil {
			return 0, false
		}
		return *r.MedianGapCostEUR, true
	case "requirements":
		return float64(r.BindingRequirements), true
	}
	if r.ShareEligible == nil {
		return 0, false
	}
	return *r.ShareEligible, true
}

// newChoropleth colours the countries of the drawing by measure of rows;
// link makes a country's address, ref names it.
func newChoropleth(v *view, ref *reference, id, caption, measure string, rows []barrierRow, link func(string) string) *choropleth {
	byCountry := map[string]barrierRow{}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, r := range rows {
		byCountry[r.Country] = r
		if x, ok := measureOf(measure, r); ok {
			lo, hi = math.Min(lo, x), math.Max(hi, x)
		}
	}
	if measure == "share" {
		lo, hi = 0, 1
	}
	c := &choropleth{ID: id, Caption: caption, Width: europe.Width, Height: europe.Height, Land: europe.Land,
		Measure: measure, Label: measureLabel(v, measure)}
	for _, mc := range europe.Countries {
		a := mapArea{mapCountry: mc, Name: ref.CountryName(mc.Code), URL: link(mc.Code), Value: "–", Class: "nodata"}
		if r, ok := byCountry[mc.Code]; ok {
			if x, ok := measureOf(measure, r); ok {
				a.Value, a.Class = formatMeasure(v, measure, x), "m"+strconv.Itoa(bin(x, lo, hi))
			}
			if measure == "share" {
				a.Detail = shareDetail(v, r.Intervals.ShareEligible)
			}
		}
		c.Areas = append(c.Areas, a)
	}
	slices.SortFunc(c.Areas, func(a, b mapArea) int { return strings.Compare(a.Name, b.Name) })
	c.Legend = legend(v, measure, lo, hi)
	return c
}

// shareDetail is a share's interval and n, flagged when n < 10.
func shareDetail(v *view, p proportion) string {
	d := v.Interval(p)
	if p.SmallN && d != "" {
		d += "; " + v.T("few offerings")
	}
	return d
}

// bin is the colour of x in [lo, hi]: 0 to mapBins-1.
func bin(x, lo, hi float64) int {
	if hi <= lo {
		return 0
	}
	return min(mapBins-1, max(0, int((x-lo)/(hi-lo)*mapBins)))
}

// legend lists the colours with the range each stands for.
func legend(v *view, measure string, lo, hi float64) []legendEntry {
	var out []legendEntry
	if !math.IsInf(lo, 1) {
		n := mapBins
		if hi <= lo {
			n = 1
		}
		step := (hi - lo) / mapBins
		for i := range n {
			from, to := lo+float64(i)*step, lo+float64(i+1)*step
			label := formatMeasure(v, measure, from) + " – " + formatMeasure(v, measure, to)
			if n == 1 {
				label = formatMeasure(v, measure, lo)
			}
			out = append(out, legendEntry{Class: "m" + strconv.Itoa(i), Label: label})
		}
	}
	return append(out, legendEntry{Class: "nodata", Label: v.T("no data")})
}

func formatMeasure(v *view, measure string, x float64) string {
	switch measure {
	case "gap":
		return v.Euros(&x) + " €"
	case "requirements":
		return strconv.Itoa(int(math.Round(x)))
	}
	return v.Percent(&x)
}

func measureLabel(v *view, measure string) string {
	switch measure {
	case "gap":
		return v.T("Median gap cost (EUR)")
	case "requirements":
		return v.T("Binding requirements")
	}
	return v.T("Share eligible")
}

// validMeasure is measure when known, else "share".
func validMeasure(m string) string {
	for _, x := range mapMeasures {
		if x == m {
			return m
		}
	}
	return "share"
}

// String names the map for its SVG title.
func (c *choropleth) String() string { return fmt.Sprintf("%s: %s", c.Caption, c.Label) }
