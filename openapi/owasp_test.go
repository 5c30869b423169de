package openapi_test

// The OWASP API Security Top 10 (2023), item by item, against the full
// handler on a real database. Each test names the item it walks; items that
// do not apply say why in a test that pins down the reason.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/cybermarket/cybermarket/catalog"
	"github.com/cybermarket/cybermarket/openapi"
)

// operation is one operation of the served spec.
type operation struct {
	Method, Path, ID string
	Security         []map[string][]string
}

// anonymous reports whether callers without a key may call it.
func (o operation) anonymous() bool {
	for _, req := range o.Security {
		if len(req) == 0 {
			return true
		}
	}
	return false
}

// roles lists the roles whose keys may call it.
func (o operation) roles() []string {
	for _, req := range o.Security {
		if r, ok := req["bearer"]; ok {
			return r
		}
	}
	return nil
}

// concrete fills the path parameters with values of the right shape.
func (o operation) concrete() string {
	return regexp.MustCompile(`\{[^}]+\}`).ReplaceAllStringFunc(o.Path, func(p string) string {
		if p == "{code}" {
			return "DE"
		}
		return uuid.NewString()
	})
}

func operations(c *client) []operation {
	c.t.Helper()
	var spec struct {
		Paths map[string]map[string]struct {
			OperationID string                `json:"operationId"`
			Security    []map[string][]string `json:"security"`
		} `json:"paths"`
	}
	c.anonymous().do(http.MethodGet, "/openapi.json", nil).want(http.StatusOK).decode(&spec)
	var ops []operation
	for path, item := range spec.Paths {
		for method, op := range item {
			ops = append(ops, operation{Method: strings.ToUpper(method), Path: path, ID: op.OperationID, Security: op.Security})
		}
	}
	slices.SortFunc(ops, func(a, b operation) int { return strings.Compare(a.ID, b.ID) })
	if len(ops) < 40 {
		c.t.Fatalf("only %d operations in the spec", len(ops))
	}
	return ops
}

