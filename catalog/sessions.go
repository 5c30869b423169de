package catalog

import (
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
)

// WebSession is a signed-in user of the web interface, as the shared
// session table keeps it. The catalogue does not read it: the web package
// seals the API key and hashes the browser's token before it gets here.
type WebSession struct {
	// TokenHash is the SHA-256 of the browser's session token: the token
	// itself is never stored.
	TokenHash []byte
	// SealedKey is the API key the session acts with, encrypted by the web
	// package with a key derived from the token.
	SealedKey []byte
	Role      string
	Name      string
	VendorID  uuid.UUID // uuid.Nil unless a vendor key
	// ShowKey is set after sign-up until the key has been shown once.
	ShowKey   bool
	CreatedAt time.Time
	// IdleUntil is when the session ends without a request; each request
	// moves it on, never past ExpiresAt.
	IdleUntil time.Time
	ExpiresAt time.Time
}

// Limits of a web session's values.
const (
	maxSealedKey   = 4096
	maxSessionName = 400
	maxSessionRole = 40
)

// validate checks the values the web package hands over; the table has no
// CHECK constraints of its own (no API request writes it).
func (s WebSession) validate() error {
	var errs []FieldError
	if len(s.TokenHash) != 32 {
		errs = append(errs, FieldError{Field: "token_hash", Message: "must be a SHA-256 (32 bytes)"})
	}
	if len(s.SealedKey) == 0 || len(s.SealedKey) > maxSealedKey {
		errs = append(errs, FieldError{Field: "sealed_key", Message: "must hold 1 to 4096 bytes"})
	}
	if s.Role == "" || len(s.Role) > maxSessionRole {
		errs = append(errs, FieldError{Field: "role", Message: "must be a role"})
	}
	if utf8.RuneCountInString(s.Name) > maxSessionName || !utf8.ValidString(s.Name) {
		errs = append(errs, FieldError{Field: "name", Message: "must be at most 400 characters of UTF-8"})
	}
	if s.CreatedAt.IsZero() || s.IdleUntil.Before(s.CreatedAt) || s.ExpiresAt.Before(s.IdleUntil) {
		errs = append(errs, FieldError{Field: "expires_at", Message: "must have created <= idle until <= expires"})
	}
	if len(errs) > 0 {
		return &ValidationError{Fields: errs}
	}
	return nil
}
