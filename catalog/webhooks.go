package catalog

import (
	"context"
	"strconv"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// Subscription is an API key's webhook: a receiver of the public change
// feed, a consumer of the change log with a position of its own.
type Subscription struct {
	ID    uuid.UUID
	KeyID uuid.UUID
	URL   string
	// Secret signs the messages, in its text form (whsec_...).
	Secret   string
	Position int64
	// EventPosition is the position in the events of the key's vendor or
	// buyer up to which the receiver accepted them.
	EventPosition int64
	// Horizon is the log's horizon when the subscription was created (see
	// ReadChangesWithin).
	Horizon       int64
	Failures      int
	NextAttemptAt time.Time
	DisabledAt    *time.Time
	CreatedAt     time.Time
}

// Delivery is one attempt to deliver a subscription's message.
type Delivery struct {
	ID             int64
	SubscriptionID uuid.UUID
	MessageID      string
	FirstPosition  int64
	LastPosition   int64
	// LastEventPosition is the position of the last event the message
	// carried; 0 when it carried none.
	LastEventPosition int64
	At                time.Time
	Status            int    // the receiver's HTTP status; 0 when none came
	Error             string // "" when delivered
	Duration          time.Duration
}

const subscriptionColumns = `id, key_id, url, secret, position, event_position, horizon, failures, next_attempt_at, disabled_at, created_at`

func scanSubscription(row pgx.Row) (Subscription, error) {
	var s Subscription
	err := row.Scan(&s.ID, &s.KeyID, &s.URL, &s.Secret, &s.Position, &s.EventPosition, &s.Horizon, &s.Failures, &s.NextAttemptAt, &s.DisabledAt, &s.CreatedAt)
	s.NextAttemptAt, s.CreatedAt = utc(s.NextAttemptAt), utc(s.CreatedAt)
	return s, err
}

// CreateSubscription stores s (KeyID, URL, Secret, Position) with a new
// id. The caller validates the URL. A negative Position starts at the
// current end of the log; events are delivered from those to come. The
// caller refuses a Position before the log's horizon (but 0).
func (s *Store) CreateSubscription(ctx context.Context, sub Subscription) (_ Subscription, err error) {
	defer wrap(&err, "catalog.CreateSubscription")
	created, err := scanSubscription(s.pool.QueryRow(ctx, `
		INSERT INTO webhook_subscriptions (id, key_id, url, secret, position, event_position, horizon)
		VALUES ($1, $2, $3, $4, CASE WHEN $5::bigint < 0 THEN (SELECT position FROM change_counter) ELSE $5::bigint END,
			(SELECT position FROM webhook_event_counter), (SELECT pruned_through FROM change_log_horizon))
		RETURNING `+subscriptionColumns, newID(), sub.KeyID, sub.URL, sub.Secret, sub.Position))
	return created, translate(err)
}

// ListSubscriptions returns the subscriptions of key keyID, oldest first.
func (s *Store) ListSubscriptions(ctx context.Context, keyID uuid.UUID) (_ []Subscription, err error) {
	defer wrap(&err, "catalog.ListSubscriptions")
	rows, err := s.pool.Query(ctx, `SELECT `+subscriptionColumns+` FROM webhook_subscriptions WHERE key_id = $1 ORDER BY id`, keyID)
	if err != nil {
		return nil, translate(err)
	}
	subs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Subscription, error) { return scanSubscription(r) })
	return subs, translate(err)
}

// FindSubscription returns subscription id of key keyID, or ErrNotFound
// (also when another key holds it).
func (s *Store) FindSubscription(ctx context.Context, id, keyID uuid.UUID) (_ Subscription, err error) {
	defer wrap(&err, "catalog.FindSubscription(%s)", id)
	sub, err := scanSubscription(s.pool.QueryRow(ctx, `SELECT `+subscriptionColumns+` FROM webhook_subscriptions
		WHERE id = $1 AND key_id = $2`, id, keyID))
	return sub, translate(err)
}

// DeleteSubscription deletes subscription id of key keyID with its
// delivery log, or returns ErrNotFound.
func (s *Store) DeleteSubscription(ctx context.Context, id, keyID uuid.UUID) (err error) {
	defer wrap(&err, "catalog.DeleteSubscription(%s)", id)
	tag, err := s.pool.Exec(ctx, `DELETE FROM webhook_subscriptions WHERE id = $1 AND key_id = $2`, id, keyID)
	if err == nil && tag.RowsAffected() == 0 {
		return ErrNotFound
	}
	return translate(err)
}

// EnableSubscription enables subscription id of key keyID again, due at
// once and from its position: it replays what it missed.
func (s *Store) EnableSubscription(ctx context.Context, id, keyID uuid.UUID) (_ Subscription, err error) {
	defer wrap(&err, "catalog.EnableSubscription(%s)", id)
	sub, err := scanSubscription(s.pool.QueryRow(ctx, `
		UPDATE webhook_subscriptions SET disabled_at = NULL, failures = 0, next_attempt_at = now()
		WHERE id = $1 AND key_id = $2 RETURNING `+subscriptionColumns, id, keyID))
	return sub, translate(err)
}

