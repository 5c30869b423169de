package catalog

import (
	"context"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// The reads of the search index: the source rows of its documents, in bulk
// and in one snapshot, with the columns a document needs.

// IndexEntry is an offering with its vendor and the vendor's
// certifications: the source of a search document. It carries the fields a
// document reads: of the offering every field but CreatedAt; of the vendor
// its id, names, country, establishments, size, website, status and
// version (no contact or registration numbers); of the certifications their
// id, vendor, scheme, level, validity, status, version and offerings.
type IndexEntry struct {
	Vendor         Vendor
	Offering       Offering
	Certifications []Certification // all of the vendor's; the engine picks those that cover the offering
}

const indexEntryColumns = `o.id, o.vendor_id, o.name, o.category, o.cpv_codes, o.summary, o.description, o.delivery,
	o.countries, o.languages, o.data_locations, o.cleared_in, o.healthcare_references, o.status, o.version,
	o.updated_at, v.legal_name, v.trading_name, v.country, v.established_in, v.size, v.website, v.status, v.version`

// vendorsPerRead is how many vendors' offerings one read of the public
// entries fetches.
const vendorsPerRead = 2000

// IndexEntries returns the offerings with ids that exist, public or not,
// with their vendors and the vendors' certifications, read in one snapshot.
func (s *Store) IndexEntries(ctx context.Context, ids []uuid.UUID) (_ []IndexEntry, err error) {
	defer wrap(&err, "catalog.IndexEntries")
	var out []IndexEntry
	err = pgx.BeginTxFunc(ctx, s.pool, snapshot, func(tx pgx.Tx) error {
		out, err = indexEntries(ctx, tx, `SELECT `+indexEntryColumns+`
			FROM offerings o JOIN vendors v ON v.id = o.vendor_id
			WHERE o.id = ANY($1)`, ids)
		return err
	})
	return out, translate(err)
}

// EachPublicEntry calls fn with the entries of every public offering, in
// chunks (offering order within a vendor chunk), all read in one snapshot.
// It stops at the first error of fn and returns it.
func (s *Store) EachPublicEntry(ctx context.Context, fn func([]IndexEntry) error) (err error) {
	defer wrap(&err, "catalog.EachPublicEntry")
	return translate(pgx.BeginTxFunc(ctx, s.pool, snapshot, func(tx pgx.Tx) error {
		return eachPublicEntry(ctx, tx, fn)
	}))
}

// CountPublicOfferings returns how many offerings are public.
func (s *Store) CountPublicOfferings(ctx context.Context) (n int64, err error) {
	defer wrap(&err, "catalog.CountPublicOfferings")
	err = s.pool.QueryRow(ctx, `SELECT count(*) FROM offerings o WHERE `+publicOffering).Scan(&n)
	return n, translate(err)
}

// snapshot reads everything as of one moment.
var snapshot = pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}

// eachPublicEntry reads the public entries within tx, vendorsPerRead active
// vendors at a time.
func eachPublicEntry(ctx context.Context, tx pgx.Tx, fn func([]IndexEntry) error) error {
	after := uuid.Nil
	for {
		rows, err := tx.Query(ctx, `SELECT id FROM vendors WHERE id > $1 AND status = 'active' ORDER BY id LIMIT $2`,
			after, vendorsPerRead)
		if err != nil {
			return err
		}
		vendors, err := pgx.CollectRows(rows, pgx.RowTo[uuid.UUID])
		if err != nil || len(vendors) == 0 {
			return err
		}
		after = vendors[len(vendors)-1]
		entries, err := indexEntries(ctx, tx, `SELECT `+indexEntryColumns+`
			FROM offerings o JOIN vendors v ON v.id = o.vendor_id
			WHERE o.vendor_id = ANY($1) AND `+publicOffering+`
			ORDER BY o.id`, vendors)
		if err != nil {
			return err
		}
		if err := fn(entries); err != nil {
			return err
		}
	}
}

// indexEntries runs query (indexEntryColumns, with ids as $1) and adds the
// vendors' certifications.
func indexEntries(ctx context.Context, tx pgx.Tx, query string, ids []uuid.UUID) ([]IndexEntry, error) {
	rows, err := tx.Query(ctx, query, ids)
	if err != nil {
		return nil, err
	}
	entries, err := pgx.CollectRows(rows, scanIndexEntry)
	if err != nil || len(entries) == 0 {
		return entries, err
	}
	vendorIDs := make([]uuid.UUID, 0, len(entries))
	seen := make(map[uuid.UUID]bool, len(entries))
	for _, e := range entries {
		if !seen[e.Vendor.ID] {
			seen[e.Vendor.ID] = true
			vendorIDs = append(vendorIDs, e.Vendor.ID)
		}
	}
	certs, err := indexCertifications(ctx, tx, vendorIDs)
	if err != nil {
		return nil, err
	}
	for i := range entries {
		entries[i].Certifications = certs[entries[i].Vendor.ID]
	}
	return entries, nil
}

func scanIndexEntry(r pgx.CollectableRow) (IndexEntry, error) {
	var e IndexEntry
	o, v := &e.Offering, &e.Vendor
	err := r.Scan(&o.ID, &o.VendorID, &o.Name, &o.Category, &o.CPVCodes, &o.Summary, &o.Description,
		&o.Delivery, &o.Countries, &o.Languages, &o.DataLocations, &o.ClearedIn, &o.HealthcareReferences,
		&o.Status, &o.Version, &o.UpdatedAt,
		&v.LegalName, &v.TradingName, &v.Country, &v.EstablishedIn, &v.Size, &v.Website, &v.Status, &v.Version)
	v.ID = o.VendorID
	return e, err
}

// indexCertifications returns the certifications of the vendors, by vendor,
// with the fields eligibility needs.
func indexCertifications(ctx context.Context, tx pgx.Tx, vendors []uuid.UUID) (map[uuid.UUID][]Certification, error) {
	rows, err := tx.Query(ctx, `
		SELECT c.id, c.vendor_id, c.scheme, coalesce(c.level, ''), c.valid_from, c.valid_until, c.status, c.version,
			coalesce((SELECT array_agg(co.offering_id) FROM certification_offerings co WHERE co.certification_id = c.id), '{}')
		FROM certifications c
		WHERE c.vendor_id = ANY($1)`, vendors)
	if err != nil {
		return nil, err
	}
	out := map[uuid.UUID][]Certification{}
	var c Certification
	_, err = pgx.ForEachRow(rows, []any{&c.ID, &c.VendorID, &c.Scheme, &c.Level, &c.ValidFrom, &c.ValidUntil,
		&c.Status, &c.Version, &c.OfferingIDs}, func() error {
		c.ValidFrom, c.ValidUntil = Day(c.ValidFrom), Day(c.ValidUntil)
		out[c.VendorID] = append(out[c.VendorID], c)
		c = Certification{}
		return nil
	})
	return out, err
}
