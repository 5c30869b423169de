package search

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"time"

	"github.com/meilisearch/meilisearch-go"

	"github.com/cybermarket/cybermarket/catalog"
)

// Differences lists how the live index departs from the database.
type Differences struct {
	// Missing are public offerings without a document; Extra documents
	// without a public offering; Stale documents that differ from the one
	// the database gives today.
	Missing, Extra, Stale []string
	// Documents is how many documents the index holds, Public how many
	// public offerings the database holds.
	Documents, Public int
}

// InSync reports whether the index equals the database.
func (d Differences) InSync() bool { return len(d.Missing)+len(d.Extra)+len(d.Stale) == 0 }

func (d Differences) String() string {
	return fmt.Sprintf("%d documents, %d public offerings; missing %v, extra %v, stale %v",
		d.Documents, d.Public, d.Missing, d.Extra, d.Stale)
}

// Verify compares every document of the live index with the document the
// database gives for the day of now under rules: same ids, same versions,
// same content, no extra documents. It reads everything, so it is a tool for
// tests and operators, not for every request; run it when the outbox is
// empty, or pending changes show as differences.
func Verify(ctx context.Context, store *catalog.Store, ix *Index, rules *Rules, now time.Time) (Differences, error) {
	have, err := ix.allDocuments(ctx)
	if err != nil {
		return Differences{}, fmt.Errorf("verify: %w", err)
	}
	diff := Differences{Documents: len(have)}
	seen := map[string]bool{}
	err = store.EachPublicEntry(ctx, func(entries []catalog.IndexEntry) error {
		for _, want := range buildAll(rules, entries, now) {
			diff.Public++
			seen[want.ID] = true
			got, ok := have[want.ID]
			switch {
			case !ok:
				diff.Missing = append(diff.Missing, want.ID)
			case !sameDocument(got, want):
				diff.Stale = append(diff.Stale, want.ID)
			}
		}
		return nil
	})
	if err != nil {
		return diff, fmt.Errorf("verify: %w", err)
	}
	for id := range have {
		if !seen[id] {
			diff.Extra = append(diff.Extra, id)
		}
	}
	slices.Sort(diff.Missing)
	slices.Sort(diff.Extra)
	slices.Sort(diff.Stale)
	return diff, nil
}

// allDocuments returns every document of the live index by id.
func (ix *Index) allDocuments(ctx context.Context) (map[string]Document, error) {
	const page = 1000
	have := map[string]Document{}
	for offset := int64(0); ; offset += page {
		var res meilisearch.DocumentsResult
		rctx, cancel := context.WithTimeout(ctx, ix.timeout)
		err := ix.ms.Index(ix.uid).GetDocuments(rctx, &meilisearch.DocumentsQuery{Offset: offset, Limit: page}, &res)
		cancel()
		if err != nil {
			return nil, classify("get documents", err)
		}
		for _, h := range res.Results {
			d, err := decodeHit(h)
			if err != nil {
				return nil, err
			}
			have[d.ID] = d
		}
		if len(res.Results) < page {
			return have, nil
		}
	}
}

// sameDocument compares documents as the index stores them (JSON).
func sameDocument(got, want Document) bool {
	data, err := json.Marshal(want)
	if err != nil {
		return false
	}
	var w Document
	if err := json.Unmarshal(data, &w); err != nil {
		return false
	}
	// A document stays right across days until it goes stale.
	w.AsOf = got.AsOf
	return reflect.DeepEqual(got, w)
}

// decodeHit decodes a document as returned by Meilisearch.
func decodeHit(h meilisearch.Hit) (Document, error) {
	var d Document
	data, err := json.Marshal(h)
	if err == nil {
		err = json.Unmarshal(data, &d)
	}
	return d, err
}
