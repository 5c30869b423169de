package openapi

import (
	"context"
	"net/http"
	"net/url"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/google/uuid"

	"github.com/cybermarket/cybermarket/catalog"
)

// VendorInput is what a client sends to create or replace a vendor.
type VendorInput struct {
	LegalName     string       `json:"legal_name" maxLength:"200" doc:"Registered name of the legal entity." example:"Nordlicht Cyber Defence GmbH (fictional)"`
	TradingName   string       `json:"trading_name,omitempty" maxLength:"200" doc:"Name the vendor trades under, when different from the legal name." example:"Nordlicht Cyber"`
	VATNumber     string       `json:"vat_number" maxLength:"20" doc:"VAT identification number with its country prefix (EL for Greece, XI for Northern Ireland; IS, LI, NO for the EEA states), in that country's format and, for AT, BE, DE, ES, FR, IT, NL and PL, with its national check digits. Spaces and dots are ignored." example:"DE811907980"`
	LEI           string       `json:"lei,omitempty" maxLength:"20" doc:"ISO 17442 Legal Entity Identifier, checked with its check digits." example:"5299000J2N45DDNE4Y28"`
	EUID          string       `json:"euid,omitempty" maxLength:"60" doc:"European Unique Identifier of the company register entry (BRIS)." example:"DEK1101R.HRB116737"`
	Country       string       `json:"country" minLength:"2" maxLength:"2" doc:"ISO 3166-1 alpha-2 code of the head-office country." example:"DE"`
	EstablishedIn []string     `json:"established_in,omitempty" maxItems:"60" doc:"ISO 3166-1 alpha-2 codes of the countries where the vendor has an establishment; the head-office country is always included." example:"[\"DE\",\"AT\"]"`
	Size          string       `json:"size" enum:"micro,small,medium,large" doc:"SME size class (Commission Recommendation 2003/361/EC)." example:"small"`
	Website       string       `json:"website,omitempty" maxLength:"300" doc:"Public website (http or https)." example:"https://nordlicht.example"`
	Contact       ContactInput `json:"contact" doc:"How buyers reach the vendor."`
}

// ContactInput is a vendor's point of contact.
type ContactInput struct {
	Name  string `json:"name,omitempty" maxLength:"200" doc:"Name of the contact person or team." example:"Tender desk"`
	Email string `json:"email" maxLength:"254" doc:"E-mail address for procurement enquiries." example:"tenders@nordlicht.example"`
	Phone string `json:"phone,omitempty" maxLength:"16" doc:"Phone number in E.164 form." example:"+4930123456"`
}

// Vendor is a vendor as the API shows it.
type Vendor struct {
	ID uuid.UUID `json:"id" doc:"Vendor identifier (UUIDv7)." example:"0192f1e0-7b1c-7c3e-9a4b-2f1d3c4b5a69"`
	VendorInput
	// Contact shadows VendorInput.Contact: it is shown only to the vendor itself and to staff.
	Contact   *ContactInput `json:"contact,omitempty" doc:"How buyers reach the vendor (the tender contact). Shown only to the vendor's own keys, to staff (admin, verifier) and to the keys of admitted buyers."`
	Status    string        `json:"status" enum:"pending,active,suspended" doc:"Admission state: only active vendors and their published offerings are public." example:"active"`
	Version   int64         `json:"version" doc:"Version number, incremented by every change; also the ETag." example:"1"`
	CreatedAt time.Time     `json:"created_at" doc:"When the vendor was registered (UTC)." example:"2026-11-28T10:00:00Z"`
	UpdatedAt time.Time     `json:"updated_at" doc:"When the vendor last changed (UTC)." example:"2026-11-28T10:00:00Z"`
}

