package openapi_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cybermarket/cybermarket/compliance"
	"github.com/cybermarket/cybermarket/compliance/refstore"
	"github.com/cybermarket/cybermarket/openapi"
)

// syncBuffer is a log sink safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// newLoggedClient is newClient with the server's log kept in a buffer.
func newLoggedClient(t *testing.T, limits openapi.Limits) (*client, *syncBuffer) {
	t.Helper()
	c := newClientWith(t, limits)
	live, err := compliance.OpenLive(context.Background(), refstore.New(c.store.Pool()))
	if err != nil {
		t.Fatal(err)
	}
	logs := &syncBuffer{}
	c.h = openapi.New(openapi.Deps{Catalog: c.store, Compliance: live, Requirements: refstore.New(c.store.Pool()), Limits: limits,
		Logger: slog.New(slog.NewJSONHandler(logs, nil))})
	return c, logs
}

// TestAPI_TextRule: NUL, invalid UTF-8 and lone surrogates are refused with
// 422 naming the field, in bodies, queries and paths, and never stored.
func TestAPI_TextRule(t *testing.T) {
	t.Parallel()
	c := newClient(t)
	vendor := func(legalName string) string {
		return `{"legal_name":"` + legalName + `","vat_number":"DE123456788","country":"DE","size":"small","contact":{"email":"a@example.eu"}}`
	}
	for _, tc := range []struct {
		name, method, path, body, location string
	}{
		{"escaped NUL in a body field", "POST", "/v1/vendors", vendor(`Null\u0000GmbH`), "body.legal_name"},
		{"raw invalid UTF-8 in a body field", "POST", "/v1/vendors", vendor("Bad\xffGmbH"), "body.legal_name"},
		{"lone high surrogate", "POST", "/v1/vendors", vendor(`Half\ud800GmbH`), "body.legal_name"},
		{"lone low surrogate", "POST", "/v1/vendors", vendor(`Half\udc00GmbH`), "body.legal_name"},
		{"reversed surrogate pair", "POST", "/v1/vendors", vendor(`\udc00\ud800`), "body.legal_name"},
		{"NUL in a nested field", "POST", "/v1/vendors", strings.Replace(vendor("N"), `"a@example.eu"`, `"a\u0000@example.eu"`, 1), "body.contact.email"},
		{"NUL in a property name", "POST", "/v1/vendors", strings.Replace(vendor("N"), `"size"`, `"si\u0000ze"`, 1), `body.si\u0000ze`},
		{"invalid UTF-8 in a query", "GET", "/v1/offerings?country=%FF", "", "query.country"},
		{"NUL in a query", "GET", "/v1/vendors?country=%00", "", "query.country"},
		{"NUL in a list query", "GET", "/v1/analytics/barriers?category=a%00b", "", "query.category"},
		{"NUL in a path", "GET", "/v1/schemes/iso%00x", "", "path.id"},
		{"invalid UTF-8 in a path", "GET", "/v1/schemes/%C3%28", "", "path.id"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var body any
			if tc.body != "" {
				body = tc.body
			}
			p := c.do(tc.method, tc.path, body).problem(http.StatusUnprocessableEntity)
			if !p.names(tc.location) {
				t.Errorf("names %v, want %s", p.locations(), tc.location)
			}
		})
	}
	// A valid pair and other escapes pass the rule.
	c.do("POST", "/v1/vendors", vendor(`Emoji \ud83d\udd12 \"Lock\" GmbH`)).want(http.StatusCreated)
}

// TestAPI_RouterProblems: what the router refuses is a problem too.
func TestAPI_RouterProblems(t *testing.T) {
	t.Parallel()
	c := newClient(t)
	c.do(http.MethodGet, "/v1/no-such-thing", nil).problem(http.StatusNotFound)
	r := c.do(http.MethodDelete, "/v1/schemes", nil)
	r.problem(http.StatusMethodNotAllowed)
	if r.Header().Get("Allow") == "" {
		t.Error("405 without Allow")
	}
}

// TestAPI_BrokenFraming: a malformed chunked body is the client's fault
// (400 problem), not the server's (500).
func TestAPI_BrokenFraming(t *testing.T) {
	t.Parallel()
	c, logs := newLoggedClient(t, noLimits)
	srv := newTestServer(t, c.h)
	conn, err := net.Dial("tcp", srv)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(5 * time.Second))
	fmt.Fprint(conn, "POST /v1/vendors HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nX-Request-Id: client-trace-42\r\n\r\n5\r\n{\"a\":\r\nzz\r\n")
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusBadRequest || resp.Header.Get("Content-Type") != "application/problem+json" {
		t.Errorf("%d %s: %s", resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
	if !strings.Contains(logs.String(), `"client_request_id":"client-trace-42"`) {
		t.Errorf("the client's X-Request-Id is not logged as client_request_id:\n%s", logs.String())
	}
}

// newTestServer serves h on a loopback port and returns its address.
func newTestServer(t *testing.T, h http.Handler) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return ln.Addr().String()
}
