package search_test

import (
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/cybermarket/cybermarket/catalog"
	"github.com/cybermarket/cybermarket/compliance"
	"github.com/cybermarket/cybermarket/compliance/synth"
	"github.com/cybermarket/cybermarket/search"
)

var day = time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)

func embedded(t testing.TB) *compliance.Reference {
	t.Helper()
	ref, err := compliance.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	return ref
}

// withSchemeCost returns a copy of ref in which scheme costs eur to twice
// eur (the index sorts by the low end); eur < 0 makes its cost unknown.
func withSchemeCost(ref *compliance.Reference, scheme string, eur int) *compliance.Reference {
	c := *ref
	c.Schemes = slices.Clone(ref.Schemes)
	for i := range c.Schemes {
		if c.Schemes[i].ID == scheme {
			c.Schemes[i].Cost = &compliance.SchemeCost{LowEUR: eur, HighEUR: 2 * eur}
			if eur < 0 {
				c.Schemes[i].Cost = nil
			}
		}
	}
	return &c
}

func cloudVendor() (catalog.Vendor, catalog.Offering) {
	v := catalog.Vendor{
		ID: uuid.New(), LegalName: "Wolke Sieben GmbH (fictional)", Country: "DE", EstablishedIn: []string{"DE"},
		Size: catalog.SizeSmall, Status: catalog.VendorActive, Version: 3,
	}
	o := catalog.Offering{
		ID: uuid.New(), VendorID: v.ID, Name: "Sovereign hospital cloud", Category: "cloud-hosting",
		Summary: map[string]string{"en": "Hosting for clinical systems."}, Delivery: catalog.DeliveryRemote,
		Countries: []string{"DE"}, Languages: []string{"de", "en"}, DataLocations: []string{"DE"},
		Status: catalog.OfferingPublished, Version: 7, UpdatedAt: day,
	}
	return v, o
}

func cert(v catalog.Vendor, scheme, level string, from, until time.Time, status catalog.Verification, covers ...uuid.UUID) catalog.Certification {
	return catalog.Certification{ID: uuid.New(), VendorID: v.ID, Scheme: scheme, Level: level,
		ValidFrom: from, ValidUntil: until, Status: status, OfferingIDs: covers}
}

func TestBuild_OnlyPublicOfferings(t *testing.T) {
	t.Parallel()
	rules := search.NewRules(embedded(t), 0)
	v, o := cloudVendor()
	for _, tc := range []struct {
		name   string
		vendor catalog.VendorStatus
		status catalog.OfferingStatus
		want   bool
	}{
		{"published by an active vendor", catalog.VendorActive, catalog.OfferingPublished, true},
		{"draft", catalog.VendorActive, catalog.OfferingDraft, false},
		{"withdrawn", catalog.VendorActive, catalog.OfferingWithdrawn, false},
		{"vendor pending", catalog.VendorPending, catalog.OfferingPublished, false},
		{"vendor suspended", catalog.VendorSuspended, catalog.OfferingPublished, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v.Status, o.Status = tc.vendor, tc.status
			if _, ok := rules.Build(v, o, nil, day); ok != tc.want {
				t.Errorf("Build: %v, want %v", ok, tc.want)
			}
		})
	}
}

