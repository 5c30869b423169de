package catalog

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

const keyColumns = `id, name, role, vendor_id, created_at, created_by, expires_at, last_used_at, revoked_at, buyer_id`

func scanKey(row pgx.Row, extra ...any) (APIKey, error) {
	var k APIKey
	var vendor, buyer *uuid.UUID
	dest := append([]any{&k.ID, &k.Name, &k.Role, &vendor, &k.CreatedAt, &k.CreatedBy, &k.ExpiresAt, &k.LastUsedAt, &k.RevokedAt, &buyer}, extra...)
	err := row.Scan(dest...)
	if vendor != nil {
		k.VendorID = *vendor
	}
	if buyer != nil {
		k.BuyerID = *buyer
	}
	k.CreatedAt = utc(k.CreatedAt)
	for _, t := range []**time.Time{&k.ExpiresAt, &k.LastUsedAt, &k.RevokedAt} {
		if *t != nil {
			u := (*t).UTC()
			*t = &u
		}
	}
	return k, err
}

// MaxVendorKeys bounds the active keys of one vendor, so that a vendor key
// cannot mint keys without end.
const MaxVendorKeys = 20

// KeyFilter selects keys for ListKeys. Zero fields do not filter.
type KeyFilter struct {
	VendorID uuid.UUID
	BuyerID  uuid.UUID
	Role     Role
	// Revoked includes revoked keys; by default lists show keys that are not.
	Revoked bool
	Cursor  string
	Limit   int
}

// CreateKey makes a key with a new id and secret and returns it with its
// token, the only time the token exists outside the caller. The creating
// actor (from ctx) is recorded. It returns *ValidationError for invalid
// values (a vendor key without a vendor, an expiry in the past, a vendor that
// does not exist) and *ConflictError when the vendor has MaxVendorKeys
// active keys already.
func (s *Store) CreateKey(ctx context.Context, k APIKey) (_ APIKey, token string, err error) {
	defer wrap(&err, "catalog.CreateKey")
	var created APIKey
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		created, token, err = createKey(ctx, tx, k)
		return err
	})
	if err != nil {
		return APIKey{}, "", err
	}
	return created, token, nil
}

func createKey(ctx context.Context, tx pgx.Tx, k APIKey) (APIKey, string, error) {
	if err := k.Clean(time.Now()); err != nil {
		return APIKey{}, "", err
	}
	if err := checkKeyCount(ctx, tx, k); err != nil {
		return APIKey{}, "", err
	}
	id, token, hash := newToken()
	created, err := scanKey(tx.QueryRow(ctx, `
		INSERT INTO api_keys (id, name, role, vendor_id, secret_hash, created_by, expires_at, buyer_id)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
		RETURNING `+keyColumns,
		id, k.Name, k.Role, nullID(k.VendorID), hash, ActorFrom(ctx).ID, k.ExpiresAt, nullID(k.BuyerID)))
	if err != nil {
		return APIKey{}, "", translate(err)
	}
	return created, token, record(ctx, tx, change{action: "create", entity: "api_key", id: created.ID, vendorID: created.VendorID, after: created})
}

// Authenticate returns the key a token belongs to. It returns *AuthError
// (matching ErrUnauthenticated) when the token is malformed, names no key,
// carries the wrong secret, or its key is revoked or expired, or is the key
// of a suspended buyer organisation.
//
// It records the use in last_used_at when the stored value is older than
// LastUsedInterval, so a busy key costs one write a minute, not one per
// request. That bookkeeping is not an audited change.
func (s *Store) Authenticate(ctx context.Context, token string) (_ APIKey, err error) {
	defer wrap(&err, "catalog.Authenticate")
	id, secret, err := parseToken(token)
	if err != nil {
		return APIKey{}, err
	}
	var hash []byte
	k, err := scanKey(s.pool.QueryRow(ctx, `SELECT `+keyColumns+`, secret_hash FROM api_keys WHERE id = $1`, id), &hash)
	if err != nil {
		if translate(err) == ErrNotFound {
			// Hash anyway, so an unknown id takes as long as a wrong secret.
			secretMatches(id, secret, make([]byte, sha256Size))
			return APIKey{}, &AuthError{Reason: "unknown"}
		}
		return APIKey{}, translate(err)
	}
	if !secretMatches(id, secret, hash) {
		return APIKey{}, &AuthError{Reason: "unknown"}
	}
	now := time.Now()
	switch {
	case k.RevokedAt != nil:
		return APIKey{}, &AuthError{Reason: "revoked"}
	case k.ExpiresAt != nil && !now.Before(*k.ExpiresAt):
		return APIKey{}, &AuthError{Reason: "expired"}
	}
	if err := s.checkKeyOwner(ctx, k); err != nil {
		return APIKey{}, err
	}
	if k.LastUsedAt == nil || now.Sub(*k.LastUsedAt) >= LastUsedInterval {
		// The condition in SQL keeps replicas from all writing the same minute.
		if _, err := s.pool.Exec(ctx, `
			UPDATE api_keys SET last_used_at = now()
			WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < $2)`,
			id, now.Add(-LastUsedInterval)); err != nil {
			return APIKey{}, translate(err)
		}
		k.LastUsedAt = &now
	}
	return k, nil
}

