package catalog

import (
	"context"
	"errors"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// The search outbox: every write that changes a search document adds rows
// in its own transaction (see record), and the search workers apply them.
// A worker claims due rows under a lease (ClaimOutbox), pushes the
// documents and waits for the index outside any transaction, then settles
// the claim (SettleOutbox) in a short transaction that deletes only the rows
// it still holds. A reindex pauses the workers (Rebuild.Pause).

// Advisory locks, in a two-key namespace of their own. lockPause is held
// shared by claims and settlements and exclusively by a reindex, which so
// pauses the workers while it copies a snapshot; lockRebuild allows one
// reindex at a time; lockClaim serializes claims, so that two workers never
// lease rows of one offering.
const (
	lockNamespace = 0x5ea7c4 // "search"
	lockPause     = 1
	lockRebuild   = 2
	lockClaim     = 3
)

// ErrOutboxPaused means a reindex pauses the search workers: a claim got no
// rows, or a settlement kept its rows for a retry.
var ErrOutboxPaused = errors.New("the search outbox is paused by a reindex")

// OutboxRow is one outbox row: the search document of Offering must be rebuilt.
type OutboxRow struct {
	ID       int64
	Offering uuid.UUID
}

// OutboxClaim is a set of outbox rows leased to one worker.
type OutboxClaim struct {
	// Lease identifies the claim; the rows carry it until settled.
	Lease uuid.UUID
	// Generation is the reindex generation the rows were claimed in.
	Generation int64
	Rows       []OutboxRow
}

// Offerings returns the distinct offerings of the claimed rows, in row order.
func (c OutboxClaim) Offerings() []uuid.UUID {
	out := make([]uuid.UUID, 0, len(c.Rows))
	seen := make(map[uuid.UUID]bool, len(c.Rows))
	for _, r := range c.Rows {
		if !seen[r.Offering] {
			seen[r.Offering] = true
			out = append(out, r.Offering)
		}
	}
	return out
}

// ClaimOutbox leases up to limit due rows for lease. It skips rows of
// offerings that another live lease holds, so that one offering is pushed
// by one worker at a time (a document built from an older state is never
// pushed after one built from a newer state); rows of a lease that ended
// are due again. It returns ErrOutboxPaused while a reindex runs, and a
// claim without rows when none is due.
//
// The lease starts no earlier than the call: a caller that submits its
// index tasks within lease of calling ClaimOutbox submits them before any
// other worker can take the rows over.
func (s *Store) ClaimOutbox(ctx context.Context, limit int, lease time.Duration) (c OutboxClaim, err error) {
	defer wrap(&err, "catalog.ClaimOutbox")
	c.Lease = uuid.New()
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if err := sharePause(ctx, tx); err != nil {
			return err
		}
		// Claims in turn: each sees the leases of those before it.
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1, $2)`, lockNamespace, lockClaim); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, readGeneration).Scan(&c.Generation); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `
			WITH due AS (
				SELECT s.id FROM search_outbox s
				WHERE s.not_before <= now()
				  AND (s.claimed_until IS NULL OR s.claimed_until <= now())
				  AND NOT EXISTS (SELECT 1 FROM search_outbox b
					WHERE b.offering_id = s.offering_id AND b.claimed_until > now())
				ORDER BY s.id
				LIMIT $1),
			claimed AS (
				UPDATE search_outbox s SET claimed_by = $2, claimed_until = now() + $3 * interval '1 millisecond'
				FROM due WHERE s.id = due.id
				RETURNING s.id, s.offering_id)
			SELECT id, offering_id FROM claimed ORDER BY id`, limit, c.Lease, lease.Milliseconds())
		if err != nil {
			return err
		}
		c.Rows, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (o OutboxRow, err error) {
			return o, r.Scan(&o.ID, &o.Offering)
		})
		return err
	})
	if err != nil {
		return OutboxClaim{}, translateOutbox(err)
	}
	return c, nil
}

// SettleOutbox ends claim c in one short transaction: it deletes the rows
// done (their documents reached the index), defers the rows retry (the index
// rejected their documents; each waits twice as long as the time before, up
// to an hour), and releases the other rows. Only rows the claim still holds
// change: rows another worker took over after the lease ended, and rows
// added meanwhile, stay. It returns how many rows it deleted.
//
// When a reindex began since the claim, or runs, it deletes nothing (the
// documents may have gone to the index being replaced), releases every row
// for a retry and returns ErrOutboxPaused.
func (s *Store) SettleOutbox(ctx context.Context, c OutboxClaim, done, retry []int64) (n int, err error) {
	defer wrap(&err, "catalog.SettleOutbox")
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return 0, translate(err)
	}
	defer func() { _ = tx.Rollback(context.WithoutCancel(ctx)) }() // a no-op after Commit
	paused := sameGeneration(ctx, tx, c.Generation)
	switch {
	case errors.Is(paused, ErrOutboxPaused):
		// Nothing is deleted; the release below makes every row due again.
	case paused != nil:
		return 0, translate(paused)
	default:
		if n, err = settle(ctx, tx, c.Lease, done, retry); err != nil {
			return 0, translate(err)
		}
	}
	if err := release(ctx, tx, c.Lease); err != nil {
		return 0, translate(err)
	}
	if err := tx.Commit(ctx); err != nil {
		return 0, translate(err)
	}
	if paused != nil {
		return 0, paused
	}
	return n, nil
}

// settle deletes the rows done and defers the rows retry of lease.
func settle(ctx context.Context, tx pgx.Tx, lease uuid.UUID, done, retry []int64) (int, error) {
	tag, err := tx.Exec(ctx, `DELETE FROM search_outbox WHERE id = ANY($1) AND claimed_by = $2`, done, lease)
	if err != nil {
		return 0, err
	}
	if len(retry) > 0 {
		if _, err := tx.Exec(ctx, `
			UPDATE search_outbox SET attempts = attempts + 1, claimed_by = NULL, claimed_until = NULL,
				not_before = now() + least(interval '1 hour', interval '1 second' * power(2, attempts + 1))
			WHERE id = ANY($1) AND claimed_by = $2`, retry, lease); err != nil {
			return 0, err
		}
	}
	return int(tag.RowsAffected()), nil
}

// ReleaseOutbox gives up claim c: its rows are due again at once, for this
// worker or another. Call it when pushing failed.
func (s *Store) ReleaseOutbox(ctx context.Context, c OutboxClaim) (err error) {
	defer wrap(&err, "catalog.ReleaseOutbox")
	_, err = s.pool.Exec(ctx, `UPDATE search_outbox SET claimed_by = NULL, claimed_until = NULL WHERE claimed_by = $1`, c.Lease)
	return translate(err)
}

// EnqueueOutbox adds an outbox row for each offering of ids that has none
// waiting, and a change-log row for each, wakes the workers, and returns how
// many outbox rows it added.
func (s *Store) EnqueueOutbox(ctx context.Context, ids []uuid.UUID, reason string) (n int, err error) {
	defer wrap(&err, "catalog.EnqueueOutbox")
	if len(ids) == 0 {
		return 0, nil
	}
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `
			INSERT INTO search_outbox (offering_id, reason)
			SELECT o, $2 FROM unnest($1::uuid[]) AS o
			WHERE NOT EXISTS (SELECT 1 FROM search_outbox s WHERE s.offering_id = o)`, ids, reason)
		if err != nil {
			return err
		}
		if n = int(tag.RowsAffected()); n > 0 {
			_, err = tx.Exec(ctx, `SELECT pg_notify($1, '')`, OutboxChannel)
		}
		if err != nil {
			return err
		}
		// The change log too: the log's consumers rebuild the documents, and
		// followers of the feed learn that eligibility may have changed.
		_, err = tx.Exec(ctx, `INSERT INTO change_log (entity, entity_id, cause)
			SELECT 'offering', o, $2 FROM unnest($1::uuid[]) AS o`, ids, reason)
		return err
	})
	return n, translate(err)
}

// OutboxBacklog is the state of the search outbox.
type OutboxBacklog struct {
	// Rows waiting to reach the index, including those waiting to be retried.
	Rows int64
	// Retrying counts rows whose documents the index rejected, waiting for
	// their next attempt.
	Retrying int64
	// OldestAge is how long the oldest row has waited; 0 when there is none.
	OldestAge time.Duration
}

// ReadOutboxBacklog returns the outbox backlog.
func (s *Store) ReadOutboxBacklog(ctx context.Context) (b OutboxBacklog, err error) {
	defer wrap(&err, "catalog.ReadOutboxBacklog")
	var age float64
	err = s.pool.QueryRow(ctx, `
		SELECT count(*), count(*) FILTER (WHERE attempts > 0),
			coalesce(extract(epoch FROM clock_timestamp() - min(enqueued_at)), 0)::float8
		FROM search_outbox`).Scan(&b.Rows, &b.Retrying, &age)
	if err != nil {
		return OutboxBacklog{}, translate(err)
	}
	b.OldestAge = time.Duration(max(age, 0) * float64(time.Second))
	return b, nil
}

// ListenOutbox calls wake whenever a transaction adds outbox rows, and once
// when it starts listening (rows may have come before). It holds a
// connection of its own until ctx ends or the connection fails, and returns
// the error; callers reconnect and poll as a safety net.
func (s *Store) ListenOutbox(ctx context.Context, wake func()) (err error) {
	defer wrap(&err, "catalog.ListenOutbox")
	return s.listen(ctx, OutboxChannel, wake)
}

// listen calls wake on every notification on channel, see ListenOutbox.
func (s *Store) listen(ctx context.Context, channel string, wake func()) error {
	pc, err := s.pool.Acquire(ctx)
	if err != nil {
		return translate(err)
	}
	// A listening connection must not go back to the pool.
	conn := pc.Hijack()
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{channel}.Sanitize()); err != nil {
		return translate(err)
	}
	wake()
	for {
		if _, err := conn.WaitForNotification(ctx); err != nil {
			return translate(err)
		}
		wake()
	}
}

// readGeneration reads the reindex generation: how many times a rebuild
// paused the workers (a new sequence reads 0).
const readGeneration = `SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM search_outbox_generation`

// sharePause takes the pause lock shared for tx, or returns ErrOutboxPaused
// when a reindex holds it.
func sharePause(ctx context.Context, tx pgx.Tx) error {
	var free bool
	if err := tx.QueryRow(ctx, `SELECT pg_try_advisory_xact_lock_shared($1, $2)`, lockNamespace, lockPause).Scan(&free); err != nil {
		return err
	}
	if !free {
		return ErrOutboxPaused
	}
	return nil
}

// sameGeneration returns ErrOutboxPaused unless no reindex runs and none
// began since generation.
func sameGeneration(ctx context.Context, tx pgx.Tx, generation int64) error {
	if err := sharePause(ctx, tx); err != nil {
		return err
	}
	var now int64
	if err := tx.QueryRow(ctx, readGeneration).Scan(&now); err != nil {
		return err
	}
	if now != generation {
		return ErrOutboxPaused
	}
	return nil
}

// release makes the rows of lease due again.
func release(ctx context.Context, tx pgx.Tx, lease uuid.UUID) error {
	_, err := tx.Exec(ctx, `UPDATE search_outbox SET claimed_by = NULL, claimed_until = NULL WHERE claimed_by = $1`, lease)
	return err
}

// translateOutbox keeps ErrOutboxPaused and translates the rest.
func translateOutbox(err error) error {
	if errors.Is(err, ErrOutboxPaused) {
		return ErrOutboxPaused
	}
	return translate(err)
}
