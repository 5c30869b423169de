package catalog

import (
	"context"
	"errors"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgconn"
)

// CreateWebSession stores a new session of the web interface. It returns
// *ValidationError for invalid values and *ConflictError when a session
// with the same token hash exists.
func (s *Store) CreateWebSession(ctx context.Context, ws WebSession) (err error) {
	defer wrap(&err, "catalog.CreateWebSession")
	if err := ws.validate(); err != nil {
		return err
	}
	var vendor *uuid.UUID
	if ws.VendorID != uuid.Nil {
		vendor = &ws.VendorID
	}
	_, err = s.pool.Exec(ctx, `
		INSERT INTO web_sessions (token_hash, sealed_key, role, name, vendor_id, show_key, created_at, idle_until, expires_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		ws.TokenHash, ws.SealedKey, ws.Role, ws.Name, vendor, ws.ShowKey, ws.CreatedAt, ws.IdleUntil, ws.ExpiresAt)
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.ConstraintName == "web_sessions_pkey" {
		return &ConflictError{Field: "token_hash", Message: "a session with this token exists"}
	}
	return translate(err)
}

// TouchWebSession returns the session whose token hash is hash when it is
// live at now (before its idle and absolute ends), and moves its idle end
// to now+idle (never past its absolute end). It returns ErrNotFound for an
// unknown or expired session.
func (s *Store) TouchWebSession(ctx context.Context, hash []byte, now time.Time, idle time.Duration) (_ WebSession, err error) {
	defer wrap(&err, "catalog.TouchWebSession")
	var ws WebSession
	var vendor *uuid.UUID
	err = s.pool.QueryRow(ctx, `
		UPDATE web_sessions SET idle_until = least($2::timestamptz + $3::interval, expires_at)
		WHERE token_hash = $1 AND idle_until > $2 AND expires_at > $2
		RETURNING token_hash, sealed_key, role, name, vendor_id, show_key, created_at, idle_until, expires_at`,
		hash, now, idle).Scan(&ws.TokenHash, &ws.SealedKey, &ws.Role, &ws.Name, &vendor, &ws.ShowKey,
		&ws.CreatedAt, &ws.IdleUntil, &ws.ExpiresAt)
	if err != nil {
		return WebSession{}, translate(err)
	}
	if vendor != nil {
		ws.VendorID = *vendor
	}
	ws.CreatedAt, ws.IdleUntil, ws.ExpiresAt = utc(ws.CreatedAt), utc(ws.IdleUntil), utc(ws.ExpiresAt)
	return ws, nil
}

// TakeWebSessionKey clears the show-once mark of a session and reports
// whether it was set: true exactly once per sign-up, whichever replica
// asks.
func (s *Store) TakeWebSessionKey(ctx context.Context, hash []byte) (taken bool, err error) {
	defer wrap(&err, "catalog.TakeWebSessionKey")
	tag, err := s.pool.Exec(ctx, `UPDATE web_sessions SET show_key = false WHERE token_hash = $1 AND show_key`, hash)
	if err != nil {
		return false, translate(err)
	}
	return tag.RowsAffected() == 1, nil
}

// DeleteWebSession deletes a session (sign-out); deleting one that does not
// exist is not an error.
func (s *Store) DeleteWebSession(ctx context.Context, hash []byte) (err error) {
	defer wrap(&err, "catalog.DeleteWebSession")
	_, err = s.pool.Exec(ctx, `DELETE FROM web_sessions WHERE token_hash = $1`, hash)
	return translate(err)
}

// PruneWebSessions deletes the sessions that have ended by now (idle or
// absolute time-out) and returns how many.
func (s *Store) PruneWebSessions(ctx context.Context, now time.Time) (n int64, err error) {
	defer wrap(&err, "catalog.PruneWebSessions")
	tag, err := s.pool.Exec(ctx, `DELETE FROM web_sessions WHERE idle_until <= $1 OR expires_at <= $1`, now)
	if err != nil {
		return 0, translate(err)
	}
	return tag.RowsAffected(), nil
}
