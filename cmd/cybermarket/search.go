package main

import (
	"context"
	"log/slog"
	"os"
	"strings"
	"sync"

	"github.com/cybermarket/cybermarket/catalog"
	"github.com/cybermarket/cybermarket/compliance"
	"github.com/cybermarket/cybermarket/openapi"
	"github.com/cybermarket/cybermarket/search"
)

// startSearch opens the search index and starts this replica's outbox
// worker, which keeps the index in step with the catalogue, and a follower
// of the change log for every further instance of MEILI_URLS; searches
// fail over between the instances. It registers a hook on live, so call it
// before live.Watch starts. stop ends the worker and the followers after
// the batch in hand. Without MEILI_URL (or MEILI_URLS) search is off: the
// API answers 503 for searches and everything else works.
func startSearch(ctx context.Context, cfg *config, store *catalog.Store, live *compliance.Live, log *slog.Logger) (deps openapi.SearchDeps, stop func(), err error) {
	urls := meiliURLs(cfg)
	if len(urls) == 0 {
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
	var running sync.WaitGroup
	running.Go(func() { w.Run(wctx) })
	var others []*search.Index
	for _, url := range urls[1:] {
		c := meiliConfig(cfg)
		c.URL = url
		other, err := search.Open(c)
		if err != nil {
			cancel()
			running.Wait()
			return deps, nil, err
		}
		others = append(others, other)
		f := search.NewFollower(search.FollowerConfig{Catalog: store, Index: other, Name: search.ConsumerName(url, other.UID()),
			Rules: search.LiveRules(live), Logger: log})
		running.Go(func() { f.Run(wctx) })
	}
	ix.WithFallbacks(others...)
	return openapi.SearchDeps{Index: ix, Worker: w}, func() { cancel(); running.Wait() }, nil
}

// meiliURLs returns the Meilisearch instances: those of MEILI_URLS
// (comma-separated, the first the primary), or else MEILI_URL alone.
func meiliURLs(cfg *config) []string {
	var urls []string
	for u := range strings.SplitSeq(os.Getenv("MEILI_URLS"), ",") {
		if u = strings.TrimSpace(u); u != "" {
			urls = append(urls, u)
		}
	}
	if len(urls) == 0 && cfg.MeiliURL != "" {
		urls = []string{cfg.MeiliURL}
	}
	return urls
}

// meiliConfig is the configuration of the primary search index: the first
// of MEILI_URLS or MEILI_URL, MEILI_API_KEY (for every instance), and
// MEILI_INDEX for the uid of the live index (several deployments can share
// one Meilisearch).
func meiliConfig(cfg *config) search.Config {
	url := cfg.MeiliURL
	if urls := meiliURLs(cfg); len(urls) > 0 {
		url = urls[0]
	}
	return search.Config{URL: url, APIKey: cfg.MeiliAPIKey, UID: os.Getenv("MEILI_INDEX"), WrapTransport: cfg.meiliTransport}
}
