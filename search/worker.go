package search

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/cybermarket/cybermarket/catalog"
)

// WorkerConfig configures a Worker.
type WorkerConfig struct {
	// Catalog is where the outbox and the documents' source rows live.
	Catalog *catalog.Store
	Index   *Index
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
	// Lease is how long claimed rows stay a batch's own: rows of a worker
	// that died are taken by another after it. A batch submits its tasks
	// within three quarters of it. 5 minutes when zero.
	Lease time.Duration
}

// Worker keeps the index in step with the outbox (see the package
// documentation). Run it in every replica.
type Worker struct {
	cfg  WorkerConfig
	log  *slog.Logger
	wake chan struct{}
	// drift asks Run to run the drift check soon.
	drift chan struct{}

	health
}

// WorkerStatus is what a worker knows about its recent work.
type WorkerStatus struct {
	// LastError is the error of the last failed batch, cleared by a success.
	LastError string
	// Failures counts consecutive failed attempts.
	Failures int
	// LastSuccess is when the worker last reached Meilisearch: a batch that
	// pushed documents, a drift check, or the setup at start. Batches that
	// found nothing to push do not count.
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
	if cfg.Lease <= 0 {
		cfg.Lease = 5 * time.Minute
	}
	log := cfg.Logger.With("component", "search")
	return &Worker{cfg: cfg, log: log, wake: make(chan struct{}, 1), drift: make(chan struct{}, 1),
		health: health{failMsg: "search sync failed; retrying with backoff", log: log, maxBackoff: cfg.MaxBackoff}}
}

// Wake makes Run read the outbox now.
func (w *Worker) Wake() {
	notify(w.wake)
}

// CheckDrift makes Run run the drift check now, such as after the reference
// data changed (wire it to compliance.Live.OnChange).
func (w *Worker) CheckDrift() {
	notify(w.drift)
}

// Run processes the outbox until ctx ends, then finishes the batch in hand
// (within 15 seconds) and returns. It first makes sure the index exists
// with the current settings, building it from the database when it did not
// exist. While Meilisearch or PostgreSQL is down it retries with
// exponential backoff; rows are only deleted once the index has them.
func (w *Worker) Run(ctx context.Context) {
	go w.listen(ctx)
	var r runState
	for ctx.Err() == nil {
		if d := max(r.backoff, r.pause); d > 0 && !sleep(ctx, d) {
			return
		}
		r.pause = 0
		n, err := w.step(ctx, &r)
		switch {
		case errors.Is(err, errPaused):
			r.pause = 500 * time.Millisecond
			continue
		case err != nil:
			if ctx.Err() != nil {
				return
			}
			r.backoff = w.failed(err, r.backoff)
			continue
		}
		if r.backoff > 0 {
			w.log.Info("search index reachable again; catching up")
		}
		r.backoff = 0
		if n == 0 {
			w.idle(ctx, &r)
		}
	}
}

// runState is what Run carries from one step to the next.
type runState struct {
	backoff, pause time.Duration
	// ready is set once the index exists with the current settings.
	ready bool
	// nextDrift is when the drift check is due.
	nextDrift time.Time
}

// step makes the index ready, runs the drift check when due, and runs one
// batch. It returns how many rows the batch settled.
func (w *Worker) step(ctx context.Context, r *runState) (int, error) {
	if !r.ready {
		if err := w.prepare(ctx); err != nil {
			return 0, err
		}
		r.ready = true
		w.succeeded()
	}
	if !time.Now().Before(r.nextDrift) {
		select {
		case <-w.drift:
		default:
		}
		if _, err := w.QueueDrift(ctx); err != nil {
			return 0, err
		}
		r.nextDrift = time.Now().Add(w.cfg.DriftInterval)
		w.succeeded()
	}
	return w.batchToCompletion(ctx)
}

// idle waits for a notification, the poll interval, a drift request or the
// next drift check.
func (w *Worker) idle(ctx context.Context, r *runState) {
	wait := min(w.cfg.PollInterval, time.Until(r.nextDrift))
	t := time.NewTimer(max(wait, 0))
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-w.wake:
	case <-w.drift:
		r.nextDrift = time.Time{}
	case <-t.C:
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
	public, err := w.cfg.Catalog.CountPublicOfferings(ctx)
	if err != nil || public == 0 {
		return err
	}
	rules, err := w.cfg.Rules(ctx)
	if err != nil {
		return err
	}
	w.log.Info("search index is empty; building it from the database")
	rep, err := Reindex(ctx, ReindexConfig{Catalog: w.cfg.Catalog, Index: w.cfg.Index, Rules: rules, Now: w.cfg.Now, Logger: w.log})
	switch {
	case errors.Is(err, ErrReindexRunning):
		return nil // someone else is building it
	case err != nil:
		return err
	}
	w.log.Info("search index built", "documents", rep.Documents, "duration", rep.Duration.String())
	return nil
}

// listen wakes Run whenever a transaction adds outbox rows. It reconnects
// after errors; polling covers the gaps.
func (w *Worker) listen(ctx context.Context) {
	listenLoop(ctx, w.log, "outbox", w.cfg.Catalog.ListenOutbox, w.Wake)
}

// listenLoop calls wake on every notification listen delivers until ctx
// ends, reconnecting a second after the connection is lost.
func listenLoop(ctx context.Context, log *slog.Logger, what string, listen func(context.Context, func()) error, wake func()) {
	for ctx.Err() == nil {
		err := listen(ctx, wake)
		if ctx.Err() == nil {
			log.Debug(what+" listener reconnecting", "error", err)
			sleep(ctx, time.Second)
		}
	}
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

// notify signals ch without blocking: a signal already pending covers this
// one.
func notify(ch chan struct{}) {
	select {
	case ch <- struct{}{}:
	default:
	}
}
