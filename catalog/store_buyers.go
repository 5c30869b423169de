package catalog

import (
	"context"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

const buyerColumns = `id, legal_name, country, ownership, nis2_entity, vat_number, lei, status, version, created_at, updated_at`

func scanBuyer(row pgx.Row) (Buyer, error) {
	var b Buyer
	err := row.Scan(&b.ID, &b.LegalName, &b.Country, &b.Ownership, &b.NIS2, &b.VATNumber, &b.LEI, &b.Status,
		&b.Version, &b.CreatedAt, &b.UpdatedAt)
	b.CreatedAt, b.UpdatedAt = utc(b.CreatedAt), utc(b.UpdatedAt)
	return b, err
}

// CreateBuyer stores b with a new id; its status is what b says (pending
// when empty). It returns *ValidationError and, for a VAT number already
// registered, *ConflictError.
func (s *Store) CreateBuyer(ctx context.Context, b Buyer) (_ Buyer, err error) {
	defer wrap(&err, "catalog.CreateBuyer")
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		b, err = createBuyer(ctx, tx, b)
		return err
	})
	return b, err
}

// RegisterBuyer stores b like CreateBuyer and, in the same transaction,
// issues a buyer key named keyName bound to it: self-registration. It
// returns the key's token, shown once; on any error nothing is stored.
func (s *Store) RegisterBuyer(ctx context.Context, b Buyer, keyName string) (_ Buyer, _ APIKey, token string, err error) {
	defer wrap(&err, "catalog.RegisterBuyer")
	var key APIKey
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		if b, err = createBuyer(ctx, tx, b); err != nil {
			return err
		}
		key, token, err = createKey(ctx, tx, APIKey{Name: keyName, Role: RoleBuyer, BuyerID: b.ID})
		return err
	})
	if err != nil {
		return Buyer{}, APIKey{}, "", err
	}
	return b, key, token, nil
}

func createBuyer(ctx context.Context, tx pgx.Tx, b Buyer) (Buyer, error) {
	if err := b.Clean(); err != nil {
		return Buyer{}, err
	}
	created, err := scanBuyer(tx.QueryRow(ctx, `
		INSERT INTO buyers (id, legal_name, country, ownership, nis2_entity, vat_number, lei, status)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
		RETURNING `+buyerColumns,
		newID(), b.LegalName, b.Country, b.Ownership, b.NIS2, b.VATNumber, b.LEI, b.Status))
	if err != nil {
		return Buyer{}, translate(err)
	}
	return created, record(ctx, tx, change{action: "create", entity: "buyer", id: created.ID, after: created})
}

// FindBuyer returns the buyer with id, or ErrNotFound.
func (s *Store) FindBuyer(ctx context.Context, id uuid.UUID) (_ Buyer, err error) {
	defer wrap(&err, "catalog.FindBuyer(%s)", id)
	b, err := scanBuyer(s.pool.QueryRow(ctx, `SELECT `+buyerColumns+` FROM buyers WHERE id = $1`, id))
	return b, translate(err)
}

// SetBuyerStatus admits (active) or suspends a buyer, a staff action
// recorded as "approve" or "suspend". Setting the state it has changes and
// records nothing. It returns ErrStale when ifVersion (> 0) is not current.
func (s *Store) SetBuyerStatus(ctx context.Context, id uuid.UUID, ifVersion int64, status VendorStatus) (_ Buyer, err error) {
	defer wrap(&err, "catalog.SetBuyerStatus(%s)", id)
	action := map[VendorStatus]string{VendorActive: "approve", VendorSuspended: "suspend", VendorPending: "unapprove"}[status]
	if action == "" {
		return Buyer{}, Invalid("status", "must be pending, active or suspended", string(status))
	}
	var out Buyer
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		cur, err := scanBuyer(tx.QueryRow(ctx, `SELECT `+buyerColumns+` FROM buyers WHERE id = $1 FOR UPDATE`, id))
		if err != nil {
			return translate(err)
		}
		if err := checkVersion(ifVersion, cur.Version); err != nil {
			return err
		}
		if out = cur; cur.Status == status {
			return nil
		}
		out, err = scanBuyer(tx.QueryRow(ctx, `UPDATE buyers SET status = $2, version = version + 1, updated_at = now()
			WHERE id = $1 RETURNING `+buyerColumns, id, status))
		if err != nil {
			return translate(err)
		}
		return record(ctx, tx, change{action: action, entity: "buyer", id: id, before: cur, after: out})
	})
	return out, err
}
