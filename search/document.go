package search

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"slices"
	"sync"
	"time"

	"github.com/cybermarket/cybermarket/catalog"
	"github.com/cybermarket/cybermarket/compliance"
)

// Document is what the index holds for one public offering. Field names are
// the attribute names of the index settings and of search filters.
type Document struct {
	// ID is the offering id, the primary key.
	ID string `json:"id"`
	// Version and VendorVersion are the versions of the offering and vendor
	// the document was built from.
	Version       int64 `json:"version"`
	VendorVersion int64 `json:"vendor_version"`

	Name                 string              `json:"name"`
	Category             string              `json:"category"`
	CategoryName         string              `json:"category_name"`
	CPVCodes             []string            `json:"cpv_codes"`
	Summary              map[string]string   `json:"summary"`
	Description          map[string]string   `json:"description"`
	Delivery             string              `json:"delivery"`
	Countries            []string            `json:"countries"`
	Languages            []string            `json:"languages"`
	DataLocations        []string            `json:"data_locations"`
	ClearedIn            []string            `json:"cleared_in"`
	HealthcareReferences []catalog.Reference `json:"healthcare_references"`
	UpdatedAt            int64               `json:"updated_at"` // unix seconds

	VendorID          string `json:"vendor_id"`
	VendorName        string `json:"vendor_name"`
	VendorTradingName string `json:"vendor_trading_name,omitempty"`
	VendorCountry     string `json:"vendor_country"`
	VendorSize        string `json:"vendor_size"`
	VendorWebsite     string `json:"vendor_website,omitempty"`

	// Certifications are the certifications that cover the offering and are
	// valid on AsOf; Schemes lists their scheme ids (for filters and facets).
	Certifications []Certification `json:"certifications"`
	Schemes        []string        `json:"schemes"`

	// Eligibility on AsOf, as country codes: on all valid evidence, and on
	// verified certifications only.
	EligiblePublic          []string `json:"eligible_public"`
	EligiblePrivate         []string `json:"eligible_private"`
	EligiblePublicVerified  []string `json:"eligible_public_verified"`
	EligiblePrivateVerified []string `json:"eligible_private_verified"`
	// GapCost is, per buyer kind and country, the estimated cost in euros of
	// the cheapest certifications that would make the offering eligible: 0
	// where it is eligible. A country is absent where the cost is unknown or
	// certifications alone cannot close the gap, so that it sorts last and
	// never as 0.
	GapCost GapCost `json:"gap_cost"`
	// Met holds the requirements that do not block the offering, as
	// "country/requirement" keys (compliance.MetKey), on all valid evidence;
	// MetVerified the same on verified certifications only. A search in any
	// tender context filters on them (EligibilityFilter).
	Met         []string `json:"met"`
	MetVerified []string `json:"met_verified"`

	// AsOf is the day (YYYY-MM-DD, UTC) the eligibility was computed for.
	AsOf string `json:"as_of"`
	// Stale is when (unix seconds) the eligibility may change without a
	// write: the next day a certification starts or ends. Absent when no
	// date can change it.
	Stale *int64 `json:"stale,omitempty"`
	// Rules is the fingerprint of the reference data the category's
	// eligibility depends on (Rules.Fingerprint).
	Rules string `json:"rules"`
}

// Certification is a valid certification as a document shows it.
type Certification struct {
	Scheme     string `json:"scheme"`
	Level      string `json:"level,omitempty"`
	Verified   bool   `json:"verified"`
	ValidUntil string `json:"valid_until"` // YYYY-MM-DD
}

// GapCost holds gap costs per buyer kind, each by country code.
type GapCost struct {
	Public  map[string]int `json:"public"`
	Private map[string]int `json:"private"`
}

// schemaVersion is part of every fingerprint: bump it when the way documents
// are built changes, and the drift check re-queues every document.
const schemaVersion = "search-document-2"

