package catalog_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/cybermarket/cybermarket/catalog"
	"github.com/cybermarket/cybermarket/catalog/catalogtest"
)

func TestMain(m *testing.M) {
	os.Exit(catalogtest.Main(m, seed))
}

// seed loads the few reference rows these tests point at.
func seed(ctx context.Context, url string) error {
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, `
		INSERT INTO categories (slug, name) VALUES
			('incident-response', 'Incident response'), ('penetration-testing', 'Penetration testing');
		INSERT INTO schemes (id, name) VALUES ('iso-iec-27001', 'ISO/IEC 27001'), ('eucc', 'EUCC');
		INSERT INTO scheme_levels (scheme_id, level, rank) VALUES ('eucc', 'substantial', 1), ('eucc', 'high', 2);`)
	return err
}

var ctx = context.Background()

func vendor(vat string) catalog.Vendor {
	return catalog.Vendor{
		LegalName: "Nordlicht Cyber Defence GmbH (fictional)", VATNumber: vat, Country: "DE",
		Size: catalog.SizeSmall, Contact: catalog.Contact{Email: "tenders@nordlicht.example"},
	}
}

func offering(vendorID uuid.UUID) catalog.Offering {
	return catalog.Offering{
		VendorID: vendorID, Name: "Incident response retainer", Category: "incident-response",
		Summary: map[string]string{"en": "On-call DFIR team."}, Delivery: catalog.DeliveryHybrid,
		Countries: []string{"DE", "AT"}, Languages: []string{"de", "en"}, Status: catalog.OfferingPublished,
	}
}

func certification(vendorID uuid.UUID, offerings ...uuid.UUID) catalog.Certification {
	return catalog.Certification{
		VendorID: vendorID, Scheme: "iso-iec-27001", Number: "ISMS-1", Issuer: "Example CB (fictional)",
		OfferingIDs: offerings,
		ValidFrom:   time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), ValidUntil: time.Date(2027, 12, 31, 0, 0, 0, 0, time.UTC),
	}
}

