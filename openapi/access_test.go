package openapi_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/cybermarket/cybermarket/catalog"
)

// registration is what a self-registration returns.
type registration struct {
	ID      string `json:"id"`
	Status  string `json:"status"`
	Version int64  `json:"version"`
	APIKey  *struct {
		ID       string `json:"id"`
		Role     string `json:"role"`
		VendorID string `json:"vendor_id"`
		Token    string `json:"token"`
	} `json:"api_key"`
}

// register self-registers a vendor without a key and returns its id and key.
func (c *client) register(vat string) (id, token string) {
	c.t.Helper()
	var r registration
	c.anonymous().do(http.MethodPost, "/v1/vendors", validVendor(vat)).want(http.StatusCreated).decode(&r)
	if r.Status != "pending" || r.APIKey == nil || r.APIKey.Token == "" || r.APIKey.VendorID != r.ID || r.APIKey.Role != "vendor" {
		c.t.Fatalf("self-registration returned %+v", r)
	}
	return r.ID, r.APIKey.Token
}

// auditCount is the number of audit events in the client's database.
func (c *client) auditCount() int {
	c.t.Helper()
	var n int
	if err := c.store.Pool().QueryRow(context.Background(), `SELECT count(*) FROM audit_events`).Scan(&n); err != nil {
		c.t.Fatal(err)
	}
	return n
}

// world is a catalogue to attack: vendor A (active) with public and hidden
// objects, vendor B (active) and P (pending), and keys of every role.
type world struct {
	admin, anon                     *client
	a, b, p                         *client // each acting with its vendor key
	verifier, analyst               *client
	aID, bID, pID                   string
	aPublished, aDraft, pPublished  string // offerings
	aCert, aRejected                string // certifications
	aKeyID                          string // A's self-registration key
	aToken, bToken, verifierKeyName string
	// Buyer X's open project, and buyer Y, another admitted buyer.
	xProject string
	x, y     *client
}

func newWorld(t *testing.T) *world {
	t.Helper()
	c := newClient(t)
	w := &world{admin: c, anon: c.anonymous()}
	w.aID, w.aToken = c.register("DE600000004")
	w.bID, w.bToken = c.register("FR40303265045")
	var pToken string
	w.pID, pToken = c.register("NL123456782B01")
	w.a, w.b, w.p = c.as(w.aToken), c.as(w.bToken), c.as(pToken)
	w.verifier, w.analyst = c.as(c.key(catalog.RoleVerifier, "")), c.as(c.key(catalog.RoleAnalyst, ""))
	w.verifierKeyName = "test verifier"
	for _, id := range []string{w.aID, w.bID} {
		w.verifier.do(http.MethodPost, "/v1/vendors/"+id+"/approve", nil).want(http.StatusOK)
	}
	w.aPublished = w.a.createOffering(w.aID, validOffering()).ID
	w.aDraft = w.a.createOffering(w.aID, with(validOffering(), "status", "draft")).ID
	w.pPublished = w.p.createOffering(w.pID, validOffering()).ID
	var cert created
	w.a.do(http.MethodPost, "/v1/vendors/"+w.aID+"/certifications", validCertification(w.aPublished)).want(http.StatusCreated).decode(&cert)
	w.aCert = cert.ID
	w.a.do(http.MethodPost, "/v1/vendors/"+w.aID+"/certifications", with(validCertification(), "number", "ISMS-2")).want(http.StatusCreated).decode(&cert)
	w.aRejected = cert.ID
	w.verifier.do(http.MethodPost, "/v1/certifications/"+w.aRejected+"/reject", obj{"reason": "not in the issuer's register"}).want(http.StatusOK)
	var me struct{ ID string }
	w.a.do(http.MethodGet, "/v1/keys/current", nil).want(http.StatusOK).decode(&me)
	w.aKeyID = me.ID
	_, w.x = c.admittedBuyer("DE811907980", "DE")
	_, w.y = c.admittedBuyer("FR40303265045", "FR")
	var p created
	w.x.do(http.MethodPost, "/v1/projects", validProject()).want(http.StatusCreated).decode(&p)
	w.xProject = p.ID
	w.x.do(http.MethodPut, "/v1/projects/"+p.ID+"/shortlist/"+w.aPublished, obj{"decision": "included"}).want(http.StatusOK)
	return w
}