// ClaimDueSubscription leases one enabled subscription whose next attempt
// is due and which has changes after its position, or events of its key's
// vendor or buyer after its event position, for lease. It
// returns ErrNotFound when none is.
func (s *Store) ClaimDueSubscription(ctx context.Context, lease time.Duration) (_ Subscription, err error) {
	defer wrap(&err, "catalog.ClaimDueSubscription")
	sub, err := scanSubscription(s.pool.QueryRow(ctx, `
		UPDATE webhook_subscriptions SET leased_until = now() + $1 * interval '1 millisecond'
		WHERE id = (SELECT w.id FROM webhook_subscriptions w
			WHERE w.disabled_at IS NULL AND w.next_attempt_at <= now()
			  AND (w.leased_until IS NULL OR w.leased_until <= now())
			  AND (w.position < (SELECT position FROM change_counter) OR EXISTS (
				SELECT 1 FROM webhook_events e JOIN api_keys k ON k.id = w.key_id
				WHERE e.position > w.event_position AND (e.vendor_id = k.vendor_id OR e.buyer_id = k.buyer_id)))
			ORDER BY w.next_attempt_at LIMIT 1 FOR UPDATE SKIP LOCKED)
		RETURNING `+subscriptionColumns, lease.Milliseconds()))
	return sub, translate(err)
}

// SettleDelivery records attempt d of sub, ends the lease, and on success
// moves the positions on to d.LastPosition and d.LastEventPosition (never
// back) and clears the failures; on failure it counts one more, schedules
// the next attempt after retryIn, and disables the subscription when the
// failures reach maxFailures.
func (s *Store) SettleDelivery(ctx context.Context, sub Subscription, d Delivery, retryIn time.Duration, maxFailures int) (err error) {
	defer wrap(&err, "catalog.SettleDelivery(%s)", sub.ID)
	return s.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `
			INSERT INTO webhook_deliveries (subscription_id, message_id, first_position, last_position, last_event_position,
				status, error, duration_ms)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
			sub.ID, d.MessageID, d.FirstPosition, d.LastPosition, d.LastEventPosition, d.Status, d.Error,
			d.Duration.Milliseconds()); err != nil {
			return translate(err)
		}
		var err error
		if d.Error == "" {
			_, err = tx.Exec(ctx, `UPDATE webhook_subscriptions SET position = greatest(position, $2),
				event_position = greatest(event_position, $3), failures = 0,
				leased_until = NULL, next_attempt_at = now() WHERE id = $1`, sub.ID, d.LastPosition, d.LastEventPosition)
		} else {
			_, err = tx.Exec(ctx, `UPDATE webhook_subscriptions SET failures = failures + 1, leased_until = NULL,
				next_attempt_at = now() + $2 * interval '1 millisecond',
				disabled_at = CASE WHEN failures + 1 >= $3 THEN now() END WHERE id = $1`,
				sub.ID, retryIn.Milliseconds(), maxFailures)
		}
		return translate(err)
	})
}

// ListDeliveries returns one page of the delivery log of subscription id
// of key keyID, newest first; the cursor is the last delivery id read.
func (s *Store) ListDeliveries(ctx context.Context, id, keyID uuid.UUID, cursor string, limit int) (_ Page[Delivery], err error) {
	defer wrap(&err, "catalog.ListDeliveries(%s)", id)
	var before int64
	if cursor != "" {
		if before, err = strconv.ParseInt(cursor, 10, 64); err != nil || before <= 0 {
			return Page[Delivery]{}, ErrCursor
		}
	}
	if _, err := s.FindSubscription(ctx, id, keyID); err != nil {
		return Page[Delivery]{}, err
	}
	size := pageSize(limit)
	rows, err := s.pool.Query(ctx, `
		SELECT id, subscription_id, message_id, first_position, last_position, at, status, error, duration_ms
		FROM webhook_deliveries WHERE subscription_id = $1 AND ($2 = 0 OR id < $2) ORDER BY id DESC LIMIT $3`,
		id, before, size+1)
	if err != nil {
		return Page[Delivery]{}, translate(err)
	}
	items, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Delivery, error) {
		var d Delivery
		var ms int64
		err := r.Scan(&d.ID, &d.SubscriptionID, &d.MessageID, &d.FirstPosition, &d.LastPosition, &d.At, &d.Status, &d.Error, &ms)
		d.At, d.Duration = utc(d.At), time.Duration(ms)*time.Millisecond
		return d, err
	})
	if err != nil {
		return Page[Delivery]{}, translate(err)
	}
	page := Page[Delivery]{Items: items}
	if len(items) > size {
		page.Items = items[:size]
		page.Next = strconv.FormatInt(items[size-1].ID, 10)
	}
	if page.Items == nil {
		page.Items = []Delivery{}
	}
	return page, nil
}
