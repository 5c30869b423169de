package openapi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/cybermarket/cybermarket/catalog"
	"github.com/cybermarket/cybermarket/catalog/catalogtest"
	"github.com/cybermarket/cybermarket/openapi"
)

// BenchmarkChangeFeed reads 10,000 changes from the start, in pages of
// 1,000, through the whole handler: one op is the 10,000.
func BenchmarkChangeFeed(b *testing.B) {
	store, _ := catalogtest.NewStore(b)
	ctx := context.Background()
	for v := 0; ; v++ {
		head, err := store.HeadPosition(ctx)
		if err != nil {
			b.Fatal(err)
		}
		if head >= 10_000 {
			break
		}
		vendorWithOfferings(b, store, catalog.WithVATCheckDigits(fmt.Sprintf("DE7%07d0", v)), 100)
	}
	h := openapi.New(openapi.Deps{Catalog: store, Limits: noLimits})
	for b.Loop() {
		var after int64
		for range 10 {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, fmt.Sprintf("/v1/changes?after=%d&limit=1000", after), nil))
			var p changePage
			if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil || rec.Code != http.StatusOK || len(p.Changes) != 1000 {
				b.Fatalf("status %d, %d changes, %v", rec.Code, len(p.Changes), err)
			}
			after = p.NextAfter
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/1e6, "ms/10k-changes")
}

// vendorWithOfferings stores an active vendor with n published offerings
// and n/10 certifications, then suspends and readmits it twice: about 6n
// changes.
func vendorWithOfferings(b *testing.B, store *catalog.Store, vat string, n int) {
	b.Helper()
	ctx := context.Background()
	bundle := catalog.Bundle{Vendor: catalog.Vendor{
		LegalName: "Bench GmbH (fictional)", VATNumber: vat, Country: "DE", Size: catalog.SizeSmall,
		Contact: catalog.Contact{Email: "bench@example.de"}, Status: catalog.VendorActive,
	}}
	for i := range n {
		bundle.Offerings = append(bundle.Offerings, catalog.Offering{
			Name: fmt.Sprintf("Service %d", i), Category: "incident-response", Summary: map[string]string{"en": "On-call DFIR team."},
			Delivery: catalog.DeliveryHybrid, Countries: []string{"DE"}, Languages: []string{"de"}, Status: catalog.OfferingPublished,
		})
		if i%10 == 0 {
			c := catalog.Certification{Scheme: "iso-iec-27001", Number: fmt.Sprintf("ISMS-%d", i), Issuer: "Example CB (fictional)",
				ValidFrom: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), ValidUntil: time.Date(2027, 12, 31, 0, 0, 0, 0, time.UTC)}
			bundle.Certifications = append(bundle.Certifications, catalog.BundleCertification{Certification: c, Covers: []int{i}})
		}
	}
	out, err := store.CreateBundle(ctx, bundle)
	if err != nil {
		b.Fatal(err)
	}
	for _, s := range []catalog.VendorStatus{catalog.VendorSuspended, catalog.VendorActive, catalog.VendorSuspended, catalog.VendorActive} {
		if _, err := store.SetVendorStatus(ctx, out.Vendor.ID, 0, s); err != nil {
			b.Fatal(err)
		}
	}
}
