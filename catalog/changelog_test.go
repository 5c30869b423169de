package catalog_test

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/cybermarket/cybermarket/catalog"
	"github.com/cybermarket/cybermarket/catalog/catalogtest"
)

// readAll follows the change log from after to its end, a page at a time,
// and fails when positions are not consecutive.
func readAll(t *testing.T, s *catalog.Store, after int64, limit int) []catalog.Change {
	t.Helper()
	var out []catalog.Change
	for {
		page, err := s.ReadChanges(ctx, after, limit)
		if err != nil {
			t.Fatal(err)
		}
		if len(page) == 0 {
			return out
		}
		for _, c := range page {
			if c.Position != after+1 {
				t.Fatalf("position %d after %d: a gap", c.Position, after)
			}
			after = c.Position
		}
		out = append(out, page...)
	}
}

// last returns the last change of the object id in changes.
func last(changes []catalog.Change, id uuid.UUID) (catalog.Change, bool) {
	for i := len(changes) - 1; i >= 0; i-- {
		if changes[i].ID == id {
			return changes[i], true
		}
	}
	return catalog.Change{}, false
}

func TestChangeLog_CoversEveryWrite(t *testing.T) {
	t.Parallel()
	s, _ := catalogtest.NewStore(t)
	head := func() int64 {
		h, err := s.HeadPosition(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return h
	}
	v := mustVendor(t, s, "DE520000008")
	o, err := s.CreateOffering(ctx, offering(v.ID))
	if err != nil {
		t.Fatal(err)
	}
	c, err := s.CreateCertification(ctx, certification(v.ID, o.ID))
	if err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		name   string
		write  func() error
		id     uuid.UUID
		public bool
	}{
		{"update offering", func() error {
			_, err := s.UpdateOffering(ctx, o.ID, 0, func(x *catalog.Offering) error { x.Name = "Renamed"; return nil })
			return err
		}, o.ID, true},
		{"verify certification", func() error {
			_, err := s.SetVerification(ctx, c.ID, 0, catalog.Decision{Status: catalog.Verified, By: "staff"})
			return err
		}, c.ID, true},
		{"suspend vendor hides its offerings", func() error {
			_, err := s.SetVendorStatus(ctx, v.ID, 0, catalog.VendorSuspended)
			return err
		}, o.ID, false},
		{"approve vendor shows them again", func() error {
			_, err := s.SetVendorStatus(ctx, v.ID, 0, catalog.VendorActive)
			return err
		}, c.ID, true},
		{"withdraw offering", func() error {
			_, err := s.WithdrawOffering(ctx, o.ID, 0)
			return err
		}, o.ID, false},
		{"delete vendor removes its certifications", func() error { return s.DeleteVendor(ctx, v.ID, 0) }, c.ID, false},
	}
	for _, st := range steps {
		before := head()
		if err := st.write(); err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		got := readAll(t, s, before, 2)
		ch, ok := last(got, st.id)
		if !ok {
			t.Errorf("%s: no change of %s among %d", st.name, st.id, len(got))
			continue
		}
		if ch.Public() != st.public {
			t.Errorf("%s: public = %v, want %v", st.name, ch.Public(), st.public)
		}
		if head() != before+int64(len(got)) {
			t.Errorf("%s: head %d, read %d changes after %d", st.name, head(), len(got), before)
		}
	}
}

// Positions follow commit order: a follower reading while many writers
// commit never sees a gap, and ends with every change.
func TestChangeLog_ConcurrentWritersLeaveNoGaps(t *testing.T) {
	t.Parallel()
	s, _ := catalogtest.NewStore(t)
	start, err := s.HeadPosition(ctx)
	if err != nil {
		t.Fatal(err)
	}
	const writers, each = 8, 10
	var wg sync.WaitGroup
	done := make(chan struct{})
	for w := range writers {
		wg.Go(func() {
			v, err := s.CreateVendor(ctx, vendor(catalog.WithVATCheckDigits(fmt.Sprintf("DE53%06d0", w))))
			if err != nil {
				t.Error(err)
				return
			}
			for range each {
				if _, err := s.CreateOffering(ctx, offering(v.ID)); err != nil {
					t.Error(err)
				}
			}
		})
	}
	go func() { wg.Wait(); close(done) }()
	after, seen := start, 0
	for {
		select {
		case <-done:
			seen += len(readAll(t, s, after, 7))
			if want := writers * (1 + each); seen != want {
				t.Errorf("read %d changes, want %d", seen, want)
			}
			return
		default:
		}
		got := readAll(t, s, after, 7) // fails on a gap
		if len(got) > 0 {
			after = got[len(got)-1].Position
			seen += len(got)
		}
		time.Sleep(time.Millisecond)
	}
}

func TestChangeLog_Consumers(t *testing.T) {
	t.Parallel()
	s, _ := catalogtest.NewStore(t)
	a, b := uuid.New(), uuid.New()
	const lease = 2 * time.Second
	if pos, err := s.ClaimConsumer(ctx, "search x", a, lease); err != nil || pos != 0 {
		t.Fatalf("first claim: %d, %v", pos, err)
	}
	if err := s.MoveConsumer(ctx, "search x", a, 7); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ClaimConsumer(ctx, "search x", b, lease); !errors.Is(err, catalog.ErrLeaseLost) {
		t.Errorf("claim during another's lease: %v", err)
	}
	if err := s.MoveConsumer(ctx, "search x", b, 9); !errors.Is(err, catalog.ErrLeaseLost) {
		t.Errorf("move without the lease: %v", err)
	}
	if pos, err := s.ClaimConsumer(ctx, "search x", a, lease); err != nil || pos != 7 {
		t.Errorf("renewal: %d, %v", pos, err)
	}
	if err := s.ReleaseConsumer(ctx, "search x", a); err != nil {
		t.Fatal(err)
	}
	if pos, err := s.ClaimConsumer(ctx, "search x", b, lease); err != nil || pos != 7 {
		t.Errorf("claim after release: %d, %v", pos, err)
	}

	// The drift check's re-queued offerings reach the log as well.
	v := mustVendor(t, s, "DE540000005")
	o, err := s.CreateOffering(ctx, offering(v.ID))
	if err != nil {
		t.Fatal(err)
	}
	head, _ := s.HeadPosition(ctx)
	if _, err := s.EnqueueOutbox(ctx, []uuid.UUID{o.ID}, "drift"); err != nil {
		t.Fatal(err)
	}
	ids, last, err := s.ChangedOfferings(ctx, head, 100)
	if err != nil || last != head+1 || len(ids) != 1 || ids[0] != o.ID {
		t.Errorf("after a drift re-queue: %v up to %d (head was %d), %v", ids, last, head, err)
	}
}
