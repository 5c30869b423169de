package catalog_test

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/cybermarket/cybermarket/catalog"
	"github.com/cybermarket/cybermarket/catalog/catalogtest"
)

func buyer(vat string) catalog.Buyer {
	return catalog.Buyer{LegalName: "Klinikum Nordstadt (fictional)", Country: "DE", Ownership: catalog.OwnershipPublic,
		NIS2: catalog.NIS2Essential, VATNumber: vat, Status: catalog.VendorActive}
}

// lockedProject returns a store with a project holding one shortlisted
// offering, locked with the snapshot body.
func lockedProject(t *testing.T, body []byte) (*catalog.Store, catalog.Project, uuid.UUID) {
	t.Helper()
	s, _ := catalogtest.NewStore(t)
	v := mustVendor(t, s, "DE700000001")
	o, err := s.CreateOffering(ctx, offering(v.ID))
	if err != nil {
		t.Fatal(err)
	}
	b, err := s.CreateBuyer(ctx, buyer("DE811907980"))
	if err != nil {
		t.Fatal(err)
	}
	p, err := s.CreateProject(ctx, catalog.Project{BuyerID: b.ID, Title: "MDR", Category: "incident-response",
		Country: "DE", BuyerKind: catalog.OwnershipPublic, Context: []string{"health_data_processed"}})
	if err != nil {
		t.Fatal(err)
	}
	st, err := s.Shortlist(ctx, p.ID, catalog.ShortlistEntry{OfferingID: o.ID, Decision: catalog.Included, Note: "fits"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.LockProject(ctx, p.ID, st.Project.Version, time.Now(), body); err != nil {
		t.Fatal(err)
	}
	return s, p, o.ID
}

func TestStore_LockProject(t *testing.T) {
	t.Parallel()
	body := []byte(`{"format":"test"}`)
	s, p, offeringID := lockedProject(t, body)
	sum := sha256.Sum256(body)

	got, err := s.FindProject(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.LockedAt == nil || got.SHA256 != hex.EncodeToString(sum[:]) {
		t.Errorf("locked project: locked_at %v, sha256 %q", got.LockedAt, got.SHA256)
	}
	snap, err := s.FindSnapshot(ctx, p.ID)
	if err != nil || string(snap.Body) != string(body) {
		t.Fatalf("snapshot %q, %v", snap.Body, err)
	}

	t.Run("the store refuses every change", func(t *testing.T) {
		var conflict *catalog.ConflictError
		if _, err := s.Shortlist(ctx, p.ID, catalog.ShortlistEntry{OfferingID: offeringID, Decision: catalog.Excluded, Note: "x"}); !errors.As(err, &conflict) {
			t.Errorf("shortlist after lock: %v", err)
		}
		if _, err := s.AddSearch(ctx, p.ID, catalog.SavedSearch{Query: "x"}); !errors.As(err, &conflict) {
			t.Errorf("search after lock: %v", err)
		}
		if _, err := s.LockProject(ctx, p.ID, 0, time.Now(), []byte(`{}`)); !errors.As(err, &conflict) {
			t.Errorf("second lock: %v", err)
		}
	})

	// The database's own refusal, whatever a future code path might try.
	for name, sql := range map[string]string{
		"update the snapshot":   `UPDATE project_snapshots SET body = '\x7b7d'::bytea, sha256 = encode(sha256('\x7b7d'::bytea), 'hex') WHERE project_id = $1`,
		"delete the snapshot":   `DELETE FROM project_snapshots WHERE project_id = $1`,
		"retitle the project":   `UPDATE projects SET title = 'changed' WHERE id = $1`,
		"unlock the project":    `UPDATE projects SET locked_at = NULL WHERE id = $1`,
		"delete the project":    `DELETE FROM projects WHERE id = $1`,
		"edit a shortlist note": `UPDATE project_shortlist SET note = 'rewritten' WHERE project_id = $1`,
		"drop from shortlist":   `DELETE FROM project_shortlist WHERE project_id = $1`,
		"add to the shortlist":  `INSERT INTO project_shortlist (project_id, offering_id, decision) SELECT $1, id, 'included' FROM offerings LIMIT 1 ON CONFLICT DO NOTHING`,
		"add a search":          `INSERT INTO project_searches (id, project_id, query) VALUES (gen_random_uuid(), $1, 'late')`,
	} {
		t.Run("SQL refuses to "+name, func(t *testing.T) {
			_, err := s.Pool().Exec(ctx, sql, p.ID)
			if err == nil || !strings.Contains(err.Error(), "locked") {
				t.Fatalf("want the lock trigger's refusal, got %v", err)
			}
		})
	}
	if again, err := s.FindSnapshot(ctx, p.ID); err != nil || string(again.Body) != string(body) || again.SHA256 != snap.SHA256 {
		t.Errorf("snapshot changed: %q %s, %v", again.Body, again.SHA256, err)
	}
}

func TestStore_SnapshotDigestIsChecked(t *testing.T) {
	t.Parallel()
	s, _ := catalogtest.NewStore(t)
	b, err := s.CreateBuyer(ctx, buyer("DE811907980"))
	if err != nil {
		t.Fatal(err)
	}
	p, err := s.CreateProject(ctx, catalog.Project{BuyerID: b.ID, Title: "MDR", Category: "incident-response", Country: "DE", BuyerKind: "public"})
	if err != nil {
		t.Fatal(err)
	}
	// A row whose digest does not match its body never gets in.
	_, err = s.Pool().Exec(ctx, `INSERT INTO project_snapshots (project_id, locked_at, body, sha256) VALUES ($1, now(), 'x', $2)`,
		p.ID, hex.EncodeToString(make([]byte, 32)))
	if err == nil {
		t.Error("a snapshot with a wrong digest was stored")
	}
}

func TestStore_Outcome(t *testing.T) {
	t.Parallel()
	s, p, offeringID := lockedProject(t, []byte(`{}`))
	var verr *catalog.ValidationError
	if _, err := s.RecordOutcome(ctx, p.ID, catalog.Outcome{Awarded: true, OfferingID: uuid.New()}); !errors.As(err, &verr) {
		t.Errorf("award to an offering not shortlisted: %v", err)
	}
	if _, err := s.RecordOutcome(ctx, p.ID, catalog.Outcome{}); !errors.As(err, &verr) {
		t.Errorf("no award without a reason: %v", err)
	}
	value := int64(480000)
	st, err := s.RecordOutcome(ctx, p.ID, catalog.Outcome{Awarded: true, OfferingID: offeringID, ValueEUR: &value})
	if err != nil || st.Outcome == nil || st.Outcome.OfferingID != offeringID || *st.Outcome.ValueEUR != value {
		t.Fatalf("award: %+v, %v", st.Outcome, err)
	}
	var conflict *catalog.ConflictError
	if _, err := s.RecordOutcome(ctx, p.ID, catalog.Outcome{Reason: "changed our mind"}); !errors.As(err, &conflict) {
		t.Errorf("second outcome: %v", err)
	}
	a, err := s.OfferingAwards(ctx, offeringID)
	if err != nil || a != (catalog.Awards{Buyers: 1, Countries: 1}) {
		t.Errorf("awards %+v, %v", a, err)
	}
}

func TestStore_BuyerKeys(t *testing.T) {
	t.Parallel()
	s, _ := catalogtest.NewStore(t)
	b, key, token, err := s.RegisterBuyer(ctx, buyer("DE811907980"), "self-registration")
	if err != nil {
		t.Fatal(err)
	}
	if key.Role != catalog.RoleBuyer || key.BuyerID != b.ID || key.VendorID != uuid.Nil {
		t.Errorf("key %+v for buyer %s", key, b.ID)
	}
	got, err := s.Authenticate(ctx, token)
	if err != nil || got.BuyerID != b.ID {
		t.Errorf("authenticated %+v, %v", got, err)
	}
	var conflict *catalog.ConflictError
	if _, _, _, err := s.RegisterBuyer(ctx, buyer("DE 811 907 980"), "again"); !errors.As(err, &conflict) || conflict.Field != "vat_number" {
		t.Errorf("duplicate VAT: %v", err)
	}
	for _, k := range []catalog.APIKey{{Name: "x", Role: catalog.RoleBuyer}, {Name: "x", Role: catalog.RoleAnalyst, BuyerID: b.ID}} {
		var verr *catalog.ValidationError
		if _, _, err := s.CreateKey(ctx, k); !errors.As(err, &verr) || verr.Fields[0].Field != "buyer_id" {
			t.Errorf("key %+v: %v", k, err)
		}
	}
}
