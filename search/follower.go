package search

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/google/uuid"

	"github.com/cybermarket/cybermarket/catalog"
)

// FollowerConfig configures a Follower.
type FollowerConfig struct {
	// Catalog holds the change log, the consumer positions and the
	// documents' source rows.
	Catalog *catalog.Store
	Index   *Index
	// Name is the consumer's name in the database: one per instance, the
	// same in every replica. ConsumerName gives the usual one.
	Name string
	// Rules returns the rules to build documents with (see LiveRules).
	Rules func(context.Context) (*Rules, error)
	// Logger defaults to slog.Default(); Now to time.Now.
	Logger *slog.Logger
	Now    func() time.Time
	// BatchSize is the most log rows one step reads; 1000 when zero.
	BatchSize int
	// PollInterval is how often the log is read without a notification; 5s
	// when zero. MaxBackoff bounds the wait between retries; 30s when zero.
	PollInterval, MaxBackoff time.Duration
	// Lease is how long a step holds the consumer; 5 minutes when zero.
	Lease time.Duration
}

// ConsumerName is the consumer name of the index uid on the Meilisearch at url.
func ConsumerName(url, uid string) string { return "search " + url + " " + uid }

// Follower keeps an index equal to the catalogue by following the change
// log from a position of its own: each step rebuilds the documents of the
// offerings named by the rows after the position, pushes them, waits for
// Meilisearch to apply them, and only then moves the position on. Every
// replica may run one per instance: a lease in the database lets one work
// the instance at a time. An index found empty while the catalogue has
// public offerings (a new or wiped instance) is rebuilt by replaying the
// log from 0, which holds the whole catalogue, while the other instances
// serve.
type Follower struct {
	cfg    FollowerConfig
	log    *slog.Logger
	holder uuid.UUID
	wake   chan struct{}

	health
}

// NewFollower returns a follower; Run starts it.
func NewFollower(cfg FollowerConfig) *Follower {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.BatchSize <= 0 {
		cfg.BatchSize = 1000
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
	log := cfg.Logger.With("component", "search-follower", "consumer", cfg.Name)
	return &Follower{cfg: cfg, log: log, holder: uuid.New(), wake: make(chan struct{}, 1),
		health: health{failMsg: "search follower failed; retrying with backoff", log: log, maxBackoff: cfg.MaxBackoff}}
}

// Wake makes Run read the log now.
func (f *Follower) Wake() {
	notify(f.wake)
}

// Run follows the log until ctx ends. After every failure (Meilisearch or
// PostgreSQL down) it backs off, then checks the index again before going
// on: its settings, and whether it must be rebuilt.
func (f *Follower) Run(ctx context.Context) {
	go f.listen(ctx)
	defer func() {
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		_ = f.cfg.Catalog.ReleaseConsumer(rctx, f.cfg.Name, f.holder)
	}()
	var backoff time.Duration
	ready := false
	for ctx.Err() == nil {
		if backoff > 0 && !sleep(ctx, backoff) {
			return
		}
		var n int
		err := error(nil)
		if !ready {
			err = f.Prepare(ctx)
			ready = err == nil
		}
		if err == nil {
			n, err = f.Step(ctx)
		}
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			backoff, ready = f.failed(err, backoff), false
			continue
		}
		backoff = 0
		if n == 0 {
			f.idle(ctx)
		}
	}
}

// Prepare makes sure the index exists with the current settings, and
// starts the consumer over from position 0 when the index is empty while
// the catalogue has public offerings.
func (f *Follower) Prepare(ctx context.Context) error {
	if err := f.cfg.Index.EnsureSettings(ctx); err != nil {
		return err
	}
	st, err := f.cfg.Index.Stats(ctx)
	if err != nil || st.Documents > 0 {
		return err
	}
	public, err := f.cfg.Catalog.CountPublicOfferings(ctx)
	if err != nil || public == 0 {
		return err
	}
	pos, err := f.cfg.Catalog.ClaimConsumer(ctx, f.cfg.Name, f.holder, f.cfg.Lease)
	if errors.Is(err, catalog.ErrLeaseLost) || (err == nil && pos == 0) {
		return nil // another replica works it, or it starts from 0 anyway
	} else if err != nil {
		return err
	}
	f.log.Info("search instance is empty; rebuilding it from the change log", "position", pos)
	return f.cfg.Catalog.MoveConsumer(ctx, f.cfg.Name, f.holder, 0)
}

// Step applies the rows after the consumer's position, up to BatchSize,
// and returns how many it read; 0 when there are none, or when another
// replica holds the consumer.
func (f *Follower) Step(ctx context.Context) (int, error) {
	claimed := time.Now()
	pos, err := f.cfg.Catalog.ClaimConsumer(ctx, f.cfg.Name, f.holder, f.cfg.Lease)
	switch {
	case errors.Is(err, catalog.ErrLeaseLost):
		return 0, nil
	case err != nil:
		return 0, fmt.Errorf("search follower: %w", err)
	}
	ids, last, err := f.cfg.Catalog.ChangedOfferings(ctx, pos, f.cfg.BatchSize)
	if err != nil || last == pos {
		return 0, err
	}
	if len(ids) > 0 {
		if err := f.apply(ctx, ids, claimed.Add(f.cfg.Lease*3/4)); err != nil {
			return 0, fmt.Errorf("search follower: %w", err)
		}
		f.succeeded()
	}
	if err := f.cfg.Catalog.MoveConsumer(ctx, f.cfg.Name, f.holder, last); err != nil {
		return 0, fmt.Errorf("search follower: %w", err)
	}
	return int(last - pos), nil
}

// apply pushes the documents of offerings, submitting before submitBy.
// Documents the index rejects are logged and left behind.
func (f *Follower) apply(ctx context.Context, offerings []uuid.UUID, submitBy time.Time) error {
	rules, err := f.cfg.Rules(ctx)
	if err != nil {
		return fmt.Errorf("rules: %w", err)
	}
	entries, err := f.cfg.Catalog.IndexEntries(ctx, offerings)
	if err != nil {
		return err
	}
	docs, deletes := documents(rules, entries, offerings, f.cfg.Now())
	_, err = push(ctx, f.cfg.Index, f.log, docs, deletes, submitBy)
	return err
}

// Drain runs steps until the consumer has read the whole log, for tests.
func (f *Follower) Drain(ctx context.Context) error {
	if err := f.Prepare(ctx); err != nil {
		return err
	}
	for {
		n, err := f.Step(ctx)
		if err != nil || n == 0 {
			return err
		}
	}
}

func (f *Follower) idle(ctx context.Context) {
	t := time.NewTimer(f.cfg.PollInterval)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-f.wake:
	case <-t.C:
	}
}

// listen wakes Run whenever a transaction adds change-log rows.
func (f *Follower) listen(ctx context.Context) {
	listenLoop(ctx, f.log, "change log", f.cfg.Catalog.ListenChanges, f.Wake)
}
