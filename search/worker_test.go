package search_test

import (
	"context"
	"testing"
	"time"

	"github.com/cybermarket/cybermarket/search"
	"github.com/cybermarket/cybermarket/search/searchtest"
)

// A worker that dies after claiming rows holds them until its lease ends;
// then another worker takes them and the index equals the database.
func TestWorker_TakesOverRowsAfterTheLease(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.seedOnly()
	// The dead worker: it claimed every row and will never settle them.
	const lease = 3 * time.Second
	claiming := time.Now()
	dead, err := e.store.ClaimOutbox(e.ctx(), 1000, lease)
	if err != nil || len(dead.Rows) == 0 {
		t.Fatalf("claim: %d rows, %v", len(dead.Rows), err)
	}
	claimed := time.Now() // the lease ends between claiming+lease and claimed+lease
	if n, err := e.worker.Drain(e.ctx()); err != nil || n != 0 {
		t.Fatalf("drain %s into the %s lease: %d rows, %v; want none", time.Since(claiming), lease, n, err)
	}
	if d, err := search.Verify(e.ctx(), e.store, e.index, e.rules, e.now); err != nil || d.Documents != 0 {
		t.Fatalf("index during the lease: %v, %v; want empty", d, err)
	}
	time.Sleep(time.Until(claimed.Add(lease + 100*time.Millisecond)))
	n, err := e.worker.Drain(e.ctx())
	if err != nil || n != len(dead.Rows) {
		t.Fatalf("drain after the lease: %d rows, %v; want %d", n, err, len(dead.Rows))
	}
	e.inSync()
	// The dead worker coming back late deletes nothing.
	if n, err := e.store.SettleOutbox(e.ctx(), dead, []int64{dead.Rows[0].ID}, nil); err != nil || n != 0 {
		t.Errorf("late settlement: %d, %v", n, err)
	}
}

// The status reports a success only when Meilisearch was reached: idle
// polls of an empty outbox while it is down neither refresh last_success
// nor clear the failures.
func TestWorker_SuccessOnlyWhenReached(t *testing.T) {
	t.Parallel()
	srv := searchtest.Start(t)
	cfg := srv.Config()
	ix, err := search.Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	e := newEnvOn(t, ix, cfg)
	e.worker = search.NewWorker(search.WorkerConfig{Catalog: e.store, Index: ix, MaxBackoff: 100 * time.Millisecond,
		PollInterval: 10 * time.Millisecond, DriftInterval: time.Hour,
		Rules: func(context.Context) (*search.Rules, error) { return e.rules, nil },
		Now:   func() time.Time { return e.now }})
	if n, err := e.worker.Batch(e.ctx()); err != nil || n != 0 {
		t.Fatalf("empty batch: %d, %v", n, err)
	}
	if st := e.worker.Status(); !st.LastSuccess.IsZero() {
		t.Fatalf("an empty batch recorded a success: %+v", st)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); e.worker.Run(ctx) }()
	defer func() { cancel(); <-done }()
	waitStatus(t, e.worker, "setup reached Meilisearch", func(st search.WorkerStatus) bool { return !st.LastSuccess.IsZero() })
	// The first step reaches Meilisearch twice (setup, then the first drift
	// check): take the time of the last success once the worker is idle.
	reached := settledSuccess(t, e.worker)

	srv.Stop()
	time.Sleep(300 * time.Millisecond) // some 30 idle polls
	if st := e.worker.Status(); !st.LastSuccess.Equal(reached) {
		t.Fatalf("idle polls while Meilisearch is down refreshed last_success: %+v", st)
	}
	e.seedOnly()
	waitStatus(t, e.worker, "a failure", func(st search.WorkerStatus) bool { return st.Failures >= 2 })
	if st := e.worker.Status(); st.LastError == "" || !st.LastSuccess.Equal(reached) {
		t.Fatalf("status while down: %+v", st)
	}

	srv.Restart()
	waitSynced(t, e, time.Minute)
	if st := e.worker.Status(); st.Failures != 0 || st.LastError != "" || !st.LastSuccess.After(reached) {
		t.Errorf("status after the restart: %+v", st)
	}
}

func waitStatus(t *testing.T, w *search.Worker, what string, ok func(search.WorkerStatus) bool) {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); !ok(w.Status()); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("waiting for %s: status %+v", what, w.Status())
		}
	}
}

// settledSuccess waits until the worker's last success has not moved for a
// while (it is idle) and returns it.
func settledSuccess(t *testing.T, w *search.Worker) time.Time {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	last := w.Status().LastSuccess
	for time.Now().Before(deadline) {
		time.Sleep(300 * time.Millisecond)
		now := w.Status().LastSuccess
		if now.Equal(last) {
			return now
		}
		last = now
	}
	t.Fatalf("the worker kept reaching Meilisearch for 20 s after its setup")
	return last
}
