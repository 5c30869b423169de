package web

import (
	"context"
	"sync"
	"time"

	"github.com/cybermarket/cybermarket/catalog"
)

// memorySessions is a SessionStore in this process's memory, for an
// interface run without a database (tests of the pages alone): a restart or
// another replica signs users out. cybermarket serve uses the catalogue's.
type memorySessions struct {
	mu     sync.Mutex
	byHash map[string]catalog.WebSession
}

func newMemorySessions() *memorySessions {
	return &memorySessions{byHash: map[string]catalog.WebSession{}}
}

func (m *memorySessions) CreateWebSession(_ context.Context, ws catalog.WebSession) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.byHash[string(ws.TokenHash)]; ok {
		return &catalog.ConflictError{Field: "token_hash", Message: "a session with this token exists"}
	}
	m.byHash[string(ws.TokenHash)] = ws
	return nil
}

func (m *memorySessions) TouchWebSession(_ context.Context, hash []byte, now time.Time, idle time.Duration) (catalog.WebSession, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	ws, ok := m.byHash[string(hash)]
	if !ok || !now.Before(ws.IdleUntil) || !now.Before(ws.ExpiresAt) {
		return catalog.WebSession{}, catalog.ErrNotFound
	}
	ws.IdleUntil = now.Add(idle)
	if ws.IdleUntil.After(ws.ExpiresAt) {
		ws.IdleUntil = ws.ExpiresAt
	}
	m.byHash[string(hash)] = ws
	return ws, nil
}

func (m *memorySessions) TakeWebSessionKey(_ context.Context, hash []byte) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	ws, ok := m.byHash[string(hash)]
	if !ok || !ws.ShowKey {
		return false, nil
	}
	ws.ShowKey = false
	m.byHash[string(hash)] = ws
	return true, nil
}

func (m *memorySessions) DeleteWebSession(_ context.Context, hash []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.byHash, string(hash))
	return nil
}

func (m *memorySessions) PruneWebSessions(_ context.Context, now time.Time) (int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var n int64
	for h, ws := range m.byHash {
		if !now.Before(ws.IdleUntil) || !now.Before(ws.ExpiresAt) {
			delete(m.byHash, h)
			n++
		}
	}
	return n, nil
}
