package catalog_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/cybermarket/cybermarket/catalog"
	"github.com/cybermarket/cybermarket/catalog/catalogtest"
)

var admin = catalog.WithActor(ctx, catalog.Actor{ID: "test-admin", Role: "admin"})

func reason(err error) string {
	var aerr *catalog.AuthError
	if errors.As(err, &aerr) {
		return aerr.Reason
	}
	return "not an AuthError: " + errors.Join(err).Error()
}

func TestStore_Keys(t *testing.T) {
	t.Parallel()
	s, _ := catalogtest.NewStore(t)
	v := mustVendor(t, s, "DE500000007")

	k, token, err := s.CreateKey(admin, catalog.APIKey{Name: "integration", Role: catalog.RoleVendor, VendorID: v.ID})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(token, "cm_"+strings.ReplaceAll(k.ID.String(), "-", "")+"_") || len(token) != 3+32+1+43 {
		t.Errorf("token %q does not carry the key id", token)
	}
	if k.CreatedBy != "test-admin" {
		t.Errorf("created_by %q", k.CreatedBy)
	}

	t.Run("the token authenticates and names the key", func(t *testing.T) {
		got, err := s.Authenticate(ctx, token)
		if err != nil || got.ID != k.ID || got.Role != catalog.RoleVendor || got.VendorID != v.ID {
			t.Fatalf("Authenticate: %+v, %v", got, err)
		}
	})

	t.Run("refused tokens say why", func(t *testing.T) {
		wrongSecret := token[:len(token)-2] + "AA"
		if wrongSecret == token {
			wrongSecret = token[:len(token)-2] + "BB"
		}
		otherID := "cm_" + strings.Repeat("0", 32) + token[len(token)-44:]
		for _, tc := range []struct{ name, token, reason string }{
			{"empty", "", "malformed"},
			{"not ours", "ghp_abcdef", "malformed"},
			{"short secret", token[:len(token)-1], "malformed"},
			{"upper-case id", strings.ToUpper(token[:35]) + token[35:], "malformed"},
			{"wrong secret", wrongSecret, "unknown"},
			{"unknown id", otherID, "unknown"},
		} {
			if _, err := s.Authenticate(ctx, tc.token); reason(err) != tc.reason || !errors.Is(err, catalog.ErrUnauthenticated) {
				t.Errorf("%s: %v, want %s", tc.name, err, tc.reason)
			}
		}
	})

	t.Run("the secret is not stored", func(t *testing.T) {
		var hash []byte
		if err := s.Pool().QueryRow(ctx, `SELECT secret_hash FROM api_keys WHERE id = $1`, k.ID).Scan(&hash); err != nil {
			t.Fatal(err)
		}
		secret := token[len(token)-43:]
		var hits int
		if err := s.Pool().QueryRow(ctx, `SELECT count(*) FROM api_keys k, audit_events a
			WHERE position($1 in k::text) > 0 OR position($1 in a::text) > 0`, secret).Scan(&hits); err != nil {
			t.Fatal(err)
		}
		if len(hash) != 32 || hits != 0 {
			t.Errorf("hash of %d bytes, secret found %d times in keys or audit events", len(hash), hits)
		}
	})

	t.Run("last use is written at most once a minute", func(t *testing.T) {
		var first time.Time
		if err := s.Pool().QueryRow(ctx, `SELECT last_used_at FROM api_keys WHERE id = $1`, k.ID).Scan(&first); err != nil {
			t.Fatal(err)
		}
		for range 5 {
			if _, err := s.Authenticate(ctx, token); err != nil {
				t.Fatal(err)
			}
		}
		var again time.Time
		if err := s.Pool().QueryRow(ctx, `SELECT last_used_at FROM api_keys WHERE id = $1`, k.ID).Scan(&again); err != nil {
			t.Fatal(err)
		}
		if !again.Equal(first) {
			t.Errorf("last_used_at moved from %v to %v within a minute", first, again)
		}
		if _, err := s.Pool().Exec(ctx, `UPDATE api_keys SET last_used_at = now() - interval '2 minutes' WHERE id = $1`, k.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Authenticate(ctx, token); err != nil {
			t.Fatal(err)
		}
		if err := s.Pool().QueryRow(ctx, `SELECT last_used_at FROM api_keys WHERE id = $1`, k.ID).Scan(&again); err != nil {
			t.Fatal(err)
		}
		if time.Since(again) > 10*time.Second {
			t.Errorf("a stale last_used_at (%v) was not refreshed", again)
		}
	})

	t.Run("expired and revoked keys are refused", func(t *testing.T) {
		soon := time.Now().Add(time.Hour)
		e, etoken, err := s.CreateKey(admin, catalog.APIKey{Name: "short", Role: catalog.RoleAnalyst, ExpiresAt: &soon})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Pool().Exec(ctx, `UPDATE api_keys SET expires_at = now() - interval '1 second' WHERE id = $1`, e.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Authenticate(ctx, etoken); reason(err) != "expired" {
			t.Errorf("expired key: %v", err)
		}
		revoked, err := s.RevokeKey(admin, k.ID)
		if err != nil || revoked.RevokedAt == nil {
			t.Fatalf("RevokeKey: %+v %v", revoked, err)
		}
		if _, err := s.Authenticate(ctx, token); reason(err) != "revoked" {
			t.Errorf("revoked key: %v", err)
		}
		events := count(t, s, "audit_events")
		if _, err := s.RevokeKey(admin, k.ID); err != nil {
			t.Fatal(err)
		}
		if count(t, s, "audit_events") != events {
			t.Error("revoking a revoked key recorded an event")
		}
	})

	t.Run("invalid keys", func(t *testing.T) {
		past := time.Now().Add(-time.Hour)
		for _, tc := range []struct {
			name  string
			key   catalog.APIKey
			field string
		}{
			{"no name", catalog.APIKey{Role: catalog.RoleAdmin}, "name"},
			{"unknown role", catalog.APIKey{Name: "x", Role: "root"}, "role"},
			{"vendor key without vendor", catalog.APIKey{Name: "x", Role: catalog.RoleVendor}, "vendor_id"},
			{"admin key with vendor", catalog.APIKey{Name: "x", Role: catalog.RoleAdmin, VendorID: v.ID}, "vendor_id"},
			{"unknown vendor", catalog.APIKey{Name: "x", Role: catalog.RoleVendor, VendorID: uuid.New()}, "vendor_id"},
			{"expiry in the past", catalog.APIKey{Name: "x", Role: catalog.RoleAdmin, ExpiresAt: &past}, "expires_at"},
		} {
			_, _, err := s.CreateKey(admin, tc.key)
			if got := fieldOf(t, err); got != tc.field {
				t.Errorf("%s: rejected %s, want %s", tc.name, got, tc.field)
			}
		}
	})

	t.Run("a vendor has at most MaxVendorKeys active keys", func(t *testing.T) {
		w := mustVendor(t, s, "DE500000023")
		for range catalog.MaxVendorKeys {
			if _, _, err := s.CreateKey(admin, catalog.APIKey{Name: "k", Role: catalog.RoleVendor, VendorID: w.ID}); err != nil {
				t.Fatal(err)
			}
		}
		_, _, err := s.CreateKey(admin, catalog.APIKey{Name: "one more", Role: catalog.RoleVendor, VendorID: w.ID})
		if !errors.Is(err, catalog.ErrConflict) {
			t.Errorf("key %d: %v, want a conflict", catalog.MaxVendorKeys+1, err)
		}
	})

	t.Run("keys die with their vendor", func(t *testing.T) {
		w := mustVendor(t, s, "DE500000031")
		_, wtoken, err := s.CreateKey(admin, catalog.APIKey{Name: "k", Role: catalog.RoleVendor, VendorID: w.ID})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.DeleteVendor(admin, w.ID, 0); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Authenticate(ctx, wtoken); reason(err) != "unknown" {
			t.Errorf("key of a deleted vendor: %v", err)
		}
	})
}

func TestStore_Visibility(t *testing.T) {
	t.Parallel()
	s, _ := catalogtest.NewStore(t)
	active := mustVendor(t, s, "DE510000004")
	pendingV := vendor("DE510000029")
	pendingV.Status = catalog.VendorPending
	pending, err := s.CreateVendor(ctx, pendingV)
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
	published, draft := mk(active.ID, catalog.OfferingPublished), mk(active.ID, catalog.OfferingDraft)
	pendingPublished := mk(pending.ID, catalog.OfferingPublished)
	cert, err := s.CreateCertification(ctx, certification(active.ID, published.ID, draft.ID))
	if err != nil {
		t.Fatal(err)
	}
	rejectedCert := certification(active.ID)
	rejectedCert.Number, rejectedCert.Status = "ISMS-2", catalog.Rejected
	rejected, err := s.CreateCertification(ctx, rejectedCert)
	if err != nil {
		t.Fatal(err)
	}
	pendingCert, err := s.CreateCertification(ctx, certification(pending.ID))
	if err != nil {
		t.Fatal(err)
	}

	public, owner, staff := catalog.Viewer{}, catalog.Viewer{Vendor: active.ID}, catalog.Everyone
	ids := func(n int, f func(int) uuid.UUID) map[uuid.UUID]bool {
		out := map[uuid.UUID]bool{}
		for i := range n {
			out[f(i)] = true
		}
		return out
	}
	for _, tc := range []struct {
		name                        string
		viewer                      catalog.Viewer
		vendors, offerings, certs   int
		seesDraft, seesPendingCerts bool
	}{
		{"public", public, 1, 1, 1, false, false},
		{"owner of the active vendor", owner, 1, 2, 2, true, false},
		{"owner of the pending vendor", catalog.Viewer{Vendor: pending.ID}, 2, 2, 2, false, true},
		{"staff", staff, 2, 3, 3, true, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			vs, err := s.ListVendors(ctx, catalog.VendorFilter{Viewer: tc.viewer})
			if err != nil {
				t.Fatal(err)
			}
			os, err := s.ListOfferings(ctx, catalog.OfferingFilter{Viewer: tc.viewer})
			if err != nil {
				t.Fatal(err)
			}
			cs, err := s.ListCertifications(ctx, catalog.CertificationFilter{Viewer: tc.viewer})
			if err != nil {
				t.Fatal(err)
			}
			if len(vs.Items) != tc.vendors || len(os.Items) != tc.offerings || len(cs.Items) != tc.certs {
				t.Errorf("sees %d vendors, %d offerings, %d certifications; want %d, %d, %d",
					len(vs.Items), len(os.Items), len(cs.Items), tc.vendors, tc.offerings, tc.certs)
			}
			seen := ids(len(os.Items), func(i int) uuid.UUID { return os.Items[i].ID })
			if seen[draft.ID] != tc.seesDraft {
				t.Errorf("sees the draft: %v", seen[draft.ID])
			}
			certs := ids(len(cs.Items), func(i int) uuid.UUID { return cs.Items[i].ID })
			if certs[pendingCert.ID] != tc.seesPendingCerts {
				t.Errorf("sees the pending vendor's certification: %v", certs[pendingCert.ID])
			}
			for _, id := range []uuid.UUID{draft.ID, pendingPublished.ID} {
				_, err := s.VisibleOffering(ctx, id, tc.viewer)
				if want := tc.viewer.Staff || (id == draft.ID && tc.viewer.Vendor == active.ID) ||
					(id == pendingPublished.ID && tc.viewer.Vendor == pending.ID); (err == nil) != want {
					t.Errorf("VisibleOffering(%s): %v", id, err)
				}
			}
			if _, err := s.VisibleCertification(ctx, rejected.ID, tc.viewer); (err == nil) != tc.viewer.Owns(active.ID) {
				t.Errorf("VisibleCertification(rejected): %v", err)
			}
			if _, err := s.VisibleVendor(ctx, pending.ID, tc.viewer); (err == nil) != tc.viewer.Owns(pending.ID) {
				t.Errorf("VisibleVendor(pending): %v", err)
			}
		})
	}

	t.Run("the public does not learn the ids of drafts a certification covers", func(t *testing.T) {
		for _, v := range []catalog.Viewer{public, {Vendor: pending.ID}} {
			c, err := s.VisibleCertification(ctx, cert.ID, v)
			if err != nil {
				t.Fatal(err)
			}
			if len(c.OfferingIDs) != 1 || c.OfferingIDs[0] != published.ID {
				t.Errorf("covers %v, want only the published offering", c.OfferingIDs)
			}
		}
		c, err := s.VisibleCertification(ctx, cert.ID, owner)
		if err != nil || len(c.OfferingIDs) != 2 {
			t.Errorf("the owner sees %v, %v", c.OfferingIDs, err)
		}
	})

	t.Run("approval publishes; suspension hides", func(t *testing.T) {
		if _, err := s.SetVendorStatus(admin, pending.ID, 0, catalog.VendorActive); err != nil {
			t.Fatal(err)
		}
		if _, err := s.VisibleOffering(ctx, pendingPublished.ID, public); err != nil {
			t.Errorf("after approval: %v", err)
		}
		events := count(t, s, "audit_events")
		if _, err := s.SetVendorStatus(admin, pending.ID, 0, catalog.VendorActive); err != nil {
			t.Fatal(err)
		}
		if count(t, s, "audit_events") != events {
			t.Error("approving an active vendor recorded an event")
		}
		if _, err := s.SetVendorStatus(admin, pending.ID, 0, catalog.VendorSuspended); err != nil {
			t.Fatal(err)
		}
		if _, err := s.VisibleOffering(ctx, pendingPublished.ID, public); !errors.Is(err, catalog.ErrNotFound) {
			t.Errorf("after suspension: %v", err)
		}
	})

	t.Run("UpdateVendor cannot change the admission state", func(t *testing.T) {
		got, err := s.UpdateVendor(ctx, active.ID, 0, func(v *catalog.Vendor) error {
			v.Status = catalog.VendorSuspended
			v.TradingName = "Renamed"
			return nil
		})
		if err != nil || got.Status != catalog.VendorActive || got.TradingName != "Renamed" {
			t.Errorf("%+v %v", got.Status, err)
		}
	})
}

func TestStore_Verification(t *testing.T) {
	t.Parallel()
	s, _ := catalogtest.NewStore(t)
	v := mustVendor(t, s, "DE520000008")
	a, err := s.CreateOffering(ctx, offering(v.ID))
	if err != nil {
		t.Fatal(err)
	}
	b, err := s.CreateOffering(ctx, offering(v.ID))
	if err != nil {
		t.Fatal(err)
	}
	c, err := s.CreateCertification(ctx, certification(v.ID, a.ID))
	if err != nil {
		t.Fatal(err)
	}
	verify := func(t *testing.T) catalog.Certification {
		t.Helper()
		got, err := s.SetVerification(admin, c.ID, 0, catalog.Decision{Status: catalog.Verified, By: "verifier team"})
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != catalog.Verified || got.VerifiedBy != "verifier team" || got.VerifiedAt == nil {
			t.Fatalf("after verify: %+v", got)
		}
		return got
	}

	t.Run("substantive changes return a verified claim to self-declared", func(t *testing.T) {
		for _, tc := range []struct {
			name        string
			edit        func(*catalog.Certification)
			substantive bool
		}{
			{"number", func(c *catalog.Certification) { c.Number = "ISMS-99" }, true},
			{"scope", func(c *catalog.Certification) { c.Scope = "Everything" }, true},
			{"issuer", func(c *catalog.Certification) { c.Issuer = "Another CB (fictional)" }, true},
			{"valid until", func(c *catalog.Certification) { c.ValidUntil = c.ValidUntil.AddDate(1, 0, 0) }, true},
			{"valid from", func(c *catalog.Certification) { c.ValidFrom = c.ValidFrom.AddDate(0, 1, 0) }, true},
			{"scheme and level", func(c *catalog.Certification) { c.Scheme, c.Level = "eucc", "high" }, true},
			{"covering another offering", func(c *catalog.Certification) { c.OfferingIDs = append(c.OfferingIDs, b.ID) }, true},
			{"evidence link", func(c *catalog.Certification) { c.EvidenceURL = "https://certs.example/moved.pdf" }, false},
			{"nothing", func(*catalog.Certification) {}, false},
			{"case and spaces only", func(c *catalog.Certification) { c.Number = " " + c.Number + " " }, false},
		} {
			t.Run(tc.name, func(t *testing.T) {
				verify(t)
				got, err := s.UpdateCertification(ctx, c.ID, 0, func(c *catalog.Certification) error { tc.edit(c); return nil })
				if err != nil {
					t.Fatal(err)
				}
				want := catalog.Verified
				if tc.substantive {
					want = catalog.SelfDeclared
				}
				if got.Status != want || (want == catalog.SelfDeclared && (got.VerifiedAt != nil || got.VerifiedBy != "")) {
					t.Errorf("status %s by %q at %v, want %s", got.Status, got.VerifiedBy, got.VerifiedAt, want)
				}
			})
		}
	})

	t.Run("UpdateCertification cannot set the verification", func(t *testing.T) {
		got, err := s.UpdateCertification(ctx, c.ID, 0, func(c *catalog.Certification) error {
			c.Status, c.VerifiedBy, c.StatusReason = catalog.Verified, "myself", "trust me"
			now := time.Now()
			c.VerifiedAt = &now
			c.Number = "ISMS-100"
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != catalog.SelfDeclared || got.VerifiedBy != "" || got.VerifiedAt != nil || got.StatusReason != "" {
			t.Errorf("an update set the verification: %+v", got)
		}
	})

	t.Run("transitions", func(t *testing.T) {
		decide := func(status catalog.Verification, reason string) error {
			_, err := s.SetVerification(admin, c.ID, 0, catalog.Decision{Status: status, By: "v", Reason: reason})
			return err
		}
		if err := decide(catalog.Rejected, ""); fieldOf(t, err) != "reason" {
			t.Errorf("reject without reason: %v", err)
		}
		if err := decide(catalog.Withdrawn, "x"); fieldOf(t, err) != "status" {
			t.Errorf("staff setting withdrawn: %v", err)
		}
		if err := decide(catalog.Rejected, "not in the register"); err != nil {
			t.Fatal(err)
		}
		got, _ := s.FindCertification(ctx, c.ID)
		if got.Status != catalog.Rejected || got.StatusReason != "not in the register" {
			t.Errorf("after reject: %+v", got)
		}
		if err := decide(catalog.Suspended, "x"); !errors.Is(err, catalog.ErrConflict) {
			t.Errorf("suspending a rejected claim: %v", err)
		}
		if err := decide(catalog.Verified, ""); err != nil {
			t.Errorf("verifying a rejected claim: %v", err)
		}
		if err := decide(catalog.Suspended, "the certification body suspended it"); err != nil {
			t.Errorf("suspending a verified claim: %v", err)
		}
		if _, err := s.WithdrawCertification(ctx, c.ID, 0); err != nil {
			t.Fatal(err)
		}
		if err := decide(catalog.Verified, ""); !errors.Is(err, catalog.ErrConflict) {
			t.Errorf("verifying a withdrawn claim: %v", err)
		}
	})
}

func TestStore_AuditReplaysHistory(t *testing.T) {
	t.Parallel()
	s, _ := catalogtest.NewStore(t)
	v := mustVendor(t, s, "DE530000001")
	for i := range 3 {
		if _, err := s.UpdateVendor(admin, v.ID, 0, func(x *catalog.Vendor) error {
			x.TradingName = strings.Repeat("x", i+1)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.SetVendorStatus(admin, v.ID, 0, catalog.VendorSuspended); err != nil {
		t.Fatal(err)
	}
	var events []catalog.AuditEvent
	f := catalog.AuditFilter{Entity: "vendor", EntityID: v.ID.String(), Limit: 2}
	for {
		page, err := s.ListAudit(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		events = append(events, page.Items...)
		if page.Next == "" {
			break
		}
		f.Cursor = page.Next
	}
	if len(events) != 5 {
		t.Fatalf("%d events, want 5", len(events))
	}
	var prev json.RawMessage
	for i, e := range events {
		if i == 0 && (e.Action != "create" || e.Before != nil) {
			t.Errorf("first event %s with before %s", e.Action, e.Before)
		}
		if i > 0 && !jsonEqual(t, e.Before, prev) {
			t.Errorf("event %d: before %s is not the previous after %s", i, e.Before, prev)
		}
		prev = e.After
	}
	cur, err := s.FindVendor(ctx, v.ID)
	if err != nil {
		t.Fatal(err)
	}
	now, _ := json.Marshal(cur)
	if !jsonEqual(t, prev, now) {
		t.Errorf("the last event's after %s is not the vendor %s", prev, now)
	}
	if events[4].Action != "suspend" || events[1].Actor != "test-admin" {
		t.Errorf("actions and actors: %s by %s", events[4].Action, events[1].Actor)
	}
	newest, err := s.ListAudit(ctx, catalog.AuditFilter{VendorID: v.ID, Newest: true, Limit: 1})
	if err != nil || len(newest.Items) != 1 || newest.Items[0].Action != "suspend" {
		t.Errorf("newest first: %+v %v", newest.Items, err)
	}
	if _, err := s.ListAudit(ctx, catalog.AuditFilter{Cursor: "x"}); !errors.Is(err, catalog.ErrCursor) {
		t.Errorf("bad cursor: %v", err)
	}
}

func jsonEqual(t *testing.T, a, b []byte) bool {
	t.Helper()
	var x, y any
	if err := json.Unmarshal(a, &x); err != nil {
		t.Fatalf("%s: %v", a, err)
	}
	if err := json.Unmarshal(b, &y); err != nil {
		t.Fatalf("%s: %v", b, err)
	}
	xa, _ := json.Marshal(x)
	ya, _ := json.Marshal(y)
	return string(xa) == string(ya)
}
