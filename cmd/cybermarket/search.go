package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/cybermarket/cybermarket/catalog"
	"github.com/cybermarket/cybermarket/compliance"
	"github.com/cybermarket/cybermarket/openapi"
	"github.com/cybermarket/cybermarket/search"
)

// startSearch opens the search index and starts this replica's outbox
// worker, which keeps the index in step with the catalogue. It registers a
// hook on live, so call it before live.Watch starts. stop ends the worker
// after the batch in hand. Without MEILI_URL search is off: the API answers
// 503 for searches and everything else works.
func startSearch(ctx context.Context, cfg *config, store *catalog.Store, live *compliance.Live, log *slog.Logger) (deps openapi.SearchDeps, stop func(), err error) {
	if cfg.MeiliURL == "" {
		log.Warn("search is off: no MEILI_URL; searches answer 503, the rest of the API works")
		return openapi.SearchDeps{}, func() {}, nil
	}
	ix, err := search.Open(meiliConfig(cfg))
	if err != nil {
		return deps, nil, err
	}
	w := search.NewWorker(search.WorkerConfig{Catalog: store, Index: ix, Rules: search.LiveRules(live), Logger: log})
	// A requirement change re-queues the documents it concerns.
	live.OnChange(func(_, _ *compliance.Snapshot) { w.CheckDrift() })
	wctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	done := make(chan struct{})
	go func() {
		defer close(done)
		w.Run(wctx)
	}()
	return openapi.SearchDeps{Index: ix, Worker: w}, func() { cancel(); <-done }, nil
}

// meiliConfig is the search index configuration: MEILI_URL, MEILI_API_KEY,
// and MEILI_INDEX for the uid of the live index (several deployments can
// share one Meilisearch).
func meiliConfig(cfg *config) search.Config {
	return search.Config{URL: cfg.MeiliURL, APIKey: cfg.MeiliAPIKey, UID: os.Getenv("MEILI_INDEX"), WrapTransport: cfg.meiliTransport}
}
