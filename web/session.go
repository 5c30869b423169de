package web

import (
	"crypto/rand"
	"encoding/base64"
	"net/http"
	"sync"
	"time"
)

// Sessions.
//
// A session holds the API key the user signed in with (or the key a vendor
// received when signing up), kept on the server only: the browser holds an
// opaque random id in a cookie that is HttpOnly (no script reads it),
// SameSite=Lax (not sent on cross-site form posts), Secure when the request
// came over TLS (directly or through a proxy saying X-Forwarded-Proto:
// https), and has no Max-Age (it ends with the browser). A session ends after
// IdleTimeout without a request, after AbsoluteTimeout in any case, and when
// the user signs out. Signing in makes a new id (no fixation).
//
// The store is in memory: a restart or another replica signs users out. A
// shared store is future work (see the README).

// sessionCookie is the name of the session cookie.
const sessionCookie = "cm_session"

// Time-outs of sessions.
const (
	IdleTimeout     = 30 * time.Minute
	AbsoluteTimeout = 12 * time.Hour
)

// session is one signed-in user.
type session struct {
	id      string
	key     string
	role    string
	name    string
	vendor  string // the vendor id of a vendor key
	created time.Time
	seen    time.Time
	// newKey is a vendor key shown once after sign-up, then cleared.
	newKey string
}

// sessions is the in-memory session store.
type sessions struct {
	mu   sync.Mutex
	byID map[string]*session
	now  func() time.Time
}

func newSessions() *sessions {
	return &sessions{byID: map[string]*session{}, now: time.Now}
}

// start makes a session for the holder of key and sets its cookie.
func (s *sessions) start(w http.ResponseWriter, r *http.Request, sess session) *session {
	if old := s.lookup(r); old != nil {
		s.end(w, r)
	}
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	now := s.now()
	sess.id, sess.created, sess.seen = base64.RawURLEncoding.EncodeToString(b), now, now
	s.mu.Lock()
	s.byID[sess.id] = &sess
	s.sweep(now)
	s.mu.Unlock()
	http.SetCookie(w, &http.Cookie{
		Name: sessionCookie, Value: sess.id, Path: "/", HttpOnly: true,
		Secure: overTLS(r), SameSite: http.SameSiteLaxMode,
	})
	return &sess
}

// lookup returns the live session of r, or nil; it refreshes its idle time.
func (s *sessions) lookup(r *http.Request) *session {
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	sess := s.byID[c.Value]
	if sess == nil {
		return nil
	}
	now := s.now()
	if now.Sub(sess.seen) > IdleTimeout || now.Sub(sess.created) > AbsoluteTimeout {
		delete(s.byID, sess.id)
		return nil
	}
	sess.seen = now
	cp := *sess
	return &cp
}

// takeNewKey returns the key to show once after sign-up and forgets it.
func (s *sessions) takeNewKey(id string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	sess := s.byID[id]
	if sess == nil {
		return ""
	}
	k := sess.newKey
	sess.newKey = ""
	return k
}

// end deletes the session of r and its cookie.
func (s *sessions) end(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(sessionCookie); err == nil {
		s.mu.Lock()
		delete(s.byID, c.Value)
		s.mu.Unlock()
	}
	http.SetCookie(w, &http.Cookie{
		Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true,
		Secure: overTLS(r), SameSite: http.SameSiteLaxMode,
	})
}

// sweep drops expired sessions; the caller holds mu.
func (s *sessions) sweep(now time.Time) {
	for id, sess := range s.byID {
		if now.Sub(sess.seen) > IdleTimeout || now.Sub(sess.created) > AbsoluteTimeout {
			delete(s.byID, id)
		}
	}
}

// overTLS reports whether the browser reached us over TLS.
func overTLS(r *http.Request) bool {
	return r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https"
}

// Name is whose key the session holds.
func (s *session) Name() string { return s.name }

// Role is the role of the session's key.
func (s *session) Role() string { return s.role }

// Vendor is the vendor id of a vendor key, else "".
func (s *session) Vendor() string { return s.vendor }

// IsStaff reports whether the session's key is an admin's or a verifier's.
func (s *session) IsStaff() bool { return s.role == "admin" || s.role == "verifier" }