// Rules is what documents are built with: the burden engine over one
// snapshot of the reference data, and a fingerprint of the rules each
// category depends on. It is immutable and safe for concurrent use.
type Rules struct {
	Engine    *compliance.Engine
	Reference *compliance.Reference
	// Revision is the reference_revision the snapshot was loaded at; 0 when
	// unknown (embedded reference data in tests).
	Revision int64

	categoryNames map[string]string
	fingerprints  map[string]string
}

// NewRules compiles the burden engine for ref and fingerprints its categories.
func NewRules(ref *compliance.Reference, revision int64) *Rules {
	return newRules(ref, compliance.NewEngine(ref), revision)
}

func newRules(ref *compliance.Reference, engine *compliance.Engine, revision int64) *Rules {
	r := &Rules{
		Engine: engine, Reference: ref, Revision: revision,
		categoryNames: map[string]string{}, fingerprints: map[string]string{},
	}
	type country struct {
		Code       string
		Membership compliance.Membership
		Languages  []string
	}
	// Orders are normalized: the embedded data and a database snapshot list
	// the same records in different orders.
	countries := make([]country, len(ref.Countries))
	for i, c := range ref.Countries {
		countries[i] = country{c.Code, c.Membership, c.Languages}
	}
	slices.SortFunc(countries, func(a, b country) int { return cmp.Compare(a.Code, b.Code) })
	for _, cat := range ref.Categories {
		r.categoryNames[cat.Slug] = cat.Name
		var reqs []compliance.Requirement
		var schemes []compliance.Scheme
		for _, req := range ref.Requirements {
			if !slices.Contains(req.Categories, cat.Slug) {
				continue
			}
			reqs = append(reqs, req)
			for _, sat := range req.SatisfiedBy {
				if s, ok := ref.Scheme(sat.Scheme); ok && !slices.ContainsFunc(schemes, func(x compliance.Scheme) bool { return x.ID == s.ID }) {
					schemes = append(schemes, s)
				}
			}
		}
		slices.SortFunc(reqs, func(a, b compliance.Requirement) int { return cmp.Compare(a.ID, b.ID) })
		slices.SortFunc(schemes, func(a, b compliance.Scheme) int { return cmp.Compare(a.ID, b.ID) })
		data, err := json.Marshal(struct {
			Schema       string
			Category     compliance.Category
			Countries    []country
			Requirements []compliance.Requirement
			Schemes      []compliance.Scheme
			Probes       []probeAnswer
		}{schemaVersion, cat, countries, reqs, schemes, probe(engine, ref, cat.Slug, schemes)})
		if err != nil {
			panic(err) // plain data always marshals
		}
		sum := sha256.Sum256(data)
		r.fingerprints[cat.Slug] = hex.EncodeToString(sum[:8])
	}
	return r
}

// probeAnswer is the engine's answer for a probe profile in one cell.
type probeAnswer struct {
	Country            string
	Buyer              compliance.Buyer
	Eligible, Verified bool
	Cost               *compliance.EURRange
}