// API1:2023 Broken Object Level Authorization. Every operation a vendor key
// may call on objects is tried by vendor B on vendor A's objects: refused
// with 403 where A's object is public and 404 where it is hidden, and
// nothing changes. The table must cover every such operation in the spec.
func TestOWASP_API1_ObjectLevelAuthorization(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	type attempt struct {
		method, path string
		body         any
		want         int
	}
	cert := validCertification()
	var aHook struct{ ID string }
	w.a.do(http.MethodPost, "/v1/webhooks", obj{"url": "https://hooks.example.org/a"}).want(http.StatusCreated).decode(&aHook)
	cases := map[string][]attempt{
		// Webhooks are the key's own: another key's do not exist for B.
		"delete-webhook":          {{"DELETE", "/v1/webhooks/" + aHook.ID, nil, 404}},
		"enable-webhook":          {{"POST", "/v1/webhooks/" + aHook.ID + "/enable", nil, 404}},
		"list-webhook-deliveries": {{"GET", "/v1/webhooks/" + aHook.ID + "/deliveries", nil, 404}},
		"replace-vendor":          {{"PUT", "/v1/vendors/" + w.aID, validVendor("DE600000004"), 403}, {"PUT", "/v1/vendors/" + w.pID, validVendor("NL123456782B01"), 404}},
		"update-vendor":           {{"PATCH", "/v1/vendors/" + w.aID, obj{"trading_name": "Mine now"}, 403}, {"PATCH", "/v1/vendors/" + w.pID, obj{"trading_name": "Mine"}, 404}},
		"delete-vendor":           {{"DELETE", "/v1/vendors/" + w.aID, nil, 403}, {"DELETE", "/v1/vendors/" + w.pID, nil, 404}},
		"create-offering": {{"POST", "/v1/vendors/" + w.aID + "/offerings", validOffering(), 403},
			{"POST", "/v1/vendors/" + w.pID + "/offerings", validOffering(), 404}},
		"create-certification": {{"POST", "/v1/vendors/" + w.aID + "/certifications", cert, 403},
			{"POST", "/v1/vendors/" + w.pID + "/certifications", cert, 404}},
		"replace-offering": {{"PUT", "/v1/offerings/" + w.aPublished, validOffering(), 403}, {"PUT", "/v1/offerings/" + w.aDraft, validOffering(), 404},
			{"PUT", "/v1/offerings/" + w.pPublished, validOffering(), 404}},
		"update-offering":   {{"PATCH", "/v1/offerings/" + w.aPublished, obj{"name": "x"}, 403}, {"PATCH", "/v1/offerings/" + w.aDraft, obj{"name": "x"}, 404}},
		"withdraw-offering": {{"POST", "/v1/offerings/" + w.aPublished + "/withdraw", nil, 403}, {"POST", "/v1/offerings/" + w.aDraft + "/withdraw", nil, 404}},
		"replace-certification": {{"PUT", "/v1/certifications/" + w.aCert, cert, 403},
			{"PUT", "/v1/certifications/" + w.aRejected, cert, 404}},
		"update-certification": {{"PATCH", "/v1/certifications/" + w.aCert, obj{"scope": "x"}, 403},
			{"PATCH", "/v1/certifications/" + w.aRejected, obj{"scope": "x"}, 404}},
		"withdraw-certification": {{"POST", "/v1/certifications/" + w.aCert + "/withdraw", nil, 403},
			{"POST", "/v1/certifications/" + w.aRejected + "/withdraw", nil, 404}},
		"create-key": {{"POST", "/v1/keys", obj{"name": "x", "role": "vendor", "vendor_id": w.aID}, 403}},
		// Keys are never public: another vendor's key does not exist for B.
		"get-key":    {{"GET", "/v1/keys/" + w.aKeyID, nil, 404}},
		"revoke-key": {{"POST", "/v1/keys/" + w.aKeyID + "/revoke", nil, 404}},
		// Histories hold contact details and drafts: the owner's and staff's only.
		"get-vendor-history":        {{"GET", "/v1/vendors/" + w.aID + "/history", nil, 403}, {"GET", "/v1/vendors/" + w.pID + "/history", nil, 404}},
		"get-offering-history":      {{"GET", "/v1/offerings/" + w.aPublished + "/history", nil, 403}, {"GET", "/v1/offerings/" + w.aDraft + "/history", nil, 404}},
		"get-certification-history": {{"GET", "/v1/certifications/" + w.aCert + "/history", nil, 403}, {"GET", "/v1/certifications/" + w.aRejected + "/history", nil, 404}},
	}
	// A project is its buyer's and staff's only: another vendor's key and
	// another buyer's key both get 404 on everything about it.
	project := "/v1/projects/" + w.xProject
	projectCases := map[string][]attempt{
		"get-project":          {{"GET", project, nil, 404}},
		"save-search":          {{"POST", project + "/searches", obj{"query": "x"}, 404}},
		"shortlist-offering":   {{"PUT", project + "/shortlist/" + w.aPublished, obj{"decision": "excluded", "note": "x"}, 404}},
		"unshortlist-offering": {{"DELETE", project + "/shortlist/" + w.aPublished, nil, 404}},
		"lock-project":         {{"POST", project + "/lock", nil, 404}},
		"export-project":       {{"GET", project + "/export?format=json", nil, 404}},
		"record-outcome":       {{"POST", project + "/outcome", obj{"awarded": false, "reason": "x"}, 404}},
	}
	maps.Copy(cases, projectCases)
	// Operations vendor keys may call that act on no other vendor's object,
	// each checked below.
	ownOnly := map[string]bool{"list-keys": true, "get-current-key": true, "create-webhook": true, "list-webhooks": true, "list-projects": true}

	for _, op := range operations(w.admin) {
		if !slices.Contains(op.roles(), "vendor") || op.Method == http.MethodGet && op.anonymous() {
			continue // vendor keys may not call it (API5 checks), or it is a public read (visibility tests)
		}
		if _, ok := cases[op.ID]; !ok && !ownOnly[op.ID] && !op.anonymous() {
			t.Errorf("%s %s (%s) is open to vendor keys but has no cross-vendor case here", op.Method, op.Path, op.ID)
		}
	}

	before := w.admin.auditCount()
	versions := func() string {
		var out []string
		for _, path := range []string{"/v1/vendors/" + w.aID, "/v1/vendors/" + w.pID, "/v1/offerings/" + w.aPublished,
			"/v1/offerings/" + w.aDraft, "/v1/certifications/" + w.aCert, "/v1/certifications/" + w.aRejected, project} {
			out = append(out, w.admin.do(http.MethodGet, path, nil).want(http.StatusOK).Header().Get("ETag"))
		}
		return strings.Join(out, " ")
	}
	was := versions()
	for id, attempts := range cases {
		for _, a := range attempts {
			t.Run(id+" "+a.path, func(t *testing.T) {
				r := w.b.do(a.method, a.path, a.body, "If-Match", `"1"`)
				if p := r.problem(a.want); p.Instance != "urn:request:"+r.Header().Get("X-Request-Id") {
					t.Errorf("the problem's instance %s is not this request's", p.Instance)
				}
			})
		}
	}
	for id, attempts := range projectCases {
		for _, a := range attempts {
			t.Run("another buyer: "+id, func(t *testing.T) {
				w.y.do(a.method, a.path, a.body, "If-Match", `"1"`).problem(a.want)
			})
		}
	}
	if now := versions(); now != was {
		t.Errorf("A's objects changed: versions %s -> %s", was, now)
	}
	if after := w.admin.auditCount(); after != before {
		t.Errorf("refused writes left %d audit events", after-before)
	}

	t.Run("list-keys shows only the caller's vendor's keys", func(t *testing.T) {
		var list struct {
			Items []struct {
				VendorID string `json:"vendor_id"`
			} `json:"items"`
		}
		w.b.do(http.MethodGet, "/v1/keys?vendor_id="+w.aID, nil).want(http.StatusOK).decode(&list)
		for _, k := range list.Items {
			if k.VendorID != w.bID {
				t.Errorf("B lists a key of vendor %s", k.VendorID)
			}
		}
	})
	t.Run("get-current-key is the caller's own", func(t *testing.T) {
		var k struct {
			VendorID string `json:"vendor_id"`
		}
		w.b.do(http.MethodGet, "/v1/keys/current", nil).want(http.StatusOK).decode(&k)
		if k.VendorID != w.bID {
			t.Errorf("B's current key belongs to %s", k.VendorID)
		}
	})
	t.Run("list-projects shows only the caller's buyer's projects", func(t *testing.T) {
		for who, k := range map[string]*client{"vendor B": w.b, "buyer Y": w.y} {
			var list struct{ Items []struct{ ID string } }
			k.do(http.MethodGet, "/v1/projects", nil).want(http.StatusOK).decode(&list)
			if len(list.Items) != 0 {
				t.Errorf("%s lists %v", who, list.Items)
			}
		}
	})
	t.Run("the owner itself may", func(t *testing.T) {
		w.a.do(http.MethodPatch, "/v1/vendors/"+w.aID, obj{"trading_name": "Own change"}).want(http.StatusOK)
		w.a.do(http.MethodPatch, "/v1/offerings/"+w.aDraft, obj{"name": "Own draft"}).want(http.StatusOK)
	})
}

