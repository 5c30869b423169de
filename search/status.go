package search

import (
	"context"
	"fmt"

	"github.com/cybermarket/cybermarket/catalog"
)

// Backlog is the state of the search outbox.
type Backlog = catalog.OutboxBacklog

// ReadBacklog returns the outbox backlog.
func ReadBacklog(ctx context.Context, store *catalog.Store) (Backlog, error) {
	b, err := store.ReadOutboxBacklog(ctx)
	if err != nil {
		return Backlog{}, fmt.Errorf("search.ReadBacklog: %w", err)
	}
	return b, nil
}

// Status is the state of search: the outbox backlog, and the live index
// when Meilisearch answers.
type Status struct {
	Backlog Backlog
	// Reachable reports whether Meilisearch answered.
	Reachable bool
	// Index is the live index's state when Reachable.
	Index Stats
	// Public counts the public offerings in PostgreSQL, which the index
	// holds once the backlog is empty.
	Public int64
}

// ReadStatus returns the search status. Errors of Meilisearch only clear
// Reachable; errors of PostgreSQL are returned.
func ReadStatus(ctx context.Context, store *catalog.Store, ix *Index) (Status, error) {
	var st Status
	var err error
	if st.Backlog, err = ReadBacklog(ctx, store); err != nil {
		return st, err
	}
	if st.Public, err = store.CountPublicOfferings(ctx); err != nil {
		return st, fmt.Errorf("search.ReadStatus: %w", err)
	}
	if ix != nil {
		if stats, err := ix.Stats(ctx); err == nil {
			st.Reachable, st.Index = true, stats
		}
	}
	return st, nil
}
