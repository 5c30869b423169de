package search_test

import (
	"context"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/cybermarket/cybermarket/catalog"
	"github.com/cybermarket/cybermarket/compliance"
	"github.com/cybermarket/cybermarket/compliance/synth"
	"github.com/cybermarket/cybermarket/search"
	"github.com/cybermarket/cybermarket/search/searchtest"
)

// TestEligibilityFilter_AgreesWithEngine: over the synthetic catalogue in a
// real index, for random countries, buyers, contexts (and categories, and
// the verified basis), a search with the eligibility filter returns exactly
// the offerings the engine calls eligible.
func TestEligibilityFilter_AgreesWithEngine(t *testing.T) {
	t.Parallel()
	ix, _ := searchtest.NewIndex(t)
	ref, err := compliance.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	rules := search.NewRules(ref, 0)
	c := synth.New(11, ref).Catalogue(120)
	vendors := map[uuid.UUID]catalog.Vendor{}
	for _, v := range c.Vendors {
		vendors[v.ID] = v
	}
	var docs []search.Document
	var ps []compliance.Profile
	for i, p := range c.Profiles() {
		o := c.Offerings[i]
		if d, ok := rules.Build(vendors[o.VendorID], o, c.Certifications, synth.Today); ok {
			docs = append(docs, d)
			ps = append(ps, p)
		}
	}
	if len(docs) < 100 {
		t.Fatalf("only %d public offerings", len(docs))
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := search.Put(ctx, ix, docs); err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(3, 4))
	split := 0 // cases where the filter keeps some offerings and drops others
	for i := range 40 {
		country := ref.Countries[r.IntN(len(ref.Countries))].Code
		buyer := compliance.Buyers[r.IntN(2)]
		var tc compliance.Context
		for _, f := range compliance.Facts {
			if n := r.IntN(3); n > 0 {
				if err := tc.Set(f.Fact, n == 1); err != nil {
					t.Fatal(err)
				}
			}
		}
		verified := i%4 == 3
		var cats []string
		if i%3 == 0 {
			cats = []string{ref.Categories[r.IntN(len(ref.Categories))].Slug}
		}
		e := rules.Engine.WithContext(tc)
		var want []string
		candidates := 0
		for j, p := range ps {
			if len(cats) > 0 && p.Category != cats[0] {
				continue
			}
			candidates++
			a, err := e.Assess(p, country, buyer, synth.Today)
			if err != nil {
				t.Fatal(err)
			}
			if (!verified && a.Eligible) || (verified && a.Basis == compliance.BasisVerified) {
				want = append(want, docs[j].ID)
			}
		}
		filter, err := search.EligibilityFilter(e, ref, country, cats, buyer, verified)
		if err != nil {
			t.Fatal(err)
		}
		res, err := ix.Search(ctx, search.Query{Categories: cats, EligibleFilter: filter, Buyer: buyer, Limit: 1000})
		if err != nil {
			t.Fatalf("search with %s: %v", filter, err)
		}
		got := make([]string, len(res.Hits))
		for k, h := range res.Hits {
			got[k] = h.ID
		}
		slices.Sort(got)
		slices.Sort(want)
		if len(want) > 0 && len(want) < candidates {
			split++
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s %s context %q categories %v verified %v: search finds %d, engine says %d eligible\nfilter %s",
				country, buyer, tc, cats, verified, len(got), len(want), filter)
		}
	}
	if split < 10 {
		t.Errorf("only %d of 40 cases tell offerings apart: the test would not notice a wrong filter", split)
	}
}

// TestContextEligibility_AgreesWithEngine: for synthetic offerings and
// random tender contexts, buyer kinds and bases, the countries a hit lists
// (ContextEligibility over the document's Met keys) are exactly those where
// the engine, in that context, calls the offering eligible.
func TestContextEligibility_AgreesWithEngine(t *testing.T) {
	t.Parallel()
	ref := embedded(t)
	rules := search.NewRules(ref, 0)
	ps := synth.New(13, ref).Catalogue(60).Profiles()
	r := rand.New(rand.NewPCG(5, 6))
	differs := 0 // cases where the context changes some offering's countries
	for i := range 30 {
		var tc compliance.Context
		for _, f := range compliance.Facts {
			if n := r.IntN(3); n > 0 {
				if err := tc.Set(f.Fact, n == 1); err != nil {
					t.Fatal(err)
				}
			}
		}
		buyer, verified := compliance.Buyers[r.IntN(2)], i%3 == 2
		e := rules.Engine.WithContext(tc)
		eligibleIn := search.ContextEligibility(e, ref, buyer, verified)
		for _, p := range ps {
			met, metVerified := rules.Engine.Met(p, synth.Today)
			var want, defaults []string
			for _, a := range e.AssessAll(p, synth.Today) {
				if a.Buyer == buyer && ((!verified && a.Eligible) || (verified && a.Basis == compliance.BasisVerified)) {
					want = append(want, a.Country)
				}
			}
			for _, a := range rules.Engine.AssessAll(p, synth.Today) {
				if a.Buyer == buyer && ((!verified && a.Eligible) || (verified && a.Basis == compliance.BasisVerified)) {
					defaults = append(defaults, a.Country)
				}
			}
			slices.Sort(want)
			slices.Sort(defaults)
			got := eligibleIn(p.Category, met, metVerified)
			if !slices.Equal(got, orEmpty(want)) {
				t.Errorf("%s in context %q (%s, verified %v): hit lists %v, engine says %v", p.Category, tc, buyer, verified, got, want)
			}
			if !slices.Equal(want, defaults) {
				differs++
			}
		}
	}
	if differs < 20 {
		t.Errorf("only %d cases where the context changes the countries: the test would not notice default lists", differs)
	}
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// BenchmarkEligibilityFilter is the filter work a search with a tender
// context adds to the API's side: every category of one country.
func BenchmarkEligibilityFilter(b *testing.B) {
	ref := embedded(b)
	e := compliance.NewEngine(ref)
	tc, err := compliance.ParseContext("security_sensitive")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := search.EligibilityFilter(e.WithContext(tc), ref, "DE", nil, compliance.Public, false); err != nil {
			b.Fatal(err)
		}
	}
}
