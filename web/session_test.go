package web

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/cybermarket/cybermarket/catalog/catalogtest"
)

// sessionStores are the stores every session test runs against: the
// catalogue's table on real PostgreSQL (skipped without one, unless CI)
// and the in-memory one.
func sessionStores(t *testing.T) map[string]func(*testing.T) SessionStore {
	return map[string]func(*testing.T) SessionStore{
		"postgres": func(t *testing.T) SessionStore { s, _ := catalogtest.NewStore(t); return s },
		"memory":   func(*testing.T) SessionStore { return newMemorySessions() },
	}
}

// clock is a settable time for sessions.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func startSession(t *testing.T, s *sessions, r *http.Request, sess session) *http.Cookie {
	t.Helper()
	rec := httptest.NewRecorder()
	if err := s.start(rec, r, sess); err != nil {
		t.Fatal(err)
	}
	return rec.Result().Cookies()[0]
}

func withCookie(c *http.Cookie) *http.Request {
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	r.AddCookie(c)
	return r
}

func mustLookup(t *testing.T, s *sessions, c *http.Cookie) *session {
	t.Helper()
	sess, err := s.lookup(withCookie(c))
	if err != nil {
		t.Fatal(err)
	}
	return sess
}

func TestSessions_TimeOuts(t *testing.T) {
	for name, open := range sessionStores(t) {
		t.Run(name, func(t *testing.T) {
			clk := &clock{time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}
			s := newSessions(open(t))
			s.now = clk.now
			cookie := startSession(t, s, httptest.NewRequest(http.MethodPost, "/signin", nil), session{key: "k", role: "vendor"})
			if !cookie.HttpOnly || cookie.SameSite != http.SameSiteLaxMode || cookie.Secure || cookie.MaxAge != 0 {
				t.Errorf("cookie %+v", cookie)
			}
			// Requests within the idle time-out keep it alive, up to the absolute one.
			start := clk.t
			for clk.t.Add(IdleTimeout-time.Minute).Sub(start) < AbsoluteTimeout {
				clk.t = clk.t.Add(IdleTimeout - time.Minute)
				if sess := mustLookup(t, s, cookie); sess == nil || sess.key != "k" || sess.role != "vendor" {
					t.Fatalf("session %+v, %v after it began", sess, clk.t.Sub(start))
				}
			}
			clk.t = start.Add(AbsoluteTimeout + time.Second)
			if mustLookup(t, s, cookie) != nil {
				t.Error("session outlived the absolute time-out")
			}

			// Idle: a fresh session unused for longer than IdleTimeout ends.
			cookie = startSession(t, s, httptest.NewRequest(http.MethodPost, "/signin", nil), session{key: "k2", role: "admin"})
			clk.t = clk.t.Add(IdleTimeout + time.Second)
			if mustLookup(t, s, cookie) != nil {
				t.Error("session outlived the idle time-out")
			}
			// Secure behind TLS (a proxy's X-Forwarded-Proto).
			r := httptest.NewRequest(http.MethodPost, "/signin", nil)
			r.Header.Set("X-Forwarded-Proto", "https")
			if !startSession(t, s, r, session{key: "k3", role: "admin"}).Secure {
				t.Error("cookie not Secure behind TLS")
			}
		})
	}
}

// A session started by one replica is found by another and after a
// restart (a new sessions on the same store); sign-out on any replica ends
// it everywhere; the key is shown once; a forged or altered cookie finds
// nothing.
func TestSessions_SharedAcrossReplicas(t *testing.T) {
	for name, open := range sessionStores(t) {
		t.Run(name, func(t *testing.T) {
			store := open(t)
			a, b := newSessions(store), newSessions(store)
			vendor := "0192f1e0-7b1c-7c3e-9a4b-2f1d3c4b5a69"
			cookie := startSession(t, a, httptest.NewRequest(http.MethodPost, "/signup", nil),
				session{key: "cm_secret", role: "vendor", name: "Acme key", vendor: vendor, showKey: true})
			sess := mustLookup(t, b, cookie)
			if sess == nil || sess.key != "cm_secret" || sess.vendor != vendor || sess.name != "Acme key" || !sess.showKey {
				t.Fatalf("replica b sees %+v", sess)
			}
			ctx := context.Background()
			if k, err := b.takeNewKey(ctx, sess); err != nil || k != "cm_secret" {
				t.Fatalf("first take: %q %v", k, err)
			}
			if k, err := a.takeNewKey(ctx, mustLookup(t, a, cookie)); err != nil || k != "" {
				t.Fatalf("second take on the other replica: %q %v", k, err)
			}
			forged := *cookie
			forged.Value = cookie.Value[:len(cookie.Value)-2] + "AA"
			if mustLookup(t, a, &forged) != nil {
				t.Error("a forged token found a session")
			}
			rec := httptest.NewRecorder()
			b.end(rec, withCookie(cookie))
			if got := rec.Result().Cookies(); len(got) != 1 || got[0].MaxAge >= 0 {
				t.Errorf("sign-out cookie %+v", got)
			}
			if mustLookup(t, a, cookie) != nil {
				t.Error("session alive on replica a after sign-out on b")
			}
		})
	}
}

// The table holds the token's hash and the sealed key only, and ended
// sessions are pruned when a later one starts.
func TestSessions_PostgresRowsAndPruning(t *testing.T) {
	store, _ := catalogtest.NewStore(t)
	clk := &clock{time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}
	s := newSessions(store)
	s.now = clk.now
	old := startSession(t, s, httptest.NewRequest(http.MethodPost, "/signin", nil), session{key: "cm_plainkey", role: "admin"})
	ctx := context.Background()
	var hash, sealed []byte
	if err := store.Pool().QueryRow(ctx, `SELECT token_hash, sealed_key FROM web_sessions`).Scan(&hash, &sealed); err != nil {
		t.Fatal(err)
	}
	token := cookieToken(withCookie(old))
	if bytes.Contains(hash, token) || bytes.Equal(hash, token) || bytes.Contains(sealed, []byte("cm_plainkey")) || bytes.Contains(sealed, token) {
		t.Error("the row holds the token or the key in clear")
	}
	clk.t = clk.t.Add(IdleTimeout + pruneEvery + time.Second)
	startSession(t, s, httptest.NewRequest(http.MethodPost, "/signin", nil), session{key: "k2", role: "admin"})
	var n int
	if err := store.Pool().QueryRow(ctx, `SELECT count(*) FROM web_sessions`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Errorf("%d rows after pruning, want 1 (the new session)", n)
	}
}
