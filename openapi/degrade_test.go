package openapi_test

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/url"
	"sync"
	"testing"

	"github.com/cybermarket/cybermarket/catalog"
	"github.com/cybermarket/cybermarket/catalog/catalogtest"
	"github.com/cybermarket/cybermarket/compliance"
	"github.com/cybermarket/cybermarket/compliance/refstore"
	"github.com/cybermarket/cybermarket/openapi"
)

// tcpProxy forwards a loopback port to target until cut, which refuses new
// connections and breaks the open ones, as a database that died would.
type tcpProxy struct {
	ln    net.Listener
	mu    sync.Mutex
	conns []net.Conn
}

func newTCPProxy(t *testing.T, target string) *tcpProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &tcpProxy{ln: ln}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			u, err := net.Dial("tcp", target)
			if err != nil {
				c.Close()
				continue
			}
			p.mu.Lock()
			p.conns = append(p.conns, c, u)
			p.mu.Unlock()
			go func() { _, _ = io.Copy(u, c); u.Close() }()
			go func() { _, _ = io.Copy(c, u); c.Close() }()
		}
	}()
	t.Cleanup(p.cut)
	return p
}

func (p *tcpProxy) cut() {
	p.ln.Close()
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range p.conns {
		c.Close()
	}
}

// TestAPI_DatabaseDown: with PostgreSQL gone, /healthz still answers, what
// needs the database answers 503 with Retry-After and a problem, and keys
// on public reads fall back to anonymous visibility (never wider).
func TestAPI_DatabaseDown(t *testing.T) {
	t.Parallel()
	_, dbURL := catalogtest.NewStore(t)
	u, err := url.Parse(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	proxy := newTCPProxy(t, u.Host)
	u.Host = proxy.ln.Addr().String()
	store, err := catalog.Open(context.Background(), u.String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(store.Close)
	live, err := compliance.OpenLive(context.Background(), refstore.New(store.Pool()))
	if err != nil {
		t.Fatal(err)
	}
	c := &client{t: t, store: store, h: openapi.New(openapi.Deps{Catalog: store, Compliance: live, Requirements: refstore.New(store.Pool()), Limits: noLimits,
		Checks: map[string]func(context.Context) error{"postgres": store.Ping}})}
	admin := c.key(catalog.RoleAdmin, "")
	c.as(admin).do(http.MethodGet, "/v1/vendors", nil).want(http.StatusOK)

	proxy.cut()
	for _, tc := range []struct {
		name, method, path, token string
		want                      int
	}{
		{"liveness", "GET", "/healthz", "", http.StatusOK},
		{"liveness with a key", "GET", "/healthz", admin, http.StatusOK},
		{"reference data from memory, with a key", "GET", "/v1/categories", admin, http.StatusOK},
		{"readiness", "GET", "/readyz", "", http.StatusServiceUnavailable},
		{"list vendors", "GET", "/v1/vendors", "", http.StatusServiceUnavailable},
		{"list vendors with a key", "GET", "/v1/vendors", admin, http.StatusServiceUnavailable},
		{"admin write", "POST", "/v1/keys", admin, http.StatusServiceUnavailable},
		{"audit (staff only)", "GET", "/v1/audit", admin, http.StatusServiceUnavailable},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := &client{t: t, h: c.h, token: tc.token}
			var body any
			if tc.method == "POST" {
				body = `{"name":"k","role":"analyst"}`
			}
			r := c.do(tc.method, tc.path, body)
			if tc.want == http.StatusOK {
				r.want(http.StatusOK)
				if tc.token != "" && r.Header().Get("Warning") == "" {
					t.Error("a key served as anonymous without a Warning")
				}
				return
			}
			r.problem(tc.want)
			if r.Header().Get("Retry-After") == "" {
				t.Errorf("503 without Retry-After: %s", r.Body.String())
			}
		})
	}
}
