package compliance

import (
	"fmt"
	"strings"
)

// validateResearch checks the research log against the whole data: a record
// for every country and none for an unknown one; dated checks and searches;
// conclusions on known categories and buyers, dated, stated and sourced, at
// most one per cell; and every category x buyer cell of every country either
// has a national rule or a conclusion. It computes the coverage on the way.
func (c *checker) validateResearch(r *Reference) {
	seen := map[string]bool{}
	for i, cr := range r.Research {
		c.record = recordName("coverage.yaml: country", cr.Country, i)
		if _, ok := r.Country(cr.Country); !ok || cr.Country != strings.ToUpper(cr.Country) {
			c.add("country", "%q is not a country of countries.yaml", cr.Country)
		}
		if seen[cr.Country] {
			c.add("country", "duplicate research record")
		}
		seen[cr.Country] = true
		c.researchSteps("checked", cr.Checked, true)
		c.researchSteps("searched", cr.Searched, false)
		for j, k := range cr.Conclusions {
			c.conclusion(fmt.Sprintf("conclusions[%d]", j), k, r)
		}
		c.overlaps(cr)
	}
	r.computeCoverages()
	for _, co := range r.Countries {
		c.record = "coverage.yaml: country " + co.Code
		if !seen[co.Code] {
			c.add("country", "no research record for this country")
			continue
		}
		for _, cell := range r.coverage[co.Code].Cells {
			if cell.State == CoverageNotResearched {
				c.add("conclusions", "cell %s x %s has no national rule and no conclusion", cell.Category, cell.Buyer)
			}
		}
	}
}

// researchSteps checks dated research steps; required: at least one.
func (c *checker) researchSteps(field string, steps []ResearchStep, required bool) {
	if required && len(steps) == 0 {
		c.add(field, "needs at least one dated entry")
	}
	for i, s := range steps {
		f := fmt.Sprintf("%s[%d]", field, i)
		c.asOf(f+".date", s.Date, true)
		c.nonEmpty(f+".what", s.What)
	}
}

// conclusion checks one conclusion: known categories and buyers, a date, a
// statement and at least one source with a URL.
func (c *checker) conclusion(field string, k Conclusion, r *Reference) {
	if len(k.Categories) == 0 {
		c.add(field+".categories", "needs at least one category")
	}
	for i, cat := range k.Categories {
		if _, ok := r.Category(cat); !ok {
			c.add(fmt.Sprintf("%s.categories[%d]", field, i), "%q is not a category of categories.yaml", cat)
		}
	}
	c.unique(field+".categories", k.Categories)
	if len(k.Buyers) == 0 {
		c.add(field+".buyers", "needs at least one buyer kind")
	}
	for i, b := range k.Buyers {
		c.oneOf(fmt.Sprintf("%s.buyers[%d]", field, i), string(b), string(Public), string(Private))
	}
	c.asOf(field+".as_of", k.AsOf, true)
	c.nonEmpty(field+".statement", k.Statement)
	if len(k.Sources) == 0 {
		c.add(field+".sources", "needs at least one source")
	}
	for i, s := range k.Sources {
		c.source(fmt.Sprintf("%s.sources[%d]", field, i), s, false)
	}
}

// overlaps reports cells that two conclusions of a country both cover.
func (c *checker) overlaps(cr CountryResearch) {
	owner := map[string]int{}
	for j, k := range cr.Conclusions {
		for _, cat := range k.Categories {
			for _, b := range k.Buyers {
				key := cat + " x " + string(b)
				if first, dup := owner[key]; dup {
					c.add(fmt.Sprintf("conclusions[%d]", j), "cell %s is already concluded by conclusions[%d]", key, first)
				}
				owner[key] = j
			}
		}
	}
}
