package synth_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"

	"github.com/cybermarket/cybermarket/catalog"
	"github.com/cybermarket/cybermarket/compliance"
	"github.com/cybermarket/cybermarket/compliance/synth"
)

func reference(t *testing.T) *compliance.Reference {
	t.Helper()
	ref, err := compliance.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	return ref
}

func TestCatalogue_Deterministic(t *testing.T) {
	ref := reference(t)
	a := synth.New(42, ref).Catalogue(300)
	b := synth.New(42, ref).Catalogue(300)
	if diff := cmp.Diff(a, b); diff != "" {
		t.Fatalf("the same seed gave different catalogues:\n%s", diff)
	}
	g := synth.New(42, ref)
	if diff := cmp.Diff(a, g.Catalogue(300)); diff != "" {
		t.Fatalf("a second call on a generator differs:\n%s", diff)
	}
	if cmp.Equal(a.Vendors, synth.New(43, ref).Catalogue(300).Vendors) {
		t.Fatal("seeds 42 and 43 gave the same vendors")
	}
	small := g.Catalogue(40)
	if diff := cmp.Diff(small.Vendors, a.Vendors[:40]); diff != "" {
		t.Errorf("Catalogue(40) is not the start of Catalogue(300):\n%s", diff)
	}
	if diff := cmp.Diff(small.Offerings, a.Offerings[:len(small.Offerings)]); diff != "" {
		t.Errorf("offerings of Catalogue(40) are not the start of Catalogue(300):\n%s", diff)
	}
}

// TestCatalogue_Clean: every item of a sample passes catalog's Clean and is
// already in its canonical form.
func TestCatalogue_Clean(t *testing.T) {
	c := synth.New(7, reference(t)).Catalogue(400)
	for i, v := range c.Vendors {
		w := v
		w.EstablishedIn = slices.Clone(v.EstablishedIn)
		if err := w.Clean(); err != nil {
			t.Fatalf("vendor %d %s: %v", i, v.VATNumber, err)
		}
		if diff := cmp.Diff(v, w); diff != "" {
			t.Errorf("vendor %d is not canonical:\n%s", i, diff)
		}
	}
	for i, o := range c.Offerings {
		w := o
		w.Countries, w.Languages = slices.Clone(o.Countries), slices.Clone(o.Languages)
		if err := w.Clean(); err != nil {
			t.Fatalf("offering %d %q: %v", i, o.Name, err)
		}
		if diff := cmp.Diff(o, w); diff != "" {
			t.Errorf("offering %d is not canonical:\n%s", i, diff)
		}
	}
	for i, ct := range c.Certifications {
		w := ct
		w.OfferingIDs = slices.Clone(ct.OfferingIDs)
		if err := w.Clean(); err != nil {
			t.Fatalf("certification %d %s: %v", i, ct.Number, err)
		}
		if diff := cmp.Diff(ct, w); diff != "" {
			t.Errorf("certification %d is not canonical:\n%s", i, diff)
		}
	}
}

