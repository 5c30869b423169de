package search

import (
	"context"
	"errors"
	"time"
)

// Several Meilisearch instances (MEILI_URLS): the first, the primary, is
// kept by the outbox Worker and rebuilt by Reindex; each other one by a
// Follower of the change log. Searches go to the first instance that
// answers (WithFallbacks).

// downFor is how long an instance that did not answer a search is tried
// only after the others.
const downFor = 5 * time.Second

// WithFallbacks makes searches on ix go to the first of ix and others that
// answers; an instance that does not answer is tried last for a few
// seconds. Call it while wiring, before ix serves searches. It returns ix.
func (ix *Index) WithFallbacks(others ...*Index) *Index {
	ix.fallbacks = others
	return ix
}

// searchAny runs q on the first instance that answers, healthy ones first.
func (ix *Index) searchAny(ctx context.Context, q Query) (Result, error) {
	all := append([]*Index{ix}, ix.fallbacks...)
	now := time.Now().UnixNano()
	var up, down []*Index
	for _, c := range all {
		if c.downUntil.Load() > now {
			down = append(down, c)
		} else {
			up = append(up, c)
		}
	}
	var err error
	for _, c := range append(up, down...) {
		res, e := c.searchOne(ctx, q)
		if !errors.Is(e, ErrUnavailable) {
			if e == nil {
				c.downUntil.Store(0)
			}
			return res, e
		}
		c.downUntil.Store(time.Now().Add(downFor).UnixNano())
		err = e
		if ctx.Err() != nil {
			break
		}
	}
	return Result{}, err
}

// Instances returns ix and its fallbacks.
func (ix *Index) Instances() []*Index {
	return append([]*Index{ix}, ix.fallbacks...)
}
