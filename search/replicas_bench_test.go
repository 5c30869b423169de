package search_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/cybermarket/cybermarket/catalog"
	"github.com/cybermarket/cybermarket/catalog/catalogtest"
	"github.com/cybermarket/cybermarket/search"
	"github.com/cybermarket/cybermarket/search/searchtest"
)

// BenchmarkReplicasFreshness measures, for each write (one op: an offering
// renamed to a new word), the time until a search finds it on the primary
// (outbox worker) and on a second instance (change-log follower), both
// running as serve runs them. It reports p50 and p99 of each, and of the
// write itself (its commit), after warming the instances up.
func BenchmarkReplicasFreshness(b *testing.B) {
	store, _ := catalogtest.NewStore(b)
	rules := search.NewRules(embedded(b), 0)
	rulesOf := func(context.Context) (*search.Rules, error) { return rules, nil }
	var ixs []*search.Index
	for range 2 {
		ix, err := search.Open(searchtest.Start(b).Config())
		if err != nil {
			b.Fatal(err)
		}
		ixs = append(ixs, ix)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	w := search.NewWorker(search.WorkerConfig{Catalog: store, Index: ixs[0], Rules: rulesOf})
	f := search.NewFollower(search.FollowerConfig{Catalog: store, Index: ixs[1], Name: "bench", Rules: rulesOf})
	go w.Run(ctx)
	go f.Run(ctx)
	v, err := store.CreateVendor(ctx, vendorOf("Bench GmbH (fictional)", "DE123456788", "DE", catalog.SizeSmall, catalog.VendorActive))
	if err != nil {
		b.Fatal(err)
	}
	o, err := store.CreateOffering(ctx, offeringOf(v.ID, "Bench", "penetration-testing", "Bench.", catalog.DeliveryRemote, []string{"DE"}, []string{"de"}))
	if err != nil {
		b.Fatal(err)
	}
	// A Meilisearch process that just started takes 2-6 s for each of its
	// first ten or so indexing batches, even of one document (its batch
	// progressTrace puts the time in "indexing" and in none of its steps);
	// serve's instances run for days, so the steady state is measured after
	// warmupWrites, whose worst time is reported apart (warmup-max-ms).
	warm := make([][]time.Duration, len(ixs)+1)
	for i := range warmupWrites {
		freshness(b, store, o.ID, ixs, fmt.Sprintf("warm%dq", i), warm)
	}
	lat := make([][]time.Duration, len(ixs)+1) // per instance, then the writes
	for i := 0; b.Loop(); i++ {
		freshness(b, store, o.ID, ixs, fmt.Sprintf("zebra%dq", i), lat)
	}
	for k, name := range []string{"primary", "follower", "write"} {
		slices.Sort(lat[k])
		b.ReportMetric(float64(lat[k][len(lat[k])/2].Milliseconds()), name+"-p50-ms")
		b.ReportMetric(float64(lat[k][(len(lat[k])*99)/100].Milliseconds()), name+"-p99-ms")
	}
	b.ReportMetric(float64(slices.Max(slices.Concat(warm[:len(ixs)]...)).Milliseconds()), "warmup-max-ms")
}

// warmupWrites is how many writes warm the instances up before measuring.
const warmupWrites = 20

// freshness renames offering id to word and waits until every instance of
// ixs finds it, appending the time each took to lat[k], and the write's own
// time to lat[len(ixs)].
func freshness(b *testing.B, store *catalog.Store, id uuid.UUID, ixs []*search.Index, word string, lat [][]time.Duration) {
	ctx := context.Background()
	start := time.Now()
	if _, err := store.UpdateOffering(ctx, id, 0, func(x *catalog.Offering) error { x.Name = word; return nil }); err != nil {
		b.Fatal(err)
	}
	lat[len(ixs)] = append(lat[len(ixs)], time.Since(start))
	found := make([]bool, len(ixs))
	for deadline := start.Add(30 * time.Second); slices.Contains(found, false); time.Sleep(5 * time.Millisecond) {
		for k, ix := range ixs {
			if res, err := ix.Search(ctx, search.Query{Text: word}); !found[k] && err == nil && len(res.Hits) == 1 {
				found[k] = true
				lat[k] = append(lat[k], time.Since(start))
			}
		}
		if time.Now().After(deadline) {
			b.Fatalf("write %q not searchable on every instance after 30s", word)
		}
	}
}