func TestAPI_SelfRegistration(t *testing.T) {
	t.Parallel()
	c := newClient(t)
	id, token := c.register("DE610000008")
	vendor, anon := c.as(token), c.anonymous()
	path := "/v1/vendors/" + id

	t.Run("a pending vendor is not public, but its own key sees it all", func(t *testing.T) {
		anon.do(http.MethodGet, path, nil).problem(http.StatusNotFound)
		var list struct{ Items []created }
		anon.do(http.MethodGet, "/v1/vendors", nil).want(http.StatusOK).decode(&list)
		if len(list.Items) != 0 {
			t.Errorf("the public lists %d vendors", len(list.Items))
		}
		var v struct {
			Status  string          `json:"status"`
			Contact json.RawMessage `json:"contact"`
			APIKey  json.RawMessage `json:"api_key"`
		}
		vendor.do(http.MethodGet, path, nil).want(http.StatusOK).decode(&v)
		if v.Status != "pending" || v.Contact == nil || v.APIKey != nil {
			t.Errorf("the vendor sees %+v (the key must not be shown again)", v)
		}
	})

	t.Run("staff list the pending vendors by status; the public's status filter shows no pending one", func(t *testing.T) {
		var pending, active struct {
			Items []struct {
				ID     string `json:"id"`
				Status string `json:"status"`
			}
		}
		c.do(http.MethodGet, "/v1/vendors?status=pending", nil).want(http.StatusOK).decode(&pending)
		if len(pending.Items) != 1 || pending.Items[0].ID != id || pending.Items[0].Status != "pending" {
			t.Errorf("staff's pending vendors: %+v", pending.Items)
		}
		c.do(http.MethodGet, "/v1/vendors?status=active", nil).want(http.StatusOK).decode(&active)
		if len(active.Items) != 0 {
			t.Errorf("staff's active vendors: %+v", active.Items)
		}
		anon.do(http.MethodGet, "/v1/vendors?status=pending", nil).want(http.StatusOK).decode(&pending)
		if len(pending.Items) != 0 {
			t.Errorf("the public sees pending vendors: %+v", pending.Items)
		}
	})

	o := vendor.createOffering(id, validOffering())
	t.Run("its published offering waits for approval", func(t *testing.T) {
		anon.do(http.MethodGet, "/v1/offerings/"+o.ID, nil).problem(http.StatusNotFound)
		vendor.do(http.MethodGet, "/v1/offerings/"+o.ID, nil).want(http.StatusOK)
	})

	t.Run("a vendor cannot approve itself", func(t *testing.T) {
		vendor.do(http.MethodPost, path+"/approve", nil).problem(http.StatusForbidden)
	})

	t.Run("staff approval publishes it; suspension hides it again", func(t *testing.T) {
		verifier := c.as(c.key(catalog.RoleVerifier, ""))
		var v struct{ Status string }
		verifier.do(http.MethodPost, path+"/approve", nil).want(http.StatusOK).decode(&v)
		if v.Status != "active" {
			t.Fatalf("after approve: %s", v.Status)
		}
		anon.do(http.MethodGet, "/v1/offerings/"+o.ID, nil).want(http.StatusOK)
		c.do(http.MethodPost, path+"/suspend", nil).want(http.StatusOK)
		anon.do(http.MethodGet, path, nil).problem(http.StatusNotFound)
		anon.do(http.MethodGet, "/v1/offerings/"+o.ID, nil).problem(http.StatusNotFound)
		vendor.do(http.MethodGet, "/v1/offerings/"+o.ID, nil).want(http.StatusOK)
	})

	t.Run("an admin registers active vendors and gets no key", func(t *testing.T) {
		var r registration
		c.do(http.MethodPost, "/v1/vendors", validVendor("DE610000024")).want(http.StatusCreated).decode(&r)
		if r.Status != "active" || r.APIKey != nil {
			t.Errorf("admin registration: %+v", r)
		}
	})

	t.Run("a bundle registers the same way", func(t *testing.T) {
		var out struct {
			Vendor registration `json:"vendor"`
			APIKey *struct {
				Token string `json:"token"`
			} `json:"api_key"`
		}
		anon.do(http.MethodPost, "/v1/bundles", obj{"vendor": validVendor("DE610000032"), "offerings": []obj{validOffering()}}).
			want(http.StatusCreated).decode(&out)
		if out.Vendor.Status != "pending" || out.APIKey == nil || out.APIKey.Token == "" {
			t.Fatalf("bundle self-registration: %+v", out)
		}
		c.as(out.APIKey.Token).do(http.MethodGet, "/v1/vendors/"+out.Vendor.ID, nil).want(http.StatusOK)
	})

	t.Run("a failed registration leaves neither vendor nor key", func(t *testing.T) {
		before := c.auditCount()
		anon.do(http.MethodPost, "/v1/vendors", validVendor("DE610000008")).problem(http.StatusConflict)
		if c.auditCount() != before {
			t.Error("a refused registration left audit events")
		}
	})
}