// VendorPatch lists the vendor fields to change; omitted fields keep their
// value. Send "" to clear an optional text field.
type VendorPatch struct {
	LegalName     *string       `json:"legal_name,omitempty" maxLength:"200" doc:"Registered name of the legal entity." example:"Nordlicht Cyber Defence GmbH (fictional)"`
	TradingName   *string       `json:"trading_name,omitempty" maxLength:"200" doc:"Trading name; empty to clear." example:"Nordlicht"`
	VATNumber     *string       `json:"vat_number,omitempty" maxLength:"20" doc:"EU VAT identification number with its country prefix." example:"DE811907980"`
	LEI           *string       `json:"lei,omitempty" maxLength:"20" doc:"ISO 17442 LEI; empty to clear." example:"5299000J2N45DDNE4Y28"`
	EUID          *string       `json:"euid,omitempty" maxLength:"60" doc:"European Unique Identifier; empty to clear." example:"DEK1101R.HRB116737"`
	Country       *string       `json:"country,omitempty" minLength:"2" maxLength:"2" doc:"Head-office country (ISO 3166-1 alpha-2)." example:"DE"`
	EstablishedIn []string      `json:"established_in,omitempty" maxItems:"60" doc:"Countries of establishment; replaces the list." example:"[\"DE\",\"AT\",\"CH\"]"`
	Size          *string       `json:"size,omitempty" enum:"micro,small,medium,large" doc:"SME size class." example:"medium"`
	Website       *string       `json:"website,omitempty" maxLength:"300" doc:"Public website; empty to clear." example:"https://nordlicht.example"`
	Contact       *ContactInput `json:"contact,omitempty" doc:"Point of contact; replaces the contact as a whole."`
}

func (in VendorInput) domain() catalog.Vendor {
	return catalog.Vendor{
		LegalName: in.LegalName, TradingName: in.TradingName, VATNumber: in.VATNumber, LEI: in.LEI,
		EUID: in.EUID, Country: in.Country, EstablishedIn: in.EstablishedIn, Size: catalog.SizeClass(in.Size),
		Website: in.Website, Contact: catalog.Contact(in.Contact),
	}
}

// replace copies every client-settable field of in onto v.
func (in VendorInput) replace(v *catalog.Vendor) {
	d := in.domain()
	d.ID, d.Status, d.Version, d.CreatedAt, d.UpdatedAt = v.ID, v.Status, v.Version, v.CreatedAt, v.UpdatedAt
	*v = d
}

func (p VendorPatch) apply(v *catalog.Vendor) {
	set(&v.LegalName, p.LegalName)
	set(&v.TradingName, p.TradingName)
	set(&v.VATNumber, p.VATNumber)
	set(&v.LEI, p.LEI)
	set(&v.EUID, p.EUID)
	set(&v.Country, p.Country)
	if p.EstablishedIn != nil {
		v.EstablishedIn = p.EstablishedIn
	}
	if p.Size != nil {
		v.Size = catalog.SizeClass(*p.Size)
	}
	set(&v.Website, p.Website)
	if p.Contact != nil {
		v.Contact = catalog.Contact(*p.Contact)
	}
}

// set assigns *p to *dst when p is given.
func set[T any](dst *T, p *T) {
	if p != nil {
		*dst = *p
	}
}

func newVendor(v catalog.Vendor) Vendor {
	contact := ContactInput(v.Contact)
	return Vendor{
		ID: v.ID,
		VendorInput: VendorInput{
			LegalName: v.LegalName, TradingName: v.TradingName, VATNumber: v.VATNumber, LEI: v.LEI, EUID: v.EUID,
			Country: v.Country, EstablishedIn: orEmpty(v.EstablishedIn), Size: string(v.Size), Website: v.Website,
		},
		Contact: &contact,
		Status:  string(v.Status), Version: v.Version, CreatedAt: v.CreatedAt, UpdatedAt: v.UpdatedAt,
	}
}

// vendorFor is v as the caller of ctx may see it: without contact details
// unless the caller is the vendor itself, staff, or an admitted buyer (tender
// says whether the caller is one, see seesTenderContacts).
func vendorFor(ctx context.Context, v catalog.Vendor, tender bool) Vendor {
	out := newVendor(v)
	if !viewerFrom(ctx).Owns(v.ID) && !tender {
		out.Contact = nil
	}
	return out
}

// RegisteredVendor is a newly registered vendor and, for a self-registration,
// its vendor key.
type RegisteredVendor struct {
	Vendor
	APIKey *NewAPIKey `json:"api_key,omitempty" doc:"The vendor key of a self-registration (a registration without a key). Its token is shown only here, once: store it now."`
}

// RegisterVendorOutput is a registered vendor with its ETag and location.
type RegisterVendorOutput struct {
	ETag     string `header:"ETag" doc:"Strong entity tag of the returned version; send it in If-Match to update."`
	Location string `header:"Location" doc:"URL of the created vendor."`
	Body     RegisteredVendor
}

// VendorOutput is one vendor with its ETag.
type VendorOutput struct {
	ETag     string `header:"ETag" doc:"Strong entity tag of the returned version; send it in If-Match to update."`
	Location string `header:"Location" doc:"URL of the created vendor (on create)."`
	Body     Vendor
}

