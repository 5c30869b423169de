package search

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"slices"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/cybermarket/cybermarket/catalog"
)

// Advisory locks, in their own two-key namespace. lockPause is held shared
// by every batch and exclusively by a reindex, which so pauses the workers
// while it copies a snapshot; lockReindex allows one reindex at a time;
// lockOffering (with a hash of the offering id as second key) serializes
// the pushes of one offering across workers.
const (
	lockNamespace = 0x5ea7c4 // "search"
	lockPause     = 1
	lockReindex   = 2
	lockOffering  = 0x5ea7c5 // namespace of per-offering locks
)

// WorkerConfig configures a Worker.
type WorkerConfig struct {
	Pool  *pgxpool.Pool
	Index *Index
	// Rules returns the rules to build documents with; it must follow the
	// current reference data (see LiveRules).
	Rules func(context.Context) (*Rules, error)
	// Logger defaults to slog.Default().
	Logger *slog.Logger
	// Now is the clock; time.Now when nil. Eligibility is computed for its
	// day (UTC).
	Now func() time.Time
	// BatchSize is the most outbox rows one batch claims; 500 when zero.
	BatchSize int
	// DriftInterval is how often the drift check runs; one minute when zero.
	DriftInterval time.Duration
	// PollInterval is how often the outbox is read when no notification
	// arrives (a safety net; rows normally announce themselves); 5s when zero.
	PollInterval time.Duration
	// MaxBackoff bounds the wait between retries while Meilisearch is down;
	// 30s when zero.
	MaxBackoff time.Duration
}

// Worker keeps the index in step with the outbox (see the package
// documentation). Run it in every replica.
type Worker struct {
	cfg  WorkerConfig
	log  *slog.Logger
	wake chan struct{}
	// drift asks Run to run the drift check soon.
	drift chan struct{}

	mu     sync.Mutex
	status WorkerStatus
}

// WorkerStatus is what a worker knows about its recent work.
type WorkerStatus struct {
	// LastError is the error of the last failed batch, cleared by a success.
	LastError string
	// Failures counts consecutive failed attempts.
	Failures int
	// LastSuccess is when a batch last reached the index.
	LastSuccess time.Time
}

// NewWorker returns a worker; Run starts it.
func NewWorker(cfg WorkerConfig) *Worker {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.BatchSize <= 0 {
		cfg.BatchSize = 500
	}
	if cfg.DriftInterval <= 0 {
		cfg.DriftInterval = time.Minute
	}
	if cfg.PollInterval <= 0 {
		cfg.PollInterval = 5 * time.Second
	}
	if cfg.MaxBackoff <= 0 {
		cfg.MaxBackoff = 30 * time.Second
	}
	return &Worker{cfg: cfg, log: cfg.Logger.With("component", "search"),
		wake: make(chan struct{}, 1), drift: make(chan struct{}, 1)}
}

// Status returns the worker's recent state.
func (w *Worker) Status() WorkerStatus {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.status
}

// Wake makes Run read the outbox now.
func (w *Worker) Wake() {
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// CheckDrift makes Run run the drift check now, such as after the reference
// data changed (wire it to compliance.Live.OnChange).
func (w *Worker) CheckDrift() {
	select {
	case w.drift <- struct{}{}:
	default:
	}
}

// Run processes the outbox until ctx ends, then finishes the batch in hand
// (within 15 seconds) and returns. It first makes sure the index exists
// with the current settings, building it from the database when it did not
// exist. While Meilisearch or PostgreSQL is down it retries with
// exponential backoff; rows are only deleted once the index has them.
func (w *Worker) Run(ctx context.Context) {
	go w.listen(ctx)
	var backoff, pause time.Duration
	ready := false
	nextDrift := time.Time{}
	for ctx.Err() == nil {
		if d := max(backoff, pause); d > 0 && !sleep(ctx, d) {
			return
		}
		pause = 0
		var err error
		if !ready {
			err = w.prepare(ctx)
			ready = err == nil
		}
		if ready && !time.Now().Before(nextDrift) {
			select {
			case <-w.drift:
			default:
			}
			if _, err = w.QueueDrift(ctx); err == nil {
				nextDrift = time.Now().Add(w.cfg.DriftInterval)
			}
		}
		n := 0
		if ready && err == nil {
			n, err = w.batchToCompletion(ctx)
		}
		switch {
		case errors.Is(err, errPaused):
			pause = 500 * time.Millisecond
			continue
		case err != nil:
			if ctx.Err() != nil {
				return
			}
			backoff = w.failed(err, backoff)
			continue
		}
		if backoff > 0 {
			w.log.Info("search index reachable again; catching up")
		}
		backoff = 0
		if n > 0 {
			continue // more may be due
		}
		// Idle: wait for a notification, the poll interval, a drift request
		// or the next drift check.
		wait := min(w.cfg.PollInterval, time.Until(nextDrift))
		t := time.NewTimer(max(wait, 0))
		select {
		case <-ctx.Done():
		case <-w.wake:
		case <-w.drift:
			nextDrift = time.Time{}
		case <-t.C:
		}
		t.Stop()
	}
}

// batchToCompletion runs a batch that survives the end of ctx by up to 15
// seconds: a shutdown lets the batch in hand finish rather than leave
// Meilisearch with a task whose rows will be retried for nothing.
func (w *Worker) batchToCompletion(ctx context.Context) (int, error) {
	bctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Minute)
	defer cancel()
	stop := context.AfterFunc(ctx, func() { time.AfterFunc(15*time.Second, cancel) })
	defer stop()
	return w.Batch(bctx)
}

