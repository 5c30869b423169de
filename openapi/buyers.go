package openapi

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/google/uuid"

	"github.com/cybermarket/cybermarket/catalog"
)

// BuyerInput is what a client sends to register a buyer organisation.
type BuyerInput struct {
	LegalName  string `json:"legal_name" maxLength:"200" doc:"Registered name of the hospital or care provider." example:"Klinikum Nordstadt gGmbH (fictional)"`
	Country    string `json:"country" minLength:"2" maxLength:"2" doc:"ISO 3166-1 alpha-2 code of the buyer's seat." example:"DE"`
	Ownership  string `json:"ownership" enum:"public,private" doc:"Public or private organisation: the buyer kind its projects are assessed for by default." example:"public"`
	NIS2Entity string `json:"nis2_entity" enum:"essential,important,none" doc:"Classification under the NIS2 Directive (EU) 2022/2555; hospitals are usually essential entities." example:"essential"`
	VATNumber  string `json:"vat_number" maxLength:"20" doc:"VAT identification number with its country prefix, in that country's format and with its national check digits where the country defines them; unique among buyers." example:"DE811907980"`
	LEI        string `json:"lei,omitempty" maxLength:"20" doc:"ISO 17442 Legal Entity Identifier, checked with its check digits." example:"5299000J2N45DDNE4Y28"`
}

// Buyer is a buyer organisation as the API shows it.
type Buyer struct {
	ID uuid.UUID `json:"id" doc:"Buyer identifier (UUIDv7)." example:"0192f1e0-7b1c-7c3e-9a4b-2f1d3c4b5a80"`
	BuyerInput
	Status    string    `json:"status" enum:"pending,active,suspended" doc:"Admission state: only active buyers make projects and see vendors' tender contacts." example:"active"`
	Version   int64     `json:"version" doc:"Version number, incremented by every change; also the ETag." example:"1"`
	CreatedAt time.Time `json:"created_at" doc:"When the buyer was registered (UTC)." example:"2026-11-28T10:00:00Z"`
	UpdatedAt time.Time `json:"updated_at" doc:"When the buyer last changed (UTC)." example:"2026-11-28T10:00:00Z"`
}

func (in BuyerInput) domain() catalog.Buyer {
	return catalog.Buyer{LegalName: in.LegalName, Country: in.Country, Ownership: catalog.Ownership(in.Ownership),
		NIS2: catalog.NIS2Entity(in.NIS2Entity), VATNumber: in.VATNumber, LEI: in.LEI}
}

func newBuyer(b catalog.Buyer) Buyer {
	return Buyer{ID: b.ID, BuyerInput: BuyerInput{LegalName: b.LegalName, Country: b.Country, Ownership: string(b.Ownership),
		NIS2Entity: string(b.NIS2), VATNumber: b.VATNumber, LEI: b.LEI},
		Status: string(b.Status), Version: b.Version, CreatedAt: b.CreatedAt, UpdatedAt: b.UpdatedAt}
}

// RegisteredBuyer is a newly registered buyer with its buyer key.
type RegisteredBuyer struct {
	Buyer
	APIKey *NewAPIKey `json:"api_key" doc:"The buyer key bound to this organisation. Its token is shown only here, once: store it now."`
}

// CreateBuyerInput is the buyer to register.
type CreateBuyerInput struct {
	Body BuyerInput
}

// CreateBuyerOutput is the registered buyer with its key.
type CreateBuyerOutput struct {
	ETag     string `header:"ETag" doc:"Strong entity tag of the returned version."`
	Location string `header:"Location" doc:"URL of the created buyer."`
	Body     RegisteredBuyer
}

// BuyerPath names a buyer in the path.
type BuyerPath struct {
	ID uuid.UUID `path:"id" doc:"Buyer identifier." example:"0192f1e0-7b1c-7c3e-9a4b-2f1d3c4b5a80"`
}

// GetBuyerInput names the buyer to return.
type GetBuyerInput struct {
	BuyerPath
}

// ApproveBuyerInput names the buyer to admit.
type ApproveBuyerInput struct {
	BuyerPath
	IfMatch
}

// SuspendBuyerInput names the buyer to suspend.
type SuspendBuyerInput struct {
	BuyerPath
	IfMatch
}

// BuyerOutput is one buyer with its ETag.
type BuyerOutput struct {
	ETag string `header:"ETag" doc:"Strong entity tag of the returned version."`
	Body Buyer
}

// buyerSelf is a buyer key's access to its own buyer organisation (the
// handlers check which one is theirs); staff see every buyer.
var buyerSelf = access{roles: []catalog.Role{catalog.RoleBuyer, catalog.RoleAdmin, catalog.RoleVerifier}}

