package compliance

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/google/uuid"
	"pgregory.net/rapid"
)

func ptr[T any](v T) *T { return &v }

// fixtureRef is a small hand-built reference: DE and FR (EU), NO (EEA), two
// categories, the schemes and requirements given. Requirements default to
// country DE, both categories, both buyers, mandatory and in force.
func fixtureRef(schemes []Scheme, reqs ...Requirement) *Reference {
	for i := range schemes {
		if schemes[i].Status == "" {
			schemes[i].Status = SchemeActive
		}
	}
	for i := range reqs {
		r := &reqs[i]
		if r.Country == "" {
			r.Country = "DE"
		}
		if r.Categories == nil {
			r.Categories = []string{"pentest", "cloud"}
		}
		if r.Buyers == nil {
			r.Buyers = []Buyer{Public, Private}
		}
		if r.Strength == "" {
			r.Strength = Mandatory
		}
		if r.Status == "" {
			r.Status = RequirementInForce
		}
		if r.Title == "" {
			r.Title = r.ID
		}
	}
	return &Reference{
		Countries: []Country{
			{Code: "DE", Membership: MemberEU, Languages: []string{"de"}},
			{Code: "FR", Membership: MemberEU, Languages: []string{"fr"}},
			{Code: "NO", Membership: MemberEEA, Languages: []string{"nb", "nn"}},
		},
		Categories:   []Category{{Slug: "pentest"}, {Slug: "cloud"}},
		Schemes:      schemes,
		Requirements: reqs,
	}
}

// sch is a fixture scheme whose cost ranges from cost to twice cost and
// whose lead time from half lead to lead (nil: unknown).
func sch(id string, cost *int, lead *float64, levels ...string) Scheme {
	s := Scheme{ID: id, Name: "Scheme " + id, Levels: levels}
	if cost != nil {
		s.Cost = &SchemeCost{LowEUR: *cost, HighEUR: 2 * *cost}
	}
	if lead != nil {
		s.LeadTime = &SchemeLeadTime{LowMonths: *lead / 2, HighMonths: *lead}
	}
	return s
}

// schRange is a fixture scheme with the cost range low-high and no lead time.
func schRange(id string, low, high int) Scheme {
	return Scheme{ID: id, Name: "Scheme " + id, Cost: &SchemeCost{LowEUR: low, HighEUR: high}}
}

func eurString(r *EURRange) string {
	if r == nil {
		return "nil"
	}
	return fmt.Sprintf("%d-%d", r.LowEUR, r.HighEUR)
}

func full(scheme, min string) Satisfier {
	return Satisfier{Scheme: scheme, MinLevel: min, Extent: Full}
}
func partial(scheme, min string) Satisfier {
	return Satisfier{Scheme: scheme, MinLevel: min, Extent: Partial}
}

func rq(id string, sats ...Satisfier) Requirement { return Requirement{ID: id, SatisfiedBy: sats} }

func gapOf(t *testing.T, ref *Reference, edit func(*Profile), certs ...Held) Gap {
	t.Helper()
	e := NewEngine(ref)
	p := Profile{VendorCountry: "DE", EstablishedIn: []string{"DE"}, Category: "pentest", Languages: []string{"de"}, Certifications: certs}
	if edit != nil {
		edit(&p)
	}
	a, err := e.Assess(p, "DE", Public, testDay)
	if err != nil {
		t.Fatal(err)
	}
	return a.Gap
}

func describeGap(g Gap) string {
	var b strings.Builder
	for _, s := range g.Schemes {
		fmt.Fprintf(&b, "%s", s.Scheme)
		if s.Level != "" {
			fmt.Fprintf(&b, "@%s", s.Level)
		}
		fmt.Fprintf(&b, "%v ", s.Closes)
	}
	lead := "nil"
	if g.LeadTimeRangeMonths != nil {
		lead = fmt.Sprintf("%g-%g", g.LeadTimeRangeMonths.LowMonths, g.LeadTimeRangeMonths.HighMonths)
	}
	fmt.Fprintf(&b, "cost=%s total=%s unknown=%d%v lead=%s", eurString(g.CostRangeEUR), eurString(g.TotalCostRangeEUR),
		g.UnknownCost, g.UnknownCostSchemes, lead)
	for _, n := range g.NotClosable {
		fmt.Fprintf(&b, " !%s", n.Requirement)
	}
	if g.Complete {
		b.WriteString(" complete")
	}
	return b.String()
}

