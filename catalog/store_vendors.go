package catalog

import (
	"context"
	"errors"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

const vendorColumns = `id, legal_name, trading_name, vat_number, lei, euid, country, established_in,
	size, website, contact_name, contact_email, contact_phone, status, version, created_at, updated_at`

func scanVendor(row pgx.Row) (Vendor, error) {
	var v Vendor
	err := row.Scan(&v.ID, &v.LegalName, &v.TradingName, &v.VATNumber, &v.LEI, &v.EUID, &v.Country,
		&v.EstablishedIn, &v.Size, &v.Website, &v.Contact.Name, &v.Contact.Email, &v.Contact.Phone,
		&v.Status, &v.Version, &v.CreatedAt, &v.UpdatedAt)
	v.CreatedAt, v.UpdatedAt = utc(v.CreatedAt), utc(v.UpdatedAt)
	return v, err
}

// VendorFilter selects vendors for ListVendors. Zero fields do not filter.
type VendorFilter struct {
	Country string    // head-office country
	Size    SizeClass // SME size class
	// Status keeps vendors in this admission state (empty: any); viewers
	// other than staff see active vendors and their own only, whatever it says.
	Status VendorStatus
	Cursor string // from the previous Page
	Limit  int    // page size; 0 means DefaultPageSize
	// Viewer is whose eyes the list is for; the zero Viewer sees public vendors only.
	Viewer Viewer
}

// CreateVendor normalizes and validates v, then stores it with a new id and
// version 1. It returns *ValidationError for invalid values and a
// *ConflictError when the VAT number or LEI is already registered.
func (s *Store) CreateVendor(ctx context.Context, v Vendor) (_ Vendor, err error) {
	defer wrap(&err, "catalog.CreateVendor")
	var created Vendor
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		created, err = createVendor(ctx, tx, v)
		return err
	})
	return created, err
}

func createVendor(ctx context.Context, tx pgx.Tx, v Vendor) (Vendor, error) {
	if err := v.Clean(); err != nil {
		return Vendor{}, err
	}
	v.ID = newID()
	created, err := scanVendor(tx.QueryRow(ctx, `
		INSERT INTO vendors (id, legal_name, trading_name, vat_number, lei, euid, country, established_in,
			size, website, contact_name, contact_email, contact_phone, status)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
		RETURNING `+vendorColumns,
		v.ID, v.LegalName, v.TradingName, v.VATNumber, v.LEI, v.EUID, v.Country, v.EstablishedIn,
		v.Size, v.Website, v.Contact.Name, v.Contact.Email, v.Contact.Phone, v.Status))
	if err != nil {
		return Vendor{}, translate(err)
	}
	return created, record(ctx, tx, change{action: "create", entity: "vendor", id: created.ID, vendorID: created.ID, after: created})
}

// FindVendor returns the vendor with id, or ErrNotFound.
func (s *Store) FindVendor(ctx context.Context, id uuid.UUID) (_ Vendor, err error) {
	defer wrap(&err, "catalog.FindVendor(%s)", id)
	v, err := scanVendor(s.pool.QueryRow(ctx, `SELECT `+vendorColumns+` FROM vendors WHERE id = $1`, id))
	return v, translate(err)
}

// ListVendors returns one page of the vendors f.Viewer may see, in creation order.
func (s *Store) ListVendors(ctx context.Context, f VendorFilter) (_ Page[Vendor], err error) {
	defer wrap(&err, "catalog.ListVendors")
	after, err := parseCursor(f.Cursor)
	if err != nil {
		return Page[Vendor]{}, err
	}
	size := pageSize(f.Limit)
	rows, err := s.pool.Query(ctx, `
		SELECT `+vendorColumns+` FROM vendors
		WHERE id > $1
		  AND ($2 = '' OR country = $2)
		  AND ($3 = '' OR size = $3)
		  AND ($5 OR id = $6 OR status = 'active')
		  AND ($7 = '' OR status = $7)
		ORDER BY id
		LIMIT $4`, after, f.Country, string(f.Size), size+1, f.Viewer.Staff, f.Viewer.ownID(), string(f.Status))
	if err != nil {
		return Page[Vendor]{}, translate(err)
	}
	items, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Vendor, error) { return scanVendor(r) })
	if err != nil {
		return Page[Vendor]{}, translate(err)
	}
	return makePage(items, size, func(v Vendor) uuid.UUID { return v.ID }), nil
}

