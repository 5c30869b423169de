package search_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cybermarket/cybermarket/catalog"
	"github.com/cybermarket/cybermarket/search"
	"github.com/cybermarket/cybermarket/search/searchtest"
)

// replicas is a primary instance kept by the outbox worker and a second
// one kept by a follower of the change log, each a Meilisearch of its own.
type replicas struct {
	*env
	srvA, srvB *searchtest.Server
	b          *search.Index
	follower   *search.Follower
	both       *search.Index // searches fail over from A to B
}

func newReplicas(t *testing.T) *replicas {
	t.Helper()
	r := &replicas{srvA: searchtest.Start(t), srvB: searchtest.Start(t)}
	cfgA, cfgB := r.srvA.Config(), r.srvB.Config()
	a, err := search.Open(cfgA)
	if err != nil {
		t.Fatal(err)
	}
	if r.b, err = search.Open(cfgB); err != nil {
		t.Fatal(err)
	}
	r.env = newEnvOn(t, a, cfgA)
	r.follower = search.NewFollower(search.FollowerConfig{Catalog: r.store, Index: r.b, Name: search.ConsumerName(cfgB.URL, cfgB.UID),
		Rules: func(context.Context) (*search.Rules, error) { return r.rules, nil },
		Now:   func() time.Time { return r.now }, BatchSize: 50})
	if err := a.EnsureSettings(r.ctx()); err != nil {
		t.Fatal(err)
	}
	// Opened again so that a's own searches keep going to a alone.
	primary, _ := search.Open(cfgA)
	r.both = primary.WithFallbacks(r.b)
	return r
}

// bothInSync drains both instances and fails unless each equals the database.
func (r *replicas) bothInSync(what string) {
	r.t.Helper()
	r.drain()
	if err := r.follower.Drain(r.ctx()); err != nil {
		r.t.Fatalf("%s: follower: %v", what, err)
	}
	for name, ix := range map[string]*search.Index{"A": r.index, "B": r.b} {
		d, err := search.Verify(r.ctx(), r.store, ix, r.rules, r.now)
		if err != nil || !d.InSync() {
			r.t.Fatalf("%s: instance %s differs from the database: %v %v", what, name, d, err)
		}
	}
}

// writes makes n random writes: new offerings, renames, withdrawals and
// republications, vendor suspensions and readmissions.
func (r *replicas) writes(n int, vendors []catalog.Vendor, rng *rand.Rand) {
	r.t.Helper()
	var offerings []catalog.Offering
	for i := range n {
		v := vendors[rng.IntN(len(vendors))]
		var err error
		switch k := rng.IntN(10); {
		case k < 4 || len(offerings) == 0:
			var o catalog.Offering
			o, err = r.store.CreateOffering(r.ctx(), offeringOf(v.ID, fmt.Sprintf("Penetration test %d", i), "penetration-testing",
				"Tests of clinical networks.", catalog.DeliveryRemote, []string{"DE"}, []string{"de"}))
			offerings = append(offerings, o)
		case k < 7:
			o := offerings[rng.IntN(len(offerings))]
			_, err = r.store.UpdateOffering(r.ctx(), o.ID, 0, func(x *catalog.Offering) error {
				x.Name = fmt.Sprintf("Renamed %d", i)
				x.Status = catalog.OfferingPublished
				return nil
			})
		case k < 9:
			_, err = r.store.WithdrawOffering(r.ctx(), offerings[rng.IntN(len(offerings))].ID, 0)
		default:
			status := catalog.VendorSuspended
			if rng.IntN(2) == 0 {
				status = catalog.VendorActive
			}
			_, err = r.store.SetVendorStatus(r.ctx(), v.ID, 0, status)
		}
		if err != nil {
			r.t.Fatalf("write %d: %v", i, err)
		}
	}
}

// searching searches through the failover index until stop is closed and
// counts the searches that failed.
func (r *replicas) searching(stop chan struct{}, failed, done *atomic.Int64, wg *sync.WaitGroup) {
	wg.Go(func() {
		for {
			select {
			case <-stop:
				return
			default:
			}
			if _, err := r.both.Search(context.Background(), search.Query{Text: "penetration"}); err != nil {
				failed.Add(1)
				r.t.Logf("search failed: %v", err)
			}
			done.Add(1)
			time.Sleep(5 * time.Millisecond)
		}
	})
}

// Two instances, one stopped while writes go on and restarted, then the
// other; then one wiped. Searches keep answering from the instance that is
// up, and both end equal to the database.
func TestReplicas_SurviveALostInstance(t *testing.T) {
	t.Parallel()
	r := newReplicas(t)
	r.seed()
	r.bothInSync("seeded")
	var vendors []catalog.Vendor
	for i := range 3 {
		vendors = append(vendors, r.vendor(vendorOf(fmt.Sprintf("Vendor %d (fictional)", i), catalog.WithVATCheckDigits(fmt.Sprintf("DE81%06d0", i)), "DE", catalog.SizeSmall, catalog.VendorActive)))
	}
	rng := rand.New(rand.NewPCG(14, 1))
	stop := make(chan struct{})
	var failed, done atomic.Int64
	var wg sync.WaitGroup
	r.searching(stop, &failed, &done, &wg)

	// B (the follower's) is lost while writes go on.
	r.srvB.Stop()
	r.writes(100, vendors, rng)
	r.drain()
	if _, err := r.follower.Step(r.ctx()); err == nil {
		t.Error("the follower stepped without its Meilisearch")
	}
	r.srvB.Restart()
	r.bothInSync("B restarted")

	// A (the primary) is lost: searches go to B, which keeps following.
	r.srvA.Stop()
	r.writes(100, vendors, rng)
	if err := r.follower.Drain(r.ctx()); err != nil {
		t.Fatal(err)
	}
	if d, err := search.Verify(r.ctx(), r.store, r.b, r.rules, r.now); err != nil || !d.InSync() {
		t.Fatalf("B while A is down: %v %v", d, err)
	}
	time.Sleep(100 * time.Millisecond) // searches while only B answers
	r.srvA.Restart()
	r.bothInSync("A restarted")

	// B's index is lost outright: the follower rebuilds it from the log.
	searchtest.DeleteIndexes(t, r.srvB.Config())
	searchtest.DeleteIndexes(t, search.Config{URL: r.srvB.URL, APIKey: r.srvB.Key, UID: r.b.UID()})
	r.writes(100, vendors, rng)
	r.bothInSync("B rebuilt")

	close(stop)
	wg.Wait()
	if failed.Load() > 0 || done.Load() == 0 {
		t.Errorf("%d of %d searches failed", failed.Load(), done.Load())
	}
}
