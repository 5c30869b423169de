package search

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/meilisearch/meilisearch-go"

	"github.com/cybermarket/cybermarket/catalog"
)

// ErrReindexRunning means another reindex holds the reindex lock.
var ErrReindexRunning = errors.New("another reindex is running")

// ReindexConfig configures Reindex.
type ReindexConfig struct {
	// Catalog is the database the index is built from.
	Catalog *catalog.Store
	Index   *Index
	Rules   *Rules
	// Now is the clock; time.Now when nil.
	Now    func() time.Time
	Logger *slog.Logger
	// BatchSize is how many documents one add-documents request carries;
	// 5000 when zero.
	BatchSize int
}

func (cfg ReindexConfig) withDefaults() ReindexConfig {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.BatchSize <= 0 {
		cfg.BatchSize = 5000
	}
	return cfg
}

// ReindexReport says what Reindex did.
type ReindexReport struct {
	// Documents is how many documents the new index holds.
	Documents int
	// Duration is the whole reindex, from the lock to the swap.
	Duration time.Duration
	// Load is the time spent reading PostgreSQL and building documents;
	// Index the time after the last document was sent until Meilisearch
	// had indexed everything and the swap was done.
	Load, Index time.Duration
}

// Reindex builds a new index from a consistent snapshot of the catalogue and
// swaps it with the live one in one atomic step, then deletes the old one.
// Searches are answered from the old index until the swap.
//
// While it copies, the outbox workers of every replica pause (writes still
// succeed and queue their rows): a change committed after the snapshot is
// then applied to the new index once it is live, never to the old one only.
// Only one reindex runs at a time (ErrReindexRunning otherwise).
func Reindex(ctx context.Context, cfg ReindexConfig) (rep ReindexReport, err error) {
	defer func() {
		if err != nil {
			err = fmt.Errorf("search.Reindex: %w", err)
		}
	}()
	cfg = cfg.withDefaults()
	ix := cfg.Index
	start := time.Now()
	rb, err := cfg.Catalog.BeginRebuild(ctx)
	if errors.Is(err, catalog.ErrRebuildRunning) {
		return rep, ErrReindexRunning
	} else if err != nil {
		return rep, err
	}
	defer rb.End()
	tmp, err := ix.createTemporary(ctx)
	if err != nil {
		return rep, err
	}
	swapped := false
	defer func() {
		if !swapped {
			_ = ix.drop(context.WithoutCancel(ctx), tmp) // a leftover goes at the next reindex
		}
	}()
	tasks, n, err := copySnapshot(ctx, rb, tmp, cfg)
	if err != nil {
		return rep, err
	}
	rep.Documents, rep.Load = n, time.Since(start)
	if err := ix.waitAll(ctx, tasks); err != nil {
		return rep, fmt.Errorf("indexing: %w", err)
	}
	if err := ix.swap(ctx, tmp); err != nil {
		return rep, err
	}
	swapped = true
	rep.Duration = time.Since(start)
	rep.Index = rep.Duration - rep.Load
	// tmp now holds the old documents.
	if err := ix.drop(ctx, tmp); err != nil {
		cfg.Logger.Warn("could not delete the previous search index", "uid", tmp, "error", err)
	}
	return rep, nil
}

// createTemporary removes the leftovers of reindexes that died (the caller
// holds the rebuild lock, so they are its to remove), makes sure the live
// index exists, and creates an empty index with the settings to build into.
func (ix *Index) createTemporary(ctx context.Context) (string, error) {
	if err := ix.dropTemporary(ctx); err != nil {
		return "", err
	}
	if _, err := ix.ensure(ctx, ix.uid); err != nil {
		return "", err
	}
	tmp := ix.uid + tmpInfix + strconv.FormatInt(time.Now().UnixNano(), 36)
	if _, err := ix.ensure(ctx, tmp); err != nil {
		return "", err
	}
	return tmp, nil
}

// swap makes tmp the live index and the live index tmp, in one step.
func (ix *Index) swap(ctx context.Context, tmp string) error {
	return ix.do(ctx, "swap indexes", func(ctx context.Context) (*meilisearch.TaskInfo, error) {
		return ix.ms.SwapIndexes(ctx, []*meilisearch.SwapIndexesParams{{Indexes: []string{ix.uid, tmp}}})
	})
}

