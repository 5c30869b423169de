package search

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/cybermarket/cybermarket/catalog"
)

var errPaused = errors.New("search workers are paused by a reindex")

// Batch claims up to BatchSize due outbox rows under a lease, rebuilds their
// documents from one snapshot of the database, pushes them to the live
// index and waits until Meilisearch has applied them, then deletes the rows
// in a short transaction. No transaction is open while it talks to
// Meilisearch. If anything fails the rows are released for a retry; if the
// worker dies they are due again when the lease ends. It returns how many
// rows it deleted, and records a success only when it reached Meilisearch
// (an empty batch does not). Tests call it to drain the outbox
// deterministically.
func (w *Worker) Batch(ctx context.Context) (n int, err error) {
	claimed := time.Now()
	claim, err := w.cfg.Catalog.ClaimOutbox(ctx, w.cfg.BatchSize, w.cfg.Lease)
	switch {
	case errors.Is(err, catalog.ErrOutboxPaused):
		return 0, errPaused
	case err != nil:
		return 0, fmt.Errorf("search batch: claim: %w", err)
	case len(claim.Rows) == 0:
		return 0, nil
	}
	// Tasks must reach Meilisearch while the lease holds: another worker
	// that takes the rows over later then queues its tasks after ours.
	submitBy := claimed.Add(w.cfg.Lease * 3 / 4)
	done, retry, err := w.apply(ctx, claim.Offerings(), submitBy)
	if err != nil {
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		rerr := w.cfg.Catalog.ReleaseOutbox(rctx, claim)
		cancel()
		if rerr != nil {
			w.log.Debug("could not release claimed outbox rows; they are due when the lease ends", "error", rerr)
		}
		return 0, fmt.Errorf("search batch: %w", err)
	}
	w.succeeded()
	doneRows, retryRows := settlement(claim.Rows, done, retry)
	n, err = w.cfg.Catalog.SettleOutbox(ctx, claim, doneRows, retryRows)
	switch {
	case errors.Is(err, catalog.ErrOutboxPaused):
		return 0, errPaused
	case err != nil:
		return 0, fmt.Errorf("search batch: settle: %w", err)
	}
	return n, nil
}

// apply builds the documents of offerings from the database and pushes
// them: public offerings are replaced, the others deleted. It returns the
// offerings the index now has right (done) and those whose documents it
// rejects (retry). Tasks are submitted before submitBy.
func (w *Worker) apply(ctx context.Context, offerings []uuid.UUID, submitBy time.Time) (done, retry []uuid.UUID, err error) {
	rules, err := w.cfg.Rules(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("rules: %w", err)
	}
	entries, err := w.cfg.Catalog.IndexEntries(ctx, offerings)
	if err != nil {
		return nil, nil, err
	}
	docs, deletes := documents(rules, entries, offerings, w.cfg.Now())
	rejected, err := w.push(ctx, docs, deletes, submitBy)
	if err != nil {
		return nil, nil, err
	}
	for _, id := range offerings {
		if rejected[id.String()] {
			retry = append(retry, id)
		} else {
			done = append(done, id)
		}
	}
	return done, retry, nil
}

// documents returns the documents of the public entries on day, and the
// ids of the offerings that must leave the index: those of offerings that
// are not public or no longer exist.
func documents(rules *Rules, entries []catalog.IndexEntry, offerings []uuid.UUID, day time.Time) (docs []Document, deletes []string) {
	docs = make([]Document, 0, len(entries))
	public := make(map[uuid.UUID]bool, len(entries))
	for _, e := range entries {
		if d, ok := rules.Build(e.Vendor, e.Offering, e.Certifications, day); ok {
			docs = append(docs, d)
			public[e.Offering.ID] = true
		}
	}
	for _, id := range offerings {
		if !public[id] {
			deletes = append(deletes, id.String())
		}
	}
	return docs, deletes
}

// settlement splits the claimed rows by their offering's outcome: the rows
// of offerings done are deleted, those of offerings to retry deferred.
func settlement(rows []catalog.OutboxRow, done, retry []uuid.UUID) (doneRows, retryRows []int64) {
	for _, r := range rows {
		switch {
		case slices.Contains(retry, r.Offering):
			retryRows = append(retryRows, r.ID)
		case slices.Contains(done, r.Offering):
			doneRows = append(doneRows, r.ID)
		}
	}
	return doneRows, retryRows
}

// push applies docs and deletes to the live index, submitting every task
// before submitBy. When Meilisearch rejects the batch as a whole (a failed
// task), it retries document by document and reports the ids it still
// rejects, so that one bad document does not hold up the others.
func (w *Worker) push(ctx context.Context, docs []Document, deletes []string, submitBy time.Time) (rejected map[string]bool, err error) {
	return push(ctx, w.cfg.Index, w.log, docs, deletes, submitBy)
}

// push is Worker.push on index ix, logging to log.
func push(ctx context.Context, ix *Index, log *slog.Logger, docs []Document, deletes []string, submitBy time.Time) (rejected map[string]bool, err error) {
	err = ix.applyBy(ctx, submitBy, docs, deletes)
	var te *TaskError
	if !errors.As(err, &te) {
		return nil, err
	}
	rejected = map[string]bool{}
	for _, d := range docs {
		if err := ix.applyBy(ctx, submitBy, []Document{d}, nil); errors.As(err, &te) {
			log.Error("search index rejects a document; will retry later", "offering", d.ID, "error", err)
			rejected[d.ID] = true
		} else if err != nil {
			return nil, err
		}
	}
	for _, id := range deletes {
		if err := ix.applyBy(ctx, submitBy, nil, []string{id}); errors.As(err, &te) {
			log.Error("search index cannot delete a document; will retry later", "offering", id, "error", err)
			rejected[id] = true
		} else if err != nil {
			return nil, err
		}
	}
	return rejected, nil
}
