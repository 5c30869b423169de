package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/cybermarket/cybermarket/catalog"
	"github.com/cybermarket/cybermarket/catalog/catalogtest"
	"github.com/cybermarket/cybermarket/compliance"
	"github.com/cybermarket/cybermarket/compliance/refstore"
	"github.com/cybermarket/cybermarket/compliance/refstore/refstoretest"
	"github.com/cybermarket/cybermarket/openapi"
	"github.com/cybermarket/cybermarket/search"
	"github.com/cybermarket/cybermarket/search/searchtest"
	"github.com/cybermarket/cybermarket/web"
)

func TestMain(m *testing.M) {
	code := catalogtest.Main(m, refstoretest.Seed)
	stopBrowser()
	os.Exit(code)
}

// site is the whole server stack of cybermarket serve (API and interface on
// real PostgreSQL and Meilisearch) behind a test HTTP server.
type site struct {
	t      testing.TB
	URL    string
	api    http.Handler
	store  *catalog.Store
	worker *search.Worker
	admin  string // an admin key's token
}

// noLimits lifts the API's rate limits for tests that are not about them.
var noLimits = openapi.Limits{Address: openapi.Unlimited, Key: openapi.Unlimited,
	AuthFailure: openapi.Unlimited, Registration: openapi.Unlimited}

// vendorSignUp is the sign-up form of the fictional French vendor most page
// tests register, valid as it stands.
func vendorSignUp() url.Values {
	return url.Values{"legal_name": {"Clinique Sûre SAS (fictional)"}, "vat_number": {"FR40303265045"},
		"country": {"FR"}, "size": {"small"}, "contact.email": {"appels@clinique-sure.example"}}
}

func newSite(t testing.TB) *site {
	t.Helper()
	store, _ := catalogtest.NewStore(t)
	ix, _ := searchtest.NewIndex(t)
	ctx := context.Background()
	live, err := compliance.OpenLive(ctx, refstore.New(store.Pool()))
	if err != nil {
		t.Fatal(err)
	}
	w := search.NewWorker(search.WorkerConfig{Catalog: store, Index: ix, Rules: search.LiveRules(live)})
	api := openapi.New(openapi.Deps{Catalog: store, Compliance: live, Requirements: refstore.New(store.Pool()), Search: openapi.SearchDeps{Index: ix, Worker: w}, Limits: noLimits,
		Logger: slog.New(slog.DiscardHandler)})
	srv := httptest.NewServer(web.Mount(api, web.New(web.Config{API: api, Sessions: store})))
	t.Cleanup(srv.Close)
	s := &site{t: t, URL: srv.URL, api: api, store: store, worker: w}
	actx := catalog.WithActor(ctx, catalog.Actor{ID: "test", Role: "system"})
	_, s.admin, err = store.CreateKey(actx, catalog.APIKey{Name: "test admin", Role: catalog.RoleAdmin})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// drain brings the search index up to date with the catalogue.
func (s *site) drain() {
	s.t.Helper()
	if _, err := s.worker.Drain(context.Background()); err != nil {
		s.t.Fatal(err)
	}
}

// apiCall calls the API as token and decodes the answer into out; it fails
// the test unless the status is want.
func (s *site) apiCall(method, path, token string, body any, want int, out any) {
	s.t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req := httptest.NewRequest(method, path, rd)
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	rec := httptest.NewRecorder()
	s.api.ServeHTTP(rec, req)
	if rec.Code != want {
		s.t.Fatalf("%s %s: %d %s", method, path, rec.Code, rec.Body.String())
	}
	if out != nil {
		if err := json.Unmarshal(rec.Body.Bytes(), out); err != nil {
			s.t.Fatal(err)
		}
	}
}

// browser is a plain HTTP client with cookies, as a browser without
// JavaScript: it follows redirects and keeps the session cookie.
type browser struct {
	t    testing.TB
	s    *site
	c    *http.Client
	lang string
}

func (s *site) browser() *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: s.t, s: s, c: &http.Client{Jar: jar, Timeout: 30 * time.Second}, lang: "en"}
}

// page is an answer of the interface.
type page struct {
	t      testing.TB
	Status int
	URL    string
	Header http.Header
	Body   string
}

func (b *browser) do(req *http.Request) *page {
	b.t.Helper()
	if b.lang != "" && req.Header.Get("Accept-Language") == "" {
		req.Header.Set("Accept-Language", b.lang)
	}
	resp, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return &page{t: b.t, Status: resp.StatusCode, URL: resp.Request.URL.String(), Header: resp.Header, Body: string(body)}
}

// get loads path.
func (b *browser) get(path string) *page {
	b.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, b.s.URL+path, nil)
	return b.do(req)
}

// post submits a form to path, as a same-origin browser form would.
func (b *browser) post(path string, form url.Values) *page {
	b.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, b.s.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return b.do(req)
}

// want fails unless the page has status and contains every text.
func (p *page) want(status int, texts ...string) *page {
	p.t.Helper()
	if p.Status != status {
		p.t.Fatalf("%s: status %d, want %d\n%s", p.URL, p.Status, status, p.Body)
	}
	for _, s := range texts {
		if !strings.Contains(p.Body, s) {
			p.t.Errorf("%s: no %q in\n%s", p.URL, s, p.Body)
		}
	}
	return p
}

// lacks fails if the page contains any of texts.
func (p *page) lacks(texts ...string) *page {
	p.t.Helper()
	for _, s := range texts {
		if strings.Contains(p.Body, s) {
			p.t.Errorf("%s: unexpected %q", p.URL, s)
		}
	}
	return p
}