// copySnapshot pauses the workers, reads the public offerings from one
// snapshot, builds their documents on every core and sends them to index
// uid in batches of cfg.BatchSize, without waiting for Meilisearch to index
// them. It returns the tasks to wait for and how many documents it sent.
func copySnapshot(ctx context.Context, rb *catalog.Rebuild, uid string, cfg ReindexConfig) (tasks []int64, n int, err error) {
	if err := rb.Pause(ctx); err != nil {
		return nil, 0, err
	}
	day := cfg.Now()
	// A sender posts batches while the next documents are read and built.
	s := startSender(ctx, cfg.Index, uid)
	var pending []Document
	err = rb.EachPublicEntry(ctx, func(entries []catalog.IndexEntry) error {
		pending = append(pending, buildAll(cfg.Rules, entries, day)...)
		full, rest := batches(pending, cfg.BatchSize)
		for _, b := range full {
			if err := s.send(b); err != nil {
				return err
			}
			n += len(b)
		}
		pending = rest
		return nil
	})
	if err == nil && len(pending) > 0 {
		if err = s.send(pending); err == nil {
			n += len(pending)
		}
	}
	tasks, serr := s.finish()
	if err = cmp.Or(err, serr); err != nil {
		return nil, n, err
	}
	return tasks, n, nil
}

// batches splits docs into full batches of size and the rest.
func batches(docs []Document, size int) (full [][]Document, rest []Document) {
	for len(docs) >= size {
		full = append(full, docs[:size:size])
		docs = docs[size:]
	}
	return full, docs
}

// sender adds batches of documents to an index from a goroutine of its own,
// collecting the tasks; the first error stops it.
type sender struct {
	ctx    context.Context
	cancel context.CancelCauseFunc
	docs   chan []Document
	tasks  chan []int64
}

func startSender(ctx context.Context, ix *Index, uid string) *sender {
	ctx, cancel := context.WithCancelCause(ctx)
	s := &sender{ctx: ctx, cancel: cancel, docs: make(chan []Document, 2), tasks: make(chan []int64, 1)}
	go func() {
		var tasks []int64
		for docs := range s.docs {
			if ctx.Err() != nil {
				continue
			}
			rctx, rcancel := context.WithTimeout(ctx, max(ix.timeout, time.Minute))
			pk := "id"
			info, err := ix.ms.Index(uid).AddDocuments(rctx, docs, &meilisearch.DocumentOptions{PrimaryKey: &pk})
			rcancel()
			if err != nil {
				cancel(classify("add documents", err))
				continue
			}
			tasks = append(tasks, info.TaskUID)
		}
		s.tasks <- tasks
	}()
	return s
}

// send queues docs, or returns why the sender stopped.
func (s *sender) send(docs []Document) error {
	select {
	case s.docs <- docs:
		return nil
	case <-s.ctx.Done():
		return context.Cause(s.ctx)
	}
}

// finish waits for the batches queued and returns their tasks, or the
// error that stopped the sender.
func (s *sender) finish() ([]int64, error) {
	close(s.docs)
	tasks := <-s.tasks
	err := context.Cause(s.ctx)
	s.cancel(nil)
	if err != nil {
		return nil, err
	}
	return tasks, nil
}

// buildAll builds the documents of entries on every core.
func buildAll(rules *Rules, entries []catalog.IndexEntry, day time.Time) []Document {
	docs := make([]Document, len(entries))
	ok := make([]bool, len(entries))
	workers := runtime.GOMAXPROCS(0)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(entries); i += workers {
				e := &entries[i]
				docs[i], ok[i] = rules.Build(e.Vendor, e.Offering, e.Certifications, day)
			}
		}()
	}
	wg.Wait()
	out := docs[:0]
	for i, d := range docs {
		if ok[i] {
			out = append(out, d)
		}
	}
	return out
}

// tmpInfix names the indexes a reindex builds: <uid>_reindex_<time>.
const tmpInfix = "_reindex_"

// dropTemporary deletes indexes left by reindexes that did not finish.
func (ix *Index) dropTemporary(ctx context.Context) error {
	rctx, cancel := context.WithTimeout(ctx, ix.timeout)
	res, err := ix.ms.ListIndexes(rctx, &meilisearch.IndexesQuery{Limit: 1000})
	cancel()
	if err != nil {
		return classify("list indexes", err)
	}
	for _, r := range res.Results {
		if strings.HasPrefix(r.UID, ix.uid+tmpInfix) {
			if err := ix.drop(ctx, r.UID); err != nil {
				return err
			}
		}
	}
	return nil
}

// drop deletes index uid and waits until it is gone.
func (ix *Index) drop(ctx context.Context, uid string) error {
	return ix.do(ctx, "delete index", func(ctx context.Context) (*meilisearch.TaskInfo, error) {
		return ix.ms.DeleteIndex(ctx, uid)
	})
}
