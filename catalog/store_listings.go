package catalog

import (
	"context"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// Listing is a public offering with its vendor and the vendor's
// certifications: what the burden engine and the search index need.
type Listing struct {
	Vendor         Vendor
	Offering       Offering
	Certifications []Certification // all of the vendor's; the engine picks those that cover the offering
}

// VendorCertifications returns every certification of a vendor, oldest first.
func (s *Store) VendorCertifications(ctx context.Context, vendorID uuid.UUID) (_ []Certification, err error) {
	defer wrap(&err, "catalog.VendorCertifications(%s)", vendorID)
	rows, err := s.pool.Query(ctx, `SELECT `+certificationColumns+` FROM certifications c WHERE c.vendor_id = $1 ORDER BY c.id`, vendorID)
	if err != nil {
		return nil, translate(err)
	}
	certs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Certification, error) { return scanCertification(r) })
	return certs, translate(err)
}

// PublicListings returns every public offering (published, of an active
// vendor) with its vendor and the vendor's certifications, read in one
// repeatable-read snapshot so that the three parts agree.
func (s *Store) PublicListings(ctx context.Context) (_ []Listing, err error) {
	defer wrap(&err, "catalog.PublicListings")
	var out []Listing
	err = pgx.BeginTxFunc(ctx, s.pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT `+vendorColumns+` FROM vendors WHERE status = 'active'`)
		if err != nil {
			return err
		}
		vendors, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Vendor, error) { return scanVendor(r) })
		if err != nil {
			return err
		}
		byID := make(map[uuid.UUID]int, len(vendors))
		for i, v := range vendors {
			byID[v.ID] = i
		}
		rows, err = tx.Query(ctx, `
			SELECT c.id, c.vendor_id, c.scheme, coalesce(c.level, ''), c.number, c.issuer, c.scope,
				c.valid_from, c.valid_until, c.evidence_url, c.evidence_sha256, c.status, c.verified_by, c.verified_at,
				c.status_reason, c.version, c.created_at, c.updated_at,
				coalesce(array_agg(co.offering_id ORDER BY co.offering_id) FILTER (WHERE co.offering_id IS NOT NULL), '{}')
			FROM certifications c JOIN vendors v ON v.id = c.vendor_id AND v.status = 'active'
			LEFT JOIN certification_offerings co ON co.certification_id = c.id
			GROUP BY c.id`)
		if err != nil {
			return err
		}
		certs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Certification, error) { return scanCertification(r) })
		if err != nil {
			return err
		}
		certsOf := make(map[uuid.UUID][]Certification)
		for _, c := range certs {
			certsOf[c.VendorID] = append(certsOf[c.VendorID], c)
		}
		rows, err = tx.Query(ctx, `SELECT `+offeringColumns+` FROM offerings o
			WHERE `+publicOffering+`
			ORDER BY o.id`)
		if err != nil {
			return err
		}
		offerings, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Offering, error) { return scanOffering(r) })
		if err != nil {
			return err
		}
		out = make([]Listing, 0, len(offerings))
		for _, o := range offerings {
			i, ok := byID[o.VendorID]
			if !ok {
				continue
			}
			out = append(out, Listing{Vendor: vendors[i], Offering: o, Certifications: certsOf[o.VendorID]})
		}
		return nil
	})
	return out, translate(err)
}
