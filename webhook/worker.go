package webhook

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/cybermarket/cybermarket/catalog"
)

// WorkerConfig configures a Worker.
type WorkerConfig struct {
	Store  *catalog.Store
	Sender Sender
	// Render encodes changes as a message body: a page of the change feed
	// as GET /v1/changes shows it.
	Render func([]catalog.Change) ([]byte, error)
	// BatchSize is the most changes one message carries; 100 when zero.
	BatchSize int
	// Backoff is the wait after a first failure, doubled after each further
	// one up to MaxBackoff; 1s and 1h when zero.
	Backoff, MaxBackoff time.Duration
	// MaxFailures in a row disable a subscription; 10 when zero.
	MaxFailures int
	// PollInterval is the wait when nothing is due; 1s when zero.
	PollInterval time.Duration
	// Lease is how long an attempt holds its subscription; it must exceed
	// the client's timeout. One minute when zero.
	Lease  time.Duration
	Logger *slog.Logger
}

// Worker delivers the change feed to the subscriptions, at least once and
// in order: a subscription's position moves on only when its receiver
// accepted the message; a failure is retried after a backoff kept in the
// database, from the same position. Every replica may run one: a lease
// keeps each subscription to one worker at a time.
type Worker struct {
	cfg WorkerConfig
	log *slog.Logger
}

// NewWorker returns a worker; Run starts it.
func NewWorker(cfg WorkerConfig) *Worker {
	if cfg.BatchSize <= 0 {
		cfg.BatchSize = 100
	}
	if cfg.Backoff <= 0 {
		cfg.Backoff = time.Second
	}
	if cfg.MaxBackoff <= 0 {
		cfg.MaxBackoff = time.Hour
	}
	if cfg.MaxFailures <= 0 {
		cfg.MaxFailures = 10
	}
	if cfg.PollInterval <= 0 {
		cfg.PollInterval = time.Second
	}
	if cfg.Lease <= 0 {
		cfg.Lease = time.Minute
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	return &Worker{cfg: cfg, log: cfg.Logger.With("component", "webhooks")}
}

// Run delivers until ctx ends.
func (w *Worker) Run(ctx context.Context) {
	for ctx.Err() == nil {
		did, err := w.Step(ctx)
		if err != nil && ctx.Err() == nil {
			w.log.Warn("webhook delivery failed", "error", err)
		}
		if !did || err != nil {
			sleep(ctx, w.cfg.PollInterval)
		}
	}
}

// Step makes one delivery attempt for one due subscription, and reports
// whether one was due.
func (w *Worker) Step(ctx context.Context) (bool, error) {
	sub, err := w.cfg.Store.ClaimDueSubscription(ctx, w.cfg.Lease)
	if errors.Is(err, catalog.ErrNotFound) {
		return false, nil
	} else if err != nil {
		return false, err
	}
	changes, err := w.cfg.Store.ReadChanges(ctx, sub.Position, w.cfg.BatchSize)
	if err != nil || len(changes) == 0 {
		return true, err // the lease ends by itself
	}
	body, err := w.cfg.Render(changes)
	if err != nil {
		return true, err
	}
	secret, err := ParseSecret(sub.Secret)
	if err != nil {
		return true, err
	}
	last := changes[len(changes)-1].Position
	// The id names the content: a retry of the same changes is the same message.
	id := fmt.Sprintf("msg_%s_%d_%d", sub.ID, changes[0].Position, last)
	a := w.cfg.Sender.Attempt(ctx, sub.URL, secret, id, body)
	d := catalog.Delivery{MessageID: id, FirstPosition: changes[0].Position, LastPosition: last,
		At: a.At, Status: a.Status, Error: a.Error, Duration: a.Duration}
	retryIn := Backoff(sub.Failures+1, w.cfg.Backoff, w.cfg.MaxBackoff)
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	return true, w.cfg.Store.SettleDelivery(sctx, sub, d, retryIn, w.cfg.MaxFailures)
}

func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}
