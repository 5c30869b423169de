package search_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/cybermarket/cybermarket/catalog"
	"github.com/cybermarket/cybermarket/catalog/catalogtest"
	"github.com/cybermarket/cybermarket/compliance"
	"github.com/cybermarket/cybermarket/compliance/refstore"
	"github.com/cybermarket/cybermarket/search"
	"github.com/cybermarket/cybermarket/search/searchtest"
)

func TestSync_WritesReachTheIndex(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.seed()
	ctx := e.ctx()
	// Update, withdraw, suspend a vendor, publish a draft, delete a vendor:
	// after each drain the index equals the database.
	steps := []func() error{
		func() error {
			_, err := e.store.UpdateOffering(ctx, c.pentest.ID, 0, func(o *catalog.Offering) error {
				o.Name = "Red teaming and penetration testing"
				return nil
			})
			return err
		},
		func() error { _, err := e.store.WithdrawOffering(ctx, c.mdr.ID, 0); return err },
		func() error {
			_, err := e.store.UpdateVendor(ctx, c.cloudVendor.ID, 0, func(v *catalog.Vendor) error {
				v.Status = catalog.VendorSuspended
				return nil
			})
			return err
		},
		func() error {
			_, err := e.store.UpdateOffering(ctx, c.mdr.ID, 0, func(o *catalog.Offering) error {
				o.Status = catalog.OfferingPublished
				return nil
			})
			return err
		},
		func() error { _, err := e.store.WithdrawCertification(ctx, c.c5.ID, 0); return err },
		func() error { return e.store.DeleteVendor(ctx, c.ir.VendorID, 0) },
	}
	for i, step := range steps {
		if err := step(); err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
		e.drain()
		e.inSync()
	}
	if got := names(e.search(search.Query{Text: "red teaming"})); !slices.Equal(got, []string{"Red teaming and penetration testing"}) {
		t.Errorf("renamed offering: %v", got)
	}
	if got := names(e.search(search.Query{Text: "incident"})); len(got) != 0 {
		t.Errorf("deleted vendor's offering still found: %v", got)
	}
	b, err := search.ReadBacklog(ctx, e.store)
	if err != nil || b.Rows != 0 {
		t.Errorf("backlog %+v, %v", b, err)
	}
}

// Eligibility follows certification dates without any write: the drift
// check finds documents past their date.
func TestSync_EligibilityFollowsCertificationExpiry(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.seed()
	// A second cloud offering whose C5 attestation starts tomorrow.
	later := e.offering(offeringOf(c.cloudVendor.ID, "Hospital archive hosting", "cloud-hosting", "Long-term archive.",
		catalog.DeliveryRemote, []string{"DE"}, []string{"de"}))
	e.certification(catalog.Certification{VendorID: c.cloudVendor.ID, Scheme: "bsi-c5", Level: "type-2", Number: "C5-2",
		Issuer: "Example auditor (fictional)", ValidFrom: day.AddDate(0, 0, 1), ValidUntil: day.AddDate(2, 0, 0),
		Status: catalog.Verified, OfferingIDs: []uuid.UUID{later.ID}})
	e.drain()
	eligibleDE := search.Query{EligibleIn: "DE", Buyer: compliance.Private, Categories: []string{"cloud-hosting"}}
	if got := names(e.search(eligibleDE)); !slices.Equal(got, []string{c.cloud.Name}) {
		t.Fatalf("today: eligible %v", got)
	}
	if n, err := e.worker.QueueDrift(e.ctx()); err != nil || n != 0 {
		t.Fatalf("nothing drifted today, but %d queued (%v)", n, err)
	}
	// The next day the first attestation has expired and the second started.
	e.now = e.now.AddDate(0, 0, 1)
	n, err := e.worker.QueueDrift(e.ctx())
	if err != nil || n != 2 {
		t.Fatalf("tomorrow: %d queued (%v), want 2", n, err)
	}
	e.drain()
	if got := names(e.search(eligibleDE)); !slices.Equal(got, []string{later.Name}) {
		t.Errorf("tomorrow: eligible %v, want %v", got, []string{later.Name})
	}
	e.inSync()
	if got := names(e.search(search.Query{Schemes: []string{"bsi-c5"}})); !slices.Equal(got, []string{later.Name}) {
		t.Errorf("tomorrow: holding a valid C5 %v", got)
	}
}

