package web

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/google/uuid"

	"github.com/cybermarket/cybermarket/catalog"
)

// Sessions.
//
// A session holds the API key the user signed in with (or the key a vendor
// received when signing up). The browser holds a random 256-bit token in a
// cookie that is HttpOnly (no script reads it), SameSite=Lax (not sent on
// cross-site form posts), Secure when the request came over TLS (directly or
// through a proxy saying X-Forwarded-Proto: https), and has no Max-Age (it
// ends with the browser). A session ends after IdleTimeout without a
// request, after AbsoluteTimeout in any case, and when the user signs out
// (its row is deleted). Signing in makes a new token (no fixation).
//
// Sessions live in a SessionStore shared by every replica and kept across
// restarts (the catalogue's web_sessions table in production). The store
// sees only the token's SHA-256 and the API key sealed (AES-256-GCM) with a
// key derived from the token: a copy of the table signs no one in and
// reveals no key.

// sessionCookie is the name of the session cookie.
const sessionCookie = "cm_session"

// Time-outs of sessions.
const (
	IdleTimeout     = 30 * time.Minute
	AbsoluteTimeout = 12 * time.Hour
)

// pruneEvery is how often one replica deletes ended sessions (when a
// session starts).
const pruneEvery = time.Minute

// SessionStore keeps the interface's sessions where every replica sees
// them; *catalog.Store is one (see its WebSession methods).
type SessionStore interface {
	CreateWebSession(ctx context.Context, ws catalog.WebSession) error
	TouchWebSession(ctx context.Context, hash []byte, now time.Time, idle time.Duration) (catalog.WebSession, error)
	TakeWebSessionKey(ctx context.Context, hash []byte) (bool, error)
	DeleteWebSession(ctx context.Context, hash []byte) error
	PruneWebSessions(ctx context.Context, now time.Time) (int64, error)
}

// session is one signed-in user.
type session struct {
	hash   []byte // the token's SHA-256: the store's key
	key    string
	role   string
	name   string
	vendor string // the vendor id of a vendor key
	// showKey: the key is to be shown once after sign-up.
	showKey bool
}

// sessions starts, finds and ends sessions in a SessionStore.
type sessions struct {
	store     SessionStore
	now       func() time.Time
	lastPrune atomic.Int64 // unix nanoseconds
}

func newSessions(store SessionStore) *sessions {
	return &sessions{store: store, now: time.Now}
}

// start makes a session for the holder of key and sets its cookie; a
// session the request had ends first.
func (s *sessions) start(w http.ResponseWriter, r *http.Request, sess session) error {
	ctx := r.Context()
	s.end(w, r)
	token := make([]byte, 32)
	_, _ = rand.Read(token)
	sealed, err := seal(token, sess.key)
	if err != nil {
		return err
	}
	now := s.now().UTC()
	vendor, _ := uuid.Parse(sess.vendor)
	ws := catalog.WebSession{TokenHash: tokenHash(token), SealedKey: sealed, Role: sess.role, Name: sess.name, VendorID: vendor,
		ShowKey: sess.showKey, CreatedAt: now, IdleUntil: now.Add(IdleTimeout), ExpiresAt: now.Add(AbsoluteTimeout)}
	if err := s.store.CreateWebSession(ctx, ws); err != nil {
		return err
	}
	s.prune(ctx, now)
	http.SetCookie(w, &http.Cookie{
		Name: sessionCookie, Value: base64.RawURLEncoding.EncodeToString(token), Path: "/", HttpOnly: true,
		Secure: overTLS(r), SameSite: http.SameSiteLaxMode,
	})
	return nil
}

// lookup returns the live session of r, or nil without one (no cookie, an
// unknown or ended session); it moves the idle time-out on. An error means
// the store did not answer.
func (s *sessions) lookup(r *http.Request) (*session, error) {
	token := cookieToken(r)
	if token == nil {
		return nil, nil
	}
	ws, err := s.store.TouchWebSession(r.Context(), tokenHash(token), s.now().UTC(), IdleTimeout)
	if errors.Is(err, catalog.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	key, err := unseal(token, ws.SealedKey)
	if err != nil {
		return nil, nil // not sealed with this token: treat as unknown
	}
	sess := &session{hash: ws.TokenHash, key: key, role: ws.Role, name: ws.Name, showKey: ws.ShowKey}
	if ws.VendorID != uuid.Nil {
		sess.vendor = ws.VendorID.String()
	}
	return sess, nil
}

// takeNewKey returns the key to show once after sign-up, and "" once it
// has been shown (on any replica).
func (s *sessions) takeNewKey(ctx context.Context, sess *session) (string, error) {
	if !sess.showKey {
		return "", nil
	}
	taken, err := s.store.TakeWebSessionKey(ctx, sess.hash)
	if err != nil || !taken {
		return "", err
	}
	return sess.key, nil
}

// end deletes the session of r and its cookie.
func (s *sessions) end(w http.ResponseWriter, r *http.Request) {
	token := cookieToken(r)
	if token == nil {
		return
	}
	// A failed delete leaves a row that times out and is pruned; the
	// browser forgets the token in any case.
	_ = s.store.DeleteWebSession(r.Context(), tokenHash(token))
	http.SetCookie(w, &http.Cookie{
		Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true,
		Secure: overTLS(r), SameSite: http.SameSiteLaxMode,
	})
}

// prune deletes ended sessions, at most once per pruneEvery per replica.
func (s *sessions) prune(ctx context.Context, now time.Time) {
	last := s.lastPrune.Load()
	if now.UnixNano()-last < int64(pruneEvery) || !s.lastPrune.CompareAndSwap(last, now.UnixNano()) {
		return
	}
	_, _ = s.store.PruneWebSessions(ctx, now) // retried at the next start
}

// cookieToken is the session token of r's cookie, or nil.
func cookieToken(r *http.Request) []byte {
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		return nil
	}
	token, err := base64.RawURLEncoding.DecodeString(c.Value)
	if err != nil || len(token) != 32 {
		return nil
	}
	return token
}

// tokenHash is what the store knows a session by.
func tokenHash(token []byte) []byte {
	h := sha256.Sum256(append([]byte("cybermarket session id\x00"), token...))
	return h[:]
}

// sealer is the AEAD that seals a session's API key, keyed by its token.
func sealer(token []byte) (cipher.AEAD, error) {
	k := sha256.Sum256(append([]byte("cybermarket session key\x00"), token...))
	block, err := aes.NewCipher(k[:])
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

// seal encrypts key with the token's sealer: nonce then ciphertext.
func seal(token []byte, key string) ([]byte, error) {
	aead, err := sealer(token)
	if err != nil {
		return nil, err
	}
	nonce := make([]byte, aead.NonceSize())
	_, _ = rand.Read(nonce)
	return aead.Seal(nonce, nonce, []byte(key), nil), nil
}

// unseal is seal's inverse; it fails for another token or altered bytes.
func unseal(token, sealed []byte) (string, error) {
	aead, err := sealer(token)
	if err != nil {
		return "", err
	}
	if len(sealed) < aead.NonceSize() {
		return "", errors.New("sealed key too short")
	}
	plain, err := aead.Open(nil, sealed[:aead.NonceSize()], sealed[aead.NonceSize():], nil)
	return string(plain), err
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
