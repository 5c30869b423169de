package catalog

import (
	"context"
	"maps"
	"slices"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

const offeringColumns = `id, vendor_id, name, category, cpv_codes, summary, description, delivery, countries,
	languages, data_locations, cleared_in, healthcare_references, status, version, created_at, updated_at`

func scanOffering(row pgx.Row) (Offering, error) {
	var o Offering
	err := row.Scan(&o.ID, &o.VendorID, &o.Name, &o.Category, &o.CPVCodes, &o.Summary, &o.Description,
		&o.Delivery, &o.Countries, &o.Languages, &o.DataLocations, &o.ClearedIn, &o.HealthcareReferences,
		&o.Status, &o.Version, &o.CreatedAt, &o.UpdatedAt)
	o.CreatedAt, o.UpdatedAt = utc(o.CreatedAt), utc(o.UpdatedAt)
	if o.HealthcareReferences == nil {
		o.HealthcareReferences = []Reference{}
	}
	return o, err
}

// OfferingFilter selects offerings for ListOfferings. Zero fields do not filter.
type OfferingFilter struct {
	VendorID uuid.UUID
	Category string
	Status   OfferingStatus
	Country  string // a country the offering serves
	Language string // a support language
	Cursor   string
	Limit    int
	// Viewer is whose eyes the list is for; the zero Viewer sees public offerings only.
	Viewer Viewer
}

// CreateOffering normalizes and validates o, then stores it under its
// vendor (o.VendorID) with a new id and version 1. It returns ErrNotFound
// when the vendor does not exist and *ValidationError for invalid values,
// including a category the reference taxonomy does not know.
func (s *Store) CreateOffering(ctx context.Context, o Offering) (_ Offering, err error) {
	defer wrap(&err, "catalog.CreateOffering")
	var created Offering
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		created, err = createOffering(ctx, tx, o)
		return err
	})
	return created, err
}

func createOffering(ctx context.Context, tx pgx.Tx, o Offering) (Offering, error) {
	if err := o.Clean(); err != nil {
		return Offering{}, err
	}
	o.ID = newID()
	created, err := scanOffering(tx.QueryRow(ctx, `
		INSERT INTO offerings (id, vendor_id, name, category, cpv_codes, summary, description, delivery,
			countries, languages, data_locations, cleared_in, healthcare_references, status)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
		RETURNING `+offeringColumns,
		o.ID, o.VendorID, o.Name, o.Category, o.CPVCodes, o.Summary, o.Description, o.Delivery,
		o.Countries, o.Languages, o.DataLocations, o.ClearedIn, o.HealthcareReferences, o.Status))
	if err != nil {
		return Offering{}, translate(err)
	}
	return created, record(ctx, tx, change{action: "create", entity: "offering", id: created.ID, vendorID: created.VendorID,
		after: created, offerings: []uuid.UUID{created.ID}})
}

// FindOffering returns the offering with id, or ErrNotFound.
func (s *Store) FindOffering(ctx context.Context, id uuid.UUID) (_ Offering, err error) {
	defer wrap(&err, "catalog.FindOffering(%s)", id)
	o, err := scanOffering(s.pool.QueryRow(ctx, `SELECT `+offeringColumns+` FROM offerings WHERE id = $1`, id))
	return o, translate(err)
}

// ListOfferings returns one page of the offerings f.Viewer may see, in creation order.
func (s *Store) ListOfferings(ctx context.Context, f OfferingFilter) (_ Page[Offering], err error) {
	defer wrap(&err, "catalog.ListOfferings")
	after, err := parseCursor(f.Cursor)
	if err != nil {
		return Page[Offering]{}, err
	}
	size := pageSize(f.Limit)
	rows, err := s.pool.Query(ctx, `
		SELECT `+offeringColumns+` FROM offerings o
		WHERE id > $1
		  AND ($2::uuid IS NULL OR vendor_id = $2)
		  AND ($3 = '' OR category = $3)
		  AND ($4 = '' OR status = $4)
		  AND ($5 = '' OR countries @> ARRAY[$5::text])
		  AND ($6 = '' OR languages @> ARRAY[$6::text])
		  AND ($8 OR vendor_id = $9 OR `+publicOffering+`)
		ORDER BY id
		LIMIT $7`,
		after, nullID(f.VendorID), f.Category, string(f.Status), f.Country, f.Language, size+1, f.Viewer.Staff, f.Viewer.ownID())
	if err != nil {
		return Page[Offering]{}, translate(err)
	}
	items, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Offering, error) { return scanOffering(r) })
	if err != nil {
		return Page[Offering]{}, translate(err)
	}
	return makePage(items, size, func(o Offering) uuid.UUID { return o.ID }), nil
}

