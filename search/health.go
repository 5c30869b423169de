package search

import (
	"log/slog"
	"math/rand/v2"
	"sync"
	"time"
)

// health is the recent state of a worker or follower, with the backoff
// between its failed attempts. Both embed it.
type health struct {
	mu     sync.Mutex
	status WorkerStatus
	// failMsg is the warning logged on the first failure and every 20th.
	failMsg    string
	log        *slog.Logger
	maxBackoff time.Duration
}

// Status returns the recent state.
func (h *health) Status() WorkerStatus {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.status
}

// failed records a failure and returns the next backoff: doubling from
// 100ms to maxBackoff, with jitter so that replicas do not retry in step.
func (h *health) failed(err error, backoff time.Duration) time.Duration {
	h.mu.Lock()
	h.status.LastError = err.Error()
	h.status.Failures++
	failures := h.status.Failures
	h.mu.Unlock()
	if failures == 1 || failures%20 == 0 {
		h.log.Warn(h.failMsg, "error", err, "failures", failures)
	}
	backoff = min(max(2*backoff, 100*time.Millisecond), h.maxBackoff)
	return backoff/2 + rand.N(backoff/2+1)
}

// succeeded records that Meilisearch was reached: only work that talked to
// it calls it (a batch that pushed documents, the drift check, the setup),
// never an empty batch.
func (h *health) succeeded() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.status.LastError, h.status.Failures, h.status.LastSuccess = "", 0, time.Now()
}