func TestGap_Fixtures(t *testing.T) {
	big := sch("big", ptr(100), ptr(6.0))
	a60 := sch("a", ptr(60), ptr(3.0))
	b60 := sch("b", ptr(60), ptr(9.0))
	a40 := sch("a", ptr(40), ptr(3.0))
	b40 := sch("b", ptr(40), ptr(9.0))
	unk := sch("unk", nil, nil)
	unkLead := sch("unk-lead", nil, ptr(2.0))
	draft := sch("draft", ptr(1), ptr(1.0))
	draft.Status = SchemeDraft
	lvl := sch("lvl", ptr(50), ptr(2.0), "l1", "l2", "l3")
	x := sch("x", ptr(50), ptr(1.0))
	y := sch("y", ptr(25), ptr(1.0))
	z := sch("z", ptr(25), ptr(1.0))
	cases := []struct {
		name  string
		ref   *Reference
		certs []Held
		edit  func(*Profile)
		want  string
	}{
		{"one scheme closes two requirements more cheaply than two",
			fixtureRef([]Scheme{big, a60, b60}, rq("r1", full("big", ""), full("a", "")), rq("r2", full("big", ""), full("b", ""))), nil,
			nil, "big[r1 r2] cost=100-200 total=100-200 unknown=0[] lead=3-6 complete"},
		{"two cheap schemes beat one dear one",
			fixtureRef([]Scheme{big, a40, b40}, rq("r1", full("big", ""), full("a", "")), rq("r2", full("big", ""), full("b", ""))), nil,
			nil, "a[r1] b[r2] cost=80-160 total=80-160 unknown=0[] lead=4.5-9 complete"},
		{"an unknown cost is never free",
			fixtureRef([]Scheme{big, unk}, rq("r1", full("unk", ""), full("big", ""))), nil,
			nil, "big[r1] cost=100-200 total=100-200 unknown=0[] lead=3-6 complete"},
		{"only an unknown-cost scheme",
			fixtureRef([]Scheme{unkLead}, rq("r1", full("unk-lead", ""))), nil,
			nil, "unk-lead[r1] cost=nil total=nil unknown=1[unk-lead] lead=1-2 complete"},
		{"known and unknown parts",
			fixtureRef([]Scheme{unk, a60}, rq("r1", full("unk", "")), rq("r2", full("a", ""))), nil,
			nil, "a[r2] unk[r1] cost=60-120 total=nil unknown=1[unk] lead=nil complete"},
		{"fewer unknown-cost schemes first, even at a higher known cost",
			fixtureRef([]Scheme{unk, unkLead, big}, rq("r1", full("unk", ""), full("big", "")), rq("r2", full("unk-lead", ""), full("big", ""))), nil,
			nil, "big[r1 r2] cost=100-200 total=100-200 unknown=0[] lead=3-6 complete"},
		{"draft schemes are not candidates",
			fixtureRef([]Scheme{draft, a60}, rq("r1", full("draft", ""), full("a", ""))), nil,
			nil, "a[r1] cost=60-120 total=60-120 unknown=0[] lead=1.5-3 complete"},
		{"only draft or partial satisfiers: not assessable, not in the gap",
			fixtureRef([]Scheme{draft, a60}, rq("r1", full("draft", ""), partial("a", ""))), nil,
			nil, "cost=0-0 total=0-0 unknown=0[] lead=0-0 complete"},
		{"a level too low: the same scheme at the highest needed level",
			fixtureRef([]Scheme{lvl}, rq("r1", full("lvl", "l2")), rq("r2", full("lvl", "l3"))), []Held{held("lvl", "l1")},
			nil, "lvl@l3[r1 r2] cost=50-100 total=50-100 unknown=0[] lead=1-2 complete"},
		{"a held level closes what it reaches",
			fixtureRef([]Scheme{lvl}, rq("r1", full("lvl", "l2")), rq("r2", full("lvl", "l3"))), []Held{held("lvl", "l2")},
			nil, "lvl@l3[r2] cost=50-100 total=50-100 unknown=0[] lead=1-2 complete"},
		{"equal cost: ids decide",
			fixtureRef([]Scheme{b60, a60}, rq("r1", full("b", ""), full("a", ""))), nil,
			nil, "a[r1] cost=60-120 total=60-120 unknown=0[] lead=1.5-3 complete"},
		{"equal cost: fewer schemes win",
			fixtureRef([]Scheme{y, z, x}, rq("r1", full("x", ""), full("y", "")), rq("r2", full("x", ""), full("z", ""))), nil,
			nil, "x[r1 r2] cost=50-100 total=50-100 unknown=0[] lead=0.5-1 complete"},
		{"partly met requirements are in the gap",
			fixtureRef([]Scheme{a60, b60}, rq("r1", full("a", ""), partial("b", ""))), []Held{held("b", "")},
			nil, "a[r1] cost=60-120 total=60-120 unknown=0[] lead=1.5-3 complete"},
		{"a failing condition is not closable",
			fixtureRef([]Scheme{a60}, Requirement{ID: "r1", SatisfiedBy: []Satisfier{full("a", "")}, Conditions: []Condition{{Kind: EstablishmentCondition, Region: InCountry}}},
				Requirement{ID: "r2", Country: "EEA", SatisfiedBy: []Satisfier{full("a", "")}}), nil,
			func(p *Profile) { p.EstablishedIn = []string{"FR"} },
			"a[r2] cost=60-120 total=nil unknown=0[] lead=nil !r1"}, // incomplete: no total, never 0
		{"an incomplete gap with nothing to obtain has no total",
			fixtureRef([]Scheme{a60}, Requirement{ID: "r1", SatisfiedBy: []Satisfier{full("a", "")}, Conditions: []Condition{{Kind: EstablishmentCondition, Region: InCountry}}}), nil,
			func(p *Profile) { p.EstablishedIn = []string{"FR"} },
			"cost=nil total=nil unknown=0[] lead=nil !r1"},
		{"the low end of the cost range decides, not the high end",
			fixtureRef([]Scheme{schRange("narrow", 50, 60), schRange("wide", 30, 500)}, rq("r1", full("narrow", ""), full("wide", ""))), nil,
			nil, "wide[r1] cost=30-500 total=30-500 unknown=0[] lead=nil complete"},
		{"an incomplete gap of unknown cost shows no cost, not 0",
			fixtureRef([]Scheme{unk}, Requirement{ID: "r1", SatisfiedBy: []Satisfier{full("unk", "")}, Conditions: []Condition{{Kind: EstablishmentCondition, Region: InCountry}}},
				Requirement{ID: "r2", Country: "EEA", SatisfiedBy: []Satisfier{full("unk", "")}}), nil,
			func(p *Profile) { p.EstablishedIn = []string{"FR"} },
			"unk[r2] cost=nil total=nil unknown=1[unk] lead=nil !r1"},
		{"non-binding requirements are left out",
			fixtureRef([]Scheme{a60}, Requirement{ID: "r1", Strength: DeFactoExpected, SatisfiedBy: []Satisfier{full("a", "")}},
				Requirement{ID: "r2", Status: RequirementPending, SatisfiedBy: []Satisfier{full("a", "")}}), nil,
			nil, "cost=0-0 total=0-0 unknown=0[] lead=0-0 complete"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			g := gapOf(t, tc.ref, tc.edit, tc.certs...)
			if got := describeGap(g); got != tc.want {
				t.Errorf("gap\n got %s\nwant %s", got, tc.want)
			}
		})
	}
}

