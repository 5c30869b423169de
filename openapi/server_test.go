package openapi_test

import (
	"context"
	"crypto/sha512"
	"encoding/base64"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/cybermarket/cybermarket/catalog/catalogtest"
	"github.com/cybermarket/cybermarket/openapi"
)

func TestAPI_Health(t *testing.T) {
	t.Parallel()
	c := newClient(t)
	c.do(http.MethodGet, "/healthz", nil).want(http.StatusOK)
	var h struct {
		Status string            `json:"status"`
		Checks map[string]string `json:"checks"`
	}
	c.do(http.MethodGet, "/readyz", nil).want(http.StatusOK).decode(&h)
	if h.Status != "ok" || h.Checks["postgres"] != "ok" {
		t.Errorf("readyz %+v", h)
	}

	down := openapi.New(openapi.Deps{Catalog: c.store, Checks: map[string]func(context.Context) error{
		"postgres": func(context.Context) error { return errors.New("dial tcp 10.0.0.1:5432: connection refused") },
	}})
	r := (&client{t: t, h: down}).do(http.MethodGet, "/readyz", nil)
	p := r.problem(http.StatusServiceUnavailable)
	if !p.names("postgres") || strings.Contains(r.Body.String(), "10.0.0.1") {
		t.Errorf("503 body %s", r.Body.String())
	}
}

func TestAPI_UnknownErrorsAreHidden(t *testing.T) {
	t.Parallel()
	store, _ := catalogtest.NewStore(t)
	c := &client{t: t, h: openapi.New(openapi.Deps{Catalog: store})}
	store.Close() // every query now fails with a driver error
	r := c.do(http.MethodGet, "/v1/vendors", nil)
	p := r.problem(http.StatusInternalServerError)
	body := strings.ToLower(r.Body.String())
	for _, leak := range []string{"pool", "closed", "pgx", "sql", "catalog."} {
		if strings.Contains(body, leak) {
			t.Errorf("500 body leaks %q: %s", leak, r.Body.String())
		}
	}
	if len(p.Errors) != 0 {
		t.Errorf("500 carries details %v", p.locations())
	}
}

func TestAPI_RequestIDs(t *testing.T) {
	t.Parallel()
	c := newClient(t)
	r := c.do(http.MethodGet, "/healthz", nil, "X-Request-Id", "lb-trace-0001")
	if got := r.Header().Get("X-Request-Id"); got == "lb-trace-0001" || uuid.Validate(got) != nil {
		t.Errorf("X-Request-Id %q: the server must make its own id, not take the caller's", got)
	}
	r = c.do(http.MethodGet, "/healthz", nil, "X-Request-Id", "bad id with spaces\n")
	if got := r.Header().Get("X-Request-Id"); got == "" || strings.Contains(got, " ") {
		t.Errorf("X-Request-Id %q: a bad incoming id must be replaced", got)
	}
}

func TestAPI_BodyLimit(t *testing.T) {
	t.Parallel()
	c := newClient(t)
	huge := `{"legal_name":"` + strings.Repeat("a", openapi.MaxBodyBytes) + `"}`
	c.do(http.MethodPost, "/v1/vendors", huge).problem(http.StatusRequestEntityTooLarge)
}

func TestAPI_DocsAreSelfContained(t *testing.T) {
	t.Parallel()
	c := &client{t: t, h: openapi.New(openapi.Deps{})}
	page := c.do(http.MethodGet, "/docs", nil).want(http.StatusOK).Body.String()
	if strings.Contains(page, "https://") {
		t.Errorf("/docs loads something from another origin:\n%s", page)
	}
	for _, asset := range []string{"/docs/assets/web-components.min.js", "/docs/assets/styles.min.css", "/openapi.yaml", "/openapi.json"} {
		r := c.do(http.MethodGet, asset, nil).want(http.StatusOK)
		if r.Body.Len() < 1000 {
			t.Errorf("%s: %d bytes", asset, r.Body.Len())
		}
		if strings.HasPrefix(asset, "/docs/") {
			sum := sha512.Sum384(r.Body.Bytes())
			if integrity := "sha384-" + base64.StdEncoding.EncodeToString(sum[:]); !strings.Contains(page, integrity) {
				t.Errorf("%s does not match the integrity hash in the page (%s)", asset, integrity)
			}
		}
	}
}