func vendorOutput(v catalog.Vendor) *VendorOutput {
	return &VendorOutput{ETag: etag(v.Version), Body: newVendor(v)}
}

// VendorPath names a vendor in the path.
type VendorPath struct {
	ID uuid.UUID `path:"id" doc:"Vendor identifier." example:"0192f1e0-7b1c-7c3e-9a4b-2f1d3c4b5a69"`
}

// VendorList is one page of vendors.
type VendorList struct {
	Items      []Vendor `json:"items" doc:"Vendors of this page, oldest first."`
	NextCursor string   `json:"next_cursor,omitempty" doc:"Cursor of the next page; absent on the last page." example:"0192f1e0-7b1c-7c3e-9a4b-2f1d3c4b5a69"`
}

// VendorListOutput is a page of vendors with a link to the next.
type VendorListOutput struct {
	Link string `header:"Link" doc:"RFC 8288 link to the next page, when there is one."`
	Body VendorList
}

// CreateVendorInput is the vendor to register.
type CreateVendorInput struct {
	Body VendorInput
}

// GetVendorInput names the vendor to return.
type GetVendorInput struct {
	VendorPath
}

// ListVendorsInput filters and pages the vendor list.
type ListVendorsInput struct {
	Country string `query:"country" doc:"Only vendors with their head office in this country (ISO 3166-1 alpha-2)." example:"DE"`
	Size    string `query:"size" enum:"micro,small,medium,large" doc:"Only vendors of this SME size class." example:"small"`
	Status  string `query:"status" enum:"pending,active,suspended" doc:"Only vendors in this admission state. Keys other than staff see active vendors (and their own) only." example:"pending"`
	PageParams
}

// ReplaceVendorInput is a vendor's new fields, for the version the caller read.
type ReplaceVendorInput struct {
	VendorPath
	RequiredIfMatch
	Body VendorInput
}

// UpdateVendorInput is the vendor fields to change.
type UpdateVendorInput struct {
	VendorPath
	IfMatch
	Body VendorPatch
}

// DeleteVendorInput names the vendor to delete.
type DeleteVendorInput struct {
	VendorPath
	IfMatch
}

// DeleteVendorOutput is the empty answer (204) of a deletion.
type DeleteVendorOutput struct{}

func (h *handlers) registerVendors(api huma.API) {
	tags := []string{"Vendors"}
	huma.Register(api, huma.Operation{
		OperationID: "create-vendor", Method: http.MethodPost, Path: "/v1/vendors", DefaultStatus: http.StatusCreated,
		Summary:     "Register a vendor",
		Description: "Registers an organisation that sells cybersecurity services. The VAT number must be a well-formed EU or EEA VAT number (with its national check digits where the country defines them) and unique in the catalogue (409 otherwise); the LEI, when given, must pass its ISO 17442 check digits. Without a key this is self-registration: the vendor is pending (not public until staff approve it) and the response carries its vendor key, once; registrations per client address are rate-limited. With an admin key the vendor is active at once.",
		Tags:        tags, Errors: []int{401, 403, 409, 429},
		Metadata: allow(selfRegistration),
	}, h.createVendor)
	huma.Register(api, huma.Operation{
		OperationID: "get-vendor", Method: http.MethodGet, Path: "/v1/vendors/{id}",
		Summary:     "Get a vendor",
		Description: "Returns one vendor with its current version as ETag. Pending and suspended vendors are visible only to their own key and to staff (404 for others); contact details only to the same.",
		Tags:        tags, Errors: []int{404},
	}, h.getVendor)
	huma.Register(api, huma.Operation{
		OperationID: "list-vendors", Method: http.MethodGet, Path: "/v1/vendors",
		Summary:     "List vendors",
		Description: "Lists vendors oldest first, a page at a time. Follow next_cursor (or the Link header) for the next page. The public sees active vendors; a vendor key also its own vendor; staff every vendor.",
		Tags:        tags,
	}, h.listVendors)
	huma.Register(api, huma.Operation{
		OperationID: "replace-vendor", Method: http.MethodPut, Path: "/v1/vendors/{id}",
		Summary:     "Replace a vendor",
		Description: "Replaces every field of a vendor. Requires If-Match with the ETag you read: 428 without it, 412 when the vendor changed since.",
		Tags:        tags, Errors: []int{401, 403, 404, 409, 412, 422, 428},
		Metadata: allow(ownerOrAdmin),
	}, h.replaceVendor)
	huma.Register(api, huma.Operation{
		OperationID: "update-vendor", Method: http.MethodPatch, Path: "/v1/vendors/{id}",
		Summary:     "Update some fields of a vendor",
		Description: "Changes the fields present in the body and keeps the others. The change is applied atomically to the current version; with If-Match it is applied only if that version is still current (412 otherwise).",
		Tags:        tags, Errors: []int{401, 403, 404, 409, 412, 422},
		Metadata: allow(ownerOrAdmin),
	}, h.updateVendor)
	huma.Register(api, huma.Operation{
		OperationID: "delete-vendor", Method: http.MethodDelete, Path: "/v1/vendors/{id}", DefaultStatus: http.StatusNoContent,
		Summary:     "Delete a vendor",
		Description: "Deletes a vendor together with its offerings and certifications, in one transaction. With If-Match, only if that version is still current.",
		Tags:        tags, Errors: []int{401, 403, 404, 412},
		Metadata: allow(ownerOrAdmin),
	}, h.deleteVendor)
}