func TestAPI_Keys(t *testing.T) {
	t.Parallel()
	c := newClient(t)
	vendorID, token := c.register("DE620000001")
	vendor := c.as(token)

	t.Run("admins make keys; the token is shown once", func(t *testing.T) {
		var k struct {
			ID    string `json:"id"`
			Role  string `json:"role"`
			Token string `json:"token"`
		}
		r := c.do(http.MethodPost, "/v1/keys", obj{"name": "Policy unit", "role": "analyst"}).want(http.StatusCreated)
		r.decode(&k)
		if k.Role != "analyst" || k.Token == "" || r.Header().Get("Location") != "/v1/keys/"+k.ID {
			t.Fatalf("created %+v, Location %q", k, r.Header().Get("Location"))
		}
		for _, path := range []string{"/v1/keys/" + k.ID, "/v1/keys"} {
			if body := c.do(http.MethodGet, path, nil).want(http.StatusOK).Body.String(); strings.Contains(body, "token") || strings.Contains(body, k.Token[36:]) {
				t.Errorf("%s shows the token: %s", path, body)
			}
		}
		analyst := c.as(k.Token)
		var me struct{ Role string }
		analyst.do(http.MethodGet, "/v1/keys/current", nil).want(http.StatusOK).decode(&me)
		if me.Role != "analyst" {
			t.Errorf("current key role %q", me.Role)
		}
	})

	t.Run("a vendor rotates its own key", func(t *testing.T) {
		var old struct{ ID string }
		vendor.do(http.MethodGet, "/v1/keys/current", nil).want(http.StatusOK).decode(&old)
		var k struct {
			ID       string `json:"id"`
			VendorID string `json:"vendor_id"`
			Token    string `json:"token"`
		}
		vendor.do(http.MethodPost, "/v1/keys", obj{"name": "rotated", "role": "vendor"}).want(http.StatusCreated).decode(&k)
		if k.VendorID != vendorID {
			t.Fatalf("new key for vendor %s, want %s", k.VendorID, vendorID)
		}
		fresh := c.as(k.Token)
		fresh.do(http.MethodPost, "/v1/keys/"+old.ID+"/revoke", nil).want(http.StatusOK)
		p := vendor.do(http.MethodGet, "/v1/keys/current", nil).problem(http.StatusUnauthorized)
		if !strings.Contains(p.Detail, "revoked") {
			t.Errorf("revoked key: %s", p.Detail)
		}
		var list struct{ Items []struct{ ID string } }
		fresh.do(http.MethodGet, "/v1/keys?revoked=true", nil).want(http.StatusOK).decode(&list)
		if len(list.Items) != 2 {
			t.Errorf("the vendor lists %d keys, want its 2", len(list.Items))
		}
		vendor = fresh
	})

	t.Run("a vendor key makes no other kind of key", func(t *testing.T) {
		vendor.do(http.MethodPost, "/v1/keys", obj{"name": "escalate", "role": "admin"}).problem(http.StatusForbidden)
		other := c.createVendor("DE620000028")
		vendor.do(http.MethodPost, "/v1/keys", obj{"name": "x", "role": "vendor", "vendor_id": other.ID}).problem(http.StatusForbidden)
	})

	t.Run("expired keys get 401", func(t *testing.T) {
		soon := time.Now().Add(time.Hour)
		expiring := c.key(catalog.RoleAnalyst, "", soon)
		if _, err := c.store.Pool().Exec(context.Background(), `UPDATE api_keys SET expires_at = now() - interval '1 second' WHERE role = 'analyst' AND expires_at IS NOT NULL`); err != nil {
			t.Fatal(err)
		}
		p := c.as(expiring).do(http.MethodGet, "/v1/vendors", nil).problem(http.StatusUnauthorized)
		if !strings.Contains(p.Detail, "expired") {
			t.Errorf("expired key: %s", p.Detail)
		}
	})
}

