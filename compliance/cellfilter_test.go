package compliance_test

import (
	"math/rand/v2"
	"testing"

	"github.com/cybermarket/cybermarket/compliance"
	"github.com/cybermarket/cybermarket/compliance/synth"
)

// randomContext states each fact on, off or not at all.
func randomContext(t *testing.T, r *rand.Rand) compliance.Context {
	t.Helper()
	var c compliance.Context
	for _, f := range compliance.Facts {
		switch r.IntN(3) {
		case 1:
			must(t, c.Set(f.Fact, true))
		case 2:
			must(t, c.Set(f.Fact, false))
		}
	}
	return c
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// TestCellFilter_AgreesWithEngine is the property search relies on: over
// the synthetic catalogue, for random offerings, countries, buyers and
// contexts, an offering passes the cell's filter on its Met keys exactly
// when the engine calls it eligible (and, verified, eligible on the
// verified basis).
func TestCellFilter_AgreesWithEngine(t *testing.T) {
	ref, err := compliance.Embedded()
	must(t, err)
	base := compliance.NewEngine(ref)
	ps := synth.New(7, ref).Catalogue(400).Profiles()
	r := rand.New(rand.NewPCG(1, 2))
	for range 3000 {
		p := ps[r.IntN(len(ps))]
		country := ref.Countries[r.IntN(len(ref.Countries))].Code
		buyer := compliance.Buyers[r.IntN(2)]
		ctx := randomContext(t, r)
		e := base.WithContext(ctx)
		met, verified := e.Met(p, synth.Today)
		a, err := e.Assess(p, country, buyer, synth.Today)
		must(t, err)
		for _, onVerified := range []bool{false, true} {
			f, err := e.CellFilter(country, p.Category, buyer, onVerified)
			must(t, err)
			want := a.Eligible
			if onVerified {
				want = a.Basis == compliance.BasisVerified
			}
			if got := f.Admits(met, verified); got != want {
				t.Fatalf("%s %s %s context %q verified %v: filter admits %v, engine says %v (basis %q)\nfilter %+v\nmet %v",
					p.Category, country, buyer, ctx, onVerified, got, want, a.Basis, f, met)
			}
		}
	}
}