func TestBuild_CertificationsAndStaleness(t *testing.T) {
	t.Parallel()
	rules := search.NewRules(embedded(t), 0)
	v, o := cloudVendor()
	other := uuid.New()
	certs := []catalog.Certification{
		cert(v, "bsi-c5", "type-2", day.AddDate(-1, 0, 0), day.AddDate(0, 3, 0), catalog.Verified, o.ID),
		cert(v, "iso-iec-27001", "", day.AddDate(-2, 0, 0), day.AddDate(0, 0, 10), catalog.SelfDeclared), // organisation-wide
		cert(v, "hds", "", day.AddDate(-3, 0, 0), day.AddDate(0, 0, -1), catalog.Verified, o.ID),         // expired yesterday
		cert(v, "secnumcloud", "", day.AddDate(0, 0, 5), day.AddDate(3, 0, 0), catalog.Verified, o.ID),   // starts in 5 days
		cert(v, "ens", "alta", day.AddDate(-1, 0, 0), day.AddDate(1, 0, 0), catalog.Rejected, o.ID),      // rejected
		cert(v, "csa-star", "", day.AddDate(-1, 0, 0), day.AddDate(1, 0, 0), catalog.Verified, other),    // another offering
	}
	d, ok := rules.Build(v, o, certs, day.Add(13*time.Hour))
	if !ok {
		t.Fatal("not built")
	}
	if got, want := d.Schemes, []string{"bsi-c5", "iso-iec-27001"}; !slices.Equal(got, want) {
		t.Errorf("schemes %v, want %v", got, want)
	}
	if len(d.Certifications) != 2 || !d.Certifications[0].Verified || d.Certifications[1].Verified ||
		d.Certifications[0].Level != "type-2" || d.Certifications[0].ValidUntil != day.AddDate(0, 3, 0).Format(time.DateOnly) {
		t.Errorf("certifications %+v", d.Certifications)
	}
	// The next change: secnumcloud starts in 5 days, before ISO expires (day 11).
	if d.Stale == nil || *d.Stale != day.AddDate(0, 0, 5).Unix() {
		t.Errorf("stale %v, want %v", d.Stale, day.AddDate(0, 0, 5).Unix())
	}
	if d.AsOf != "2026-12-01" || d.ID != o.ID.String() || d.Version != 7 || d.VendorVersion != 3 || d.Rules == "" {
		t.Errorf("as_of %q id %q version %d/%d rules %q", d.AsOf, d.ID, d.Version, d.VendorVersion, d.Rules)
	}
	none, _ := rules.Build(v, o, nil, day)
	if none.Stale != nil {
		t.Errorf("without certifications nothing can go stale: %v", *none.Stale)
	}
}

func TestBuild_EligibilityAndGapCost(t *testing.T) {
	t.Parallel()
	ref := withSchemeCost(withSchemeCost(embedded(t), "bsi-c5", 40000), "hds", -1)
	rules := search.NewRules(ref, 0)
	v, o := cloudVendor()
	c5 := func(status catalog.Verification) []catalog.Certification {
		return []catalog.Certification{cert(v, "bsi-c5", "type-2", day.AddDate(-1, 0, 0), day.AddDate(1, 0, 0), status, o.ID)}
	}
	for _, tc := range []struct {
		name                  string
		certs                 []catalog.Certification
		eligible, verified    bool
		cost                  int
		costKnown             bool
		eligibleInAT, atKnown bool
	}{
		{name: "no C5: not eligible in DE, gap is C5's cost", cost: 40000, costKnown: true},
		{name: "verified C5", certs: c5(catalog.Verified), eligible: true, verified: true, cost: 0, costKnown: true},
		{name: "self-declared C5", certs: c5(catalog.SelfDeclared), eligible: true, cost: 0, costKnown: true},
		{name: "suspended C5 counts for nothing", certs: c5(catalog.Suspended), cost: 40000, costKnown: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, _ := rules.Build(v, o, tc.certs, day)
			if got := slices.Contains(d.EligiblePrivate, "DE"); got != tc.eligible {
				t.Errorf("eligible in DE (private) %v, want %v", got, tc.eligible)
			}
			if got := slices.Contains(d.EligiblePrivateVerified, "DE"); got != tc.verified {
				t.Errorf("eligible in DE on verified evidence %v, want %v", got, tc.verified)
			}
			cost, known := d.GapCost.Private["DE"]
			if known != tc.costKnown || cost != tc.cost {
				t.Errorf("gap cost in DE %d (known %v), want %d (%v)", cost, known, tc.cost, tc.costKnown)
			}
			// Austria asks nothing of cloud hosting: eligible, gap 0.
			if !slices.Contains(d.EligiblePublic, "AT") || d.GapCost.Public["AT"] != 0 {
				t.Errorf("AT: eligible %v cost %v", d.EligiblePublic, d.GapCost.Public)
			}
		})
	}
	// A gap of unknown cost is absent, never 0: France wants HDS, whose cost
	// this test's reference data leaves unknown.
	d, _ := rules.Build(v, o, nil, day)
	if c, ok := d.GapCost.Private["FR"]; ok {
		t.Errorf("FR gap cost %d; unknown costs must be absent", c)
	}
	if slices.Contains(d.EligiblePrivate, "FR") {
		t.Error("eligible in FR without HDS")
	}
}

