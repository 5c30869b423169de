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

// OfferingInput is what a client sends to create or replace an offering.
type OfferingInput struct {
	Name                 string            `json:"name" maxLength:"200" doc:"Display name of the service." example:"24/7 incident response retainer for hospitals"`
	Category             string            `json:"category" maxLength:"64" doc:"Service category slug from the reference taxonomy (GET /v1/categories)." example:"incident-response"`
	CPVCodes             []string          `json:"cpv_codes,omitempty" maxItems:"20" doc:"Common Procurement Vocabulary codes with check digit (Regulation (EC) 213/2008)." example:"[\"72212730-5\"]"`
	Summary              map[string]string `json:"summary" doc:"One-paragraph summary per ISO 639-1 language code; at least one language." example:"{\"en\":\"On-call DFIR team, on site within 4 hours.\",\"de\":\"DFIR-Bereitschaft, vor Ort binnen 4 Stunden.\"}"`
	Description          map[string]string `json:"description,omitempty" doc:"Long description per ISO 639-1 language code." example:"{\"en\":\"Retainer with triage, forensics and recovery support.\"}"`
	Delivery             string            `json:"delivery" enum:"remote,on-site,hybrid" doc:"Where the service is delivered." example:"hybrid"`
	Countries            []string          `json:"countries" minItems:"1" maxItems:"60" doc:"ISO 3166-1 alpha-2 codes of the countries served." example:"[\"DE\",\"AT\"]"`
	Languages            []string          `json:"languages" minItems:"1" maxItems:"30" doc:"ISO 639-1 codes of the languages support is given in." example:"[\"de\",\"en\"]"`
	DataLocations        []string          `json:"data_locations,omitempty" maxItems:"60" doc:"ISO 3166-1 alpha-2 codes of the countries where customer data is stored or processed; empty when the service holds no customer data." example:"[\"DE\"]"`
	ClearedIn            []string          `json:"cleared_in,omitempty" maxItems:"60" doc:"Countries where the staff delivering the service hold a national security clearance." example:"[\"DE\"]"`
	HealthcareReferences []ReferenceInput  `json:"healthcare_references,omitempty" maxItems:"50" doc:"Healthcare customers that may be contacted as references."`
	Status               string            `json:"status,omitempty" enum:"draft,published,withdrawn" default:"draft" doc:"Publication state: only published offerings are public and searchable." example:"published"`
}

// ReferenceInput is a healthcare customer reference.
type ReferenceInput struct {
	Customer string `json:"customer" maxLength:"200" doc:"Name of the customer." example:"Klinikum Beispielstadt (fictional)"`
	Country  string `json:"country" minLength:"2" maxLength:"2" doc:"Customer's country (ISO 3166-1 alpha-2)." example:"DE"`
	Year     int    `json:"year,omitempty" doc:"Year of the engagement." example:"2025"`
}

// Offering is an offering as the API shows it.
type Offering struct {
	ID       uuid.UUID `json:"id" doc:"Offering identifier (UUIDv7)." example:"0192f1e0-7b1c-7c3e-9a4b-2f1d3c4b5a70"`
	VendorID uuid.UUID `json:"vendor_id" doc:"The vendor selling the offering." example:"0192f1e0-7b1c-7c3e-9a4b-2f1d3c4b5a69"`
	OfferingInput
	Version   int64     `json:"version" doc:"Version number, incremented by every change; also the ETag." example:"1"`
	CreatedAt time.Time `json:"created_at" doc:"When the offering was created (UTC)." example:"2026-11-28T10:00:00Z"`
	UpdatedAt time.Time `json:"updated_at" doc:"When the offering last changed (UTC)." example:"2026-11-28T10:00:00Z"`
}

