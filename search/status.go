package search

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// Backlog is the state of the search outbox.
type Backlog struct {
	// Rows waiting to reach the index, including those waiting to be retried.
	Rows int64
	// Retrying counts rows whose documents Meilisearch rejected, waiting
	// for their next attempt.
	Retrying int64
	// OldestAge is how long the oldest row has waited; 0 when there is none.
	OldestAge time.Duration
}

// ReadBacklog returns the outbox backlog.
func ReadBacklog(ctx context.Context, pool *pgxpool.Pool) (Backlog, error) {
	var b Backlog
	var age float64
	err := pool.QueryRow(ctx, `
		SELECT count(*), count(*) FILTER (WHERE attempts > 0),
			coalesce(extract(epoch FROM clock_timestamp() - min(enqueued_at)), 0)::float8
		FROM search_outbox`).Scan(&b.Rows, &b.Retrying, &age)
	if err != nil {
		return Backlog{}, fmt.Errorf("search.ReadBacklog: %w", err)
	}
	b.OldestAge = time.Duration(max(age, 0) * float64(time.Second))
	return b, nil
}

// Status is the state of search: the outbox backlog, and the live index
// when Meilisearch answers.
type Status struct {
	Backlog Backlog
	// Reachable reports whether Meilisearch answered.
	Reachable bool
	// Index is the live index's state when Reachable.
	Index Stats
	// Public counts the public offerings in PostgreSQL, which the index
	// holds once the backlog is empty.
	Public int64
}

// ReadStatus returns the search status. Errors of Meilisearch only clear
// Reachable; errors of PostgreSQL are returned.
func ReadStatus(ctx context.Context, pool *pgxpool.Pool, ix *Index) (Status, error) {
	var st Status
	var err error
	if st.Backlog, err = ReadBacklog(ctx, pool); err != nil {
		return st, err
	}
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM offerings o JOIN vendors v ON v.id = o.vendor_id
		WHERE o.status = 'published' AND v.status = 'active'`).Scan(&st.Public); err != nil {
		return st, fmt.Errorf("search.ReadStatus: %w", err)
	}
	if ix != nil {
		if stats, err := ix.Stats(ctx); err == nil {
			st.Reachable, st.Index = true, stats
		}
	}
	return st, nil
}
