package search

import (
	"context"
	"encoding/json"
	"time"
)

// RequestBody returns the JSON body the index sends to Meilisearch for q, so
// that benchmarks can send the very same request straight to Meilisearch.
func RequestBody(q Query) ([]byte, error) { return json.Marshal(q.request()) }

// Put replaces docs in the live index and waits until Meilisearch applied them.
func Put(ctx context.Context, ix *Index, docs []Document) error {
	return ix.applyBy(ctx, time.Now().Add(time.Minute), docs, nil)
}
