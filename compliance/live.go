package compliance

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"
)

// Loader is where Live reads the reference data from: the reference tables
// (refstore.Store in package compliance/refstore).
type Loader interface {
	// Revision returns the current revision of the reference data, cheaply.
	Revision(ctx context.Context) (int64, error)
	// Load returns the validated reference data and the revision it reflects.
	Load(ctx context.Context) (*Reference, int64, error)
}

// Snapshot is one consistent view of the reference data, as of a revision of
// the reference tables.
type Snapshot struct {
	Reference *Reference
	// Engine is the burden engine over Reference.
	Engine   *Engine
	Revision int64
	LoadedAt time.Time
}

// Live holds the current Snapshot of the reference tables and reloads it when
// they change, so that every replica follows administrator edits and
// releases. Readers call Current; it never blocks on the database.
type Live struct {
	loader  Loader
	current atomic.Pointer[Snapshot]
	mu      sync.Mutex // serializes reloads
	// onChange, if set, is called after a reload with the old and new snapshot.
	onChange []func(old, new *Snapshot)
}

// OpenLive loads the first snapshot from loader. It fails when the reference
// tables are empty or invalid (run cybermarket migrate).
func OpenLive(ctx context.Context, loader Loader) (*Live, error) {
	l := &Live{loader: loader}
	if _, err := l.Refresh(ctx); err != nil {
		return nil, err
	}
	return l, nil
}

// Current returns the snapshot in use.
func (l *Live) Current() *Snapshot { return l.current.Load() }

// OnChange registers f to run after each reload that changed the revision.
// Register before Watch starts.
func (l *Live) OnChange(f func(old, new *Snapshot)) { l.onChange = append(l.onChange, f) }

// Refresh reloads the snapshot when the reference tables' revision differs
// from the current one, and reports whether it did.
func (l *Live) Refresh(ctx context.Context) (bool, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	old := l.current.Load()
	if old != nil {
		rev, err := l.loader.Revision(ctx)
		if err != nil {
			return false, err
		}
		if rev == old.Revision {
			return false, nil
		}
	}
	ref, rev, err := l.loader.Load(ctx)
	if err != nil {
		return false, err
	}
	snap := &Snapshot{Reference: ref, Engine: NewEngine(ref), Revision: rev, LoadedAt: time.Now()}
	l.current.Store(snap)
	if old != nil {
		for _, f := range l.onChange {
			f(old, snap)
		}
	}
	return true, nil
}

// Watch polls the revision every interval until ctx ends, reloading on
// change. Polling (one indexed single-row read) keeps every replica within
// an interval of the truth without a held connection.
func (l *Live) Watch(ctx context.Context, interval time.Duration, log *slog.Logger) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			changed, err := l.Refresh(ctx)
			switch {
			case err != nil && ctx.Err() == nil:
				log.Warn("reference data reload failed; keeping the previous snapshot", "error", err)
			case changed:
				log.Info("reference data reloaded", "version", l.Current().Reference.Version)
			}
		}
	}
}
