package catalog

import (
	"time"

	"github.com/google/uuid"
)

// Ownership is whether a buyer is a public or a private organisation: the
// buyer kind the burden engine assesses for.
type Ownership string

// The ownerships.
const (
	OwnershipPublic  Ownership = "public"
	OwnershipPrivate Ownership = "private"
)

// NIS2Entity is a buyer's classification under the NIS2 Directive (EU) 2022/2555.
type NIS2Entity string

// The NIS2 classes. Hospitals are usually essential entities (Annex I, health).
const (
	NIS2Essential NIS2Entity = "essential"
	NIS2Important NIS2Entity = "important"
	NIS2None      NIS2Entity = "none"
)

// Buyer is an organisation that procures services: a hospital or another
// care provider. Buyers register like vendors: pending until staff admit them.
type Buyer struct {
	ID uuid.UUID `json:"id"`
	// LegalName is the registered name of the legal entity.
	LegalName string `json:"legal_name" validate:"required,notblank,max=200"`
	// Country is the ISO 3166-1 alpha-2 code of the buyer's seat.
	Country   string     `json:"country" validate:"required,country"`
	Ownership Ownership  `json:"ownership" validate:"required,oneof=public private"`
	NIS2      NIS2Entity `json:"nis2_entity" validate:"required,oneof=essential important none"`
	// VATNumber is the VAT identification number with its country prefix.
	VATNumber string `json:"vat_number" validate:"required,vat"`
	// LEI is the optional ISO 17442 Legal Entity Identifier.
	LEI string `json:"lei" validate:"omitempty,lei"`
	// Status is the admission state; only active buyers make projects and
	// see vendors' tender contacts.
	Status VendorStatus `json:"status" validate:"required,oneof=pending active suspended"`

	Version   int64     `json:"version"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Clean puts b in canonical form and checks it. A buyer without a status is
// pending. It returns *ValidationError.
func (b *Buyer) Clean() error {
	b.LegalName = trim(b.LegalName)
	b.Country = upperTrim(b.Country)
	b.VATNumber = compactID(b.VATNumber)
	b.LEI = compactID(b.LEI)
	if b.Status == "" {
		b.Status = VendorPending
	}
	return Validate(b)
}
