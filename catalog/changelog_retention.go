package catalog

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// Retention of the change log. Rows written before the retention period
// (CHANGES_RETENTION_DAYS, 90 days by default) are pruned when they carry
// nothing a reader still needs:
//
//   - a row of an object that has a later row: a reader gets the object's
//     state from the later one anyway (rows name objects, not values);
//   - the rows of an object that no longer exists: a reader starting at 0
//     never sees it, so needs no removal.
//
// The last row of every existing object stays, so reading from 0 still
// yields the whole catalogue. What is lost is the removal of deleted
// objects: a reader that stopped after position p, before such a removal,
// would keep the object. So the log remembers the highest removal it pruned
// (pruned_through, the horizon), and reading after a position below it
// fails with ErrPruned: the reader must start again from 0. A reader that
// did start at 0 under the current horizon reads through (it passes the
// horizon it started under, see ReadChangesWithin). Rows that consumers of
// the log (search instances) or enabled webhooks have yet to read are never
// pruned. Events of webhooks (migration 009) before the period are dropped.

// ErrPruned means the change log no longer holds every change after the
// requested position: start again from 0.
var ErrPruned = errors.New("the change log was pruned past the position")

// PrunedError is ErrPruned with the position a reader must be at or past.
type PrunedError struct {
	// Through is the highest pruned position that a reader may have missed.
	Through int64
}

func (e *PrunedError) Error() string {
	return fmt.Sprintf("the change log was pruned through position %d", e.Through)
}

// Is makes errors.Is(err, ErrPruned) hold.
func (e *PrunedError) Is(target error) bool { return target == ErrPruned }

// PruneReport is what PruneChanges removed.
type PruneReport struct {
	// Changes and Events count the rows removed.
	Changes, Events int
	// Through is the log's pruned_through after the run.
	Through int64
}

// PruneChanges removes the change-log rows written before before that no
// reader needs (see above), and the webhook events before it that every
// enabled webhook has delivered, in one transaction.
func (s *Store) PruneChanges(ctx context.Context, before time.Time) (r PruneReport, err error) {
	defer wrap(&err, "catalog.PruneChanges(%s)", before.Format(time.RFC3339))
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, `
			WITH bound AS (
				SELECT least(
					(SELECT coalesce(max(position), 0) FROM change_log WHERE at < $1),
					(SELECT min(position) FROM change_consumers),
					(SELECT min(position) FROM webhook_subscriptions WHERE disabled_at IS NULL)) AS upto),
			gone AS (
				DELETE FROM change_log l USING bound
				WHERE l.position <= bound.upto AND (
					EXISTS (SELECT 1 FROM change_log n
						WHERE n.entity = l.entity AND n.entity_id = l.entity_id AND n.position > l.position)
					OR NOT EXISTS (SELECT 1 FROM vendors WHERE l.entity = 'vendor' AND id = l.entity_id
						UNION ALL SELECT 1 FROM offerings WHERE l.entity = 'offering' AND id = l.entity_id
						UNION ALL SELECT 1 FROM certifications WHERE l.entity = 'certification' AND id = l.entity_id))
				RETURNING l.position, NOT EXISTS (SELECT 1 FROM vendors WHERE l.entity = 'vendor' AND id = l.entity_id
					UNION ALL SELECT 1 FROM offerings WHERE l.entity = 'offering' AND id = l.entity_id
					UNION ALL SELECT 1 FROM certifications WHERE l.entity = 'certification' AND id = l.entity_id) AS lost)
			UPDATE change_log_horizon SET pruned_through = greatest(pruned_through,
				coalesce((SELECT max(position) FROM gone WHERE lost), 0))
			RETURNING (SELECT count(*) FROM gone), pruned_through`, before).Scan(&r.Changes, &r.Through); err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `DELETE FROM webhook_events WHERE at < $1
			AND position <= (SELECT coalesce(min(event_position), 9223372036854775807)
				FROM webhook_subscriptions WHERE disabled_at IS NULL)`, before)
		r.Events = int(tag.RowsAffected())
		return err
	})
	return r, translate(err)
}

// checkPruned returns a *PrunedError when reading after position after
// could miss a pruned removal: after lies before the log's horizon, and the
// reader did not start at 0 under this horizon or a later one (known, see
// ReadChangesWithin).
func checkPruned(after, known, horizon int64) error {
	if after > 0 && after < horizon && known < horizon {
		return &PrunedError{Through: horizon}
	}
	return nil
}

// Horizon returns the highest position pruned from the log that a reader
// may have missed (0 when none was).
func (s *Store) Horizon(ctx context.Context) (pos int64, err error) {
	defer wrap(&err, "catalog.Horizon")
	err = s.pool.QueryRow(ctx, `SELECT pruned_through FROM change_log_horizon`).Scan(&pos)
	return pos, translate(err)
}