// OfferingPatch lists the offering fields to change; omitted fields keep
// their value. Lists and language maps are replaced as a whole.
type OfferingPatch struct {
	Name                 *string           `json:"name,omitempty" maxLength:"200" doc:"Display name of the service." example:"Incident response retainer"`
	Category             *string           `json:"category,omitempty" maxLength:"64" doc:"Service category slug." example:"incident-response"`
	CPVCodes             []string          `json:"cpv_codes,omitempty" maxItems:"20" doc:"CPV codes; replaces the list." example:"[\"72212730-5\"]"`
	Summary              map[string]string `json:"summary,omitempty" doc:"Summaries per language; replaces the map." example:"{\"en\":\"On-call DFIR team.\"}"`
	Description          map[string]string `json:"description,omitempty" doc:"Descriptions per language; replaces the map." example:"{\"en\":\"Retainer with triage and forensics.\"}"`
	Delivery             *string           `json:"delivery,omitempty" enum:"remote,on-site,hybrid" doc:"Where the service is delivered." example:"remote"`
	Countries            []string          `json:"countries,omitempty" maxItems:"60" doc:"Countries served; replaces the list." example:"[\"DE\",\"AT\",\"NL\"]"`
	Languages            []string          `json:"languages,omitempty" maxItems:"30" doc:"Support languages; replaces the list." example:"[\"de\",\"en\",\"nl\"]"`
	DataLocations        []string          `json:"data_locations,omitempty" maxItems:"60" doc:"Data locations; replaces the list." example:"[\"DE\"]"`
	ClearedIn            []string          `json:"cleared_in,omitempty" maxItems:"60" doc:"Countries of staff clearance; replaces the list." example:"[\"DE\"]"`
	HealthcareReferences []ReferenceInput  `json:"healthcare_references,omitempty" maxItems:"50" doc:"Healthcare references; replaces the list."`
	Status               *string           `json:"status,omitempty" enum:"draft,published,withdrawn" doc:"Publication state." example:"published"`
}

func (in OfferingInput) apply(o *catalog.Offering) {
	o.Name, o.Category, o.CPVCodes = in.Name, in.Category, in.CPVCodes
	o.Summary, o.Description = in.Summary, in.Description
	o.Delivery = catalog.DeliveryMode(in.Delivery)
	o.Countries, o.Languages, o.DataLocations, o.ClearedIn = in.Countries, in.Languages, in.DataLocations, in.ClearedIn
	o.HealthcareReferences = references(in.HealthcareReferences)
	o.Status = catalog.OfferingStatus(in.Status)
}

func (p OfferingPatch) apply(o *catalog.Offering) {
	set(&o.Name, p.Name)
	set(&o.Category, p.Category)
	if p.CPVCodes != nil {
		o.CPVCodes = p.CPVCodes
	}
	if p.Summary != nil {
		o.Summary = p.Summary
	}
	if p.Description != nil {
		o.Description = p.Description
	}
	if p.Delivery != nil {
		o.Delivery = catalog.DeliveryMode(*p.Delivery)
	}
	for _, l := range []struct{ dst, src *[]string }{
		{&o.Countries, &p.Countries}, {&o.Languages, &p.Languages},
		{&o.DataLocations, &p.DataLocations}, {&o.ClearedIn, &p.ClearedIn},
	} {
		if *l.src != nil {
			*l.dst = *l.src
		}
	}
	if p.HealthcareReferences != nil {
		o.HealthcareReferences = references(p.HealthcareReferences)
	}
	if p.Status != nil {
		o.Status = catalog.OfferingStatus(*p.Status)
	}
}

func references(in []ReferenceInput) []catalog.Reference {
	out := make([]catalog.Reference, len(in))
	for i, r := range in {
		out[i] = catalog.Reference(r)
	}
	return out
}

func newOffering(o catalog.Offering) Offering {
	refs := make([]ReferenceInput, len(o.HealthcareReferences))
	for i, r := range o.HealthcareReferences {
		refs[i] = ReferenceInput(r)
	}
	return Offering{
		ID: o.ID, VendorID: o.VendorID,
		OfferingInput: OfferingInput{
			Name: o.Name, Category: o.Category, CPVCodes: orEmpty(o.CPVCodes), Summary: o.Summary,
			Description: o.Description, Delivery: string(o.Delivery), Countries: orEmpty(o.Countries),
			Languages: orEmpty(o.Languages), DataLocations: orEmpty(o.DataLocations), ClearedIn: orEmpty(o.ClearedIn),
			HealthcareReferences: refs, Status: string(o.Status),
		},
		Version: o.Version, CreatedAt: o.CreatedAt, UpdatedAt: o.UpdatedAt,
	}
}

// OfferingOutput is one offering with its ETag.
type OfferingOutput struct {
	ETag     string `header:"ETag" doc:"Strong entity tag of the returned version; send it in If-Match to update."`
	Location string `header:"Location" doc:"URL of the created offering (on create)."`
	Body     Offering
}

func offeringOutput(o catalog.Offering) *OfferingOutput {
	return &OfferingOutput{ETag: etag(o.Version), Body: newOffering(o)}
}

