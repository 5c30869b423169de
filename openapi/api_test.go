package openapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/cybermarket/cybermarket/catalog"
	"github.com/cybermarket/cybermarket/catalog/catalogtest"
	"github.com/cybermarket/cybermarket/compliance"
	"github.com/cybermarket/cybermarket/compliance/refstore"
	"github.com/cybermarket/cybermarket/compliance/refstore/refstoretest"
	"github.com/cybermarket/cybermarket/openapi"
)

func TestMain(m *testing.M) {
	os.Exit(catalogtest.Main(m, refstoretest.Seed))
}

// client drives the full handler (middleware included) in process.
type client struct {
	t     *testing.T
	h     http.Handler
	store *catalog.Store
	// token is sent as the bearer key of every request unless empty; a
	// request's own Authorization header wins.
	token string
}

// noLimits lifts the rate limits for tests that are not about them.
var noLimits = openapi.Limits{Address: openapi.Unlimited, Key: openapi.Unlimited,
	AuthFailure: openapi.Unlimited, Registration: openapi.Unlimited}

// newClient returns a client of a handler on a fresh database, acting with
// an admin key (c.as and c.anonymous act otherwise).
func newClient(t *testing.T) *client {
	t.Helper()
	return newClientWith(t, noLimits)
}

func newClientWith(t *testing.T, limits openapi.Limits) *client {
	t.Helper()
	store, _ := catalogtest.NewStore(t)
	live, err := compliance.OpenLive(context.Background(), refstore.New(store.Pool()))
	if err != nil {
		t.Fatal(err)
	}
	h := openapi.New(openapi.Deps{
		Catalog:      store,
		Compliance:   live,
		Requirements: refstore.New(store.Pool()),
		Checks:       map[string]func(context.Context) error{"postgres": store.Ping},
		Limits:       limits,
	})
	c := &client{t: t, h: h, store: store}
	c.token = c.key(catalog.RoleAdmin, "")
	return c
}

// key makes an API key in the store, as the CLI does, and returns its token.
func (c *client) key(role catalog.Role, vendorID string, expires ...time.Time) string {
	c.t.Helper()
	k := catalog.APIKey{Name: "test " + string(role), Role: role}
	if vendorID != "" {
		k.VendorID = uuid.MustParse(vendorID)
	}
	if len(expires) > 0 {
		k.ExpiresAt = &expires[0]
	}
	ctx := catalog.WithActor(context.Background(), catalog.Actor{ID: "test", Role: "system"})
	_, token, err := c.store.CreateKey(ctx, k)
	if err != nil {
		c.t.Fatal(err)
	}
	return token
}

// as returns a client acting with token ("" for anonymous).
func (c *client) as(token string) *client {
	cp := *c
	cp.token = token
	return &cp
}

// anonymous returns a client acting without a key.
func (c *client) anonymous() *client { return c.as("") }

// response is a recorded response with helpers to read it.
type response struct {
	*httptest.ResponseRecorder
	t *testing.T
}

func (c *client) do(method, path string, body any, header ...string) response {
	c.t.Helper()
	var r io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		r = strings.NewReader(b)
	case []byte:
		r = bytes.NewReader(b)
	default:
		data, err := json.Marshal(b)
		if err != nil {
			c.t.Fatal(err)
		}
		r = bytes.NewReader(data)
	}
	req := httptest.NewRequest(method, path, r)
	if r != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	c.h.ServeHTTP(rec, req)
	return response{rec, c.t}
}

// decode reads the JSON body into v.
func (r response) decode(v any) {
	r.t.Helper()
	if err := json.Unmarshal(r.Body.Bytes(), v); err != nil {
		r.t.Fatalf("decoding %q: %v", r.Body.String(), err)
	}
}

// want fails the test unless the status is code.
func (r response) want(code int) response {
	r.t.Helper()
	if r.Code != code {
		r.t.Fatalf("status %d, want %d: %s", r.Code, code, r.Body.String())
	}
	return r
}

// problem is an RFC 9457 problem as huma writes it.
type problem struct {
	Title    string `json:"title"`
	Status   int    `json:"status"`
	Detail   string `json:"detail"`
	Instance string `json:"instance"`
	Errors   []struct {
		Message  string `json:"message"`
		Location string `json:"location"`
		Value    any    `json:"value"`
	} `json:"errors"`
}

// problem checks the response is a problem document with status code and
// returns it.
func (r response) problem(code int) problem {
	r.t.Helper()
	r.want(code)
	if ct := r.Header().Get("Content-Type"); ct != "application/problem+json" {
		r.t.Errorf("content type %q, want application/problem+json", ct)
	}
	var p problem
	r.decode(&p)
	if p.Status != code || p.Title == "" {
		r.t.Errorf("problem %+v lacks status or title", p)
	}
	if !strings.HasPrefix(p.Instance, "urn:request:") || r.Header().Get("X-Request-Id") == "" {
		r.t.Errorf("problem instance %q and X-Request-Id %q should carry the request id", p.Instance, r.Header().Get("X-Request-Id"))
	}
	return p
}

// names reports whether p rejects the value at location, with a reason.
func (p problem) names(location string) bool {
	for _, e := range p.Errors {
		if e.Location == location && e.Message != "" {
			return true
		}
	}
	return false
}

func (p problem) locations() []string {
	var out []string
	for _, e := range p.Errors {
		out = append(out, e.Location+": "+e.Message)
	}
	return out
}
