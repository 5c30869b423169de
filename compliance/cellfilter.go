package compliance

import (
	"slices"
	"time"

	"github.com/cybermarket/cybermarket/catalog"
)

// The engine's side of searching under any tender context without an index
// per context: an index stores, per offering, the requirements that do not
// block it (Engine.Met), and a country x category x buyer x context cell
// becomes the set of requirements an eligible offering must have there
// (Engine.CellFilter).

// MetKey is the key a search index stores for "requirement does not block
// the offering in country": "DE/de-c5-sgbv-393".
func MetKey(country, requirement string) string { return country + "/" + requirement }

// Met returns the keys (MetKey) of the requirements of p's category that
// can block in some country, buyer kind and context (binding for a buyer,
// not a duty) and that p does not fail on day: on all valid evidence, and
// on verified certifications only. Whether a requirement blocks does not
// depend on the buyer or the context, only whether it binds does; so one
// list serves every cell. It returns nil, nil for an unknown category.
func (e *Engine) Met(p Profile, day time.Time) (met, verified []string) {
	ki, ok := e.catIdx[p.Category]
	if !ok {
		return nil, nil
	}
	k := e.newKernel()
	e.load(k, &p, catalog.Day(day))
	met, verified = []string{}, []string{}
	for ci, c := range e.countries {
		var seen []string
		for bi := range 2 {
			cl := &e.cells[e.cellIndex(ci, ki, bi)]
			for _, ri := range cl.binding {
				r := &cl.reqs[ri]
				if r.duty || slices.Contains(seen, r.r.ID) {
					continue
				}
				seen = append(seen, r.r.ID)
				conds := e.conditionsHold(k, r)
				if outcome(r, r.evidence(k.held), conds).blocks() {
					continue
				}
				met = append(met, MetKey(c.code, r.r.ID))
				if !outcome(r, r.evidence(k.verified), conds).blocks() {
					verified = append(verified, MetKey(c.code, r.r.ID))
				}
			}
		}
	}
	return met, verified
}

// CellFilter is what an offering must have for the engine to call it
// eligible in one cell: every key of Met among its Met keys, and every key
// of Verified among its verified Met keys. Impossible: no offering
// qualifies (verified asked for where nothing certificate-decided binds, so
// that no answer can rest on verified certifications).
type CellFilter struct {
	Met, Verified []string
	Impossible    bool
}

// CellFilter returns the filter for country, category and buyer kind in the
// engine's context; with verified, for eligibility on the verified basis
// (Basis verified). It returns an *InputError for an unknown country,
// category or buyer.
func (e *Engine) CellFilter(country, category string, buyer Buyer, verified bool) (CellFilter, error) {
	cl, err := e.lookup(country, category, buyer)
	if err != nil {
		return CellFilter{}, err
	}
	code := e.countries[cl.country].code
	f := CellFilter{Met: []string{}, Verified: []string{}}
	decided := false
	for _, ri := range cl.binding {
		r := &cl.reqs[ri]
		if r.duty || !e.applies(cl, r) {
			continue
		}
		decided = decided || r.certDecided()
		if verified {
			f.Verified = append(f.Verified, MetKey(code, r.r.ID))
		} else {
			f.Met = append(f.Met, MetKey(code, r.r.ID))
		}
	}
	f.Impossible = verified && !decided
	return f, nil
}

// Admits reports whether an offering with the given Met keys passes the filter.
func (f CellFilter) Admits(met, verified []string) bool {
	if f.Impossible {
		return false
	}
	for _, k := range f.Met {
		if !slices.Contains(met, k) {
			return false
		}
	}
	for _, k := range f.Verified {
		if !slices.Contains(verified, k) {
			return false
		}
	}
	return true
}
