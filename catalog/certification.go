package catalog

import (
	"time"

	"github.com/google/uuid"
)

// Verification is the verification state of a certification claim.
type Verification string

// The verification states. A claim starts self-declared; staff verify or
// reject it; suspended and withdrawn mirror the certification body's status.
const (
	SelfDeclared Verification = "self-declared"
	Verified     Verification = "verified"
	Rejected     Verification = "rejected"
	Suspended    Verification = "suspended"
	Withdrawn    Verification = "withdrawn"
)

// Certification is a credential a vendor holds under a scheme from the
// reference scheme catalogue.
type Certification struct {
	ID       uuid.UUID `json:"id"`
	VendorID uuid.UUID `json:"vendor_id"`
	// Scheme is the scheme identifier from the reference data, such as
	// iso-iec-27001.
	Scheme string `json:"scheme" validate:"required,slug,max=64"`
	// Level is the scheme level where the scheme has levels (for example
	// "substantial" or "high" for EUCC); empty otherwise.
	Level string `json:"level" validate:"omitempty,max=64"`
	// Number is the certificate or report number.
	Number string `json:"number" validate:"required,notblank,max=100"`
	// Issuer is the certification body that issued it.
	Issuer string `json:"issuer" validate:"required,notblank,max=200"`
	// Scope is the certified scope as written on the certificate.
	Scope string `json:"scope" validate:"omitempty,notblank,max=2000"`
	// OfferingIDs are the vendor's offerings the certification covers.
	OfferingIDs []uuid.UUID `json:"offering_ids" validate:"max=200"`
	// ValidFrom is the first day the certificate is valid.
	ValidFrom time.Time `json:"valid_from" validate:"required"`
	// ValidUntil is the last day the certificate is valid.
	ValidUntil time.Time `json:"valid_until" validate:"required,gtfield=ValidFrom"`
	// EvidenceURL points at the certificate or the issuer's public register.
	EvidenceURL string `json:"evidence_url" validate:"omitempty,max=500,http_url"`
	// EvidenceSHA256 is the hex SHA-256 of the evidence document.
	EvidenceSHA256 string `json:"evidence_sha256" validate:"omitempty,sha256"`
	// Status is the verification state.
	Status Verification `json:"status" validate:"required,oneof=self-declared verified rejected suspended withdrawn"`
	// VerifiedBy names who verified or rejected the claim.
	VerifiedBy string `json:"verified_by" validate:"max=200"`
	// VerifiedAt is when it was verified or rejected.
	VerifiedAt *time.Time `json:"verified_at"`
	// StatusReason is the reason staff gave for the current state: required
	// when they reject or suspend a claim, an optional note when they verify
	// it; empty for self-declared claims.
	StatusReason string `json:"status_reason" validate:"max=1000"`

	Version   int64     `json:"version"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// ValidOn reports whether the certification counts on day d: inside its
// validity dates and neither rejected, suspended nor withdrawn.
func (c *Certification) ValidOn(d time.Time) bool {
	switch c.Status {
	case SelfDeclared, Verified:
	default:
		return false
	}
	day := Day(d)
	return !day.Before(Day(c.ValidFrom)) && !day.After(Day(c.ValidUntil))
}

// Clean puts c in canonical form and checks it: dates become days in UTC,
// text is trimmed, new claims without a state are self-declared, covered
// offerings are sorted without repeats. It returns *ValidationError.
func (c *Certification) Clean() error {
	c.Scheme = lowerTrim(c.Scheme)
	c.Level = lowerTrim(c.Level)
	c.Number = trim(c.Number)
	c.Issuer = trim(c.Issuer)
	c.Scope = trim(c.Scope)
	c.EvidenceURL = trim(c.EvidenceURL)
	c.EvidenceSHA256 = lowerTrim(c.EvidenceSHA256)
	c.ValidFrom = Day(c.ValidFrom)
	c.ValidUntil = Day(c.ValidUntil)
	if c.Status == "" {
		c.Status = SelfDeclared
	}
	c.OfferingIDs = uniqueIDs(c.OfferingIDs)
	return Validate(c)
}

// Day returns t's calendar day as midnight UTC.
func Day(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