func TestRules_Fingerprint(t *testing.T) {
	t.Parallel()
	ref := embedded(t)
	a := search.NewRules(ref, 0)
	if b := search.NewRules(ref, 0); a.Fingerprint("cloud-hosting") != b.Fingerprint("cloud-hosting") {
		t.Error("fingerprint is not deterministic")
	}
	// A cost change of C5 changes the rules of the categories whose
	// requirements name C5, and no other.
	c := search.NewRules(withSchemeCost(ref, "bsi-c5", 1), 0)
	if a.Fingerprint("cloud-hosting") == c.Fingerprint("cloud-hosting") {
		t.Error("cloud-hosting fingerprint ignores a change of a scheme its requirements name")
	}
	if a.Fingerprint("training-awareness") != c.Fingerprint("training-awareness") {
		t.Error("training-awareness fingerprint changed with a scheme it does not depend on")
	}
	if a.Fingerprint("no-such-category") != "" {
		t.Error("unknown category has a fingerprint")
	}
}

// Build decides eligibility and gap costs as a full assessment does.
func TestBuild_AgreesWithAssessAll(t *testing.T) {
	t.Parallel()
	ref := embedded(t)
	rules := search.NewRules(ref, 0)
	cat := synth.New(7, ref).Catalogue(800)
	profiles := cat.Profiles()
	vendors := map[uuid.UUID]catalog.Vendor{}
	for _, v := range cat.Vendors {
		v.Status = catalog.VendorActive
		vendors[v.ID] = v
	}
	certs := map[uuid.UUID][]catalog.Certification{}
	for _, c := range cat.Certifications {
		certs[c.VendorID] = append(certs[c.VendorID], c)
	}
	for i, o := range cat.Offerings {
		o.Status = catalog.OfferingPublished
		d, ok := rules.Build(vendors[o.VendorID], o, certs[o.VendorID], synth.Today)
		if !ok {
			t.Fatal("not built")
		}
		for _, a := range rules.Engine.AssessAll(profiles[i], synth.Today) {
			eligible, verified, costs := d.EligiblePublic, d.EligiblePublicVerified, d.GapCost.Public
			if a.Buyer == compliance.Private {
				eligible, verified, costs = d.EligiblePrivate, d.EligiblePrivateVerified, d.GapCost.Private
			}
			cost, known := costs[a.Country]
			wantKnown := a.Eligible || a.Gap.TotalCostRangeEUR != nil
			if slices.Contains(eligible, a.Country) != a.Eligible || slices.Contains(verified, a.Country) != a.EligibleVerified ||
				known != wantKnown || (a.Eligible && cost != 0) || (!a.Eligible && known && cost != a.Gap.TotalCostRangeEUR.LowEUR) {
				t.Fatalf("offering %d %s %s: document says eligible %v/%v cost %d (%v); assessment %v/%v gap %+v",
					i, a.Country, a.Buyer, slices.Contains(eligible, a.Country), slices.Contains(verified, a.Country),
					cost, known, a.Eligible, a.EligibleVerified, a.Gap)
			}
		}
	}
}