// A change of the reference data re-queues the offerings of the categories
// it concerns, and only those.
func TestSync_ReferenceChangeRequeuesItsScope(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := e.ctx()
	live, err := compliance.OpenLive(ctx, refstore.New(e.pool))
	if err != nil {
		t.Fatal(err)
	}
	liveRules := search.LiveRules(live)
	e.worker = search.NewWorker(search.WorkerConfig{Catalog: e.store, Index: e.index, Rules: liveRules,
		Now: func() time.Time { return e.now }})
	c := e.seed()
	bare := e.offering(offeringOf(c.cloudVendor.ID, "Cloud without attestation", "cloud-hosting", "No C5.",
		catalog.DeliveryRemote, []string{"DE"}, []string{"de"}))
	e.drain()
	eligibleDE := search.Query{EligibleIn: "DE", Buyer: compliance.Private, Categories: []string{"cloud-hosting"}}
	if got := names(e.search(eligibleDE)); slices.Contains(got, bare.Name) {
		t.Fatalf("eligible without C5: %v", got)
	}
	if n, err := e.worker.QueueDrift(ctx); err != nil || n != 0 {
		t.Fatalf("no change, but %d queued (%v)", n, err)
	}
	// An administrator makes the C5 requirement optional.
	if _, err := e.pool.Exec(ctx, `UPDATE requirements SET doc = jsonb_set(doc, '{strength}', '"optional"'),
		edited_by = 'test', edited_at = now() WHERE id = 'de-c5-sgbv-393'`); err != nil {
		t.Fatal(err)
	}
	n, err := e.worker.QueueDrift(ctx)
	// Its categories: cloud-hosting (two offerings), managed detection (one).
	if err != nil || n != 3 {
		t.Fatalf("%d queued (%v), want the 3 offerings of the requirement's categories", n, err)
	}
	e.drain()
	if got := names(e.search(eligibleDE)); !slices.Contains(got, bare.Name) {
		t.Errorf("after the change: eligible %v", got)
	}
	rules, err := liveRules(ctx)
	if err != nil {
		t.Fatal(err)
	}
	e.rules = rules
	e.inSync()
}

// The fingerprint of the rules does not depend on where the reference data
// was read from.
func TestRules_SnapshotFingerprintsMatchEmbedded(t *testing.T) {
	t.Parallel()
	store, _ := catalogtest.NewStore(t)
	ref, rev, err := refstore.New(store.Pool()).Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	a, b := search.NewRules(embedded(t), 0), search.NewRules(ref, rev)
	for cat, fp := range a.Fingerprints() {
		if b.Fingerprint(cat) != fp {
			t.Errorf("%s: embedded %s, snapshot %s", cat, fp, b.Fingerprint(cat))
		}
	}
}

