package catalog

import (
	"time"

	"github.com/google/uuid"
)

// OfferingStatus is the publication state of an offering.
type OfferingStatus string

// The offering states. Only published offerings are public and searchable.
const (
	OfferingDraft     OfferingStatus = "draft"
	OfferingPublished OfferingStatus = "published"
	OfferingWithdrawn OfferingStatus = "withdrawn"
)

// DeliveryMode says where a service is delivered.
type DeliveryMode string

// The delivery modes.
const (
	DeliveryRemote DeliveryMode = "remote"
	DeliveryOnSite DeliveryMode = "on-site"
	DeliveryHybrid DeliveryMode = "hybrid"
)

// Offering is a service a vendor sells, in one service category.
type Offering struct {
	ID       uuid.UUID `json:"id"`
	VendorID uuid.UUID `json:"vendor_id"`
	// Name is the offering's display name.
	Name string `json:"name" validate:"required,notblank,max=200"`
	// Category is a service category slug from the reference taxonomy.
	Category string `json:"category" validate:"required,slug,max=64"`
	// CPVCodes are Common Procurement Vocabulary codes (Regulation (EC)
	// 213/2008) with their check digit, such as 72212730-5.
	CPVCodes []string `json:"cpv_codes" validate:"max=20,dive,cpv"`
	// Summary is a one-paragraph summary per ISO 639-1 language; at least one.
	Summary map[string]string `json:"summary" validate:"required,min=1,max=24,dive,keys,language,endkeys,required,notblank,max=500"`
	// Description is the long description per ISO 639-1 language.
	Description map[string]string `json:"description" validate:"max=24,dive,keys,language,endkeys,required,notblank,max=10000"`
	// Delivery is how the service is delivered.
	Delivery DeliveryMode `json:"delivery" validate:"required,oneof=remote on-site hybrid"`
	// Countries lists the ISO 3166-1 alpha-2 countries the offering serves.
	Countries []string `json:"countries" validate:"required,min=1,max=60,dive,country"`
	// Languages lists the ISO 639-1 languages support is given in.
	Languages []string `json:"languages" validate:"required,min=1,max=30,dive,language"`
	// DataLocations lists the countries where customer data is stored or
	// processed; empty when the service handles no customer data.
	DataLocations []string `json:"data_locations" validate:"max=60,dive,country"`
	// ClearedIn lists the countries where staff delivering the service hold a
	// national security clearance.
	ClearedIn []string `json:"cleared_in" validate:"max=60,dive,country"`
	// HealthcareReferences are reference customers in healthcare.
	HealthcareReferences []Reference `json:"healthcare_references" validate:"max=50,dive"`
	// Status is the publication state.
	Status OfferingStatus `json:"status" validate:"required,oneof=draft published withdrawn"`

	Version   int64     `json:"version"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Reference is a healthcare customer reference for an offering.
type Reference struct {
	Customer string `json:"customer" validate:"required,notblank,max=200"`
	Country  string `json:"country" validate:"required,country"`
	Year     int    `json:"year" validate:"omitempty,min=1990,max=2100"`
}

// Clean puts o in canonical form and checks it: it trims text and fixes the
// case of codes, validates (errors name fields and list positions as the
// caller sent them), then sorts lists and drops repeats. New offerings
// without a status are drafts. It returns *ValidationError.
func (o *Offering) Clean() error {
	o.Name = trim(o.Name)
	o.Category = lowerTrim(o.Category)
	o.CPVCodes = each(o.CPVCodes, trim)
	o.Summary = lowerKeys(o.Summary)
	o.Description = lowerKeys(o.Description)
	o.Countries = each(o.Countries, upperTrim)
	o.Languages = each(o.Languages, lowerTrim)
	o.DataLocations = each(o.DataLocations, upperTrim)
	o.ClearedIn = each(o.ClearedIn, upperTrim)
	if o.HealthcareReferences == nil {
		o.HealthcareReferences = []Reference{}
	}
	for i := range o.HealthcareReferences {
		r := &o.HealthcareReferences[i]
		r.Customer = trim(r.Customer)
		r.Country = upperTrim(r.Country)
	}
	if o.Status == "" {
		o.Status = OfferingDraft
	}
	if err := Validate(o); err != nil {
		return err
	}
	o.CPVCodes, o.Countries, o.Languages = set(o.CPVCodes), set(o.Countries), set(o.Languages)
	o.DataLocations, o.ClearedIn = set(o.DataLocations), set(o.ClearedIn)
	return nil
}
