package catalog_test

import (
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/cybermarket/cybermarket/catalog"
	"github.com/cybermarket/cybermarket/catalog/catalogtest"
)

// TestPruneChanges: rows older than the retention go when a later row of
// their object exists or the object is gone; the log read from 0 still
// names every existing object once; a reader behind a pruned removal gets
// ErrPruned; rows a consumer has yet to read stay.
func TestPruneChanges(t *testing.T) {
	t.Parallel()
	s, _ := catalogtest.NewStore(t)
	v := mustVendor(t, s, "DE520000008")
	o, err := s.CreateOffering(ctx, offering(v.ID))
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"Renamed once", "Renamed twice"} {
		if _, err := s.UpdateOffering(ctx, o.ID, 0, func(x *catalog.Offering) error { x.Name = name; return nil }); err != nil {
			t.Fatal(err)
		}
	}
	gone := mustVendor(t, s, "FR40303265045")
	if err := s.DeleteVendor(ctx, gone.ID, 0); err != nil {
		t.Fatal(err)
	}
	removal := headOf(t, s)
	kept := mustVendor(t, s, "NL123456782B01") // recent: stays whatever happens
	before := readFrom(t, s, 0)

	// A consumer at position 2 holds everything after it.
	holder := uuid.New()
	if _, err := s.ClaimConsumer(ctx, "test", holder, time.Minute); err != nil {
		t.Fatal(err)
	}
	if err := s.MoveConsumer(ctx, "test", holder, 2); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Pool().Exec(ctx, `UPDATE change_log SET at = at - interval '100 days' WHERE position <= $1`, removal); err != nil {
		t.Fatal(err)
	}
	cutoff := time.Now().Add(-90 * 24 * time.Hour)
	if r, err := s.PruneChanges(ctx, cutoff); err != nil || r.Changes > 2 {
		t.Fatalf("prune held at 2: %+v, %v", r, err)
	}
	if err := s.MoveConsumer(ctx, "test", holder, removal+1); err != nil {
		t.Fatal(err)
	}
	r, err := s.PruneChanges(ctx, cutoff)
	if err != nil || r.Through != removal {
		t.Fatalf("prune: %+v, %v; want pruned through %d", r, err, removal)
	}

	after := readFrom(t, s, 0)
	seen := map[uuid.UUID]int{}
	for _, c := range after {
		seen[c.ID]++
	}
	for _, c := range before {
		switch {
		case c.ID == gone.ID && seen[c.ID] != 0:
			t.Errorf("the deleted vendor still has %d rows", seen[c.ID])
		case c.ID != gone.ID && c.Entity != "certification" && seen[c.ID] != 1 && exists(t, s, c):
			t.Errorf("%s %s has %d rows after pruning, want 1", c.Entity, c.ID, seen[c.ID])
		}
	}
	if seen[kept.ID] != 1 || seen[o.ID] != 1 || seen[v.ID] != 1 {
		t.Errorf("rows per object after pruning: %v", seen)
	}
	if _, err := s.ReadChanges(ctx, 1, 10); !errors.Is(err, catalog.ErrPruned) {
		t.Errorf("read after 1: %v, want ErrPruned", err)
	}
	if _, _, err := s.ReadChangesWithin(ctx, 1, removal, 10); err != nil {
		t.Errorf("read after 1 by a reader that started at 0 under the horizon: %v", err)
	}
	if _, err := s.ReadChanges(ctx, removal, 10); err != nil {
		t.Errorf("read after %d (the pruned removal): %v", removal, err)
	}
}

// exists reports whether the object of c is still in the database.
func exists(t *testing.T, s *catalog.Store, c catalog.Change) bool {
	t.Helper()
	var n int
	table := map[string]string{"vendor": "vendors", "offering": "offerings", "certification": "certifications"}[c.Entity]
	if err := s.Pool().QueryRow(ctx, `SELECT count(*) FROM `+table+` WHERE id = $1`, c.ID).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n > 0
}

func headOf(t *testing.T, s *catalog.Store) int64 {
	t.Helper()
	h, err := s.HeadPosition(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// readFrom reads the whole log after position after, gaps allowed, as a
// reader that started there and passes the horizon on.
func readFrom(t *testing.T, s *catalog.Store, after int64) []catalog.Change {
	t.Helper()
	var out []catalog.Change
	var horizon int64
	for {
		page, h, err := s.ReadChangesWithin(ctx, after, horizon, 2)
		if err != nil {
			t.Fatal(err)
		}
		horizon = h
		if len(page) == 0 {
			return out
		}
		after = page[len(page)-1].Position
		out = append(out, page...)
	}
}