func (h *handlers) createVendor(ctx context.Context, in *CreateVendorInput) (*RegisterVendorOutput, error) {
	b, key, token, err := h.register(ctx, catalog.Bundle{Vendor: in.Body.domain()}, true)
	if err != nil {
		return nil, err
	}
	out := &RegisterVendorOutput{ETag: etag(b.Vendor.Version), Location: "/v1/vendors/" + b.Vendor.ID.String()}
	out.Body.Vendor = newVendor(b.Vendor)
	if token != "" {
		out.Body.APIKey = newAPIKeyWithToken(key, token)
	}
	return out, nil
}

func (h *handlers) getVendor(ctx context.Context, in *GetVendorInput) (*VendorOutput, error) {
	v, err := h.Catalog.VisibleVendor(ctx, in.ID, viewerFrom(ctx))
	if err != nil {
		return nil, err
	}
	out := vendorOutput(v)
	out.Body = vendorFor(ctx, v, h.seesTenderContacts(ctx))
	return out, nil
}

func (h *handlers) listVendors(ctx context.Context, in *ListVendorsInput) (*VendorListOutput, error) {
	page, err := h.Catalog.ListVendors(ctx, catalog.VendorFilter{
		Country: in.Country, Size: catalog.SizeClass(in.Size), Status: catalog.VendorStatus(in.Status),
		Cursor: in.Cursor, Limit: in.Limit, Viewer: viewerFrom(ctx),
	})
	if err != nil {
		return nil, err
	}
	out := &VendorListOutput{}
	out.Body.Items = make([]Vendor, len(page.Items))
	tender := h.seesTenderContacts(ctx)
	for i, v := range page.Items {
		out.Body.Items[i] = vendorFor(ctx, v, tender)
	}
	out.Body.NextCursor = page.Next
	out.Link = nextLink("/v1/vendors", url.Values{"country": {in.Country}, "size": {in.Size}, "limit": {itoa(in.Limit)}}, page.Next)
	return out, nil
}

func (h *handlers) replaceVendor(ctx context.Context, in *ReplaceVendorInput) (*VendorOutput, error) {
	version, err := in.RequiredIfMatch.version()
	if err != nil {
		return nil, err
	}
	return h.changeVendor(ctx, in.ID, version, in.Body.replace)
}

func (h *handlers) updateVendor(ctx context.Context, in *UpdateVendorInput) (*VendorOutput, error) {
	version, err := in.IfMatch.version()
	if err != nil {
		return nil, err
	}
	return h.changeVendor(ctx, in.ID, version, in.Body.apply)
}

// changeVendor applies change to the vendor id at version (0: the current
// one), if the caller may change it.
func (h *handlers) changeVendor(ctx context.Context, id uuid.UUID, version int64, change func(*catalog.Vendor)) (*VendorOutput, error) {
	if err := h.mayChangeVendor(ctx, id); err != nil {
		return nil, err
	}
	v, err := h.Catalog.UpdateVendor(ctx, id, version, func(v *catalog.Vendor) error {
		change(v)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return vendorOutput(v), nil
}

func (h *handlers) deleteVendor(ctx context.Context, in *DeleteVendorInput) (*DeleteVendorOutput, error) {
	version, err := in.IfMatch.version()
	if err != nil {
		return nil, err
	}
	if err := h.mayChangeVendor(ctx, in.ID); err != nil {
		return nil, err
	}
	return nil, h.Catalog.DeleteVendor(ctx, in.ID, version)
}
