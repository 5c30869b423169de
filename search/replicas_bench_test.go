package search_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/cybermarket/cybermarket/catalog"
	"github.com/cybermarket/cybermarket/catalog/catalogtest"
	"github.com/cybermarket/cybermarket/search"
	"github.com/cybermarket/cybermarket/search/searchtest"
)

// BenchmarkReplicasFreshness measures, for each write (one op: an offering
// renamed to a new word), the time until a search finds it on the primary
// (outbox worker) and on a second instance (change-log follower), both
// running as serve runs them. It reports p50 and p99 of each, and of the
// write itself (its commit).
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
	lat := make([][]time.Duration, len(ixs)+1) // per instance, then the writes
	for i := 0; b.Loop(); i++ {
		word := fmt.Sprintf("zebra%dq", i)
		start := time.Now()
		if _, err := store.UpdateOffering(ctx, o.ID, 0, func(x *catalog.Offering) error { x.Name = word; return nil }); err != nil {
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
				b.Fatalf("write %d not searchable on both after 30s", i)
			}
		}
	}
	for k, name := range []string{"primary", "follower", "write"} {
		slices.Sort(lat[k])
		b.ReportMetric(float64(lat[k][len(lat[k])/2].Milliseconds()), name+"-p50-ms")
		b.ReportMetric(float64(lat[k][(len(lat[k])*99)/100].Milliseconds()), name+"-p99-ms")
	}
}
