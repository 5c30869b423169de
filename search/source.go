package search

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/cybermarket/cybermarket/catalog"
)

// The search package reads the catalogue tables directly, with the columns a
// document needs, so that loading runs inside the worker's transaction and
// in bulk. Writes stay with package catalog.

// querier runs queries: a pool, a connection or a transaction.
type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
}

// entry is an offering with its vendor and the vendor's certifications.
type entry struct {
	vendor   catalog.Vendor
	offering catalog.Offering
	certs    []catalog.Certification
}

const entryColumns = `o.id, o.vendor_id, o.name, o.category, o.cpv_codes, o.summary, o.description, o.delivery,
	o.countries, o.languages, o.data_locations, o.cleared_in, o.healthcare_references, o.status, o.version,
	o.updated_at, v.legal_name, v.trading_name, v.country, v.established_in, v.size, v.website, v.status, v.version`

// loadOfferings returns the offerings with the given ids that still exist,
// with their vendors and the vendors' certifications.
func loadOfferings(ctx context.Context, q querier, ids []uuid.UUID) ([]entry, error) {
	return loadEntries(ctx, q, `SELECT `+entryColumns+`
		FROM offerings o JOIN vendors v ON v.id = o.vendor_id
		WHERE o.id = ANY($1)`, ids)
}

// loadPublicOfVendors returns the public offerings of the given vendors.
func loadPublicOfVendors(ctx context.Context, q querier, vendors []uuid.UUID) ([]entry, error) {
	return loadEntries(ctx, q, `SELECT `+entryColumns+`
		FROM offerings o JOIN vendors v ON v.id = o.vendor_id
		WHERE o.vendor_id = ANY($1) AND o.status = 'published' AND v.status = 'active'
		ORDER BY o.id`, vendors)
}

func loadEntries(ctx context.Context, q querier, sql string, ids []uuid.UUID) ([]entry, error) {
	rows, err := q.Query(ctx, sql, ids)
	if err != nil {
		return nil, fmt.Errorf("load offerings: %w", err)
	}
	entries, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (entry, error) {
		var e entry
		o, v := &e.offering, &e.vendor
		err := r.Scan(&o.ID, &o.VendorID, &o.Name, &o.Category, &o.CPVCodes, &o.Summary, &o.Description,
			&o.Delivery, &o.Countries, &o.Languages, &o.DataLocations, &o.ClearedIn, &o.HealthcareReferences,
			&o.Status, &o.Version, &o.UpdatedAt,
			&v.LegalName, &v.TradingName, &v.Country, &v.EstablishedIn, &v.Size, &v.Website, &v.Status, &v.Version)
		v.ID = o.VendorID
		return e, err
	})
	if err != nil {
		return nil, fmt.Errorf("load offerings: %w", err)
	}
	if len(entries) == 0 {
		return entries, nil
	}
	vendorIDs := make([]uuid.UUID, 0, len(entries))
	seen := make(map[uuid.UUID]bool, len(entries))
	for _, e := range entries {
		if !seen[e.vendor.ID] {
			seen[e.vendor.ID] = true
			vendorIDs = append(vendorIDs, e.vendor.ID)
		}
	}
	certs, err := loadCertifications(ctx, q, vendorIDs)
	if err != nil {
		return nil, err
	}
	for i := range entries {
		entries[i].certs = certs[entries[i].vendor.ID]
	}
	return entries, nil
}

// loadCertifications returns the certifications of the vendors, by vendor,
// with the fields eligibility needs.
func loadCertifications(ctx context.Context, q querier, vendors []uuid.UUID) (map[uuid.UUID][]catalog.Certification, error) {
	rows, err := q.Query(ctx, `
		SELECT c.id, c.vendor_id, c.scheme, coalesce(c.level, ''), c.valid_from, c.valid_until, c.status, c.version,
			coalesce((SELECT array_agg(co.offering_id) FROM certification_offerings co WHERE co.certification_id = c.id), '{}')
		FROM certifications c
		WHERE c.vendor_id = ANY($1)`, vendors)
	if err != nil {
		return nil, fmt.Errorf("load certifications: %w", err)
	}
	out := map[uuid.UUID][]catalog.Certification{}
	var c catalog.Certification
	_, err = pgx.ForEachRow(rows, []any{&c.ID, &c.VendorID, &c.Scheme, &c.Level, &c.ValidFrom, &c.ValidUntil,
		&c.Status, &c.Version, &c.OfferingIDs}, func() error {
		c.ValidFrom, c.ValidUntil = catalog.Day(c.ValidFrom), catalog.Day(c.ValidUntil)
		out[c.VendorID] = append(out[c.VendorID], c)
		c = catalog.Certification{}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load certifications: %w", err)
	}
	return out, nil
}