// OfferingPath names an offering in the path.
type OfferingPath struct {
	ID uuid.UUID `path:"id" doc:"Offering identifier." example:"0192f1e0-7b1c-7c3e-9a4b-2f1d3c4b5a70"`
}

// OfferingList is one page of offerings.
type OfferingList struct {
	Items      []Offering `json:"items" doc:"Offerings of this page, oldest first."`
	NextCursor string     `json:"next_cursor,omitempty" doc:"Cursor of the next page; absent on the last page." example:"0192f1e0-7b1c-7c3e-9a4b-2f1d3c4b5a70"`
}

// OfferingListOutput is a page of offerings with a link to the next.
type OfferingListOutput struct {
	Link string `header:"Link" doc:"RFC 8288 link to the next page, when there is one."`
	Body OfferingList
}

// CreateOfferingInput is the offering to add to the vendor in the path.
type CreateOfferingInput struct {
	VendorPath
	Body OfferingInput
}

// GetOfferingInput names the offering to return.
type GetOfferingInput struct {
	OfferingPath
}

// ListOfferingsInput filters and pages the offering list.
type ListOfferingsInput struct {
	VendorID uuid.UUID `query:"vendor_id" doc:"Only offerings of this vendor." example:"0192f1e0-7b1c-7c3e-9a4b-2f1d3c4b5a69"`
	Category string    `query:"category" doc:"Only offerings in this service category." example:"penetration-testing"`
	Status   string    `query:"status" enum:"draft,published,withdrawn" doc:"Only offerings in this publication state." example:"published"`
	Country  string    `query:"country" doc:"Only offerings serving this country (ISO 3166-1 alpha-2)." example:"FR"`
	Language string    `query:"language" doc:"Only offerings with support in this language (ISO 639-1)." example:"fr"`
	PageParams
}

// ReplaceOfferingInput is an offering's new fields, for the version the caller read.
type ReplaceOfferingInput struct {
	OfferingPath
	RequiredIfMatch
	Body OfferingInput
}

// UpdateOfferingInput is the offering fields to change.
type UpdateOfferingInput struct {
	OfferingPath
	IfMatch
	Body OfferingPatch
}

// WithdrawOfferingInput names the offering to withdraw.
type WithdrawOfferingInput struct {
	OfferingPath
	IfMatch
}

func (h *handlers) registerOfferings(api huma.API) {
	tags := []string{"Offerings"}
	huma.Register(api, huma.Operation{
		OperationID: "create-offering", Method: http.MethodPost, Path: "/v1/vendors/{id}/offerings", DefaultStatus: http.StatusCreated,
		Summary:     "Create an offering of a vendor",
		Description: "Adds a service to a vendor's catalogue. The category must be a slug of the reference taxonomy; new offerings are drafts unless status says published. Published offerings of a pending vendor become public when staff approve the vendor.",
		Tags:        tags, Errors: []int{401, 403, 404, 422},
		Metadata: allow(ownerOrAdmin),
	}, h.createOffering)
	huma.Register(api, huma.Operation{
		OperationID: "get-offering", Method: http.MethodGet, Path: "/v1/offerings/{id}",
		Summary:     "Get an offering",
		Description: "Returns one offering with its current version as ETag. Drafts, withdrawn offerings and the offerings of vendors that are not active are visible only to the vendor's own keys and to staff (404 for others).",
		Tags:        tags, Errors: []int{404},
	}, h.getOffering)
	huma.Register(api, huma.Operation{
		OperationID: "list-offerings", Method: http.MethodGet, Path: "/v1/offerings",
		Summary:     "List offerings",
		Description: "Lists offerings oldest first, filtered by vendor, category, status, country served and support language, a page at a time. For ranked, typo-tolerant search use the search endpoint. The public sees published offerings of active vendors; a vendor key also every offering of its own vendor; staff every offering.",
		Tags:        tags,
	}, h.listOfferings)
	huma.Register(api, huma.Operation{
		OperationID: "replace-offering", Method: http.MethodPut, Path: "/v1/offerings/{id}",
		Summary:     "Replace an offering",
		Description: "Replaces every field of an offering. Requires If-Match with the ETag you read: 428 without it, 412 when the offering changed since.",
		Tags:        tags, Errors: []int{401, 403, 404, 412, 422, 428},
		Metadata: allow(ownerOrAdmin),
	}, h.replaceOffering)
	huma.Register(api, huma.Operation{
		OperationID: "update-offering", Method: http.MethodPatch, Path: "/v1/offerings/{id}",
		Summary:     "Update some fields of an offering",
		Description: "Changes the fields present in the body and keeps the others, atomically; with If-Match only if that version is still current (412 otherwise).",
		Tags:        tags, Errors: []int{401, 403, 404, 412, 422},
		Metadata: allow(ownerOrAdmin),
	}, h.updateOffering)
	huma.Register(api, huma.Operation{
		OperationID: "withdraw-offering", Method: http.MethodPost, Path: "/v1/offerings/{id}/withdraw",
		Summary:     "Withdraw an offering",
		Description: "Takes an offering out of the public catalogue and search. It stays on record and can be published again with an update.",
		Tags:        tags, Errors: []int{401, 403, 404, 412},
		Metadata: allow(ownerOrAdmin),
	}, h.withdrawOffering)
}