// UpdateVendor changes the vendor with id in one transaction: it locks the
// row, checks ifVersion (when > 0; ErrStale if it is not current), lets
// change edit a copy, then normalizes, validates and stores the result with
// the next version. Identity, version, timestamps and the admission state
// are not changeable (SetVendorStatus changes the state).
// Concurrent updates of one vendor queue on the row lock, so none is lost.
func (s *Store) UpdateVendor(ctx context.Context, id uuid.UUID, ifVersion int64, edit func(*Vendor) error) (_ Vendor, err error) {
	defer wrap(&err, "catalog.UpdateVendor(%s)", id)
	return s.updateVendor(ctx, "update", id, ifVersion, func(v *Vendor) error {
		status := v.Status
		if err := edit(v); err != nil {
			return err
		}
		v.Status = status
		return nil
	})
}

// SetVendorStatus changes a vendor's admission state, a staff action:
// approve (to active) or suspend. The audit event's action is "approve" or
// "suspend"; setting the state it has already changes nothing and records
// nothing. It checks ifVersion like UpdateVendor.
func (s *Store) SetVendorStatus(ctx context.Context, id uuid.UUID, ifVersion int64, status VendorStatus) (_ Vendor, err error) {
	defer wrap(&err, "catalog.SetVendorStatus(%s)", id)
	action := map[VendorStatus]string{VendorActive: "approve", VendorSuspended: "suspend", VendorPending: "unapprove"}[status]
	if action == "" {
		return Vendor{}, Invalid("status", "must be pending, active or suspended", string(status))
	}
	return s.updateVendor(ctx, action, id, ifVersion, func(v *Vendor) error {
		if v.Status == status {
			return errUnchanged
		}
		v.Status = status
		return nil
	})
}

// errUnchanged tells an update to change nothing, record nothing and return
// the current object.
var errUnchanged = errors.New("unchanged")

func (s *Store) updateVendor(ctx context.Context, action string, id uuid.UUID, ifVersion int64, edit func(*Vendor) error) (_ Vendor, err error) {
	var updated Vendor
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		cur, err := scanVendor(tx.QueryRow(ctx, `SELECT `+vendorColumns+` FROM vendors WHERE id = $1 FOR UPDATE`, id))
		if err != nil {
			return translate(err)
		}
		if err := checkVersion(ifVersion, cur.Version); err != nil {
			return err
		}
		next := cur
		next.EstablishedIn = append([]string(nil), cur.EstablishedIn...)
		if err := edit(&next); err != nil {
			if err == errUnchanged {
				updated = cur
				return nil
			}
			return err
		}
		next.ID, next.Version, next.CreatedAt, next.UpdatedAt = cur.ID, cur.Version, cur.CreatedAt, cur.UpdatedAt
		if err := next.Clean(); err != nil {
			return err
		}
		updated, err = scanVendor(tx.QueryRow(ctx, `
			UPDATE vendors SET legal_name = $2, trading_name = $3, vat_number = $4, lei = $5, euid = $6,
				country = $7, established_in = $8, size = $9, website = $10, contact_name = $11,
				contact_email = $12, contact_phone = $13, status = $14, version = version + 1, updated_at = now()
			WHERE id = $1
			RETURNING `+vendorColumns,
			id, next.LegalName, next.TradingName, next.VATNumber, next.LEI, next.EUID, next.Country,
			next.EstablishedIn, next.Size, next.Website, next.Contact.Name, next.Contact.Email, next.Contact.Phone, next.Status))
		if err != nil {
			return translate(err)
		}
		return record(ctx, tx, change{action: action, entity: "vendor", id: id, vendorID: id, before: cur, after: updated, vendorWide: true})
	})
	return updated, err
}

// DeleteVendor deletes the vendor with id together with its offerings and
// certifications. It checks ifVersion like UpdateVendor.
func (s *Store) DeleteVendor(ctx context.Context, id uuid.UUID, ifVersion int64) (err error) {
	defer wrap(&err, "catalog.DeleteVendor(%s)", id)
	return s.inTx(ctx, func(tx pgx.Tx) error {
		cur, err := scanVendor(tx.QueryRow(ctx, `SELECT `+vendorColumns+` FROM vendors WHERE id = $1 FOR UPDATE`, id))
		if err != nil {
			return translate(err)
		}
		if err := checkVersion(ifVersion, cur.Version); err != nil {
			return err
		}
		// Record first: the outbox needs the offerings that the delete cascades away.
		if err := record(ctx, tx, change{action: "delete", entity: "vendor", id: id, vendorID: id, before: cur, vendorWide: true}); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `DELETE FROM vendors WHERE id = $1`, id)
		return translate(err)
	})
}