// probe returns the engine's answers for a few fixed profiles of category:
// bare, and with every scheme its requirements name (verified, then
// self-declared), with and without meeting every condition. They make the
// fingerprint follow the engine's code as well as the data: a release that
// changes how eligibility is decided changes them (for every change that
// shows on these profiles, which covers the usual ones).
func probe(engine *compliance.Engine, ref *compliance.Reference, category string, schemes []compliance.Scheme) []probeAnswer {
	day := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	var all, langs []string
	for _, c := range ref.Countries {
		all = append(all, c.Code)
		for _, l := range c.Languages {
			if !slices.Contains(langs, l) {
				langs = append(langs, l)
			}
		}
	}
	held := func(status catalog.Verification) []compliance.Held {
		out := make([]compliance.Held, len(schemes))
		for i, s := range schemes {
			level := ""
			if len(s.Levels) > 0 {
				level = s.Levels[len(s.Levels)-1]
			}
			out[i] = compliance.Held{Scheme: s.ID, Level: level, Status: status,
				ValidFrom: day.AddDate(-1, 0, 0), ValidUntil: day.AddDate(1, 0, 0)}
		}
		return out
	}
	bare := compliance.Profile{VendorCountry: "DE", EstablishedIn: []string{"DE"}, Category: category,
		Countries: []string{"DE"}, Languages: []string{"en"}, DataLocations: []string{"US"}}
	full := compliance.Profile{VendorCountry: "DE", EstablishedIn: all, Category: category,
		Countries: all, Languages: langs, DataLocations: []string{"DE"}, ClearedIn: all}
	var out []probeAnswer
	for _, p := range []compliance.Profile{bare, full} {
		for _, certs := range [][]compliance.Held{nil, held(catalog.Verified), held(catalog.SelfDeclared)} {
			p.Certifications = certs
			var answers []probeAnswer
			for _, a := range engine.AssessAll(p, day) {
				ans := probeAnswer{Country: a.Country, Buyer: a.Buyer, Eligible: a.Eligible, Verified: a.EligibleVerified}
				ans.Cost = a.Gap.TotalCostRangeEUR
				answers = append(answers, ans)
			}
			// In country order whatever order the reference data lists them in.
			slices.SortFunc(answers, func(a, b probeAnswer) int {
				return cmp.Or(cmp.Compare(a.Country, b.Country), cmp.Compare(a.Buyer, b.Buyer))
			})
			out = append(out, answers...)
		}
	}
	return out
}

// Fingerprint returns the fingerprint of the rules the eligibility of
// offerings in category depends on: its requirements, the schemes they
// name, the countries, the category itself, the document schema, and the
// burden engine's answers for probe profiles. It is "" for a category the
// reference data does not know.
func (r *Rules) Fingerprint(category string) string { return r.fingerprints[category] }

// Fingerprints returns the fingerprint of every category.
func (r *Rules) Fingerprints() map[string]string { return r.fingerprints }

// Build returns the document of offering o of vendor v on day, given the
// vendor's certifications (those of other offerings are ignored). It
// reports false when the offering is not public (catalog.PublicOffering).
func (r *Rules) Build(v catalog.Vendor, o catalog.Offering, certs []catalog.Certification, day time.Time) (Document, bool) {
	if !catalog.PublicOffering(o, v.Status) {
		return Document{}, false
	}
	day = catalog.Day(day)
	d := Document{
		ID: o.ID.String(), Version: o.Version, VendorVersion: v.Version,
		Name: o.Name, Category: o.Category, CategoryName: r.categoryNames[o.Category],
		CPVCodes: orEmpty(o.CPVCodes), Summary: o.Summary, Description: o.Description,
		Delivery: string(o.Delivery), Countries: orEmpty(o.Countries), Languages: orEmpty(o.Languages),
		DataLocations: orEmpty(o.DataLocations), ClearedIn: orEmpty(o.ClearedIn),
		HealthcareReferences: orEmpty(o.HealthcareReferences), UpdatedAt: o.UpdatedAt.Unix(),
		VendorID: v.ID.String(), VendorName: v.LegalName, VendorTradingName: v.TradingName,
		VendorCountry: v.Country, VendorSize: string(v.Size), VendorWebsite: v.Website,
		Certifications: []Certification{}, Schemes: []string{},
		EligiblePublic: []string{}, EligiblePrivate: []string{},
		EligiblePublicVerified: []string{}, EligiblePrivateVerified: []string{},
		GapCost: GapCost{Public: map[string]int{}, Private: map[string]int{}},
		AsOf:    day.Format(time.DateOnly), Rules: r.Fingerprint(o.Category),
	}
	if d.Summary == nil {
		d.Summary = map[string]string{}
	}
	if d.Description == nil {
		d.Description = map[string]string{}
	}
	p := compliance.ProfileOf(v, o, certs)
	d.addCertifications(p.Certifications, day)
	r.addEligibility(&d, p, day)
	d.Met, d.MetVerified = r.Engine.Met(p, day)
	return d, true
}

