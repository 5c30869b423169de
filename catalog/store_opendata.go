package catalog

import (
	"context"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// StreamPublicListings reads every public offering (published, of an active
// vendor) with its vendor and the vendor's public certifications
// (self-declared or verified), in offering id order, in one read-only
// repeatable-read snapshot. It first calls start with the change-log
// position that snapshot reflects (every change up to it, none after), then
// each for every listing as it is read: the offerings are never held in
// memory together (the vendors and their certifications are). An error from
// start or each stops the read and is returned as it is.
func (s *Store) StreamPublicListings(ctx context.Context, start func(position int64) error, each func(Listing) error) (err error) {
	defer wrap(&err, "catalog.StreamPublicListings")
	return pgx.BeginTxFunc(ctx, s.pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		// The first statement fixes the snapshot: the counter it reads is
		// the last position committed before it.
		var pos int64
		if err := tx.QueryRow(ctx, `SELECT position FROM change_counter`).Scan(&pos); err != nil {
			return translate(err)
		}
		vendors, certs, err := publicVendorsIn(ctx, tx)
		if err != nil {
			return translate(err)
		}
		if err := start(pos); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `SELECT `+offeringColumns+` FROM offerings o WHERE `+publicOffering+` ORDER BY o.id`)
		if err != nil {
			return translate(err)
		}
		defer rows.Close()
		for rows.Next() {
			o, err := scanOffering(rows)
			if err != nil {
				return translate(err)
			}
			v, ok := vendors[o.VendorID]
			if !ok {
				continue
			}
			if err := each(Listing{Vendor: v, Offering: o, Certifications: certs[o.VendorID]}); err != nil {
				return err
			}
		}
		return translate(rows.Err())
	})
}

// publicVendorsIn reads the active vendors and their public certifications
// within tx, by vendor id.
func publicVendorsIn(ctx context.Context, tx pgx.Tx) (map[uuid.UUID]Vendor, map[uuid.UUID][]Certification, error) {
	rows, err := tx.Query(ctx, `SELECT `+vendorColumns+` FROM vendors WHERE status = 'active'`)
	if err != nil {
		return nil, nil, err
	}
	vendors, err := byID(rows, scanVendor, func(v Vendor) uuid.UUID { return v.ID })
	if err != nil {
		return nil, nil, err
	}
	rows, err = tx.Query(ctx, `SELECT `+certificationColumns+` FROM certifications c
		JOIN vendors v ON v.id = c.vendor_id AND v.status = 'active'
		WHERE c.status IN ('self-declared', 'verified') ORDER BY c.id`)
	if err != nil {
		return nil, nil, err
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Certification, error) { return scanCertification(r) })
	if err != nil {
		return nil, nil, err
	}
	certs := map[uuid.UUID][]Certification{}
	for _, c := range list {
		certs[c.VendorID] = append(certs[c.VendorID], c)
	}
	return vendors, certs, nil
}
