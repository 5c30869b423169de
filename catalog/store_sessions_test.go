package catalog_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/cybermarket/cybermarket/catalog"
	"github.com/cybermarket/cybermarket/catalog/catalogtest"
)

func TestStore_WebSessions(t *testing.T) {
	t.Parallel()
	s, _ := catalogtest.NewStore(t)
	ctx := context.Background()
	now := time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)
	hash := sha256.Sum256([]byte("token"))
	ws := catalog.WebSession{TokenHash: hash[:], SealedKey: []byte("sealed"), Role: "vendor", Name: "Acme key",
		VendorID: uuid.Must(uuid.NewV7()), ShowKey: true, CreatedAt: now, IdleUntil: now.Add(30 * time.Minute), ExpiresAt: now.Add(time.Hour)}

	t.Run("invalid values", func(t *testing.T) {
		bad := ws
		bad.TokenHash, bad.Role = []byte("short"), ""
		var verr *catalog.ValidationError
		if err := s.CreateWebSession(ctx, bad); !errors.As(err, &verr) || len(verr.Fields) != 2 {
			t.Fatalf("got %v", err)
		}
	})
	if err := s.CreateWebSession(ctx, ws); err != nil {
		t.Fatal(err)
	}
	t.Run("duplicate token", func(t *testing.T) {
		if err := s.CreateWebSession(ctx, ws); !errors.Is(err, catalog.ErrConflict) {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("touch moves the idle end, never past the absolute end", func(t *testing.T) {
		got, err := s.TouchWebSession(ctx, hash[:], now.Add(20*time.Minute), 30*time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		if !got.IdleUntil.Equal(now.Add(50*time.Minute)) || got.VendorID != ws.VendorID || !bytes.Equal(got.SealedKey, ws.SealedKey) || !got.ShowKey {
			t.Errorf("got %+v", got)
		}
		if got, err = s.TouchWebSession(ctx, hash[:], now.Add(45*time.Minute), 30*time.Minute); err != nil || !got.IdleUntil.Equal(ws.ExpiresAt) {
			t.Errorf("got %v %v, want the idle end capped at %v", got.IdleUntil, err, ws.ExpiresAt)
		}
		if _, err := s.TouchWebSession(ctx, hash[:], now.Add(time.Hour), 30*time.Minute); !errors.Is(err, catalog.ErrNotFound) {
			t.Errorf("after the absolute end: %v", err)
		}
	})
	t.Run("the key is taken once", func(t *testing.T) {
		for i, want := range []bool{true, false} {
			if got, err := s.TakeWebSessionKey(ctx, hash[:]); err != nil || got != want {
				t.Errorf("take %d: %v %v", i, got, err)
			}
		}
	})
	t.Run("prune and delete", func(t *testing.T) {
		if n, err := s.PruneWebSessions(ctx, now.Add(10*time.Minute)); err != nil || n != 0 {
			t.Errorf("pruned a live session: %d %v", n, err)
		}
		if n, err := s.PruneWebSessions(ctx, now.Add(2*time.Hour)); err != nil || n != 1 {
			t.Errorf("pruned %d %v, want 1", n, err)
		}
		if err := s.DeleteWebSession(ctx, hash[:]); err != nil {
			t.Errorf("deleting a missing session: %v", err)
		}
	})
}
