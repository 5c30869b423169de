package compliance_test

import (
	"testing"

	"github.com/cybermarket/cybermarket/compliance"
	"github.com/cybermarket/cybermarket/compliance/synth"
)

// On the synthetic catalogue the named changes add up to the rows: per
// market, opened minus closed equals after minus before.
func TestSimulate_ChangesAddUpToRows(t *testing.T) {
	ref, err := compliance.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	e := compliance.NewEngine(ref)
	ps := synth.New(5, ref).Catalogue(2000).Profiles()
	scenario := []compliance.Recognition{{Country: "DE", Scheme: "secnumcloud", Requirement: "de-c5-sgbv-393"}}
	res, err := e.Simulate(ps, synth.Today, scenario, len(ps))
	if err != nil {
		t.Fatal(err)
	}
	net := map[compliance.WhatIfMarket]int{}
	for _, c := range res.Changed {
		if c.Offering != ps[c.Profile].Offering {
			t.Fatalf("changed offering %s is not profile %d", c.Offering, c.Profile)
		}
		for _, m := range c.Opened {
			net[m]++
		}
		for _, m := range c.Closed {
			net[m]--
		}
	}
	change := map[compliance.WhatIfMarket]int{}
	for _, r := range res.Rows {
		change[compliance.WhatIfMarket{Country: r.Country, Buyer: r.Buyer}] += r.Change
	}
	if len(res.Changed) != res.ChangedTotal || res.ChangedTotal == 0 {
		t.Fatalf("%d named of %d changed: the scenario should open C5 markets to SecNumCloud holders", len(res.Changed), res.ChangedTotal)
	}
	for m, n := range change {
		if net[m] != n {
			t.Errorf("%v: rows change %d, named offerings net %d", m, n, net[m])
		}
	}
}
