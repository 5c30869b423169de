package catalog

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// ErrRebuildRunning means another rebuild of the search index holds the
// rebuild lock.
var ErrRebuildRunning = errors.New("another rebuild of the search index is running")

// Rebuild is a rebuild of the search index from one snapshot: it holds the
// rebuild lock (one at a time across replicas) and, once paused, keeps the
// outbox workers of every replica from claiming or settling rows until End.
// Writes go on meanwhile and queue their rows. It is not safe for concurrent
// use.
type Rebuild struct {
	conn *pgxpool.Conn
}

// BeginRebuild takes the rebuild lock, or returns ErrRebuildRunning.
func (s *Store) BeginRebuild(ctx context.Context) (_ *Rebuild, err error) {
	defer wrap(&err, "catalog.BeginRebuild")
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return nil, translate(err)
	}
	var mine bool
	if err := conn.QueryRow(ctx, `SELECT pg_try_advisory_lock($1, $2)`, lockNamespace, lockRebuild).Scan(&mine); err != nil {
		conn.Release()
		return nil, translate(err)
	}
	if !mine {
		conn.Release()
		return nil, ErrRebuildRunning
	}
	return &Rebuild{conn: conn}, nil
}

// Pause waits for the claims and settlements in flight, keeps the workers
// from claiming or settling rows until End, and makes every claim made
// before it keep its rows for a retry: a worker may have pushed them to the
// index the rebuild replaces.
func (r *Rebuild) Pause(ctx context.Context) (err error) {
	defer wrap(&err, "catalog.Rebuild.Pause")
	if _, err := r.conn.Exec(ctx, `SELECT pg_advisory_lock($1, $2)`, lockNamespace, lockPause); err != nil {
		return translate(err)
	}
	_, err = r.conn.Exec(ctx, `SELECT nextval('search_outbox_generation')`)
	return translate(err)
}

// EachPublicEntry is Store.EachPublicEntry on the rebuild's connection: call
// it after Pause, so that every change after its snapshot waits in the
// outbox.
func (r *Rebuild) EachPublicEntry(ctx context.Context, fn func([]IndexEntry) error) (err error) {
	defer wrap(&err, "catalog.Rebuild.EachPublicEntry")
	return translate(pgx.BeginTxFunc(ctx, r.conn, snapshot, func(tx pgx.Tx) error {
		return eachPublicEntry(ctx, tx, fn)
	}))
}

// End lets the workers go on and releases the rebuild lock.
func (r *Rebuild) End() {
	// Session locks end with the session: a connection that cannot unlock
	// is closed rather than returned to the pool.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := r.conn.Exec(ctx, `SELECT pg_advisory_unlock_all()`); err != nil {
		r.conn.Hijack().Close(ctx)
		return
	}
	r.conn.Release()
}