// TestGap_ExactAgainstBruteForce compares the branch-and-bound with an
// enumeration of every subset of candidate schemes on random small
// references.
func TestGap_ExactAgainstBruteForce(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		nSchemes := rapid.IntRange(1, 7).Draw(t, "schemes")
		var schemes []Scheme
		for i := range nSchemes {
			var cost *int
			if rapid.IntRange(0, 3).Draw(t, fmt.Sprintf("known%d", i)) > 0 {
				cost = ptr(rapid.IntRange(1, 20).Draw(t, fmt.Sprintf("cost%d", i)))
			}
			s := sch(fmt.Sprintf("s%d", i), cost, nil)
			if rapid.IntRange(0, 9).Draw(t, fmt.Sprintf("draft%d", i)) == 0 {
				s.Status = SchemeDraft
			}
			schemes = append(schemes, s)
		}
		nReqs := rapid.IntRange(1, 6).Draw(t, "requirements")
		var reqs []Requirement
		for i := range nReqs {
			var sats []Satisfier
			for j := range nSchemes {
				switch rapid.IntRange(0, 3).Draw(t, fmt.Sprintf("sat%d-%d", i, j)) {
				case 0:
					sats = append(sats, full(schemes[j].ID, ""))
				case 1:
					sats = append(sats, partial(schemes[j].ID, ""))
				}
			}
			reqs = append(reqs, rq(fmt.Sprintf("r%d", i), sats...))
		}
		ref := fixtureRef(schemes, reqs...)
		e := NewEngine(ref)
		cl := &e.cells[e.cellIndex(0, 0, 0)]
		var closable []int
		for _, ri := range cl.binding {
			if len(cl.reqs[ri].obtain) > 0 && !cl.reqs[ri].noSats {
				closable = append(closable, ri)
			}
		}
		got := e.plan(cl, closable, true)

		// Brute force: every subset of active schemes that covers all closable requirements.
		type key struct {
			unknown, cost, n int
			ids              string
		}
		better := func(a, b key) bool {
			if a.unknown != b.unknown {
				return a.unknown < b.unknown
			}
			if a.cost != b.cost {
				return a.cost < b.cost
			}
			if a.n != b.n {
				return a.n < b.n
			}
			return a.ids < b.ids
		}
		var best *key
		for mask := 0; mask < 1<<nSchemes; mask++ {
			var k key
			var ids []string
			ok := true
			for j := range nSchemes {
				if mask&(1<<j) == 0 {
					continue
				}
				if schemes[j].Status == SchemeDraft {
					ok = false
					break
				}
				ids = append(ids, schemes[j].ID)
				k.n++
				if schemes[j].Cost == nil {
					k.unknown++
				} else {
					k.cost += schemes[j].Cost.LowEUR
				}
			}
			if !ok {
				continue
			}
			for _, ri := range closable {
				covered := false
				for _, s := range cl.reqs[ri].r.SatisfiedBy {
					if s.Extent == Full && slices.Contains(ids, s.Scheme) {
						covered = true
					}
				}
				if !covered {
					ok = false
					break
				}
			}
			if !ok {
				continue
			}
			slices.Sort(ids)
			k.ids = strings.Join(ids, "\x00")
			if best == nil || better(k, *best) {
				best = &k
			}
		}
		var gotIDs []string
		for _, p := range got.picks {
			gotIDs = append(gotIDs, ref.Schemes[p.scheme].ID)
		}
		gotKey := key{got.unknown, got.known.LowEUR, len(got.picks), strings.Join(gotIDs, "\x00")}
		if best == nil || gotKey != *best {
			t.Fatalf("plan = %+v, brute force = %+v", gotKey, best)
		}
	})
}

