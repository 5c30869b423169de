package search

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/meilisearch/meilisearch-go"
)

// ErrReindexRunning means another reindex holds the reindex lock.
var ErrReindexRunning = errors.New("another reindex is running")

// ReindexConfig configures Reindex.
type ReindexConfig struct {
	Pool  *pgxpool.Pool
	Index *Index
	Rules *Rules
	// Now is the clock; time.Now when nil.
	Now    func() time.Time
	Logger *slog.Logger
	// BatchSize is how many documents one add-documents request carries;
	// 5000 when zero.
	BatchSize int
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
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.BatchSize <= 0 {
		cfg.BatchSize = 5000
	}
	ix := cfg.Index
	start := time.Now()
	conn, err := cfg.Pool.Acquire(ctx)
	if err != nil {
		return rep, err
	}
	defer conn.Release()
	var mine bool
	if err := conn.QueryRow(ctx, `SELECT pg_try_advisory_lock($1, $2)`, lockNamespace, lockReindex).Scan(&mine); err != nil {
		return rep, err
	}
	if !mine {
		return rep, ErrReindexRunning
	}
	defer conn.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1, $2)`, lockNamespace, lockReindex)

	// Leftovers of a reindex that died are ours to remove: we hold the lock.
	if err := ix.dropTemporary(ctx); err != nil {
		return rep, err
	}
	if _, err := ix.ensure(ctx, ix.uid); err != nil {
		return rep, err
	}
	tmp := ix.uid + tmpInfix + strconv.FormatInt(time.Now().UnixNano(), 36)
	if _, err := ix.ensure(ctx, tmp); err != nil {
		return rep, err
	}
	swapped := false
	defer func() {
		if !swapped {
			ix.drop(context.WithoutCancel(ctx), tmp)
		}
	}()

	// Pause the workers (waiting for batches in flight), then snapshot.
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1, $2)`, lockNamespace, lockPause); err != nil {
		return rep, err
	}
	defer conn.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1, $2)`, lockNamespace, lockPause)
	tx, err := conn.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return rep, err
	}
	defer tx.Rollback(context.WithoutCancel(ctx))

	tasks, n, err := load(ctx, tx, ix, tmp, cfg)
	if err != nil {
		return rep, err
	}
	rep.Documents = n
	rep.Load = time.Since(start)
	if err := tx.Commit(ctx); err != nil {
		return rep, err
	}
	for _, t := range tasks {
		if err := ix.wait(ctx, t); err != nil {
			return rep, fmt.Errorf("indexing: %w", err)
		}
	}
	if err := ix.do(ctx, "swap indexes", func(ctx context.Context) (*meilisearch.TaskInfo, error) {
		return ix.ms.SwapIndexes(ctx, []*meilisearch.SwapIndexesParams{{Indexes: []string{ix.uid, tmp}}})
	}); err != nil {
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

// load reads the public offerings from the snapshot in tx vendor by vendor,
// builds their documents on every core and sends them to index uid, without
// waiting for Meilisearch to index them. It returns the tasks to wait for.
func load(ctx context.Context, tx pgx.Tx, ix *Index, uid string, cfg ReindexConfig) (tasks []int64, n int, err error) {
	day := cfg.Now()
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	// A sender posts batches while the next documents are read and built.
	send := make(chan []Document, 2)
	sent := make(chan []int64, 1)
	go func() {
		var tasks []int64
		pk := "id"
		for docs := range send {
			if ctx.Err() != nil {
				continue
			}
			rctx, rcancel := context.WithTimeout(ctx, max(ix.timeout, time.Minute))
			info, err := ix.ms.Index(uid).AddDocuments(rctx, docs, &meilisearch.DocumentOptions{PrimaryKey: &pk})
			rcancel()
			if err != nil {
				cancel(classify("add documents", err))
				continue
			}
			tasks = append(tasks, info.TaskUID)
		}
		sent <- tasks
	}()
	finish := func(err error) ([]int64, int, error) {
		close(send)
		tasks := <-sent
		if err == nil {
			err = context.Cause(ctx)
		}
		if err != nil {
			return nil, n, err
		}
		return tasks, n, nil
	}

	const vendorsPerRead = 2000
	var pending []Document
	after := uuid.Nil
	for {
		rows, err := tx.Query(ctx, `SELECT id FROM vendors WHERE id > $1 AND status = 'active' ORDER BY id LIMIT $2`,
			after, vendorsPerRead)
		if err != nil {
			return finish(err)
		}
		vendors, err := pgx.CollectRows(rows, pgx.RowTo[uuid.UUID])
		if err != nil {
			return finish(err)
		}
		if len(vendors) == 0 {
			break
		}
		after = vendors[len(vendors)-1]
		entries, err := loadPublicOfVendors(ctx, tx, vendors)
		if err != nil {
			return finish(err)
		}
		pending = append(pending, buildAll(cfg.Rules, entries, day)...)
		for len(pending) >= cfg.BatchSize {
			select {
			case send <- pending[:cfg.BatchSize:cfg.BatchSize]:
			case <-ctx.Done():
				return finish(nil)
			}
			n += cfg.BatchSize
			pending = pending[cfg.BatchSize:]
		}
	}
	if len(pending) > 0 {
		select {
		case send <- pending:
			n += len(pending)
		case <-ctx.Done():
		}
	}
	return finish(nil)
}

// buildAll builds the documents of entries on every core.
func buildAll(rules *Rules, entries []entry, day time.Time) []Document {
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
				docs[i], ok[i] = rules.Build(e.vendor, e.offering, e.certs, day)
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
