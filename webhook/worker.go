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
	// Render encodes changes after a position, and events, as a message
	// body: a page of the change feed as GET /v1/changes shows it, with the
	// events of the subscription's vendor or buyer.
	Render func(after int64, changes []catalog.Change, events []catalog.Event) ([]byte, error)
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
	m, err := w.message(ctx, sub)
	if errors.Is(err, catalog.ErrPruned) {
		// Behind the log's retention: nothing can be delivered in order. A
		// failure in the delivery log says why, and disables it in time.
		m.delivery.MessageID, m.delivery.Error = "pruned", err.Error()+"; delete this webhook and subscribe again"
		return true, w.settle(ctx, sub, m.delivery)
	}
	if err != nil || m.body == nil {
		return true, err // the lease ends by itself
	}
	secret, err := ParseSecret(sub.Secret)
	if err != nil {
		return true, err
	}
	a := w.cfg.Sender.Attempt(ctx, sub.URL, secret, m.delivery.MessageID, m.body)
	d := m.delivery
	d.At, d.Status, d.Error, d.Duration = a.At, a.Status, a.Error, a.Duration
	return true, w.settle(ctx, sub, d)
}

// settle records delivery d of sub, scheduling a retry when it failed.
func (w *Worker) settle(ctx context.Context, sub catalog.Subscription, d catalog.Delivery) error {
	retryIn := Backoff(sub.Failures+1, w.cfg.Backoff, w.cfg.MaxBackoff)
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	return w.cfg.Store.SettleDelivery(sctx, sub, d, retryIn, w.cfg.MaxFailures)
}

// message is what one attempt sends: the body, and the delivery it is.
type message struct {
	body     []byte
	delivery catalog.Delivery
}

// message reads what sub has yet to receive, up to BatchSize changes and
// BatchSize events, and renders it; the body is nil when there is nothing.
// The id names the content: a retry of the same changes and events is the
// same message.
func (w *Worker) message(ctx context.Context, sub catalog.Subscription) (message, error) {
	changes, _, err := w.cfg.Store.ReadChangesWithin(ctx, sub.Position, sub.Horizon, w.cfg.BatchSize)
	if err != nil {
		return message{}, err
	}
	events, err := w.cfg.Store.ReadEvents(ctx, sub.KeyID, sub.EventPosition, w.cfg.BatchSize)
	if err != nil || len(changes)+len(events) == 0 {
		return message{}, err
	}
	d := catalog.Delivery{FirstPosition: sub.Position, LastPosition: sub.Position}
	if len(changes) > 0 {
		d.FirstPosition, d.LastPosition = changes[0].Position, changes[len(changes)-1].Position
	}
	d.MessageID = fmt.Sprintf("msg_%s_%d_%d", sub.ID, d.FirstPosition, d.LastPosition)
	if len(events) > 0 {
		d.LastEventPosition = events[len(events)-1].Position
		d.MessageID += fmt.Sprintf("_e%d_%d", events[0].Position, d.LastEventPosition)
	}
	body, err := w.cfg.Render(sub.Position, changes, events)
	return message{body: body, delivery: d}, err
}

func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}