// prepare makes sure the live index exists with the current settings, and
// builds it from the database when it is empty while the catalogue has
// public offerings (a new deployment, or a Meilisearch that lost its data).
func (w *Worker) prepare(ctx context.Context) error {
	if err := w.cfg.Index.EnsureSettings(ctx); err != nil {
		return err
	}
	st, err := w.cfg.Index.Stats(ctx)
	if err != nil || st.Documents > 0 {
		return err
	}
	var public bool
	if err := w.cfg.Pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM offerings o JOIN vendors v ON v.id = o.vendor_id
		WHERE o.status = 'published' AND v.status = 'active')`).Scan(&public); err != nil || !public {
		return err
	}
	rules, err := w.cfg.Rules(ctx)
	if err != nil {
		return err
	}
	w.log.Info("search index is empty; building it from the database")
	rep, err := Reindex(ctx, ReindexConfig{Pool: w.cfg.Pool, Index: w.cfg.Index, Rules: rules, Now: w.cfg.Now, Logger: w.log})
	switch {
	case errors.Is(err, ErrReindexRunning):
		return nil // someone else is building it
	case err != nil:
		return err
	}
	w.log.Info("search index built", "documents", rep.Documents, "duration", rep.Duration.String())
	return nil
}

// failed records a failure and returns the next backoff: doubling from
// 100ms to MaxBackoff, with jitter so that replicas do not retry in step.
func (w *Worker) failed(err error, backoff time.Duration) time.Duration {
	w.mu.Lock()
	w.status.LastError = err.Error()
	w.status.Failures++
	failures := w.status.Failures
	w.mu.Unlock()
	if failures == 1 || failures%20 == 0 {
		w.log.Warn("search sync failed; retrying with backoff", "error", err, "failures", failures)
	}
	backoff = min(max(2*backoff, 100*time.Millisecond), w.cfg.MaxBackoff)
	return backoff/2 + rand.N(backoff/2+1)
}

func (w *Worker) succeeded() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.status.LastError, w.status.Failures, w.status.LastSuccess = "", 0, time.Now()
}

// listen wakes Run whenever a transaction adds outbox rows (catalog
// notifies OutboxChannel on commit). It holds one connection of its own and
// reconnects after errors; polling covers the gaps.
func (w *Worker) listen(ctx context.Context) {
	for ctx.Err() == nil {
		err := func() error {
			pc, err := w.cfg.Pool.Acquire(ctx)
			if err != nil {
				return err
			}
			// A listening connection must not go back to the pool.
			conn := pc.Hijack()
			defer conn.Close(context.WithoutCancel(ctx))
			if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{catalog.OutboxChannel}.Sanitize()); err != nil {
				return err
			}
			w.Wake() // rows may have arrived before we listened
			for {
				if _, err := conn.WaitForNotification(ctx); err != nil {
					return err
				}
				w.Wake()
			}
		}()
		if ctx.Err() == nil {
			w.log.Debug("outbox listener reconnecting", "error", err)
			sleep(ctx, time.Second)
		}
	}
}

var errPaused = errors.New("search workers are paused by a reindex")

// Batch claims up to BatchSize due outbox rows, rebuilds their documents
// from the database, pushes them to the live index, waits until Meilisearch
// has applied them, and deletes the rows, all in one transaction: if
// anything fails before the commit the rows stay for a retry. It returns
// how many rows it deleted. Tests call it to drain the outbox
// deterministically.
func (w *Worker) Batch(ctx context.Context) (n int, err error) {
	defer func() {
		if err == nil {
			w.succeeded()
		}
	}()
	tx, err := w.cfg.Pool.Begin(ctx)
	if err != nil {
		return 0, fmt.Errorf("search batch: %w", err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	var running bool
	if err := tx.QueryRow(ctx, `SELECT pg_try_advisory_xact_lock_shared($1, $2)`, lockNamespace, lockPause).Scan(&running); err != nil {
		return 0, fmt.Errorf("search batch: %w", err)
	}
	if !running {
		return 0, errPaused
	}
	rows, err := tx.Query(ctx, `
		SELECT id, offering_id FROM search_outbox
		WHERE not_before <= now()
		ORDER BY id
		LIMIT $1
		FOR UPDATE SKIP LOCKED`, w.cfg.BatchSize)
	if err != nil {
		return 0, fmt.Errorf("search batch: claim: %w", err)
	}
	type claim struct {
		id       int64
		offering uuid.UUID
	}
	claims, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (c claim, err error) {
		return c, r.Scan(&c.id, &c.offering)
	})
	if err != nil {
		return 0, fmt.Errorf("search batch: claim: %w", err)
	}
	if len(claims) == 0 {
		return 0, nil
	}
	// One worker per offering at a time: a document built from an older
	// state must never be pushed after one built from a newer state. Rows
	// of an offering another worker holds wait for the next batch.
	var ids []uuid.UUID
	for _, c := range claims {
		if !slices.Contains(ids, c.offering) {
			ids = append(ids, c.offering)
		}
	}
	rows, err = tx.Query(ctx, `
		SELECT o FROM unnest($1::uuid[]) AS o
		WHERE pg_try_advisory_xact_lock($2, hashtext(o::text))`, ids, lockOffering)
	if err != nil {
		return 0, fmt.Errorf("search batch: lock offerings: %w", err)
	}
	locked, err := pgx.CollectRows(rows, pgx.RowTo[uuid.UUID])
	if err != nil {
		return 0, fmt.Errorf("search batch: lock offerings: %w", err)
	}
	if len(locked) == 0 {
		return 0, nil
	}
	rules, err := w.cfg.Rules(ctx)
	if err != nil {
		return 0, fmt.Errorf("search batch: rules: %w", err)
	}
	entries, err := loadOfferings(ctx, tx, locked)
	if err != nil {
		return 0, fmt.Errorf("search batch: %w", err)
	}
	day := w.cfg.Now()
	docs := make([]Document, 0, len(entries))
	public := make(map[uuid.UUID]bool, len(entries))
	for _, e := range entries {
		if d, ok := rules.Build(e.vendor, e.offering, e.certs, day); ok {
			docs = append(docs, d)
			public[e.offering.ID] = true
		}
	}
	var deletes []string
	for _, id := range locked {
		if !public[id] {
			deletes = append(deletes, id.String())
		}
	}
	failed, err := w.push(ctx, docs, deletes)
	if err != nil {
		return 0, fmt.Errorf("search batch: %w", err)
	}
	var done, retry []int64
	for _, c := range claims {
		switch {
		case !slices.Contains(locked, c.offering):
		case failed[c.offering.String()]:
			retry = append(retry, c.id)
		default:
			done = append(done, c.id)
		}
	}
	if _, err := tx.Exec(ctx, `DELETE FROM search_outbox WHERE id = ANY($1)`, done); err != nil {
		return 0, fmt.Errorf("search batch: delete rows: %w", err)
	}
	if len(retry) > 0 {
		// Documents Meilisearch rejects wait longer each time (up to an hour)
		// instead of blocking the rows behind them.
		if _, err := tx.Exec(ctx, `
			UPDATE search_outbox SET attempts = attempts + 1,
				not_before = now() + least(interval '1 hour', interval '1 second' * power(2, attempts + 1))
			WHERE id = ANY($1)`, retry); err != nil {
			return 0, fmt.Errorf("search batch: defer rows: %w", err)
		}
	}
	if err := tx.Commit(ctx); err != nil {
		return 0, fmt.Errorf("search batch: commit: %w", err)
	}
	return len(done), nil
}

// push applies docs and deletes to the live index. When Meilisearch rejects
// the batch as a whole (a failed task), it retries document by document and
// reports the ids it still rejects, so that one bad document does not hold
// up the others.
func (w *Worker) push(ctx context.Context, docs []Document, deletes []string) (failed map[string]bool, err error) {
	uid := w.cfg.Index.uid
	err = w.cfg.Index.apply(ctx, uid, docs, deletes)
	var te *TaskError
	if !errors.As(err, &te) {
		return nil, err
	}
	failed = map[string]bool{}
	for _, d := range docs {
		if err := w.cfg.Index.apply(ctx, uid, []Document{d}, nil); errors.As(err, &te) {
			w.log.Error("search index rejects a document; will retry later", "offering", d.ID, "error", err)
			failed[d.ID] = true
		} else if err != nil {
			return nil, err
		}
	}
	for _, id := range deletes {
		if err := w.cfg.Index.apply(ctx, uid, nil, []string{id}); errors.As(err, &te) {
			w.log.Error("search index cannot delete a document; will retry later", "offering", id, "error", err)
			failed[id] = true
		} else if err != nil {
			return nil, err
		}
	}
	return failed, nil
}

// Drain runs batches until no due row is left, for tests and tools.
func (w *Worker) Drain(ctx context.Context) (int, error) {
	total := 0
	for {
		n, err := w.Batch(ctx)
		total += n
		if err != nil || n == 0 {
			return total, err
		}
	}
}

func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