// addCertifications lists the certifications valid on day, and sets Stale
// to the next day one starts or ends.
func (d *Document) addCertifications(held []compliance.Held, day time.Time) {
	var stale time.Time
	for _, h := range held {
		if h.Status != catalog.SelfDeclared && h.Status != catalog.Verified {
			continue // only a write can change these
		}
		from, until := catalog.Day(h.ValidFrom), catalog.Day(h.ValidUntil)
		switch {
		case day.Before(from):
			stale = earliest(stale, from)
		case !day.After(until):
			stale = earliest(stale, until.AddDate(0, 0, 1))
			d.Certifications = append(d.Certifications, Certification{
				Scheme: h.Scheme, Level: h.Level, Verified: h.Status == catalog.Verified,
				ValidUntil: until.Format(time.DateOnly),
			})
			if !slices.Contains(d.Schemes, h.Scheme) {
				d.Schemes = append(d.Schemes, h.Scheme)
			}
		}
	}
	if !stale.IsZero() {
		s := stale.Unix()
		d.Stale = &s
	}
	slices.Sort(d.Schemes)
	slices.SortFunc(d.Certifications, func(a, b Certification) int {
		return cmp.Compare(a.Scheme+"\x00"+a.Level+"\x00"+a.ValidUntil, b.Scheme+"\x00"+b.Level+"\x00"+b.ValidUntil)
	})
}

// addEligibility fills the eligibility lists and gap costs of profile p on day.
func (r *Rules) addEligibility(d *Document, p compliance.Profile, day time.Time) {
	// The eligibility map is cheap; the gap (a full assessment) is needed
	// only where the offering is not eligible, which is about a fifth of the
	// cells: this halves the cost of building a document.
	for _, el := range r.Engine.Eligibility(p, day) {
		eligible, verified, costs := &d.EligiblePublic, &d.EligiblePublicVerified, d.GapCost.Public
		if el.Buyer == compliance.Private {
			eligible, verified, costs = &d.EligiblePrivate, &d.EligiblePrivateVerified, d.GapCost.Private
		}
		if el.Eligible {
			*eligible = append(*eligible, el.Country)
			costs[el.Country] = 0
			if el.EligibleVerified {
				*verified = append(*verified, el.Country)
			}
			continue
		}
		a, err := r.Engine.Assess(p, el.Country, el.Buyer, day)
		if err == nil && a.Gap.TotalCostRangeEUR != nil {
			costs[el.Country] = a.Gap.TotalCostRangeEUR.LowEUR
		}
	}
	slices.Sort(d.EligiblePublic)
	slices.Sort(d.EligiblePrivate)
	slices.Sort(d.EligiblePublicVerified)
	slices.Sort(d.EligiblePrivateVerified)
}

func earliest(a, b time.Time) time.Time {
	if a.IsZero() || b.Before(a) {
		return b
	}
	return a
}

func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// LiveRules returns a source of Rules that follows live, for WorkerConfig.
// Each call checks the reference data's revision (one single-row read) and
// reloads the snapshot when it changed, so that no worker builds documents
// on rules older than the database's; rules are compiled once per snapshot.
func LiveRules(live *compliance.Live) func(context.Context) (*Rules, error) {
	var mu sync.Mutex
	var snap *compliance.Snapshot
	var rules *Rules
	return func(ctx context.Context) (*Rules, error) {
		if _, err := live.Refresh(ctx); err != nil {
			return nil, err
		}
		cur := live.Current()
		mu.Lock()
		defer mu.Unlock()
		if cur != snap {
			engine := cur.Engine
			if engine == nil {
				engine = compliance.NewEngine(cur.Reference)
			}
			rules, snap = newRules(cur.Reference, engine, cur.Revision), cur
		}
		return rules, nil
	}
}
