package catalog

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"regexp"
	"time"

	"github.com/google/uuid"
)

// Role is what an API key may do.
type Role string

// The roles. Staff (admin, verifier) see everything; a vendor key acts for
// one vendor only, a buyer key for one buyer organisation; analysts read
// public data.
const (
	RoleAdmin    Role = "admin"    // everything, including keys
	RoleVerifier Role = "verifier" // verifies certifications, admits vendors, reads the audit trail
	RoleAnalyst  Role = "analyst"  // reads public data (policymakers)
	RoleVendor   Role = "vendor"   // changes its own vendor, offerings and certifications
	RoleBuyer    Role = "buyer"    // runs its own buyer organisation's procurement projects
)

// Roles lists every Role.
var Roles = []Role{RoleAdmin, RoleVerifier, RoleAnalyst, RoleVendor, RoleBuyer}

// Staff reports whether r is a staff role, which sees every object.
func (r Role) Staff() bool { return r == RoleAdmin || r == RoleVerifier }

// APIKey is a bearer credential. Its secret is shown once, when it is made,
// and stored only as a hash.
type APIKey struct {
	ID uuid.UUID `json:"id"`
	// Name says whose key it is, for people reading key lists and the audit trail.
	Name string `json:"name" validate:"required,notblank,max=100"`
	Role Role   `json:"role" validate:"required,oneof=admin verifier analyst vendor buyer"`
	// VendorID is the vendor a vendor key acts for; zero for other roles.
	VendorID uuid.UUID `json:"vendor_id"`
	// BuyerID is the buyer organisation a buyer key acts for; zero for other roles.
	BuyerID   uuid.UUID `json:"buyer_id"`
	CreatedAt time.Time `json:"created_at"`
	// CreatedBy is the actor that made the key.
	CreatedBy  string     `json:"created_by"`
	ExpiresAt  *time.Time `json:"expires_at"`
	LastUsedAt *time.Time `json:"last_used_at"`
	RevokedAt  *time.Time `json:"revoked_at"`
}

// Active reports whether the key authenticates at t: neither revoked nor expired.
func (k APIKey) Active(t time.Time) bool {
	return k.RevokedAt == nil && (k.ExpiresAt == nil || t.Before(*k.ExpiresAt))
}

// Clean checks k as a new key: a vendor key names its vendor and a buyer
// key its buyer, other keys name neither, and an expiry lies in the future.
// It returns *ValidationError.
func (k *APIKey) Clean(now time.Time) error {
	k.Name = trim(k.Name)
	if err := Validate(k); err != nil {
		return err
	}
	switch {
	case k.Role == RoleVendor && k.VendorID == uuid.Nil:
		return Invalid("vendor_id", "is required for a vendor key", nil)
	case k.Role != RoleVendor && k.VendorID != uuid.Nil:
		return Invalid("vendor_id", "is only for vendor keys", k.VendorID.String())
	case k.Role == RoleBuyer && k.BuyerID == uuid.Nil:
		return Invalid("buyer_id", "is required for a buyer key", nil)
	case k.Role != RoleBuyer && k.BuyerID != uuid.Nil:
		return Invalid("buyer_id", "is only for buyer keys", k.BuyerID.String())
	case k.ExpiresAt != nil && !k.ExpiresAt.After(now):
		return Invalid("expires_at", "must be in the future", k.ExpiresAt.UTC().Format(time.RFC3339))
	}
	if k.ExpiresAt != nil {
		t := k.ExpiresAt.UTC()
		k.ExpiresAt = &t
	}
	return nil
}

// Authentication errors. The store returns *AuthError; each matches
// ErrUnauthenticated with errors.Is.
var ErrUnauthenticated = errors.New("unauthenticated")

// AuthError says why a presented key was refused.
type AuthError struct {
	// Reason is one of "malformed", "unknown" (no such key, or the wrong
	// secret), "revoked" and "expired". Only a caller holding the right
	// secret learns revoked or expired.
	Reason string
}

func (e *AuthError) Error() string { return "api key " + e.Reason }

// Is makes errors.Is(err, ErrUnauthenticated) true.
func (e *AuthError) Is(target error) bool { return target == ErrUnauthenticated }

// A token is "cm_" + the key id (32 hex digits) + "_" + the secret (32
// random bytes, base64url without padding). The id finds the row; the secret
// proves possession.
var tokenPattern = regexp.MustCompile(`^cm_([0-9a-f]{32})_([A-Za-z0-9_-]{43})$`)

const secretBytes = 32

// newToken returns a fresh key id, its token and the hash to store.
func newToken() (id uuid.UUID, token string, hash []byte) {
	id = newID()
	secret := make([]byte, secretBytes)
	_, _ = rand.Read(secret) // crypto/rand.Read never fails (Go 1.24+)
	token = "cm_" + hex.EncodeToString(id[:]) + "_" + base64.RawURLEncoding.EncodeToString(secret)
	return id, token, secretHash(id, secret)
}

// parseToken splits a token into its key id and secret.
func parseToken(token string) (uuid.UUID, []byte, error) {
	m := tokenPattern.FindStringSubmatch(token)
	if m == nil {
		return uuid.Nil, nil, &AuthError{Reason: "malformed"}
	}
	raw, err := hex.DecodeString(m[1])
	if err != nil {
		return uuid.Nil, nil, &AuthError{Reason: "malformed"}
	}
	secret, err := base64.RawURLEncoding.DecodeString(m[2])
	if err != nil || len(secret) != secretBytes {
		return uuid.Nil, nil, &AuthError{Reason: "malformed"}
	}
	id, err := uuid.FromBytes(raw)
	if err != nil {
		return uuid.Nil, nil, &AuthError{Reason: "malformed"}
	}
	return id, secret, nil
}

// secretHash is SHA-256 over a domain label, the key id and the secret.
//
// A fast hash is the right tool here, unlike for passwords: the secret is 256
// bits from crypto/rand, so an attacker holding the table cannot guess it by
// trying candidates however fast the hash is, and a slow KDF (bcrypt,
// argon2) would only add CPU to every request. Binding the id into the hash
// means a hash copied onto another row does not verify.
func secretHash(id uuid.UUID, secret []byte) []byte {
	h := sha256.New()
	h.Write([]byte("cybermarket api key v1\x00"))
	h.Write(id[:])
	h.Write(secret)
	return h.Sum(nil)
}

// secretMatches compares in constant time, so response timing says nothing
// about how much of a guessed secret was right.
func secretMatches(id uuid.UUID, secret, stored []byte) bool {
	return subtle.ConstantTimeCompare(secretHash(id, secret), stored) == 1
}

// LastUsedInterval is how stale last_used_at may get: a key's row is written
// at most about once per interval, not on every request.
const LastUsedInterval = time.Minute

// TokenKeyID returns the key id of a well-formed token without checking its
// secret, so that failures can be counted per key.
func TokenKeyID(token string) (uuid.UUID, bool) {
	id, _, err := parseToken(token)
	return id, err == nil
}