func (h *handlers) registerBuyers(api huma.API) {
	tags := []string{"Buyers"}
	huma.Register(api, huma.Operation{
		OperationID: "create-buyer", Method: http.MethodPost, Path: "/v1/buyers", DefaultStatus: http.StatusCreated,
		Summary:     "Register a buyer organisation",
		Description: "Registers a hospital or care provider that procures services, and returns, once, a buyer key bound to it. Without a key this is self-registration: the buyer is pending until staff approve it (a pending buyer sees its own organisation but makes no projects and sees no tender contacts); registrations per client address are rate-limited. With an admin key the buyer is active at once. The VAT number must be a well-formed EU VAT number and unique among buyers (409 otherwise).",
		Tags:        tags, Errors: []int{401, 403, 409, 429},
		Metadata: allow(selfRegistration),
	}, h.createBuyer)
	huma.Register(api, huma.Operation{
		OperationID: "get-buyer", Method: http.MethodGet, Path: "/v1/buyers/{id}",
		Summary:     "Get a buyer organisation",
		Description: "Returns one buyer. Buyers are not public: a buyer key sees its own organisation only (404 for others), staff see every buyer.",
		Tags:        tags, Errors: []int{401, 403, 404},
		Metadata: allow(buyerSelf),
	}, h.getBuyer)
	huma.Register(api, huma.Operation{
		OperationID: "approve-buyer", Method: http.MethodPost, Path: "/v1/buyers/{id}/approve",
		Summary:     "Admit a buyer organisation",
		Description: "Makes a pending buyer active: its keys may then make procurement projects and see vendors' tender contacts. Approving an active buyer changes nothing.",
		Tags:        tags, Errors: []int{401, 403, 404, 412},
		Metadata: allow(staffOnly),
	}, h.approveBuyer)
	huma.Register(api, huma.Operation{
		OperationID: "suspend-buyer", Method: http.MethodPost, Path: "/v1/buyers/{id}/suspend",
		Summary:     "Suspend a buyer organisation",
		Description: "Suspends a buyer: every key bound to it stops working at once (401, \"The API key is suspended.\"), its projects, locked snapshots and outcomes stay as they are and staff still read them. Approving the buyer again revives its keys. Suspending a suspended buyer changes nothing.",
		Tags:        tags, Errors: []int{401, 403, 404, 412},
		Metadata: allow(staffOnly),
	}, h.suspendBuyer)
}

func (h *handlers) createBuyer(ctx context.Context, in *CreateBuyerInput) (*CreateBuyerOutput, error) {
	b := in.Body.domain()
	p := PrincipalFrom(ctx)
	switch {
	case p.Role == catalog.RoleAdmin:
		b.Status = catalog.VendorActive
	case p.anonymous():
		b.Status = catalog.VendorPending
	default:
		return nil, denied("Only admins register buyers with a key. Register without a key to self-register.")
	}
	var done func(bool)
	if p.anonymous() {
		var err error
		if done, err = h.registering(ctx); err != nil {
			return nil, err
		}
	}
	created, key, token, err := h.Catalog.RegisterBuyer(ctx, b, selfRegistrationKey)
	if done != nil {
		done(err == nil)
	}
	if err != nil {
		return nil, err
	}
	return &CreateBuyerOutput{ETag: etag(created.Version), Location: "/v1/buyers/" + created.ID.String(),
		Body: RegisteredBuyer{Buyer: newBuyer(created), APIKey: newAPIKeyWithToken(key, token)}}, nil
}

func (h *handlers) getBuyer(ctx context.Context, in *GetBuyerInput) (*BuyerOutput, error) {
	p := PrincipalFrom(ctx)
	if !p.Role.Staff() && p.BuyerID != in.ID {
		return nil, catalog.ErrNotFound
	}
	b, err := h.Catalog.FindBuyer(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	return &BuyerOutput{ETag: etag(b.Version), Body: newBuyer(b)}, nil
}

func (h *handlers) approveBuyer(ctx context.Context, in *ApproveBuyerInput) (*BuyerOutput, error) {
	return h.setBuyerStatus(ctx, in.ID, in.IfMatch, catalog.VendorActive)
}

func (h *handlers) suspendBuyer(ctx context.Context, in *SuspendBuyerInput) (*BuyerOutput, error) {
	return h.setBuyerStatus(ctx, in.ID, in.IfMatch, catalog.VendorSuspended)
}

// setBuyerStatus admits or suspends a buyer, a staff action.
func (h *handlers) setBuyerStatus(ctx context.Context, id uuid.UUID, m IfMatch, status catalog.VendorStatus) (*BuyerOutput, error) {
	version, err := m.version()
	if err != nil {
		return nil, err
	}
	b, err := h.Catalog.SetBuyerStatus(ctx, id, version, status)
	if err != nil {
		return nil, err
	}
	return &BuyerOutput{ETag: etag(b.Version), Body: newBuyer(b)}, nil
}

// activeBuyer returns the buyer organisation of the caller's buyer key when
// it is admitted; otherwise a refusal (403) saying why.
func (h *handlers) activeBuyer(ctx context.Context) (catalog.Buyer, error) {
	p := PrincipalFrom(ctx)
	if p.Role != catalog.RoleBuyer {
		return catalog.Buyer{}, denied("Only buyer keys make procurement projects.")
	}
	b, err := h.Catalog.FindBuyer(ctx, p.BuyerID)
	if err != nil {
		return catalog.Buyer{}, err
	}
	if b.Status != catalog.VendorActive {
		return catalog.Buyer{}, denied("Your buyer organisation is " + string(b.Status) + ": staff admit it before it makes projects.")
	}
	return b, nil
}

// seesTenderContacts reports whether the caller is an admitted buyer, who
// sees every vendor's tender contact.
func (h *handlers) seesTenderContacts(ctx context.Context) bool {
	if PrincipalFrom(ctx).Role != catalog.RoleBuyer {
		return false
	}
	_, err := h.activeBuyer(ctx)
	return err == nil
}