func TestAPI_Verification(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	path := "/v1/certifications/" + w.aCert
	type cert struct {
		Status       string  `json:"status"`
		VerifiedBy   string  `json:"verified_by"`
		VerifiedAt   *string `json:"verified_at"`
		StatusReason string  `json:"status_reason"`
		ValidToday   bool    `json:"valid_today"`
		Version      int64   `json:"version"`
	}

	var c cert
	// fresh empties c before a decode: absent (omitted) fields must not keep old values.
	fresh := func(c *cert) *cert { *c = cert{}; return c }
	w.verifier.do(http.MethodPost, path+"/verify", obj{"note": "Checked the register."}).want(http.StatusOK).decode(fresh(&c))
	if c.Status != "verified" || c.VerifiedBy != w.verifierKeyName || c.VerifiedAt == nil || c.StatusReason != "Checked the register." {
		t.Fatalf("after verify: %+v", c)
	}

	t.Run("a cosmetic change keeps the verification", func(t *testing.T) {
		w.a.do(http.MethodPatch, path, obj{"evidence_url": "https://certs.example/moved.pdf"}).want(http.StatusOK).decode(fresh(&c))
		if c.Status != "verified" {
			t.Errorf("after an evidence link change: %s", c.Status)
		}
	})
	t.Run("a substantive change returns it to self-declared", func(t *testing.T) {
		w.a.do(http.MethodPatch, path, obj{"valid_until": "2028-12-31"}).want(http.StatusOK).decode(fresh(&c))
		if c.Status != "self-declared" || c.VerifiedBy != "" || c.VerifiedAt != nil {
			t.Errorf("after a new expiry date: %+v", c)
		}
		w.verifier.do(http.MethodPost, path+"/verify", nil).want(http.StatusOK)
		w.a.do(http.MethodPut, path, with(validCertification(w.aPublished), "number", "ISMS-77"), "If-Match", `"5"`).want(http.StatusOK).decode(fresh(&c))
		if c.Status != "self-declared" {
			t.Errorf("after a new number by PUT: %s", c.Status)
		}
	})
	t.Run("rejecting needs a reason, which the vendor sees", func(t *testing.T) {
		p := w.verifier.do(http.MethodPost, path+"/reject", obj{}).problem(http.StatusUnprocessableEntity)
		if !p.names("body.reason") {
			t.Errorf("names %v", p.locations())
		}
		w.verifier.do(http.MethodPost, path+"/reject", obj{"reason": "Expired in the register."}).want(http.StatusOK)
		w.a.do(http.MethodGet, path, nil).want(http.StatusOK).decode(fresh(&c))
		if c.Status != "rejected" || c.StatusReason != "Expired in the register." || c.ValidToday {
			t.Errorf("the vendor sees %+v", c)
		}
		w.anon.do(http.MethodGet, path, nil).problem(http.StatusNotFound)
	})
	t.Run("suspension and withdrawal", func(t *testing.T) {
		w.verifier.do(http.MethodPost, path+"/suspend", obj{"reason": "x"}).problem(http.StatusConflict)
		w.verifier.do(http.MethodPost, path+"/verify", nil).want(http.StatusOK)
		w.verifier.do(http.MethodPost, path+"/suspend", obj{"reason": "Suspended by the certification body."}).want(http.StatusOK).decode(fresh(&c))
		if c.Status != "suspended" || c.ValidToday {
			t.Errorf("after suspend: %+v", c)
		}
		w.a.do(http.MethodPost, path+"/withdraw", nil).want(http.StatusOK)
		p := w.verifier.do(http.MethodPost, path+"/verify", nil).problem(http.StatusConflict)
		if !p.names("body.status") {
			t.Errorf("names %v", p.locations())
		}
	})
	t.Run("vendors and analysts take no decisions", func(t *testing.T) {
		for _, who := range []*client{w.a, w.b, w.analyst} {
			for _, action := range []string{"verify", "reject", "suspend"} {
				who.do(http.MethodPost, "/v1/certifications/"+w.aRejected+"/"+action, obj{"reason": "x"}).problem(http.StatusForbidden)
			}
		}
	})
}

// auditEvent is an event as GET /v1/audit and the history endpoints show it.
type auditEvent struct {
	ID        int64           `json:"id"`
	Actor     string          `json:"actor"`
	ActorRole string          `json:"actor_role"`
	RequestID string          `json:"request_id"`
	Action    string          `json:"action"`
	Entity    string          `json:"entity"`
	EntityID  string          `json:"entity_id"`
	Before    json.RawMessage `json:"before"`
	After     json.RawMessage `json:"after"`
}