func TestCatalogue_Shape(t *testing.T) {
	ref := reference(t)
	c := synth.New(1, ref).Catalogue(3000)
	n := float64(len(c.Vendors))

	vats := map[string]bool{}
	big, sme, active := 0, 0, 0
	for _, v := range c.Vendors {
		if vats[v.VATNumber] {
			t.Errorf("VAT number %s twice", v.VATNumber)
		}
		vats[v.VATNumber] = true
		prefix := map[string]string{"GR": "EL", "GB": "XI"}[v.Country]
		if prefix == "" {
			prefix = v.Country
		}
		if !strings.HasPrefix(v.VATNumber, prefix) {
			t.Errorf("vendor in %s has VAT number %s", v.Country, v.VATNumber)
		}
		if slices.Contains([]string{"DE", "FR", "IT", "ES", "NL", "PL"}, v.Country) {
			big++
		}
		if v.Size != catalog.SizeLarge {
			sme++
		}
		if v.Status == catalog.VendorActive {
			active++
		}
	}
	if share := float64(big) / n; share < 0.5 || share > 0.8 {
		t.Errorf("%.0f%% of vendors in the six large markets, want most but not all", 100*share)
	}
	if share := float64(sme) / n; share < 0.8 {
		t.Errorf("%.0f%% SMEs, want a mix skewed to SMEs", 100*share)
	}
	if share := float64(active) / n; share < 0.9 || share == 1 {
		t.Errorf("%.0f%% active vendors, want most", 100*share)
	}

	byVendor := map[uuid.UUID][]catalog.Offering{}
	published := 0
	for _, o := range c.Offerings {
		byVendor[o.VendorID] = append(byVendor[o.VendorID], o)
		if o.Status == catalog.OfferingPublished {
			published++
		}
		if !slices.Contains(o.Languages, "en") {
			t.Errorf("offering %s without English", o.Name)
		}
		for _, cc := range o.Countries {
			if cty, ok := ref.Country(cc); ok && !slices.ContainsFunc(cty.Languages, func(l string) bool { return slices.Contains(o.Languages, l) }) {
				t.Errorf("offering %s serves %s in none of its languages %v", o.Name, cc, o.Languages)
			}
		}
	}
	if share := float64(published) / float64(len(c.Offerings)); share < 0.8 || share == 1 {
		t.Errorf("%.0f%% published offerings, want most", 100*share)
	}
	for _, v := range c.Vendors {
		os := byVendor[v.ID]
		if len(os) < 1 || len(os) > 5 {
			t.Errorf("vendor %s has %d offerings", v.LegalName, len(os))
		}
		cats := map[string]bool{}
		for _, o := range os {
			if cats[o.Category] {
				t.Errorf("vendor %s has two %s offerings", v.LegalName, o.Category)
			}
			cats[o.Category] = true
		}
	}

	vendors := map[uuid.UUID]catalog.Vendor{}
	for _, v := range c.Vendors {
		vendors[v.ID] = v
	}
	offerings := map[uuid.UUID]catalog.Offering{}
	for _, o := range c.Offerings {
		offerings[o.ID] = o
	}
	iso, expired, national, domestic := 0, 0, 0, 0
	statuses := map[catalog.Verification]int{}
	for _, ct := range c.Certifications {
		v := vendors[ct.VendorID]
		s, ok := ref.Scheme(ct.Scheme)
		if !ok || s.Status != compliance.SchemeActive {
			t.Fatalf("certification of scheme %q (known %v, status %s)", ct.Scheme, ok, s.Status)
		}
		if ct.Level != "" && !slices.Contains(s.Levels, ct.Level) || ct.Level == "" && len(s.Levels) > 0 {
			t.Errorf("%s at level %q, scheme levels %v", ct.Scheme, ct.Level, s.Levels)
		}
		for _, id := range ct.OfferingIDs {
			if offerings[id].VendorID != ct.VendorID {
				t.Errorf("certification %s covers an offering of another vendor", ct.Number)
			}
		}
		if ct.Scheme == "iso-iec-27001" {
			iso++
		}
		if ct.ValidUntil.Before(synth.Today) {
			expired++
		}
		if s.Jurisdiction != "" && s.Jurisdiction != "EU" && s.Jurisdiction != "EEA" {
			national++
			if s.Jurisdiction == v.Country {
				domestic++
			}
		}
		statuses[ct.Status]++
	}
	if share := float64(iso) / n; share < 0.4 {
		t.Errorf("ISO 27001 held by %.0f%% of vendors, want it common", 100*share)
	}
	if share := float64(expired) / float64(len(c.Certifications)); share < 0.05 || share > 0.25 {
		t.Errorf("%.0f%% expired certifications, want some", 100*share)
	}
	if national == 0 || float64(domestic)/float64(national) < 0.6 {
		t.Errorf("%d of %d national certifications domestic, want most", domestic, national)
	}
	for _, st := range []catalog.Verification{catalog.SelfDeclared, catalog.Verified, catalog.Rejected, catalog.Suspended, catalog.Withdrawn} {
		if statuses[st] == 0 {
			t.Errorf("no %s certification", st)
		}
	}
	if statuses[catalog.Verified] < statuses[catalog.SelfDeclared] || statuses[catalog.SelfDeclared] < 5*statuses[catalog.Rejected] {
		t.Errorf("status mix %v: want mostly verified, then self-declared", statuses)
	}
}

func TestCatalogue_Profiles(t *testing.T) {
	ref := reference(t)
	c := synth.New(3, ref).Catalogue(500)
	ps := c.Profiles()
	if len(ps) != len(c.Offerings) {
		t.Fatalf("%d profiles for %d offerings", len(ps), len(c.Offerings))
	}
	certs := map[uuid.UUID]catalog.Certification{}
	for _, ct := range c.Certifications {
		certs[ct.ID] = ct
	}
	held := 0
	for i, p := range ps {
		o := c.Offerings[i]
		if p.Offering != o.ID || p.Vendor != o.VendorID || p.Category != o.Category {
			t.Fatalf("profile %d is not offering %d", i, i)
		}
		for _, h := range p.Certifications {
			ct := certs[h.ID]
			if ct.VendorID != o.VendorID || (len(ct.OfferingIDs) > 0 && !slices.Contains(ct.OfferingIDs, o.ID)) {
				t.Errorf("profile %d holds certification %s that does not cover it", i, ct.Number)
			}
			held++
		}
	}
	if held == 0 {
		t.Fatal("no profile holds a certification")
	}
	// The engine takes them all; some offerings are eligible somewhere.
	e := compliance.NewEngine(ref)
	eligible := 0
	for _, p := range ps {
		for _, el := range e.Eligibility(p, synth.Today) {
			eligible += map[bool]int{true: 1}[el.Eligible]
		}
	}
	if eligible == 0 {
		t.Error("no offering is eligible anywhere")
	}
}