// Two workers racing over the same offerings never leave an older document
// in the index.
func TestSync_ConcurrentWorkers(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.seed()
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for range 3 {
		w := search.NewWorker(search.WorkerConfig{Catalog: e.store, Index: e.index, BatchSize: 3,
			Rules: func(context.Context) (*search.Rules, error) { return e.rules, nil },
			Now:   func() time.Time { return e.now }, PollInterval: 10 * time.Millisecond})
		wg.Add(1)
		go func() { defer wg.Done(); w.Run(ctx) }()
	}
	ids := []uuid.UUID{c.pentest.ID, c.mdr.ID, c.ir.ID, c.cloud.ID}
	for i := range 120 {
		id := ids[i%len(ids)]
		_, err := e.store.UpdateOffering(e.ctx(), id, 0, func(o *catalog.Offering) error {
			o.Summary = map[string]string{"en": fmt.Sprintf("Revision %d.", i)}
			if i%7 == 0 {
				o.Status = catalog.OfferingWithdrawn
			} else {
				o.Status = catalog.OfferingPublished
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	waitSynced(t, e, 3*time.Minute) // correctness, not speed: generous on a loaded machine
	cancel()
	wg.Wait()
}

// waitSynced waits until the outbox is empty and the index equals the
// database.
func waitSynced(t *testing.T, e *env, timeout time.Duration) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		b, err := search.ReadBacklog(context.Background(), e.store)
		if err == nil && b.Rows == 0 {
			diff, err := search.Verify(context.Background(), e.store, e.index, e.rules, e.now)
			if err == nil && diff.InSync() {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("not in sync: %v %v", diff, err)
			}
		} else if time.Now().After(deadline) {
			t.Fatalf("backlog %+v (%v) after %s", b, err, timeout)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// The fault test: with Meilisearch stopped, 200 mixed creates, updates and
// withdrawals succeed; after it restarts the worker drains the outbox and
// the index equals the database: same ids, same versions, same content, no
// extra documents.
func TestSync_SurvivesMeilisearchOutage(t *testing.T) {
	t.Parallel()
	srv := searchtest.Start(t)
	cfg := srv.Config()
	ix, err := search.Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	e := newEnvOn(t, ix, cfg)
	e.worker = search.NewWorker(search.WorkerConfig{Catalog: e.store, Index: ix, MaxBackoff: 300 * time.Millisecond,
		Rules: func(context.Context) (*search.Rules, error) { return e.rules, nil },
		Now:   func() time.Time { return e.now }})
	// A catalogue exists before the worker first starts: it builds the index.
	e.seedOnly()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); e.worker.Run(ctx) }()
	defer func() { cancel(); <-done }()
	waitSynced(t, e, time.Minute)

	srv.Stop()
	wctx := e.ctx()
	rng := rand.New(rand.NewPCG(1, 2))
	var vendors []catalog.Vendor
	var offerings []catalog.Offering
	var certs []catalog.Certification
	counts := map[string]int{}
	for i := range 200 {
		var err error
		op := "create"
		switch {
		case i < 20 || len(offerings) < 5:
			v, verr := e.store.CreateVendor(wctx, vendorOf(fmt.Sprintf("Outage Vendor %d (fictional)", i),
				catalog.WithVATCheckDigits(fmt.Sprintf("DE%08d0", 10000000+i)), "DE", catalog.SizeSmall, catalog.VendorActive))
			if err = verr; err == nil {
				vendors = append(vendors, v)
				var o catalog.Offering
				o, err = e.store.CreateOffering(wctx, offeringOf(v.ID, fmt.Sprintf("Outage pentest %d", i), "penetration-testing",
					"Created while search was down.", catalog.DeliveryRemote, []string{"DE"}, []string{"de"}))
				offerings = append(offerings, o)
			}
		default:
			switch k := rng.IntN(10); {
			case k < 3:
				v := vendors[rng.IntN(len(vendors))]
				var o catalog.Offering
				o, err = e.store.CreateOffering(wctx, offeringOf(v.ID, fmt.Sprintf("Outage offering %d", i), "incident-response",
					"Another service.", catalog.DeliveryHybrid, []string{"DE", "AT"}, []string{"de", "en"}))
				offerings = append(offerings, o)
			case k < 6:
				op = "update"
				_, err = e.store.UpdateOffering(wctx, offerings[rng.IntN(len(offerings))].ID, 0, func(o *catalog.Offering) error {
					o.Name = fmt.Sprintf("Updated during the outage %d", i)
					o.Status = catalog.OfferingPublished
					return nil
				})
			case k < 7:
				op = "create"
				v := vendors[rng.IntN(len(vendors))]
				var ct catalog.Certification
				ct, err = e.store.CreateCertification(wctx, catalog.Certification{VendorID: v.ID, Scheme: "bsi-c5", Level: "type-2",
					Number: fmt.Sprintf("C5-outage-%d", i), Issuer: "Example auditor (fictional)",
					ValidFrom: day.AddDate(-1, 0, 0), ValidUntil: day.AddDate(1, 0, 0), Status: catalog.Verified})
				certs = append(certs, ct)
			case k < 8 && len(certs) > 0:
				op = "withdraw"
				_, err = e.store.WithdrawCertification(wctx, certs[rng.IntN(len(certs))].ID, 0)
			case k < 9:
				op = "withdraw"
				_, err = e.store.WithdrawOffering(wctx, offerings[rng.IntN(len(offerings))].ID, 0)
			default:
				op = "update"
				_, err = e.store.UpdateVendor(wctx, vendors[rng.IntN(len(vendors))].ID, 0, func(v *catalog.Vendor) error {
					v.Status = []catalog.VendorStatus{catalog.VendorActive, catalog.VendorSuspended}[rng.IntN(2)]
					return nil
				})
			}
		}
		if err != nil {
			t.Fatalf("write %d (%s) failed while Meilisearch was down: %v", i, op, err)
		}
		counts[op]++
	}
	t.Logf("writes during the outage: %v", counts)
	b, err := search.ReadBacklog(wctx, e.store)
	if err != nil || b.Rows == 0 {
		t.Fatalf("backlog during the outage %+v, %v", b, err)
	}
	if _, err := ix.Search(wctx, search.Query{}); !errors.Is(err, search.ErrUnavailable) {
		t.Errorf("search while down: %v, want ErrUnavailable", err)
	}
	if st := e.worker.Status(); st.Failures == 0 || st.LastError == "" {
		t.Errorf("worker status during the outage %+v", st)
	}
	t.Logf("backlog during the outage: %d rows, oldest %s", b.Rows, b.OldestAge)
	// Let the worker fail and back off a few times before Meilisearch returns.
	for deadline := time.Now().Add(20 * time.Second); e.worker.Status().Failures < 4 && time.Now().Before(deadline); {
		time.Sleep(20 * time.Millisecond)
	}

	srv.Restart()
	waitSynced(t, e, time.Minute)
	diff := e.inSync()
	t.Logf("after the restart: %d documents, %d public offerings", diff.Documents, diff.Public)
	docs := searchtest.Documents(t, cfg)
	for _, o := range offerings {
		cur, err := e.store.FindOffering(wctx, o.ID)
		if err != nil {
			t.Fatal(err)
		}
		if d, ok := docs[o.ID.String()]; ok && d.Version != cur.Version {
			t.Errorf("offering %s: document version %d, database %d", o.ID, d.Version, cur.Version)
		}
	}
}

// A reindex builds a new index and swaps it in: searches never fail
// meanwhile, and writes made during the reindex are in the new index.
func TestReindex_SwapsWithoutDowntime(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.seed()
	ctx := e.ctx()
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var searches, failures int
	var mu sync.Mutex
	wg.Add(2)
	go func() { // searches
		defer wg.Done()
		for {
			select {
			case <-stop:
				return
			default:
			}
			_, err := e.index.Search(ctx, search.Query{Text: "hospital"})
			mu.Lock()
			searches++
			if err != nil {
				failures++
				t.Errorf("search during reindex: %v", err)
			}
			mu.Unlock()
		}
	}()
	go func() { // writes
		defer wg.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			if _, err := e.store.UpdateOffering(ctx, c.pentest.ID, 0, func(o *catalog.Offering) error {
				o.Name = fmt.Sprintf("Penetration testing, revision %d", i)
				return nil
			}); err != nil {
				t.Error(err)
				return
			}
			time.Sleep(5 * time.Millisecond)
		}
	}()
	rep, err := search.Reindex(ctx, search.ReindexConfig{Catalog: e.store, Index: e.index, Rules: e.rules,
		Now: func() time.Time { return e.now }, BatchSize: 2})
	close(stop)
	wg.Wait()
	if err != nil {
		t.Fatal(err)
	}
	if rep.Documents != 5 {
		t.Errorf("reindexed %d documents, want 5", rep.Documents)
	}
	t.Logf("%d searches during the reindex, %d failed; report %+v", searches, failures, rep)
	e.drain()
	e.inSync()
	// The new live index has the settings and no leftovers remain.
	if got := names(e.search(search.Query{Text: "pentest"})); len(got) != 1 {
		t.Errorf("synonyms after the swap: %v", got)
	}
	indexes, err := searchtest.Client(e.cfg).ListIndexes(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range indexes.Results {
		if r.UID != e.cfg.UID && len(r.UID) > len(e.cfg.UID) && r.UID[:len(e.cfg.UID)] == e.cfg.UID {
			t.Errorf("leftover index %s", r.UID)
		}
	}
}
