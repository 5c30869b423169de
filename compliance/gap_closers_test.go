package compliance_test

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/cybermarket/cybermarket/compliance"
	"github.com/cybermarket/cybermarket/compliance/synth"
)

// costNotFound names the schemes among the most frequent gap closers for
// which the research found no cost figure a range could rest on; what was
// searched is in reference/research/costs-2026-12.yaml, costs-pass3/ and
// costs-pass4.yaml.
// The test below fails when one of them gains a cost (drop it from here) and
// when another frequent gap closer has none (find one, or add it here with
// the search).
var costNotFound = map[string]bool{
	"cpstic": true, "kanta-data-security-certificate": true,
	"dnsc-attested-auditor": true, "nisg-audit-body": true,
	"bsi-8a-audit-competence": true, "cz-cloud-catalogue": true, "acn-cloud-infrastructure-qualification": true,
	"acn-cloud-qualification": true, "findata-soe-audit": true, "eu-cybersecurity-reserve-trusted-mssp": true,
	"ccb-authorised-cab": true, "e-its": true, "nen-7510": true, "selo-maturidade-ciberseguranca": true,
}

// gapContexts are the tender contexts the ranking counts: the defaults, every
// fact on, and the data facts off.
var gapContexts = []string{
	"",
	"health_data_hosted,health_data_processed,cloud_delivered,classified_information,security_sensitive,nis2_entity",
	"-health_data_hosted,-health_data_processed,-cloud_delivered",
}

// gapClosers ranks the schemes of ref by how often they would close a gap
// over a synthetic catalogue (seed 7, 900 vendors): the number of failing
// binding requirements, over every offering, country, buyer kind and
// context of gapContexts, that the scheme satisfies fully. Schemes that
// close none follow, by the number of country x category x buyer cells in
// which they fully satisfy a requirement. Only active schemes rank: the
// others cannot be obtained, so they close nothing.
func gapClosers(t *testing.T, ref *compliance.Reference) (ids []string, closes, cells map[string]int) {
	t.Helper()
	full := map[string][]string{} // requirement id -> schemes that satisfy it fully
	for _, r := range ref.Requirements {
		for _, s := range r.SatisfiedBy {
			if s.Extent == compliance.Full {
				full[r.ID] = append(full[r.ID], s.Scheme)
			}
		}
	}
	cells = map[string]int{}
	for _, co := range ref.Countries {
		for _, ca := range ref.Categories {
			for _, b := range compliance.Buyers {
				in := map[string]bool{}
				for _, r := range ref.Applicable(co.Code, ca.Slug, b) {
					for _, s := range full[r.ID] {
						in[s] = true
					}
				}
				for s := range in {
					cells[s]++
				}
			}
		}
	}
	profiles := synth.New(7, ref).Catalogue(900).Profiles()
	closes = map[string]int{}
	for _, cs := range gapContexts {
		c, err := compliance.ParseContext(cs)
		if err != nil {
			t.Fatal(err)
		}
		e := compliance.NewEngine(ref).WithContext(c)
		for _, p := range profiles {
			for _, a := range e.AssessAll(p, synth.Today) {
				for _, rr := range a.Requirements {
					if rr.Binding && rr.Status != compliance.Met && rr.Status != compliance.NotAssessable {
						for _, s := range full[rr.ID] {
							closes[s]++
						}
					}
				}
			}
		}
	}
	for _, s := range ref.Schemes {
		if s.Status == compliance.SchemeActive {
			ids = append(ids, s.ID)
		}
	}
	slices.SortStableFunc(ids, func(a, b string) int {
		return cmp.Or(closes[b]-closes[a], cells[b]-cells[a], strings.Compare(a, b))
	})
	return ids, closes, cells
}

// TestSchemeCosts_GapClosers: the 25 schemes that would close gaps most
// often over the synthetic catalogue have a sourced cost range, or are
// named in costNotFound. Run with -v for the ranking.
func TestSchemeCosts_GapClosers(t *testing.T) {
	ref, err := compliance.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	ids, closes, cells := gapClosers(t, ref)
	var b strings.Builder
	priced := 0
	for i, id := range ids[:25] {
		s, _ := ref.Scheme(id)
		state := "cost unknown"
		if s.Cost != nil {
			r := s.Cost.Range()
			state = fmt.Sprintf("EUR %d-%d", r.LowEUR, r.HighEUR)
			priced++
		}
		fmt.Fprintf(&b, "%2d %-40s closes %6d  cells %4d  %s\n", i+1, id, closes[id], cells[id], state)
		switch {
		case s.Cost == nil && !costNotFound[id]:
			t.Errorf("%s (rank %d) has no cost and is not in costNotFound", id, i+1)
		case s.Cost != nil && costNotFound[id]:
			t.Errorf("%s (rank %d) has a cost now: drop it from costNotFound", id, i+1)
		}
	}
	for id := range costNotFound {
		if !slices.Contains(ids[:25], id) {
			t.Errorf("costNotFound names %s, which is not among the 25", id)
		}
	}
	t.Logf("the 25 most frequent gap closers, %d with a sourced cost range:\n%s", priced, b.String())
}