// UpdateOffering changes the offering with id like UpdateVendor does: row
// lock, version check (ifVersion > 0), change on a copy, normalize, validate,
// store with the next version. The vendor of an offering cannot change.
func (s *Store) UpdateOffering(ctx context.Context, id uuid.UUID, ifVersion int64, edit func(*Offering) error) (_ Offering, err error) {
	defer wrap(&err, "catalog.UpdateOffering(%s)", id)
	return s.updateOffering(ctx, "update", id, ifVersion, edit)
}

func (s *Store) updateOffering(ctx context.Context, action string, id uuid.UUID, ifVersion int64, edit func(*Offering) error) (_ Offering, err error) {
	var updated Offering
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		cur, err := scanOffering(tx.QueryRow(ctx, `SELECT `+offeringColumns+` FROM offerings WHERE id = $1 FOR UPDATE`, id))
		if err != nil {
			return translate(err)
		}
		if err := checkVersion(ifVersion, cur.Version); err != nil {
			return err
		}
		next := cur.clone()
		if err := edit(&next); err != nil {
			return err
		}
		next.ID, next.VendorID, next.Version, next.CreatedAt, next.UpdatedAt = cur.ID, cur.VendorID, cur.Version, cur.CreatedAt, cur.UpdatedAt
		if err := next.Clean(); err != nil {
			return err
		}
		updated, err = scanOffering(tx.QueryRow(ctx, `
			UPDATE offerings SET name = $2, category = $3, cpv_codes = $4, summary = $5, description = $6,
				delivery = $7, countries = $8, languages = $9, data_locations = $10, cleared_in = $11,
				healthcare_references = $12, status = $13, version = version + 1, updated_at = now()
			WHERE id = $1
			RETURNING `+offeringColumns,
			id, next.Name, next.Category, next.CPVCodes, next.Summary, next.Description, next.Delivery,
			next.Countries, next.Languages, next.DataLocations, next.ClearedIn, next.HealthcareReferences, next.Status))
		if err != nil {
			return translate(err)
		}
		return record(ctx, tx, change{action: action, entity: "offering", id: id, vendorID: cur.VendorID,
			before: cur, after: updated, offerings: []uuid.UUID{id}})
	})
	return updated, err
}

// WithdrawOffering sets the offering's status to withdrawn: it leaves the
// public catalogue but stays on record. Withdrawing twice is not an error.
func (s *Store) WithdrawOffering(ctx context.Context, id uuid.UUID, ifVersion int64) (_ Offering, err error) {
	defer wrap(&err, "catalog.WithdrawOffering(%s)", id)
	return s.updateOffering(ctx, "withdraw", id, ifVersion, func(o *Offering) error {
		o.Status = OfferingWithdrawn
		return nil
	})
}

// clone returns a deep copy, so a change function cannot alter the original.
func (o Offering) clone() Offering {
	c := o
	c.CPVCodes = slices.Clone(o.CPVCodes)
	c.Countries = slices.Clone(o.Countries)
	c.Languages = slices.Clone(o.Languages)
	c.DataLocations = slices.Clone(o.DataLocations)
	c.ClearedIn = slices.Clone(o.ClearedIn)
	c.HealthcareReferences = slices.Clone(o.HealthcareReferences)
	c.Summary = maps.Clone(o.Summary)
	c.Description = maps.Clone(o.Description)
	return c
}

// nullID maps the zero UUID to SQL NULL for optional filters.
func nullID(id uuid.UUID) *uuid.UUID {
	if id == uuid.Nil {
		return nil
	}
	return &id
}