// TestGap_ClosesWhatItClaims re-assesses random real-data profiles with the
// gap's schemes added: every requirement the gap closes is then met, and a
// complete gap makes the offering eligible.
func TestGap_ClosesWhatItClaims(t *testing.T) {
	e := mustEngine(t)
	rapid.Check(t, func(t *rapid.T) {
		p := profileGen(e).Draw(t, "profile")
		for _, a := range e.AssessAll(p, testDay) {
			q := p
			q.Certifications = slices.Clone(p.Certifications)
			for _, s := range a.Gap.Schemes {
				q.Certifications = append(q.Certifications, Held{ID: uuid.New(), Scheme: s.Scheme, Level: s.Level,
					ValidFrom: testDay, ValidUntil: testDay, Status: "verified"})
			}
			b, err := e.Assess(q, a.Country, a.Buyer, testDay)
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range a.Gap.Schemes {
				for _, id := range s.Closes {
					for _, r := range b.Requirements {
						if r.ID == id && r.Status != Met {
							t.Fatalf("%s/%s: %s closes %s, but with it the requirement is %s", a.Country, a.Buyer, s.Scheme, id, r.Status)
						}
					}
				}
			}
			if a.Gap.Complete && !b.Eligible {
				t.Fatalf("%s/%s: complete gap %s does not make the offering eligible", a.Country, a.Buyer, describeGap(a.Gap))
			}
			if !a.Eligible && a.Gap.Complete && len(a.Gap.Schemes) == 0 {
				t.Fatalf("%s/%s: ineligible with an empty complete gap", a.Country, a.Buyer)
			}
		}
	})
}
