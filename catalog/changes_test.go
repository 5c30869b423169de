package catalog_test

import (
	"testing"

	"github.com/google/uuid"

	"github.com/cybermarket/cybermarket/catalog"
	"github.com/cybermarket/cybermarket/catalog/catalogtest"
)

// outbox returns how many outbox rows each offering has.
func outbox(t *testing.T, s *catalog.Store) map[uuid.UUID]int {
	t.Helper()
	rows, err := s.Pool().Query(ctx, `SELECT offering_id, count(*) FROM search_outbox GROUP BY offering_id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[uuid.UUID]int{}
	for rows.Next() {
		var id uuid.UUID
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			t.Fatal(err)
		}
		out[id] = n
	}
	return out
}

func TestStore_WritesRecordAuditAndOutbox(t *testing.T) {
	t.Parallel()
	s, _ := catalogtest.NewStore(t)
	actx := catalog.WithActor(ctx, catalog.Actor{ID: "key-123", Role: "vendor", RequestID: "req-1"})

	v, err := s.CreateVendor(actx, vendor("DE300000002"))
	if err != nil {
		t.Fatal(err)
	}
	a, err := s.CreateOffering(actx, offering(v.ID))
	if err != nil {
		t.Fatal(err)
	}
	b, err := s.CreateOffering(actx, offering(v.ID))
	if err != nil {
		t.Fatal(err)
	}
	if got := outbox(t, s); got[a.ID] != 1 || got[b.ID] != 1 {
		t.Errorf("after creating two offerings: outbox %v", got)
	}

	// A certification covering only a touches only a's document.
	if _, err := s.CreateCertification(actx, certification(v.ID, a.ID)); err != nil {
		t.Fatal(err)
	}
	if got := outbox(t, s); got[a.ID] != 2 || got[b.ID] != 1 {
		t.Errorf("after a certification of a: outbox %v", got)
	}
	// A vendor change touches every offering's document.
	if _, err := s.UpdateVendor(actx, v.ID, 0, func(x *catalog.Vendor) error { x.TradingName = "New"; return nil }); err != nil {
		t.Fatal(err)
	}
	if got := outbox(t, s); got[a.ID] != 3 || got[b.ID] != 2 {
		t.Errorf("after a vendor change: outbox %v", got)
	}

	var actor, role, req, action, entity string
	if err := s.Pool().QueryRow(ctx, `SELECT actor, actor_role, request_id, action, entity FROM audit_events ORDER BY id DESC LIMIT 1`).
		Scan(&actor, &role, &req, &action, &entity); err != nil {
		t.Fatal(err)
	}
	if actor != "key-123" || role != "vendor" || req != "req-1" || action != "update" || entity != "vendor" {
		t.Errorf("last audit event: %s %s %s %s %s", actor, role, req, action, entity)
	}

	t.Run("a failed write leaves no audit event and no outbox row", func(t *testing.T) {
		events, rows := count(t, s, "audit_events"), count(t, s, "search_outbox")
		bad := offering(v.ID)
		bad.Category = "astrology"
		if _, err := s.CreateOffering(actx, bad); err == nil {
			t.Fatal("bad offering accepted")
		}
		if _, err := s.UpdateVendor(actx, v.ID, 99, func(*catalog.Vendor) error { return nil }); err == nil {
			t.Fatal("stale update accepted")
		}
		if e, r := count(t, s, "audit_events"), count(t, s, "search_outbox"); e != events || r != rows {
			t.Errorf("audit events %d -> %d, outbox rows %d -> %d", events, e, rows, r)
		}
	})

	t.Run("deleting a vendor queues its offerings for removal", func(t *testing.T) {
		before := outbox(t, s)
		if err := s.DeleteVendor(actx, v.ID, 0); err != nil {
			t.Fatal(err)
		}
		after := outbox(t, s)
		if after[a.ID] != before[a.ID]+1 || after[b.ID] != before[b.ID]+1 {
			t.Errorf("outbox %v -> %v", before, after)
		}
	})
}
