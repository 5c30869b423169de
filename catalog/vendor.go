package catalog

import (
	"time"

	"github.com/google/uuid"
)

// SizeClass is the SME size class of a vendor as defined in Commission
// Recommendation 2003/361/EC.
type SizeClass string

// The size classes.
const (
	SizeMicro  SizeClass = "micro"
	SizeSmall  SizeClass = "small"
	SizeMedium SizeClass = "medium"
	SizeLarge  SizeClass = "large"
)

// VendorStatus is a vendor's admission state.
type VendorStatus string

// The admission states. Only active vendors and their published offerings
// are public.
const (
	VendorPending   VendorStatus = "pending"
	VendorActive    VendorStatus = "active"
	VendorSuspended VendorStatus = "suspended"
)

// SizeClasses lists every SizeClass in ascending order.
var SizeClasses = []SizeClass{SizeMicro, SizeSmall, SizeMedium, SizeLarge}

// Vendor is an organisation that sells cybersecurity services.
type Vendor struct {
	ID uuid.UUID `json:"id"`
	// LegalName is the registered name of the legal entity.
	LegalName string `json:"legal_name" validate:"required,notblank,max=200"`
	// TradingName is the name the vendor trades under, if different.
	TradingName string `json:"trading_name" validate:"omitempty,notblank,max=200"`
	// VATNumber is the VAT identification number with its country prefix:
	// EU (EL for Greece, XI for Northern Ireland) or Norwegian, without
	// spaces or dots.
	VATNumber string `json:"vat_number" validate:"required,vat"`
	// LEI is the optional ISO 17442 Legal Entity Identifier.
	LEI string `json:"lei" validate:"omitempty,lei"`
	// EUID is the optional European Unique Identifier from the business
	// registers interconnection system (BRIS).
	EUID string `json:"euid" validate:"omitempty,euid"`
	// Country is the ISO 3166-1 alpha-2 code of the head office.
	Country string `json:"country" validate:"required,country"`
	// EstablishedIn lists the countries where the vendor has an establishment
	// (branch or subsidiary), including the head-office country.
	EstablishedIn []string `json:"established_in" validate:"max=60,dive,country"`
	// Size is the SME size class.
	Size SizeClass `json:"size" validate:"required,oneof=micro small medium large"`
	// Website is the vendor's public website.
	Website string `json:"website" validate:"omitempty,max=300,http_url"`
	// Contact is how buyers reach the vendor.
	Contact Contact `json:"contact"`
	// Status is the admission state; new vendors are active unless the
	// caller says otherwise.
	Status VendorStatus `json:"status" validate:"required,oneof=pending active suspended"`

	Version   int64     `json:"version"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Contact is a vendor's point of contact.
type Contact struct {
	Name  string `json:"name" validate:"omitempty,notblank,max=200"`
	Email string `json:"email" validate:"required,max=254,email"`
	Phone string `json:"phone" validate:"omitempty,e164"`
}

// Clean puts v in canonical form and checks it: it trims text and
// upper-cases identifiers, validates (errors name fields and list positions
// as the caller sent them), then sorts lists, drops repeats and adds the
// head-office country to EstablishedIn. It returns *ValidationError.
func (v *Vendor) Clean() error {
	v.LegalName = trim(v.LegalName)
	v.TradingName = trim(v.TradingName)
	v.VATNumber = compactID(v.VATNumber)
	v.LEI = compactID(v.LEI)
	v.EUID = upperTrim(v.EUID)
	v.Country = upperTrim(v.Country)
	v.EstablishedIn = each(v.EstablishedIn, upperTrim)
	v.Website = trim(v.Website)
	v.Contact.Name = trim(v.Contact.Name)
	v.Contact.Email = trim(v.Contact.Email)
	v.Contact.Phone = compactPhone(v.Contact.Phone)
	if v.Status == "" {
		v.Status = VendorActive
	}
	if err := Validate(v); err != nil {
		return err
	}
	v.EstablishedIn = set(append(v.EstablishedIn, v.Country))
	return nil
}
