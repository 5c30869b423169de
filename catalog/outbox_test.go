package catalog_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/cybermarket/cybermarket/catalog"
	"github.com/cybermarket/cybermarket/catalog/catalogtest"
)

// outboxFixture is a store whose outbox holds the rows of two new offerings.
func outboxFixture(t *testing.T) (*catalog.Store, catalog.Offering, catalog.Offering) {
	t.Helper()
	s, _ := catalogtest.NewStore(t)
	v := mustVendor(t, s, "DE123456788")
	a, err := s.CreateOffering(ctx, offering(v.ID))
	if err != nil {
		t.Fatal(err)
	}
	b, err := s.CreateOffering(ctx, offering(v.ID))
	if err != nil {
		t.Fatal(err)
	}
	return s, a, b
}

func claim(t *testing.T, s *catalog.Store, lease time.Duration) catalog.OutboxClaim {
	t.Helper()
	c, err := s.ClaimOutbox(ctx, 100, lease)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func rowIDs(c catalog.OutboxClaim) []int64 {
	out := make([]int64, len(c.Rows))
	for i, r := range c.Rows {
		out[i] = r.ID
	}
	return out
}

func backlog(t *testing.T, s *catalog.Store) catalog.OutboxBacklog {
	t.Helper()
	b, err := s.ReadOutboxBacklog(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestOutbox_Claim(t *testing.T) {
	t.Parallel()
	s, a, b := outboxFixture(t)
	first := claim(t, s, time.Minute)
	if got := first.Offerings(); !slices.Equal(got, []uuid.UUID{a.ID, b.ID}) {
		t.Fatalf("claimed offerings %v, want %v", got, []uuid.UUID{a.ID, b.ID})
	}
	// A change of a leased offering waits for the lease: one worker per
	// offering at a time.
	if _, err := s.UpdateOffering(ctx, a.ID, 0, func(o *catalog.Offering) error { o.Name = "Renamed"; return nil }); err != nil {
		t.Fatal(err)
	}
	if c := claim(t, s, time.Minute); len(c.Rows) != 0 {
		t.Fatalf("claimed rows of leased offerings: %+v", c.Rows)
	}
	// Settling deletes the claimed rows only: the row added meanwhile stays.
	n, err := s.SettleOutbox(ctx, first, rowIDs(first), nil)
	if err != nil || n != len(first.Rows) {
		t.Fatalf("settle: %d, %v; want %d", n, err, len(first.Rows))
	}
	if b := backlog(t, s); b.Rows != 1 {
		t.Fatalf("backlog after settling: %+v, want the row added meanwhile", b)
	}
	if c := claim(t, s, time.Minute); !slices.Equal(c.Offerings(), []uuid.UUID{a.ID}) {
		t.Fatalf("after settling: claimed %v, want the renamed offering", c.Offerings())
	}
}

// A worker that dies after claiming: its rows are due again when the lease
// ends, and if it comes back late its settlement deletes nothing.
func TestOutbox_LeaseExpiry(t *testing.T) {
	t.Parallel()
	s, _, _ := outboxFixture(t)
	const lease = 2 * time.Second
	claiming := time.Now()
	dead := claim(t, s, lease)
	claimed := time.Now() // the lease ends between claiming+lease and claimed+lease
	if c := claim(t, s, time.Minute); len(c.Rows) != 0 {
		t.Fatalf("claimed leased rows %+v after %s of a %s lease", c.Rows, time.Since(claiming), lease)
	}
	time.Sleep(time.Until(claimed.Add(lease + 100*time.Millisecond)))
	next := claim(t, s, time.Minute)
	if !slices.Equal(rowIDs(next), rowIDs(dead)) {
		t.Fatalf("after the lease: claimed %v, want %v", rowIDs(next), rowIDs(dead))
	}
	if n, err := s.SettleOutbox(ctx, dead, rowIDs(dead), nil); err != nil || n != 0 {
		t.Fatalf("late settlement deleted %d (%v), want 0", n, err)
	}
	if n, err := s.SettleOutbox(ctx, next, rowIDs(next), nil); err != nil || n != len(next.Rows) {
		t.Fatalf("settlement of the new lease: %d, %v", n, err)
	}
}

func TestOutbox_RetryAndRelease(t *testing.T) {
	t.Parallel()
	s, a, b := outboxFixture(t)
	c := claim(t, s, time.Minute)
	var retry []int64
	for _, r := range c.Rows {
		if r.Offering == a.ID {
			retry = append(retry, r.ID)
		}
	}
	// Settling with b's rows neither done nor retried releases them.
	if n, err := s.SettleOutbox(ctx, c, nil, retry); err != nil || n != 0 {
		t.Fatalf("settle: %d, %v", n, err)
	}
	if got := backlog(t, s); got.Rows != int64(len(c.Rows)) || got.Retrying != int64(len(retry)) {
		t.Fatalf("backlog %+v", got)
	}
	// The deferred rows wait (seconds); the released ones are due at once.
	c = claim(t, s, time.Minute)
	if !slices.Equal(c.Offerings(), []uuid.UUID{b.ID}) {
		t.Fatalf("claimed %v, want only the released offering", c.Offerings())
	}
	if err := s.ReleaseOutbox(ctx, c); err != nil {
		t.Fatal(err)
	}
	if again := claim(t, s, time.Minute); !slices.Equal(rowIDs(again), rowIDs(c)) {
		t.Fatalf("after release: %v, want %v", rowIDs(again), rowIDs(c))
	}
}

// A rebuild pauses claims, and a claim made before it keeps its rows.
func TestOutbox_RebuildPauses(t *testing.T) {
	t.Parallel()
	s, _, _ := outboxFixture(t)
	before := claim(t, s, time.Minute)
	rb, err := s.BeginRebuild(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.BeginRebuild(ctx); !errors.Is(err, catalog.ErrRebuildRunning) {
		t.Fatalf("second rebuild: %v, want ErrRebuildRunning", err)
	}
	if err := rb.Pause(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ClaimOutbox(ctx, 10, time.Minute); !errors.Is(err, catalog.ErrOutboxPaused) {
		t.Fatalf("claim while paused: %v", err)
	}
	if _, err := s.SettleOutbox(ctx, before, rowIDs(before), nil); !errors.Is(err, catalog.ErrOutboxPaused) {
		t.Fatalf("settle while paused: %v", err)
	}
	rb.End()
	// After the rebuild the old claim still deletes nothing: it may have
	// pushed to the index the rebuild replaced.
	after := claim(t, s, time.Minute)
	if !slices.Equal(rowIDs(after), rowIDs(before)) {
		t.Fatalf("after the rebuild: claimed %v, want %v", rowIDs(after), rowIDs(before))
	}
	if _, err := s.SettleOutbox(ctx, before, rowIDs(before), nil); !errors.Is(err, catalog.ErrOutboxPaused) {
		t.Fatalf("settling a claim of before the rebuild: %v", err)
	}
	if n, err := s.SettleOutbox(ctx, after, rowIDs(after), nil); err != nil || n != len(after.Rows) {
		t.Fatalf("settle after the rebuild: %d, %v", n, err)
	}
}

func TestOutbox_Enqueue(t *testing.T) {
	t.Parallel()
	s, a, _ := outboxFixture(t)
	if n, err := s.EnqueueOutbox(ctx, []uuid.UUID{a.ID}, "test"); err != nil || n != 0 {
		t.Fatalf("enqueue with a row waiting: %d, %v", n, err)
	}
	c := claim(t, s, time.Minute)
	if _, err := s.SettleOutbox(ctx, c, rowIDs(c), nil); err != nil {
		t.Fatal(err)
	}
	if n, err := s.EnqueueOutbox(ctx, []uuid.UUID{a.ID}, "test"); err != nil || n != 1 {
		t.Fatalf("enqueue: %d, %v", n, err)
	}
}

// Public offerings are the published ones of active vendors, whichever
// read asks.
func TestStore_PublicOfferings(t *testing.T) {
	t.Parallel()
	s, _ := catalogtest.NewStore(t)
	active := mustVendor(t, s, "DE123456788")
	pending := vendor("DE987654328")
	pending.Status = catalog.VendorPending
	pendingV, err := s.CreateVendor(ctx, pending)
	if err != nil {
		t.Fatal(err)
	}
	mk := func(v uuid.UUID, status catalog.OfferingStatus) catalog.Offering {
		o := offering(v)
		o.Status = status
		created, err := s.CreateOffering(ctx, o)
		if err != nil {
			t.Fatal(err)
		}
		return created
	}
	public := mk(active.ID, catalog.OfferingPublished)
	draft := mk(active.ID, catalog.OfferingDraft)
	ofPending := mk(pendingV.ID, catalog.OfferingPublished)
	if _, err := s.CreateCertification(ctx, certification(active.ID, public.ID)); err != nil {
		t.Fatal(err)
	}

	if n, err := s.CountPublicOfferings(ctx); err != nil || n != 1 {
		t.Errorf("CountPublicOfferings: %d, %v; want 1", n, err)
	}
	var seen []uuid.UUID
	if err := s.EachPublicEntry(ctx, func(entries []catalog.IndexEntry) error {
		for _, e := range entries {
			seen = append(seen, e.Offering.ID)
			if len(e.Certifications) != 1 || e.Vendor.LegalName != active.LegalName {
				t.Errorf("entry %+v", e)
			}
		}
		return nil
	}); err != nil || !slices.Equal(seen, []uuid.UUID{public.ID}) {
		t.Errorf("EachPublicEntry: %v, %v; want %v", seen, err, []uuid.UUID{public.ID})
	}
	entries, err := s.IndexEntries(ctx, []uuid.UUID{public.ID, draft.ID, ofPending.ID, uuid.New()})
	if err != nil || len(entries) != 3 {
		t.Fatalf("IndexEntries: %d entries, %v; want the 3 that exist", len(entries), err)
	}
	for _, e := range entries {
		if got, want := catalog.PublicOffering(e.Offering, e.Vendor.Status), e.Offering.ID == public.ID; got != want {
			t.Errorf("PublicOffering(%s) = %v, want %v", e.Offering.ID, got, want)
		}
	}
	for _, id := range []uuid.UUID{draft.ID, ofPending.ID} {
		if _, err := s.VisibleOffering(ctx, id, catalog.Viewer{}); !errors.Is(err, catalog.ErrNotFound) {
			t.Errorf("the public sees %s: %v", id, err)
		}
	}
	if _, err := s.VisibleOffering(ctx, public.ID, catalog.Viewer{}); err != nil {
		t.Errorf("the public does not see the public offering: %v", err)
	}
}