const sha256Size = 32

// checkKeyCount refuses a vendor's or buyer's key beyond MaxVendorKeys
// active ones. Locking the vendor or buyer serializes key creation per
// owner, so the count cannot be raced past the limit.
func checkKeyCount(ctx context.Context, tx pgx.Tx, k APIKey) error {
	owner, column, noun := k.VendorID, "vendor_id", "vendor"
	row := func() pgx.Row {
		return tx.QueryRow(ctx, `
			SELECT (SELECT count(*) FROM api_keys
				WHERE vendor_id = o.id AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now()))
			FROM vendors o WHERE o.id = $1 FOR UPDATE`, k.VendorID)
	}
	if k.BuyerID != uuid.Nil {
		owner, column, noun = k.BuyerID, "buyer_id", "buyer"
		row = func() pgx.Row {
			return tx.QueryRow(ctx, `
				SELECT (SELECT count(*) FROM api_keys
					WHERE buyer_id = o.id AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now()))
				FROM buyers o WHERE o.id = $1 FOR UPDATE`, k.BuyerID)
		}
	}
	if owner == uuid.Nil {
		return nil
	}
	var n int
	err := row().Scan(&n)
	if err != nil {
		if translate(err) == ErrNotFound {
			return Invalid(column, "is not a registered "+noun, owner.String())
		}
		return translate(err)
	}
	if n >= MaxVendorKeys {
		return &ConflictError{Field: column, Message: fmt.Sprintf("this %s has %d active keys already; revoke one first", noun, n)}
	}
	return nil
}

// checkKeyOwner refuses a buyer key whose buyer organisation staff suspended
// (*AuthError "suspended"): its keys stop working, its projects stay.
func (s *Store) checkKeyOwner(ctx context.Context, k APIKey) error {
	if k.Role != RoleBuyer {
		return nil
	}
	var status VendorStatus
	if err := s.pool.QueryRow(ctx, `SELECT status FROM buyers WHERE id = $1`, k.BuyerID).Scan(&status); err != nil {
		return translate(err)
	}
	if status == VendorSuspended {
		return &AuthError{Reason: "suspended"}
	}
	return nil
}

// FindKey returns the key with id, or ErrNotFound.
func (s *Store) FindKey(ctx context.Context, id uuid.UUID) (_ APIKey, err error) {
	defer wrap(&err, "catalog.FindKey(%s)", id)
	k, err := scanKey(s.pool.QueryRow(ctx, `SELECT `+keyColumns+` FROM api_keys WHERE id = $1`, id))
	return k, translate(err)
}

// ListKeys returns one page of keys, oldest first.
func (s *Store) ListKeys(ctx context.Context, f KeyFilter) (_ Page[APIKey], err error) {
	defer wrap(&err, "catalog.ListKeys")
	after, err := parseCursor(f.Cursor)
	if err != nil {
		return Page[APIKey]{}, err
	}
	size := pageSize(f.Limit)
	rows, err := s.pool.Query(ctx, `
		SELECT `+keyColumns+` FROM api_keys
		WHERE id > $1
		  AND ($2::uuid IS NULL OR vendor_id = $2)
		  AND ($3 = '' OR role = $3)
		  AND ($4 OR revoked_at IS NULL)
		  AND ($6::uuid IS NULL OR buyer_id = $6)
		ORDER BY id
		LIMIT $5`, after, nullID(f.VendorID), string(f.Role), f.Revoked, size+1, nullID(f.BuyerID))
	if err != nil {
		return Page[APIKey]{}, translate(err)
	}
	items, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (APIKey, error) { return scanKey(r) })
	if err != nil {
		return Page[APIKey]{}, translate(err)
	}
	return makePage(items, size, func(k APIKey) uuid.UUID { return k.ID }), nil
}

// RevokeKey revokes the key with id: it stops authenticating at once. Revoking
// a revoked key changes nothing and records nothing. It returns ErrNotFound
// when there is no such key.
func (s *Store) RevokeKey(ctx context.Context, id uuid.UUID) (_ APIKey, err error) {
	defer wrap(&err, "catalog.RevokeKey(%s)", id)
	var out APIKey
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		cur, err := scanKey(tx.QueryRow(ctx, `SELECT `+keyColumns+` FROM api_keys WHERE id = $1 FOR UPDATE`, id))
		if err != nil {
			return translate(err)
		}
		if cur.RevokedAt != nil {
			out = cur
			return nil
		}
		out, err = scanKey(tx.QueryRow(ctx, `UPDATE api_keys SET revoked_at = now() WHERE id = $1 RETURNING `+keyColumns, id))
		if err != nil {
			return translate(err)
		}
		return record(ctx, tx, change{action: "revoke", entity: "api_key", id: id, vendorID: cur.VendorID, before: cur, after: out})
	})
	return out, err
}
