package catalog

import (
	"context"
	"errors"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// Consumers of the change log, such as the search instances of MEILI_URLS,
// keep their own positions in change_consumers. One process works a
// consumer at a time, under a lease: it claims the consumer
// (ClaimConsumer), applies the changes after its position, and moves the
// position on (MoveConsumer) while it still holds the lease.

// ErrLeaseLost means another process holds the consumer's lease.
var ErrLeaseLost = errors.New("the consumer is leased by another process")

// ClaimConsumer leases the consumer name to holder for lease, creating it
// at position 0 when new, and returns its position. A holder may renew its
// own lease; it returns ErrLeaseLost while another holder's lease lasts.
func (s *Store) ClaimConsumer(ctx context.Context, name string, holder uuid.UUID, lease time.Duration) (pos int64, err error) {
	defer wrap(&err, "catalog.ClaimConsumer(%s)", name)
	err = s.pool.QueryRow(ctx, `
		INSERT INTO change_consumers AS c (name, leased_by, leased_until)
		VALUES ($1, $2, now() + $3 * interval '1 millisecond')
		ON CONFLICT (name) DO UPDATE SET leased_by = $2, leased_until = now() + $3 * interval '1 millisecond'
			WHERE c.leased_by IS NULL OR c.leased_by = $2 OR c.leased_until <= now()
		RETURNING position`, name, holder, lease.Milliseconds()).Scan(&pos)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, ErrLeaseLost
	}
	return pos, translate(err)
}

// MoveConsumer sets the position of consumer name, if holder still holds
// its lease (ErrLeaseLost otherwise).
func (s *Store) MoveConsumer(ctx context.Context, name string, holder uuid.UUID, pos int64) (err error) {
	defer wrap(&err, "catalog.MoveConsumer(%s)", name)
	tag, err := s.pool.Exec(ctx, `UPDATE change_consumers SET position = $3, updated_at = now()
		WHERE name = $1 AND leased_by = $2 AND leased_until > now()`, name, holder, pos)
	if err != nil {
		return translate(err)
	}
	if tag.RowsAffected() == 0 {
		return ErrLeaseLost
	}
	return nil
}

// ReleaseConsumer ends holder's lease of consumer name.
func (s *Store) ReleaseConsumer(ctx context.Context, name string, holder uuid.UUID) (err error) {
	defer wrap(&err, "catalog.ReleaseConsumer(%s)", name)
	_, err = s.pool.Exec(ctx, `UPDATE change_consumers SET leased_by = NULL, leased_until = NULL
		WHERE name = $1 AND leased_by = $2`, name, holder)
	return translate(err)
}

// ChangedOfferings returns the distinct offerings named by up to limit
// change-log rows after position after, and the position of the last row
// read (after itself when there is none).
func (s *Store) ChangedOfferings(ctx context.Context, after int64, limit int) (ids []uuid.UUID, last int64, err error) {
	defer wrap(&err, "catalog.ChangedOfferings(%d)", after)
	err = s.pool.QueryRow(ctx, `
		WITH page AS (SELECT position, entity, entity_id FROM change_log
			WHERE position > $1 ORDER BY position LIMIT $2)
		SELECT coalesce(array_agg(DISTINCT entity_id) FILTER (WHERE entity = 'offering'), '{}'),
			coalesce(max(position), $1)
		FROM page`, after, limit).Scan(&ids, &last)
	return ids, last, translate(err)
}

// ListenChanges calls wake whenever a transaction adds change-log rows, and
// once when it starts listening. It holds a connection of its own until ctx
// ends or the connection fails, and returns the error; callers reconnect
// and poll as a safety net.
func (s *Store) ListenChanges(ctx context.Context, wake func()) (err error) {
	defer wrap(&err, "catalog.ListenChanges")
	return s.listen(ctx, ChangesChannel, wake)
}