func mustVendor(t *testing.T, s *catalog.Store, vat string) catalog.Vendor {
	t.Helper()
	v, err := s.CreateVendor(ctx, vendor(vat))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func count(t *testing.T, s *catalog.Store, table string) int {
	t.Helper()
	var n int
	if err := s.Pool().QueryRow(ctx, "SELECT count(*) FROM "+pgx.Identifier{table}.Sanitize()).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// fieldOf returns the single field a validation or conflict error names.
func fieldOf(t *testing.T, err error) string {
	t.Helper()
	var verr *catalog.ValidationError
	var cerr *catalog.ConflictError
	switch {
	case errors.As(err, &verr):
		if len(verr.Fields) != 1 {
			t.Fatalf("want one rejected field, got %v", verr)
		}
		return verr.Fields[0].Field
	case errors.As(err, &cerr):
		return cerr.Field
	}
	t.Fatalf("want a validation or conflict error, got %v", err)
	return ""
}

func TestStore_CreateVendor(t *testing.T) {
	t.Parallel()
	s, _ := catalogtest.NewStore(t)

	t.Run("stores normalized values with version 1", func(t *testing.T) {
		in := vendor("de 811.907.980")
		in.EstablishedIn = []string{"at"}
		v, err := s.CreateVendor(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		if v.ID.Version() != 7 {
			t.Errorf("id %s is not a UUIDv7", v.ID)
		}
		if v.VATNumber != "DE811907980" || v.Version != 1 {
			t.Errorf("got VAT %q version %d", v.VATNumber, v.Version)
		}
		if fmt.Sprint(v.EstablishedIn) != "[AT DE]" {
			t.Errorf("established_in = %v, want [AT DE] (head office added)", v.EstablishedIn)
		}
		if v.CreatedAt.Location() != time.UTC || v.CreatedAt.IsZero() {
			t.Errorf("created_at %v is not a UTC time", v.CreatedAt)
		}
		got, err := s.FindVendor(ctx, v.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.LegalName != v.LegalName || got.Version != 1 || !got.CreatedAt.Equal(v.CreatedAt) {
			t.Errorf("read back %+v, want %+v", got, v)
		}
	})

	t.Run("duplicate VAT", func(t *testing.T) {
		mustVendor(t, s, "FR40303265045")
		_, err := s.CreateVendor(ctx, vendor("FR 40 303 265 045"))
		if !errors.Is(err, catalog.ErrConflict) || fieldOf(t, err) != "vat_number" {
			t.Fatalf("got %v, want a conflict on vat_number", err)
		}
	})

	t.Run("invalid value is rejected before the database", func(t *testing.T) {
		in := vendor("DE12")
		_, err := s.CreateVendor(ctx, in)
		if fieldOf(t, err) != "vat_number" {
			t.Fatalf("got %v", err)
		}
	})

	t.Run("unknown id", func(t *testing.T) {
		_, err := s.FindVendor(ctx, uuid.Must(uuid.NewV7()))
		if !errors.Is(err, catalog.ErrNotFound) {
			t.Fatalf("got %v, want ErrNotFound", err)
		}
	})
}

func TestStore_UpdateVendor(t *testing.T) {
	t.Parallel()
	s, _ := catalogtest.NewStore(t)

	t.Run("stale version", func(t *testing.T) {
		v := mustVendor(t, s, "NL123456782B01")
		if _, err := s.UpdateVendor(ctx, v.ID, v.Version, func(v *catalog.Vendor) error { v.TradingName = "A"; return nil }); err != nil {
			t.Fatal(err)
		}
		_, err := s.UpdateVendor(ctx, v.ID, v.Version, func(v *catalog.Vendor) error { v.TradingName = "B"; return nil })
		if !errors.Is(err, catalog.ErrStale) {
			t.Fatalf("got %v, want ErrStale", err)
		}
		got, _ := s.FindVendor(ctx, v.ID)
		if got.TradingName != "A" || got.Version != 2 {
			t.Errorf("got %q v%d, want A v2", got.TradingName, got.Version)
		}
	})

	t.Run("identity cannot change", func(t *testing.T) {
		v := mustVendor(t, s, "BE0123456749")
		got, err := s.UpdateVendor(ctx, v.ID, 0, func(x *catalog.Vendor) error {
			x.ID, x.Version, x.CreatedAt = uuid.New(), 99, time.Time{}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if got.ID != v.ID || got.Version != 2 || !got.CreatedAt.Equal(v.CreatedAt) {
			t.Errorf("got id %s v%d created %v", got.ID, got.Version, got.CreatedAt)
		}
	})

	t.Run("invalid change stores nothing", func(t *testing.T) {
		v := mustVendor(t, s, "AT U12345675")
		_, err := s.UpdateVendor(ctx, v.ID, 0, func(x *catalog.Vendor) error { x.Contact.Email = "nope"; return nil })
		if fieldOf(t, err) != "contact.email" {
			t.Fatalf("got %v", err)
		}
		got, _ := s.FindVendor(ctx, v.ID)
		if got.Version != 1 {
			t.Errorf("version %d after a rejected change", got.Version)
		}
	})

	t.Run("concurrent changes are never lost", func(t *testing.T) {
		v := mustVendor(t, s, "IT12345678903")
		countries := []string{"AT", "BE", "BG", "CY", "CZ", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "LT", "LU"}
		var wg sync.WaitGroup
		errs := make(chan error, len(countries))
		for _, c := range countries {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := s.UpdateVendor(ctx, v.ID, 0, func(x *catalog.Vendor) error {
					x.EstablishedIn = append(x.EstablishedIn, c)
					return nil
				})
				errs <- err
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		got, _ := s.FindVendor(ctx, v.ID)
		if len(got.EstablishedIn) != len(countries)+1 || got.Version != int64(len(countries))+1 {
			t.Errorf("after %d concurrent changes: established_in %v, version %d", len(countries), got.EstablishedIn, got.Version)
		}
	})

	t.Run("concurrent conditional changes: exactly one wins", func(t *testing.T) {
		v := mustVendor(t, s, "ES B12345674")
		const n = 8
		var wg sync.WaitGroup
		results := make(chan error, n)
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := s.UpdateVendor(ctx, v.ID, v.Version, func(x *catalog.Vendor) error {
					x.TradingName = fmt.Sprint("writer ", i)
					return nil
				})
				results <- err
			}()
		}
		wg.Wait()
		close(results)
		won, stale := 0, 0
		for err := range results {
			switch {
			case err == nil:
				won++
			case errors.Is(err, catalog.ErrStale):
				stale++
			default:
				t.Fatal(err)
			}
		}
		if won != 1 || stale != n-1 {
			t.Errorf("won %d, stale %d; want 1 and %d", won, stale, n-1)
		}
	})
}

func TestStore_DeleteVendor(t *testing.T) {
	t.Parallel()
	s, _ := catalogtest.NewStore(t)
	v := mustVendor(t, s, "DE129273398")
	o, err := s.CreateOffering(ctx, offering(v.ID))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateCertification(ctx, certification(v.ID, o.ID)); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteVendor(ctx, v.ID, 7); !errors.Is(err, catalog.ErrStale) {
		t.Fatalf("delete with a stale version: got %v", err)
	}
	if err := s.DeleteVendor(ctx, v.ID, v.Version); err != nil {
		t.Fatal(err)
	}
	for _, table := range []string{"vendors", "offerings", "certifications", "certification_offerings"} {
		if n := count(t, s, table); n != 0 {
			t.Errorf("%d rows left in %s", n, table)
		}
	}
	if err := s.DeleteVendor(ctx, v.ID, 0); !errors.Is(err, catalog.ErrNotFound) {
		t.Errorf("second delete: got %v, want ErrNotFound", err)
	}
}

func TestStore_Offerings(t *testing.T) {
	t.Parallel()
	s, _ := catalogtest.NewStore(t)
	v := mustVendor(t, s, "FI12345678")

	t.Run("unknown category", func(t *testing.T) {
		o := offering(v.ID)
		o.Category = "astrology"
		_, err := s.CreateOffering(ctx, o)
		if fieldOf(t, err) != "category" {
			t.Fatalf("got %v", err)
		}
	})

	t.Run("unknown vendor", func(t *testing.T) {
		_, err := s.CreateOffering(ctx, offering(uuid.Must(uuid.NewV7())))
		if !errors.Is(err, catalog.ErrNotFound) {
			t.Fatalf("got %v, want ErrNotFound", err)
		}
	})

	t.Run("withdraw keeps the record", func(t *testing.T) {
		o, err := s.CreateOffering(ctx, offering(v.ID))
		if err != nil {
			t.Fatal(err)
		}
		w, err := s.WithdrawOffering(ctx, o.ID, o.Version)
		if err != nil {
			t.Fatal(err)
		}
		if w.Status != catalog.OfferingWithdrawn || w.Version != 2 {
			t.Errorf("got %s v%d", w.Status, w.Version)
		}
	})
}

func TestStore_ListOfferings(t *testing.T) {
	t.Parallel()
	s, _ := catalogtest.NewStore(t)
	a, b := mustVendor(t, s, "SE123456789001"), mustVendor(t, s, "DK12345678")
	var want []uuid.UUID
	for i := range 5 {
		o := offering(a.ID)
		if i%2 == 1 {
			o.Category, o.Countries, o.Languages = "penetration-testing", []string{"FR"}, []string{"fr"}
		}
		created, err := s.CreateOffering(ctx, o)
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, created.ID)
	}
	if _, err := s.CreateOffering(ctx, offering(b.ID)); err != nil {
		t.Fatal(err)
	}

	t.Run("pages follow the cursor in creation order", func(t *testing.T) {
		var got []uuid.UUID
		f := catalog.OfferingFilter{VendorID: a.ID, Limit: 2}
		pages := 0
		for {
			p, err := s.ListOfferings(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			pages++
			for _, o := range p.Items {
				got = append(got, o.ID)
			}
			if p.Next == "" {
				break
			}
			f.Cursor = p.Next
		}
		if fmt.Sprint(got) != fmt.Sprint(want) || pages != 3 {
			t.Errorf("got %d pages %v, want 3 pages %v", pages, got, want)
		}
	})

	for _, tc := range []struct {
		name string
		f    catalog.OfferingFilter
		want int
	}{
		{"all", catalog.OfferingFilter{}, 6},
		{"by category", catalog.OfferingFilter{Category: "penetration-testing"}, 2},
		{"by country served", catalog.OfferingFilter{Country: "AT"}, 4},
		{"by language", catalog.OfferingFilter{Language: "fr"}, 2},
		{"by vendor and category", catalog.OfferingFilter{VendorID: b.ID, Category: "incident-response"}, 1},
		{"by status", catalog.OfferingFilter{Status: catalog.OfferingDraft}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := s.ListOfferings(ctx, tc.f)
			if err != nil {
				t.Fatal(err)
			}
			if len(p.Items) != tc.want {
				t.Errorf("got %d offerings, want %d", len(p.Items), tc.want)
			}
		})
	}

	t.Run("foreign cursor", func(t *testing.T) {
		_, err := s.ListOfferings(ctx, catalog.OfferingFilter{Cursor: "not-a-cursor"})
		if !errors.Is(err, catalog.ErrCursor) {
			t.Fatalf("got %v, want ErrCursor", err)
		}
	})
}

func TestStore_Certifications(t *testing.T) {
	t.Parallel()
	s, _ := catalogtest.NewStore(t)
	v, other := mustVendor(t, s, "PL1234567802"), mustVendor(t, s, "CZ12345678")
	mine, err := s.CreateOffering(ctx, offering(v.ID))
	if err != nil {
		t.Fatal(err)
	}
	theirs, err := s.CreateOffering(ctx, offering(other.ID))
	if err != nil {
		t.Fatal(err)
	}

	t.Run("covers own offerings", func(t *testing.T) {
		c, err := s.CreateCertification(ctx, certification(v.ID, mine.ID))
		if err != nil {
			t.Fatal(err)
		}
		if len(c.OfferingIDs) != 1 || c.OfferingIDs[0] != mine.ID || c.Status != catalog.SelfDeclared {
			t.Errorf("got %+v", c)
		}
		p, err := s.ListCertifications(ctx, catalog.CertificationFilter{OfferingID: mine.ID})
		if err != nil || len(p.Items) != 1 {
			t.Errorf("list by offering: %v %v", p.Items, err)
		}
	})

	for _, tc := range []struct {
		name  string
		edit  func(*catalog.Certification)
		field string
	}{
		{"another vendor's offering", func(c *catalog.Certification) { c.OfferingIDs = []uuid.UUID{mine.ID, theirs.ID} }, "offering_ids"},
		{"unknown scheme", func(c *catalog.Certification) { c.Scheme = "iso-9999" }, "scheme"},
		{"unknown level", func(c *catalog.Certification) { c.Scheme, c.Level = "eucc", "basic" }, "level"},
		{"valid_until before valid_from", func(c *catalog.Certification) { c.ValidUntil = c.ValidFrom.AddDate(0, 0, -1) }, "valid_until"},
	} {
		t.Run(tc.name+" stores nothing", func(t *testing.T) {
			before := count(t, s, "certifications")
			c := certification(v.ID)
			c.Number = "N-" + tc.name
			tc.edit(&c)
			_, err := s.CreateCertification(ctx, c)
			if got := fieldOf(t, err); got != tc.field {
				t.Fatalf("rejected %q (%v), want %q", got, err, tc.field)
			}
			if after := count(t, s, "certifications"); after != before {
				t.Errorf("%d certifications before, %d after a failed create", before, after)
			}
		})
	}

	t.Run("same certificate twice", func(t *testing.T) {
		c := certification(v.ID)
		c.Number = "DUP-1"
		if _, err := s.CreateCertification(ctx, c); err != nil {
			t.Fatal(err)
		}
		_, err := s.CreateCertification(ctx, c)
		if !errors.Is(err, catalog.ErrConflict) || fieldOf(t, err) != "number" {
			t.Fatalf("got %v", err)
		}
	})

	t.Run("valid on a day", func(t *testing.T) {
		expired := certification(v.ID)
		expired.Number, expired.ValidFrom, expired.ValidUntil = "OLD-1", time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2022, 12, 31, 0, 0, 0, 0, time.UTC)
		old, err := s.CreateCertification(ctx, expired)
		if err != nil {
			t.Fatal(err)
		}
		day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
		for _, tc := range []struct {
			on   time.Time
			want bool
		}{{day(2022, 12, 31), true}, {day(2023, 1, 1), false}, {day(2020, 1, 1), true}, {day(2019, 12, 31), false}} {
			p, err := s.ListCertifications(ctx, catalog.CertificationFilter{VendorID: v.ID, Scheme: "iso-iec-27001", ValidOn: tc.on})
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, c := range p.Items {
				found = found || c.ID == old.ID
			}
			if found != tc.want || old.ValidOn(tc.on) != tc.want {
				t.Errorf("valid on %s: listed %v, ValidOn %v, want %v", tc.on.Format(time.DateOnly), found, old.ValidOn(tc.on), tc.want)
			}
		}
	})

	t.Run("withdrawn does not count", func(t *testing.T) {
		c := certification(v.ID)
		c.Number = "W-1"
		created, err := s.CreateCertification(ctx, c)
		if err != nil {
			t.Fatal(err)
		}
		w, err := s.WithdrawCertification(ctx, created.ID, created.Version)
		if err != nil {
			t.Fatal(err)
		}
		if w.Status != catalog.Withdrawn || w.ValidOn(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)) {
			t.Errorf("withdrawn certification: status %s, still valid", w.Status)
		}
	})
}

func TestStore_CreateBundle(t *testing.T) {
	t.Parallel()
	s, _ := catalogtest.NewStore(t)

	bundle := func(vat string) catalog.Bundle {
		return catalog.Bundle{
			Vendor:    vendor(vat),
			Offerings: []catalog.Offering{offering(uuid.Nil), offering(uuid.Nil)},
			Certifications: []catalog.BundleCertification{
				{Certification: certification(uuid.Nil), Covers: []int{0, 1}},
			},
		}
	}

	t.Run("all together", func(t *testing.T) {
		b, err := s.CreateBundle(ctx, bundle("LU12345678"))
		if err != nil {
			t.Fatal(err)
		}
		c := b.Certifications[0]
		if len(b.Offerings) != 2 || len(c.OfferingIDs) != 2 || c.VendorID != b.Vendor.ID {
			t.Errorf("got %+v", b)
		}
	})

	for _, tc := range []struct {
		name  string
		edit  func(*catalog.Bundle)
		field string
	}{
		{"bad last certification", func(b *catalog.Bundle) { b.Certifications[0].Scheme = "unknown-scheme" }, "certifications[0].scheme"},
		{"bad second offering", func(b *catalog.Bundle) { b.Offerings[1].Category = "astrology" }, "offerings[1].category"},
		{"cover out of range", func(b *catalog.Bundle) { b.Certifications[0].Covers = []int{0, 2} }, "certifications[0].covers[1]"},
		{"duplicate VAT", func(b *catalog.Bundle) { b.Vendor.VATNumber = "LU12345678" }, "vendor.vat_number"},
	} {
		t.Run(tc.name+" leaves nothing behind", func(t *testing.T) {
			tables := []string{"vendors", "offerings", "certifications", "certification_offerings"}
			before := map[string]int{}
			for _, table := range tables {
				before[table] = count(t, s, table)
			}
			b := bundle("LU87654321")
			tc.edit(&b)
			_, err := s.CreateBundle(ctx, b)
			if got := fieldOf(t, err); got != tc.field {
				t.Fatalf("rejected %q (%v), want %q", got, err, tc.field)
			}
			for _, table := range tables {
				if n := count(t, s, table); n != before[table] {
					t.Errorf("%s: %d rows before, %d after", table, before[table], n)
				}
			}
		})
	}
}