// API2:2023 Broken Authentication: missing, malformed, unknown, forged,
// revoked and expired keys; keys only in the Authorization header; tokens
// never in logs.
func TestOWASP_API2_BrokenAuthentication(t *testing.T) {
	t.Parallel()
	var logs bytes.Buffer
	c := newClient(t)
	c.h = openapi.New(openapi.Deps{Catalog: c.store, Logger: slog.New(slog.NewJSONHandler(&logs, nil)), Limits: noLimits})
	vendorID, token := c.register("DE640000009")
	path := "/v1/vendors/" + vendorID
	patch := obj{"trading_name": "x"}

	revoked := c.key(catalog.RoleAdmin, "")
	var current struct{ ID string }
	c.as(revoked).do(http.MethodGet, "/v1/keys/current", nil).want(http.StatusOK).decode(&current)
	c.do(http.MethodPost, "/v1/keys/"+current.ID+"/revoke", nil).want(http.StatusOK)
	expired := c.key(catalog.RoleAdmin, "", time.Now().Add(time.Hour))
	if _, err := c.store.Pool().Exec(context.Background(), `UPDATE api_keys SET expires_at = now() - interval '1 second' WHERE expires_at IS NOT NULL`); err != nil {
		t.Fatal(err)
	}
	forged := token[:len(token)-4] + "AAAA"
	if forged == token {
		forged = token[:len(token)-4] + "BBBB"
	}

	for _, tc := range []struct{ name, header, challenge string }{
		{"missing", "", `Bearer realm="cybermarket"`},
		{"not bearer", "Basic " + token, `error="invalid_request"`},
		{"bearer without token", "Bearer ", `error="invalid_request"`},
		{"malformed", "Bearer not-a-key", `error="invalid_token"`},
		{"forged secret", "Bearer " + forged, `error="invalid_token"`},
		{"unknown id", "Bearer cm_" + strings.Repeat("a", 32) + token[len(token)-44:], `error="invalid_token"`},
		{"revoked", "Bearer " + revoked, `error="invalid_token"`},
		{"expired", "Bearer " + expired, `error="invalid_token"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := c.anonymous().do(http.MethodPatch, path, patch, "Authorization", tc.header)
			r.problem(http.StatusUnauthorized)
			if ch := r.Header().Get("WWW-Authenticate"); !strings.HasPrefix(ch, "Bearer") || !strings.Contains(ch, tc.challenge) {
				t.Errorf("WWW-Authenticate %q, want %q", ch, tc.challenge)
			}
		})
	}
	t.Run("a bad key is refused on public reads too, not downgraded to anonymous", func(t *testing.T) {
		c.as(forged).do(http.MethodGet, "/v1/vendors", nil).problem(http.StatusUnauthorized)
	})
	t.Run("keys are read from the Authorization header only", func(t *testing.T) {
		for _, q := range []string{"?api_key=", "?access_token=", "?token="} {
			c.anonymous().do(http.MethodPatch, path+q+token, patch).problem(http.StatusUnauthorized)
		}
		c.anonymous().do(http.MethodPatch, path, patch, "X-API-Key", token).problem(http.StatusUnauthorized)
	})
	t.Run("the scheme name is case-insensitive (RFC 9110)", func(t *testing.T) {
		c.anonymous().do(http.MethodPatch, path, patch, "Authorization", "bearer "+token).want(http.StatusOK)
	})
	t.Run("tokens never reach the logs", func(t *testing.T) {
		secret := token[len(token)-43:]
		if strings.Contains(logs.String(), secret) || strings.Contains(logs.String(), forged[len(forged)-43:]) {
			t.Error("a token secret is in the logs")
		}
		if !strings.Contains(logs.String(), `"reason":"revoked"`) {
			t.Error("refused keys are not logged with their reason")
		}
	})
}

// API3:2023 Broken Object Property Level Authorization: no response shows a
// property its caller may not see, and no request sets a property its caller
// may not set (unknown properties are rejected, so a privileged field sent
// by a client fails the request instead of being silently applied).
func TestOWASP_API3_PropertyLevelAuthorization(t *testing.T) {
	t.Parallel()
	w := newWorld(t)

	// hidden are properties only the vendor itself and staff may see, and
	// properties no response may carry at all.
	hidden := []string{"contact", "email", "phone"}
	never := []string{"secret", "secret_hash", "hash", "password"}
	// walk fails for every banned property in v, except inside the object
	// with id own (a vendor sees its own contact details).
	var own string
	var walk func(t *testing.T, where string, v any, banned []string)
	walk = func(t *testing.T, where string, v any, banned []string) {
		switch x := v.(type) {
		case map[string]any:
			if own != "" && x["id"] == own {
				return
			}
			for k, val := range x {
				if slices.Contains(banned, k) {
					t.Errorf("%s shows %q", where, k)
				}
				walk(t, where, val, banned)
			}
		case []any:
			for _, val := range x {
				walk(t, where, val, banned)
			}
		}
	}
	reads := []string{"/v1/vendors", "/v1/vendors/" + w.aID, "/v1/offerings", "/v1/offerings/" + w.aPublished,
		"/v1/certifications", "/v1/certifications/" + w.aCert, "/v1/offerings/" + w.aPublished + "/assessment?country=DE&buyer=public"}

	t.Run("others see no contact details", func(t *testing.T) {
		for name, who := range map[string]*client{"anonymous": w.anon, "another vendor": w.b, "analyst": w.analyst} {
			own = ""
			if who == w.b {
				own = w.bID
			}
			for _, path := range reads {
				var v any
				who.do(http.MethodGet, path, nil).want(http.StatusOK).decode(&v)
				walk(t, name+" GET "+path, v, append(hidden, never...))
			}
		}
		own = ""
	})
	t.Run("the vendor and staff do", func(t *testing.T) {
		for name, who := range map[string]*client{"owner": w.a, "verifier": w.verifier, "admin": w.admin} {
			var v struct{ Contact *struct{ Email string } }
			who.do(http.MethodGet, "/v1/vendors/"+w.aID, nil).want(http.StatusOK).decode(&v)
			if v.Contact == nil || v.Contact.Email == "" {
				t.Errorf("%s does not see A's contact", name)
			}
		}
	})
	t.Run("keys never show secrets, and tokens only when made", func(t *testing.T) {
		for _, path := range []string{"/v1/keys", "/v1/keys/current", "/v1/keys/" + w.aKeyID, "/v1/audit?entity=api_key"} {
			var v any
			w.admin.do(http.MethodGet, path, nil).want(http.StatusOK).decode(&v)
			walk(t, "GET "+path, v, append(never, "token"))
		}
		var v any
		w.admin.do(http.MethodGet, "/v1/vendors/"+w.aID+"/history", nil).want(http.StatusOK).decode(&v)
		walk(t, "vendor history", v, append(never, "token"))
	})
	t.Run("a certification does not reveal the drafts it covers", func(t *testing.T) {
		w.a.do(http.MethodPatch, "/v1/certifications/"+w.aCert, obj{"offering_ids": []string{w.aPublished, w.aDraft}}).want(http.StatusOK)
		var c struct {
			OfferingIDs []string `json:"offering_ids"`
		}
		w.anon.do(http.MethodGet, "/v1/certifications/"+w.aCert, nil).want(http.StatusOK).decode(&c)
		if slices.Contains(c.OfferingIDs, w.aDraft) {
			t.Errorf("the public sees the draft's id in %v", c.OfferingIDs)
		}
	})

	t.Run("mass assignment: privileged properties are refused", func(t *testing.T) {
		now := time.Now().UTC().Format(time.RFC3339)
		privileged := obj{"status": "verified", "verified_by": "myself", "verified_at": now, "status_reason": "trust me"}
		for _, tc := range []struct {
			name, method, path string
			who                *client
			body               obj
			property           string
		}{
			{"vendor status on self-registration", "POST", "/v1/vendors", w.anon, with(validVendor("DE650000019"), "status", "active"), "status"},
			{"vendor status in a bundle", "POST", "/v1/bundles", w.anon, obj{"vendor": with(validVendor("DE650000002"), "status", "active")}, "vendor.status"},
			{"vendor status by PATCH", "PATCH", "/v1/vendors/" + w.pID, w.p, obj{"status": "active"}, "status"},
			{"vendor status by PUT", "PUT", "/v1/vendors/" + w.pID, w.p, with(validVendor("NL123456782B01"), "status", "active"), "status"},
			{"vendor id and version", "PATCH", "/v1/vendors/" + w.aID, w.a, obj{"id": w.bID, "version": 99}, "id"},
			{"offering's vendor", "POST", "/v1/vendors/" + w.aID + "/offerings", w.a, with(validOffering(), "vendor_id", w.bID), "vendor_id"},
			{"offering's vendor by PATCH", "PATCH", "/v1/offerings/" + w.aDraft, w.a, obj{"vendor_id": w.bID}, "vendor_id"},
			{"verification on a new claim", "POST", "/v1/vendors/" + w.aID + "/certifications", w.a, merge(validCertification(), privileged), "status"},
			{"verification by PATCH", "PATCH", "/v1/certifications/" + w.aCert, w.a, privileged, "status"},
			{"verification by PUT", "PUT", "/v1/certifications/" + w.aCert, w.a, merge(validCertification(w.aPublished), privileged), "status"},
			{"verification in a bundle", "POST", "/v1/bundles", w.anon, obj{"vendor": validVendor("DE650000035"), "certifications": []obj{merge(validCertification(), privileged)}}, "certifications[0].status"},
			{"a key's creator and vendor", "POST", "/v1/keys", w.a, obj{"name": "x", "role": "vendor", "created_by": "admin"}, "created_by"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				before := w.admin.auditCount()
				p := tc.who.do(tc.method, tc.path, tc.body, "If-Match", `"1"`).problem(http.StatusUnprocessableEntity)
				found := false
				for _, e := range p.Errors {
					if strings.Contains(e.Location+" "+e.Message, tc.property) {
						found = true
					}
				}
				if !found {
					t.Errorf("the problem does not name %s: %v", tc.property, p.locations())
				}
				if w.admin.auditCount() != before {
					t.Error("the refused request wrote something")
				}
			})
		}
		var v struct{ Status string }
		w.admin.do(http.MethodGet, "/v1/vendors/"+w.pID, nil).want(http.StatusOK).decode(&v)
		var c struct{ Status string }
		w.admin.do(http.MethodGet, "/v1/certifications/"+w.aCert, nil).want(http.StatusOK).decode(&c)
		if v.Status != "pending" || c.Status != "self-declared" {
			t.Errorf("after the attempts: vendor %s, certification %s", v.Status, c.Status)
		}
	})
}

func merge(a, b obj) obj {
	out := with(a, "scheme", a["scheme"])
	for k, v := range b {
		out[k] = v
	}
	return out
}

// API4:2023 Unrestricted Resource Consumption: body size, page size, array
// sizes, request time, and rate limits per address and per key with 429 and
// Retry-After.
func TestOWASP_API4_ResourceConsumption(t *testing.T) {
	t.Parallel()

	t.Run("bodies over 1 MiB are refused", func(t *testing.T) {
		c := newClient(t)
		huge := `{"vendor":{"legal_name":"` + strings.Repeat("a", openapi.MaxBodyBytes) + `"}}`
		c.do(http.MethodPost, "/v1/bundles", huge).problem(http.StatusRequestEntityTooLarge)
		c.anonymous().do(http.MethodPost, "/v1/vendors", huge).problem(http.StatusRequestEntityTooLarge)
	})
	t.Run("pages and lists are bounded", func(t *testing.T) {
		c := newClient(t)
		for _, path := range []string{"/v1/vendors?limit=201", "/v1/offerings?limit=100000", "/v1/audit?limit=201", "/v1/keys?limit=0"} {
			c.do(http.MethodGet, path, nil).problem(http.StatusUnprocessableEntity)
		}
		many := make([]string, 201)
		for i := range many {
			many[i] = uuid.NewString()
		}
		v := c.createVendor("DE660000006")
		p := c.do(http.MethodPost, "/v1/vendors/"+v.ID+"/certifications", with(validCertification(), "offering_ids", many)).problem(http.StatusUnprocessableEntity)
		if !p.names("body.offering_ids") {
			t.Errorf("names %v", p.locations())
		}
	})
	t.Run("per-address limit for anonymous callers", func(t *testing.T) {
		c := newClientWith(t, openapi.Limits{Address: openapi.Rate{Per: time.Hour, Burst: 3}})
		for range 3 {
			c.anonymous().do(http.MethodGet, "/v1/vendors", nil).want(http.StatusOK)
		}
		r := c.anonymous().do(http.MethodGet, "/v1/vendors", nil)
		r.problem(http.StatusTooManyRequests)
		if ra := r.Header().Get("Retry-After"); ra == "" || ra == "0" {
			t.Errorf("Retry-After %q", ra)
		}
		// A keyed caller at the same address has a bucket of its own.
		c.do(http.MethodGet, "/v1/vendors", nil).want(http.StatusOK)
	})
	t.Run("per-key limit", func(t *testing.T) {
		c := newClientWith(t, openapi.Limits{Key: openapi.Rate{Per: time.Hour, Burst: 2}})
		other := c.as(c.key(catalog.RoleAnalyst, ""))
		c.do(http.MethodGet, "/v1/vendors", nil).want(http.StatusOK)
		c.do(http.MethodGet, "/v1/vendors", nil).want(http.StatusOK)
		r := c.do(http.MethodGet, "/v1/vendors", nil)
		r.problem(http.StatusTooManyRequests)
		if ra := r.Header().Get("Retry-After"); ra == "" {
			t.Error("no Retry-After")
		}
		other.do(http.MethodGet, "/v1/vendors", nil).want(http.StatusOK)
	})
	t.Run("guessing keys is throttled before the database", func(t *testing.T) {
		c := newClientWith(t, openapi.Limits{AuthFailure: openapi.Rate{Per: time.Hour, Burst: 2}})
		bad := c.as("cm_" + strings.Repeat("b", 32) + "_" + strings.Repeat("A", 43))
		bad.do(http.MethodGet, "/v1/vendors", nil).problem(http.StatusUnauthorized)
		bad.do(http.MethodGet, "/v1/vendors", nil).problem(http.StatusUnauthorized)
		r := bad.do(http.MethodGet, "/v1/vendors", nil)
		r.problem(http.StatusTooManyRequests)
		if r.Header().Get("Retry-After") == "" {
			t.Error("no Retry-After")
		}
	})
	t.Run("requests have a time limit", func(t *testing.T) {
		c := newClientWith(t, openapi.Limits{RequestTimeout: time.Nanosecond})
		r := c.anonymous().do(http.MethodGet, "/v1/vendors", nil)
		p := r.problem(http.StatusServiceUnavailable)
		if strings.Contains(strings.ToLower(r.Body.String()), "context") {
			t.Errorf("503 leaks internals: %s", p.Detail)
		}
	})
	t.Run("a vendor cannot mint keys without end", func(t *testing.T) {
		c := newClient(t)
		id, token := c.register("DE660000022")
		v := c.as(token)
		for range catalog.MaxVendorKeys - 1 {
			v.do(http.MethodPost, "/v1/keys", obj{"name": "k", "role": "vendor"}).want(http.StatusCreated)
		}
		v.do(http.MethodPost, "/v1/keys", obj{"name": "k", "role": "vendor", "vendor_id": id}).problem(http.StatusConflict)
	})
}

// API5:2023 Broken Function Level Authorization, driven by the spec: every
// operation that needs a key refuses anonymous callers with 401, and every
// operation refuses the roles its security requirement does not list with
// 403, before any handler runs.
func TestOWASP_API5_FunctionLevelAuthorization(t *testing.T) {
	t.Parallel()
	c := newClient(t)
	vendorID, vendorToken := c.register("DE670000000")
	keys := map[string]*client{
		"vendor":   c.as(vendorToken),
		"analyst":  c.as(c.key(catalog.RoleAnalyst, "")),
		"verifier": c.as(c.key(catalog.RoleVerifier, "")),
	}
	before := c.auditCount()
	checked := 0
	for _, op := range operations(c) {
		path := op.concrete()
		if !op.anonymous() {
			checked++
			r := c.anonymous().do(op.Method, path, obj{})
			r.problem(http.StatusUnauthorized)
			if r.Header().Get("WWW-Authenticate") == "" {
				t.Errorf("%s: 401 without WWW-Authenticate", op.ID)
			}
		}
		roles := op.roles()
		if op.anonymous() && len(roles) == len(catalog.Roles) {
			continue // a public operation every key may call
		}
		for role, who := range keys {
			if !slices.Contains(roles, role) {
				checked++
				if r := who.do(op.Method, path, obj{}); r.Code != http.StatusForbidden {
					t.Errorf("%s %s (%s) as %s: %d, want 403: %s", op.Method, op.Path, op.ID, role, r.Code, r.Body.String())
				}
			}
		}
	}
	if checked < 40 {
		t.Errorf("only %d refusals checked", checked)
	}
	if c.auditCount() != before {
		t.Error("a refused call wrote something")
	}

	t.Run("the admin-only routes by name", func(t *testing.T) {
		v := keys["vendor"]
		v.do(http.MethodGet, "/v1/audit", nil).problem(http.StatusForbidden)
		v.do(http.MethodPost, "/v1/vendors/"+vendorID+"/approve", nil).problem(http.StatusForbidden)
		v.do(http.MethodPost, "/v1/vendors", validVendor("DE670000026")).problem(http.StatusForbidden)
		keys["verifier"].do(http.MethodPost, "/v1/keys", obj{"name": "x", "role": "admin"}).problem(http.StatusForbidden)
		keys["verifier"].do(http.MethodPatch, "/v1/vendors/"+vendorID, obj{"trading_name": "x"}).problem(http.StatusForbidden)
	})
}

// API6:2023 Unrestricted Access to Sensitive Business Flows. The sensitive
// flows here are self-registration (each one makes a vendor and a key) and
// admission to the public catalogue. Registrations are rate-limited per
// client address, counting only the ones that succeed; spoofed
// X-Forwarded-For does not reset the count unless the peer is a trusted
// proxy; admission is a staff action (API5 and TestAPI_SelfRegistration).
func TestOWASP_API6_SensitiveBusinessFlows(t *testing.T) {
	t.Parallel()
	limits := noLimits
	limits.Registration = openapi.Rate{Per: time.Hour, Burst: 2}

	t.Run("self-registration per address", func(t *testing.T) {
		c := newClientWith(t, limits)
		anon := c.anonymous()
		anon.do(http.MethodPost, "/v1/vendors", validVendor("DE680000118")).want(http.StatusCreated)
		anon.do(http.MethodPost, "/v1/vendors", validVendor("DE68")).problem(http.StatusUnprocessableEntity) // does not count
		anon.do(http.MethodPost, "/v1/bundles", obj{"vendor": validVendor("DE680000020")}).want(http.StatusCreated)
		r := anon.do(http.MethodPost, "/v1/vendors", validVendor("DE680000003"), "X-Forwarded-For", "198.51.100.7")
		r.problem(http.StatusTooManyRequests)
		if r.Header().Get("Retry-After") == "" {
			t.Error("no Retry-After")
		}
		c.do(http.MethodPost, "/v1/vendors", validVendor("DE680000046")).want(http.StatusCreated) // admins are not limited
	})
	t.Run("behind a trusted proxy the forwarded address counts", func(t *testing.T) {
		trusted := limits
		trusted.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("192.0.2.0/24")} // httptest's peer address
		c := newClientWith(t, trusted)
		anon := c.anonymous()
		for i, vat := range []string{"DE680000011", "DE680000126"} {
			anon.do(http.MethodPost, "/v1/vendors", validVendor(vat), "X-Forwarded-For", fmt.Sprintf("203.0.113.%d, 192.0.2.9", i)).want(http.StatusCreated)
		}
		anon.do(http.MethodPost, "/v1/vendors", validVendor("DE680000038"), "X-Forwarded-For", "203.0.113.200").want(http.StatusCreated)
		anon.do(http.MethodPost, "/v1/vendors", validVendor("DE680000142"), "X-Forwarded-For", "203.0.113.200").want(http.StatusCreated)
		anon.do(http.MethodPost, "/v1/vendors", validVendor("DE680000054"), "X-Forwarded-For", "203.0.113.200").problem(http.StatusTooManyRequests)
		// The client cannot prepend its way out: only the last untrusted hop counts.
		anon.do(http.MethodPost, "/v1/vendors", validVendor("DE680000062"), "X-Forwarded-For", "10.9.9.9, 203.0.113.200").problem(http.StatusTooManyRequests)
	})
}

// API7:2023 Server Side Request Forgery. The service takes URLs from clients
// (evidence_url, website) but never fetches them: verifiers open evidence
// themselves. This pins that down: a certification whose evidence points at
// a server we watch is created, verified, read and listed, and the server is
// never called. The packages that serve requests make no outbound HTTP.
func TestOWASP_API7_ServerSideRequestForgery(t *testing.T) {
	t.Parallel()
	var hits atomic.Int32
	internal := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	defer internal.Close()
	c := newClient(t)
	v := c.createVendor("DE690000007")
	var cert created
	c.do(http.MethodPost, "/v1/vendors/"+v.ID+"/certifications", with(validCertification(), "evidence_url", internal.URL+"/admin")).
		want(http.StatusCreated).decode(&cert)
	c.do(http.MethodPatch, "/v1/vendors/"+v.ID, obj{"website": internal.URL + "/metadata"}).want(http.StatusOK)
	c.do(http.MethodPost, "/v1/certifications/"+cert.ID+"/verify", nil).want(http.StatusOK)
	c.do(http.MethodGet, "/v1/certifications/"+cert.ID, nil).want(http.StatusOK)
	c.do(http.MethodGet, "/v1/certifications?vendor_id="+v.ID, nil).want(http.StatusOK)
	time.Sleep(50 * time.Millisecond)
	if n := hits.Load(); n != 0 {
		t.Errorf("the service fetched a client-supplied URL %d times", n)
	}
	for _, f := range goFiles(t, "catalog", "openapi", "compliance", "cmd") {
		for _, call := range []string{"http.Get(", "http.Post(", "http.DefaultClient", "http.Client{", "http.NewRequest"} {
			if strings.Contains(f.src, call) {
				t.Errorf("%s makes outbound HTTP requests (%s)", f.path, call)
			}
		}
	}
}

// API8:2023 Security Misconfiguration: security headers on every API
// response, no CORS for other origins, no internals in errors, sane
// answers to unexpected methods. (Hidden 500s: TestAPI_UnknownErrorsAreHidden.)
func TestOWASP_API8_SecurityMisconfiguration(t *testing.T) {
	t.Parallel()
	c := newClient(t)
	for _, path := range []string{"/v1/vendors", "/v1/vendors/" + uuid.NewString(), "/openapi.json", "/healthz"} {
		r := c.anonymous().do(http.MethodGet, path, nil, "Origin", "https://evil.example")
		for header, want := range map[string]string{
			"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY", "Referrer-Policy": "no-referrer",
		} {
			if got := r.Header().Get(header); got != want {
				t.Errorf("%s: %s %q, want %q", path, header, got, want)
			}
		}
		if csp := r.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors 'none'") {
			t.Errorf("%s: CSP %q", path, csp)
		}
		if strings.HasPrefix(path, "/v1/") && r.Header().Get("Cache-Control") != "no-store" {
			t.Errorf("%s: Cache-Control %q", path, r.Header().Get("Cache-Control"))
		}
		if acao := r.Header().Get("Access-Control-Allow-Origin"); acao != "" {
			t.Errorf("%s: CORS allows %q", path, acao)
		}
		if s := r.Header().Get("Server"); s != "" {
			t.Errorf("%s: Server header %q", path, s)
		}
	}
	t.Run("malformed input gets a problem without internals", func(t *testing.T) {
		for _, body := range []string{`{`, `[]`, `{"legal_name": 5}`, "\x00\xff"} {
			r := c.anonymous().do(http.MethodPost, "/v1/vendors", body)
			if r.Code < 400 || r.Code >= 500 {
				t.Errorf("%q: status %d", body, r.Code)
			}
			for _, leak := range []string{"goroutine", ".go:", "runtime.", "pgx", "panic"} {
				if strings.Contains(r.Body.String(), leak) {
					t.Errorf("%q: the answer leaks %q: %s", body, leak, r.Body.String())
				}
			}
		}
	})
	t.Run("unexpected methods", func(t *testing.T) {
		for _, m := range []string{"TRACE", "CONNECT", "PROPFIND"} {
			if r := c.anonymous().do(m, "/v1/vendors", nil); r.Code != http.StatusMethodNotAllowed && r.Code != http.StatusNotFound && r.Code != http.StatusBadRequest {
				t.Errorf("%s: %d", m, r.Code)
			}
		}
	})
}

// API9:2023 Improper Inventory Management: the spec is the inventory. Every
// operation declares its security requirement and roles; the only writes
// open to anonymous callers are the ones meant to be; the committed spec is
// what the code serves (TestSpecIsCommitted).
func TestOWASP_API9_Inventory(t *testing.T) {
	t.Parallel()
	c := newClient(t)
	anonymousWrites := map[string]bool{"create-vendor": true, "create-bundle": true, "run-what-if": true, "create-buyer": true}
	for _, op := range operations(c) {
		if len(op.Security) == 0 {
			t.Errorf("%s %s (%s) declares no security requirement", op.Method, op.Path, op.ID)
		}
		if len(op.roles()) == 0 && !op.anonymous() {
			t.Errorf("%s (%s) declares no roles", op.ID, op.Path)
		}
		if op.Method != http.MethodGet && op.anonymous() && !anonymousWrites[op.ID] {
			t.Errorf("%s %s (%s) is open to anonymous callers", op.Method, op.Path, op.ID)
		}
		if !strings.HasPrefix(op.Path, "/v1/") && op.Path != "/healthz" && op.Path != "/readyz" {
			t.Errorf("%s is outside /v1", op.Path)
		}
	}
	var spec struct {
		Components struct {
			SecuritySchemes map[string]struct{ Type, Scheme string } `json:"securitySchemes"`
		} `json:"components"`
	}
	c.do(http.MethodGet, "/openapi.json", nil).want(http.StatusOK).decode(&spec)
	if s := spec.Components.SecuritySchemes["bearer"]; s.Type != "http" || s.Scheme != "bearer" {
		t.Errorf("security scheme %+v", spec.Components.SecuritySchemes)
	}
}

// API10:2023 Unsafe Consumption of APIs. At request time the service calls
// no third-party API: reference data is compiled in and checked by its
// loader (package compliance), and Meilisearch is our own index built from
// our database. What it does consume from third parties is vendors' data,
// which it treats as untrusted: links must be http(s), and they are handed
// out, never followed (API7).
func TestOWASP_API10_UnsafeConsumption(t *testing.T) {
	t.Parallel()
	c := newClient(t)
	v := c.createVendor("DE700000001")
	for _, url := range []string{"javascript:alert(1)", "file:///etc/passwd", "data:text/html,<script>x</script>", "gopher://internal:70/"} {
		p := c.do(http.MethodPost, "/v1/vendors/"+v.ID+"/certifications", with(validCertification(), "evidence_url", url)).problem(http.StatusUnprocessableEntity)
		if !p.names("body.evidence_url") {
			t.Errorf("%s: names %v", url, p.locations())
		}
		p = c.do(http.MethodPatch, "/v1/vendors/"+v.ID, obj{"website": url}).problem(http.StatusUnprocessableEntity)
		if !p.names("body.website") {
			t.Errorf("%s: names %v", url, p.locations())
		}
	}
	// Nothing decodes a third party's response at request time.
	for _, f := range goFiles(t, "openapi", "catalog") {
		if strings.Contains(f.src, "resp.Body") || strings.Contains(f.src, "res.Body") {
			t.Errorf("%s reads an HTTP response", f.path)
		}
	}
}

// sanity: the JSON helpers of this file round-trip.
var _ = json.Marshal