func (h *handlers) createOffering(ctx context.Context, in *CreateOfferingInput) (*OfferingOutput, error) {
	if err := h.mayChangeVendor(ctx, in.ID); err != nil {
		return nil, err
	}
	o := catalog.Offering{VendorID: in.ID}
	in.Body.apply(&o)
	created, err := h.Catalog.CreateOffering(ctx, o)
	if err != nil {
		return nil, err
	}
	out := offeringOutput(created)
	out.Location = "/v1/offerings/" + created.ID.String()
	return out, nil
}

func (h *handlers) getOffering(ctx context.Context, in *GetOfferingInput) (*OfferingOutput, error) {
	o, err := h.Catalog.VisibleOffering(ctx, in.ID, viewerFrom(ctx))
	if err != nil {
		return nil, err
	}
	return offeringOutput(o), nil
}

func (h *handlers) listOfferings(ctx context.Context, in *ListOfferingsInput) (*OfferingListOutput, error) {
	page, err := h.Catalog.ListOfferings(ctx, catalog.OfferingFilter{
		VendorID: in.VendorID, Category: in.Category, Status: catalog.OfferingStatus(in.Status),
		Country: in.Country, Language: in.Language, Cursor: in.Cursor, Limit: in.Limit, Viewer: viewerFrom(ctx),
	})
	if err != nil {
		return nil, err
	}
	out := &OfferingListOutput{}
	out.Body.Items = make([]Offering, len(page.Items))
	for i, o := range page.Items {
		out.Body.Items[i] = newOffering(o)
	}
	out.Body.NextCursor = page.Next
	vendor := ""
	if in.VendorID != uuid.Nil {
		vendor = in.VendorID.String()
	}
	out.Link = nextLink("/v1/offerings", url.Values{"vendor_id": {vendor}, "category": {in.Category},
		"status": {in.Status}, "country": {in.Country}, "language": {in.Language}, "limit": {itoa(in.Limit)}}, page.Next)
	return out, nil
}

func (h *handlers) replaceOffering(ctx context.Context, in *ReplaceOfferingInput) (*OfferingOutput, error) {
	version, err := in.RequiredIfMatch.version()
	if err != nil {
		return nil, err
	}
	return h.changeOffering(ctx, in.ID, version, in.Body.apply)
}

func (h *handlers) updateOffering(ctx context.Context, in *UpdateOfferingInput) (*OfferingOutput, error) {
	version, err := in.IfMatch.version()
	if err != nil {
		return nil, err
	}
	return h.changeOffering(ctx, in.ID, version, in.Body.apply)
}

// changeOffering applies change to the offering id at version (0: the
// current one), if the caller may change it.
func (h *handlers) changeOffering(ctx context.Context, id uuid.UUID, version int64, change func(*catalog.Offering)) (*OfferingOutput, error) {
	if err := h.mayChangeOffering(ctx, id); err != nil {
		return nil, err
	}
	o, err := h.Catalog.UpdateOffering(ctx, id, version, func(o *catalog.Offering) error {
		change(o)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return offeringOutput(o), nil
}

func (h *handlers) withdrawOffering(ctx context.Context, in *WithdrawOfferingInput) (*OfferingOutput, error) {
	version, err := in.IfMatch.version()
	if err != nil {
		return nil, err
	}
	if err := h.mayChangeOffering(ctx, in.ID); err != nil {
		return nil, err
	}
	o, err := h.Catalog.WithdrawOffering(ctx, in.ID, version)
	if err != nil {
		return nil, err
	}
	return offeringOutput(o), nil
}