// history reads every page of an object's history.
func (c *client) history(path string) []auditEvent {
	c.t.Helper()
	var all []auditEvent
	for next := path + "?limit=2"; next != ""; {
		var page struct {
			Items      []auditEvent `json:"items"`
			NextCursor string       `json:"next_cursor"`
		}
		c.do(http.MethodGet, next, nil).want(http.StatusOK).decode(&page)
		all = append(all, page.Items...)
		next = ""
		if page.NextCursor != "" {
			next = path + "?limit=2&cursor=" + page.NextCursor
		}
	}
	return all
}

func canonical(t *testing.T, raw []byte) string {
	t.Helper()
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatalf("%s: %v", raw, err)
	}
	out, _ := json.Marshal(v)
	return string(out)
}

func TestAPI_AuditTrail(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()

	// More changes of each kind, by the vendor and by staff.
	w.a.do(http.MethodPatch, "/v1/vendors/"+w.aID, obj{"trading_name": "Renamed"}).want(http.StatusOK)
	w.a.do(http.MethodPatch, "/v1/offerings/"+w.aPublished, obj{"name": "Renamed offering"}).want(http.StatusOK)
	w.a.do(http.MethodPost, "/v1/offerings/"+w.aPublished+"/withdraw", nil).want(http.StatusOK)
	w.verifier.do(http.MethodPost, "/v1/certifications/"+w.aCert+"/verify", nil).want(http.StatusOK)
	r := w.a.do(http.MethodPatch, "/v1/certifications/"+w.aCert, obj{"scope": "New scope"}).want(http.StatusOK)
	patchRequest := r.Header().Get("X-Request-Id")

	t.Run("every object's history replays to its current state", func(t *testing.T) {
		for _, tc := range []struct {
			path    string
			current func() (any, error)
			actions string
		}{
			{"/v1/vendors/" + w.aID + "/history", func() (any, error) { return w.admin.store.FindVendor(ctx, uuidOf(t, w.aID)) }, "create approve update"},
			{"/v1/offerings/" + w.aPublished + "/history", func() (any, error) { return w.admin.store.FindOffering(ctx, uuidOf(t, w.aPublished)) }, "create update withdraw"},
			{"/v1/certifications/" + w.aCert + "/history", func() (any, error) { return w.admin.store.FindCertification(ctx, uuidOf(t, w.aCert)) }, "create verify update"},
		} {
			events := w.a.history(tc.path)
			var actions []string
			for i, e := range events {
				actions = append(actions, e.Action)
				switch {
				case i == 0 && string(e.Before) != "null":
					t.Errorf("%s: the first event has a before: %s", tc.path, e.Before)
				case i > 0 && canonical(t, e.Before) != canonical(t, events[i-1].After):
					t.Errorf("%s: event %d starts from %s, not from %s", tc.path, i, e.Before, events[i-1].After)
				}
			}
			if got := strings.Join(actions, " "); got != tc.actions {
				t.Errorf("%s: actions %q, want %q", tc.path, got, tc.actions)
			}
			cur, err := tc.current()
			if err != nil {
				t.Fatal(err)
			}
			want, _ := json.Marshal(cur)
			if last := events[len(events)-1].After; canonical(t, last) != canonical(t, want) {
				t.Errorf("%s: replay ends at %s, the object is %s", tc.path, last, want)
			}
		}
	})

	t.Run("events name the key, its role and the request", func(t *testing.T) {
		events := w.verifier.history("/v1/certifications/" + w.aCert + "/history")
		last := events[len(events)-1]
		if last.Actor != w.aKeyID || last.ActorRole != "vendor" || last.RequestID != patchRequest {
			t.Errorf("last event by %s (%s) in request %s; want %s (vendor) in %s", last.Actor, last.ActorRole, last.RequestID, w.aKeyID, patchRequest)
		}
		verify := events[len(events)-2]
		if verify.ActorRole != "verifier" || verify.Action != "verify" {
			t.Errorf("verification event %+v", verify)
		}
		reg := w.admin.history("/v1/vendors/" + w.pID + "/history")
		if reg[0].Actor != "anonymous" || reg[0].ActorRole != "anonymous" {
			t.Errorf("self-registration recorded as %s (%s)", reg[0].Actor, reg[0].ActorRole)
		}
	})

	t.Run("a failed write leaves no audit row", func(t *testing.T) {
		before := w.admin.auditCount()
		w.a.do(http.MethodPatch, "/v1/vendors/"+w.aID, obj{"vat_number": "DE1"}).problem(http.StatusUnprocessableEntity)
		w.a.do(http.MethodPatch, "/v1/vendors/"+w.aID, obj{"trading_name": "X"}, "If-Match", `"1"`).problem(http.StatusPreconditionFailed)
		w.b.do(http.MethodPatch, "/v1/vendors/"+w.aID, obj{"trading_name": "X"}).problem(http.StatusForbidden)
		w.anon.do(http.MethodPatch, "/v1/vendors/"+w.aID, obj{"trading_name": "X"}).problem(http.StatusUnauthorized)
		w.a.do(http.MethodPost, "/v1/vendors/"+w.aID+"/certifications", with(validCertification(), "scheme", "astrology")).problem(http.StatusUnprocessableEntity)
		w.a.do(http.MethodPatch, "/v1/vendors/"+w.aID, obj{"vat_number": "FR40303265045"}).problem(http.StatusConflict)
		w.a.do(http.MethodPost, "/v1/bundles", obj{"vendor": validVendor("DE630000005"), "offerings": []obj{with(validOffering(), "category", "astrology")}}).problem(http.StatusForbidden)
		w.anon.do(http.MethodPost, "/v1/bundles", obj{"vendor": validVendor("DE630000005"), "offerings": []obj{with(validOffering(), "category", "astrology")}}).problem(http.StatusUnprocessableEntity)
		w.verifier.do(http.MethodPost, "/v1/certifications/"+w.aRejected+"/suspend", obj{"reason": "x"}).problem(http.StatusConflict)
		if after := w.admin.auditCount(); after != before {
			t.Errorf("failed writes left %d audit events", after-before)
		}
	})

	t.Run("GET /v1/audit is for staff, filtered and paged", func(t *testing.T) {
		w.a.do(http.MethodGet, "/v1/audit", nil).problem(http.StatusForbidden)
		w.analyst.do(http.MethodGet, "/v1/audit", nil).problem(http.StatusForbidden)
		w.anon.do(http.MethodGet, "/v1/audit", nil).problem(http.StatusUnauthorized)
		var page struct {
			Items      []auditEvent `json:"items"`
			NextCursor string       `json:"next_cursor"`
		}
		w.verifier.do(http.MethodGet, "/v1/audit?vendor_id="+w.aID+"&action=verify&order=oldest", nil).want(http.StatusOK).decode(&page)
		if len(page.Items) != 1 || page.Items[0].EntityID != w.aCert {
			t.Errorf("verifications of A: %+v", page.Items)
		}
		r := w.admin.do(http.MethodGet, "/v1/audit?limit=3", nil).want(http.StatusOK)
		r.decode(&page)
		if len(page.Items) != 3 || page.Items[0].ID < page.Items[1].ID || page.NextCursor == "" || !strings.Contains(r.Header().Get("Link"), "cursor=") {
			t.Errorf("newest first, paged: %+v next %q", page.Items, page.NextCursor)
		}
		first := page.Items[2].ID
		w.admin.do(http.MethodGet, "/v1/audit?limit=3&cursor="+page.NextCursor, nil).want(http.StatusOK).decode(&page)
		if len(page.Items) == 0 || page.Items[0].ID >= first {
			t.Errorf("the second page does not continue the first: %+v", page.Items)
		}
		w.admin.do(http.MethodGet, "/v1/audit?since=yesterday", nil).problem(http.StatusUnprocessableEntity)
		w.admin.do(http.MethodGet, "/v1/audit?cursor=abc", nil).problem(http.StatusUnprocessableEntity)
	})

	t.Run("history of another vendor's object", func(t *testing.T) {
		w.b.do(http.MethodGet, "/v1/vendors/"+w.aID+"/history", nil).problem(http.StatusForbidden)
		w.b.do(http.MethodGet, "/v1/offerings/"+w.aDraft+"/history", nil).problem(http.StatusNotFound)
		w.b.do(http.MethodGet, "/v1/certifications/"+w.aRejected+"/history", nil).problem(http.StatusNotFound)
		w.analyst.do(http.MethodGet, "/v1/vendors/"+w.aID+"/history", nil).problem(http.StatusForbidden)
	})
}

func uuidOf(t *testing.T, s string) uuid.UUID {
	t.Helper()
	id, err := uuid.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return id
}
