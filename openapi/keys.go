package openapi

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/google/uuid"

	"github.com/cybermarket/cybermarket/catalog"
)

// APIKey is an API key as the API shows it: never its secret.
type APIKey struct {
	ID         uuid.UUID  `json:"id" doc:"Key identifier; also the actor of its writes in the audit trail." example:"0192f1e0-7b1c-7c3e-9a4b-2f1d3c4b5a72"`
	Name       string     `json:"name" doc:"Whose key it is." example:"Nordlicht integration"`
	Role       string     `json:"role" enum:"admin,verifier,analyst,vendor,buyer" doc:"What the key may do." example:"vendor"`
	VendorID   *uuid.UUID `json:"vendor_id,omitempty" doc:"The vendor a vendor key acts for." example:"0192f1e0-7b1c-7c3e-9a4b-2f1d3c4b5a69"`
	BuyerID    *uuid.UUID `json:"buyer_id,omitempty" doc:"The buyer organisation a buyer key acts for." example:"0192f1e0-7b1c-7c3e-9a4b-2f1d3c4b5a80"`
	CreatedAt  time.Time  `json:"created_at" doc:"When the key was made (UTC)." example:"2026-11-28T10:00:00Z"`
	CreatedBy  string     `json:"created_by" doc:"The actor that made it: a key id, anonymous (self-registration) or a CLI name." example:"cli:keys"`
	ExpiresAt  *time.Time `json:"expires_at,omitempty" doc:"When the key stops working (UTC); never when absent."`
	LastUsedAt *time.Time `json:"last_used_at,omitempty" doc:"When the key last authenticated a request, to within a minute (UTC)."`
	RevokedAt  *time.Time `json:"revoked_at,omitempty" doc:"When the key was revoked (UTC)."`
}

// NewAPIKey is a key as it is made: the only response that carries its token.
type NewAPIKey struct {
	APIKey
	Token string `json:"token" doc:"The bearer token: send it as Authorization: Bearer <token>. Shown once; the service keeps only a hash of it." example:"cm_0192f1e07b1c7c3e9a4b2f1d3c4b5a72_4fJ9kz3XhQn0wq1Yv8sEeR2aT5uLbP6cMdG7iK0oNpA"`
}

func newAPIKey(k catalog.APIKey) APIKey {
	out := APIKey{ID: k.ID, Name: k.Name, Role: string(k.Role), CreatedAt: k.CreatedAt, CreatedBy: k.CreatedBy,
		ExpiresAt: k.ExpiresAt, LastUsedAt: k.LastUsedAt, RevokedAt: k.RevokedAt}
	if k.VendorID != uuid.Nil {
		id := k.VendorID
		out.VendorID = &id
	}
	if k.BuyerID != uuid.Nil {
		id := k.BuyerID
		out.BuyerID = &id
	}
	return out
}

func newAPIKeyWithToken(k catalog.APIKey, token string) *NewAPIKey {
	return &NewAPIKey{APIKey: newAPIKey(k), Token: token}
}

// register stores a registration for the caller: an admin registers an
// active vendor; a caller without a key a pending vendor with its vendor key
// (self-registration, rate-limited per client address). Other keys may not.
// alone says the registration is a vendor alone (POST /v1/vendors), whose
// errors name fields without the "vendor." prefix of a bundle.
func (h *handlers) register(ctx context.Context, b catalog.Bundle, alone bool) (catalog.Bundle, catalog.APIKey, string, error) {
	p := PrincipalFrom(ctx)
	switch {
	case p.Role == catalog.RoleAdmin && alone:
		b.Vendor.Status = catalog.VendorActive
		v, err := h.Catalog.CreateVendor(ctx, b.Vendor)
		return catalog.Bundle{Vendor: v}, catalog.APIKey{}, "", err
	case p.Role == catalog.RoleAdmin:
		b.Vendor.Status = catalog.VendorActive
		out, err := h.Catalog.CreateBundle(ctx, b)
		return out, catalog.APIKey{}, "", err
	case p.anonymous():
		done, err := h.registering(ctx)
		if err != nil {
			return catalog.Bundle{}, catalog.APIKey{}, "", err
		}
		b.Vendor.Status = catalog.VendorPending
		var key catalog.APIKey
		var token string
		if alone {
			b.Vendor, key, token, err = h.Catalog.RegisterVendor(ctx, b.Vendor, selfRegistrationKey)
		} else {
			b, key, token, err = h.Catalog.RegisterBundle(ctx, b, selfRegistrationKey)
		}
		done(err == nil)
		return b, key, token, err
	}
	return catalog.Bundle{}, catalog.APIKey{}, "", denied("Only admins register vendors with a key. Register without a key to self-register.")
}

// selfRegistrationKey names the vendor key a self-registration returns.
const selfRegistrationKey = "self-registration"

// KeyInput is what a caller sends to make a key.
type KeyInput struct {
	Name      string     `json:"name" minLength:"1" maxLength:"100" doc:"Whose key it is, for key lists and the audit trail." example:"Nordlicht integration"`
	Role      string     `json:"role" enum:"admin,verifier,analyst,vendor,buyer" doc:"What the key may do. Vendor keys may only make vendor keys for their own vendor, buyer keys buyer keys for their own buyer organisation." example:"vendor"`
	VendorID  *uuid.UUID `json:"vendor_id,omitempty" doc:"The vendor a vendor key acts for; defaults to the caller's own vendor for vendor keys." example:"0192f1e0-7b1c-7c3e-9a4b-2f1d3c4b5a69"`
	BuyerID   *uuid.UUID `json:"buyer_id,omitempty" doc:"The buyer organisation a buyer key acts for; defaults to the caller's own organisation for buyer keys." example:"0192f1e0-7b1c-7c3e-9a4b-2f1d3c4b5a80"`
	ExpiresAt *time.Time `json:"expires_at,omitempty" doc:"When the key stops working (RFC 3339); never when absent." example:"2027-11-28T00:00:00Z"`
}

// KeyPath names a key in the path.
type KeyPath struct {
	ID uuid.UUID `path:"id" doc:"Key identifier." example:"0192f1e0-7b1c-7c3e-9a4b-2f1d3c4b5a72"`
}

// KeyList is one page of keys.
type KeyList struct {
	Items      []APIKey `json:"items" doc:"Keys of this page, oldest first."`
	NextCursor string   `json:"next_cursor,omitempty" doc:"Cursor of the next page; absent on the last page." example:"0192f1e0-7b1c-7c3e-9a4b-2f1d3c4b5a72"`
}

// mayManageKey checks the caller may see or revoke k: admins any key, a
// vendor key the keys of its own vendor, a buyer key those of its own buyer
// organisation. Others' keys do not exist for it (404).
func mayManageKey(ctx context.Context, k catalog.APIKey) error {
	p := PrincipalFrom(ctx)
	switch {
	case p.Role == catalog.RoleAdmin,
		p.Role == catalog.RoleVendor && k.VendorID == p.VendorID,
		p.Role == catalog.RoleBuyer && k.Role == catalog.RoleBuyer && k.BuyerID == p.BuyerID:
		return nil
	}
	return catalog.ErrNotFound
}

// keyOwners: admins, and vendor and buyer keys for the keys of their own
// vendor or buyer organisation (the handlers check which are theirs).
var keyOwners = access{roles: []catalog.Role{catalog.RoleAdmin, catalog.RoleBuyer}, owner: true}

// CreateKeyInput is the key to make.
type CreateKeyInput struct {
	Body KeyInput
}

// CreateKeyOutput is a new key with its token, shown this once.
type CreateKeyOutput struct {
	Location string `header:"Location" doc:"URL of the new key."`
	Body     NewAPIKey
}

// GetCurrentKeyInput is empty: the key is the one the request was made with.
type GetCurrentKeyInput struct{}

// ListKeysInput filters and pages the key list.
type ListKeysInput struct {
	VendorID uuid.UUID `query:"vendor_id" doc:"Only keys of this vendor (admins; vendor keys always see their own vendor's)." example:"0192f1e0-7b1c-7c3e-9a4b-2f1d3c4b5a69"`
	BuyerID  uuid.UUID `query:"buyer_id" doc:"Only keys of this buyer organisation (admins; buyer keys always see their own organisation's)." example:"0192f1e0-7b1c-7c3e-9a4b-2f1d3c4b5a80"`
	Role     string    `query:"role" enum:"admin,verifier,analyst,vendor,buyer" doc:"Only keys with this role." example:"vendor"`
	Revoked  bool      `query:"revoked" doc:"Include revoked keys." example:"false"`
	PageParams
}

// KeyListOutput is a page of keys with a link to the next.
type KeyListOutput struct {
	Link string `header:"Link" doc:"RFC 8288 link to the next page, when there is one."`
	Body KeyList
}

// GetKeyInput names the key to return.
type GetKeyInput struct {
	KeyPath
}

// RevokeKeyInput names the key to revoke.
type RevokeKeyInput struct {
	KeyPath
}

// KeyOutput is one key, without its secret.
type KeyOutput struct {
	Body APIKey
}

func (h *handlers) registerKeys(api huma.API) {
	tags := []string{"Access"}
	huma.Register(api, huma.Operation{
		OperationID: "create-key", Method: http.MethodPost, Path: "/v1/keys", DefaultStatus: http.StatusCreated,
		Summary:     "Make an API key",
		Description: "Makes a key and returns its token, once: the service stores only a hash. Admins make keys of any role; a vendor key makes vendor keys for its own vendor (to rotate keys), and a buyer key buyer keys for its own buyer organisation (for a colleague or an integration), at most 20 active per vendor or buyer (409 beyond). A pending or suspended buyer makes none.",
		Tags:        tags, Errors: []int{401, 403, 409, 422},
		Metadata: allow(keyOwners),
	}, h.createKey)
	huma.Register(api, huma.Operation{
		OperationID: "get-current-key", Method: http.MethodGet, Path: "/v1/keys/current",
		Summary:     "Describe the key of this request",
		Description: "Returns the key the request was made with: its role, its vendor for a vendor key, its expiry. Useful to check a key works.",
		Tags:        tags, Errors: []int{401},
		Metadata: allow(anyKey),
	}, h.getCurrentKey)
	huma.Register(api, huma.Operation{
		OperationID: "list-keys", Method: http.MethodGet, Path: "/v1/keys",
		Summary:     "List API keys",
		Description: "Lists keys oldest first, without their secrets. Admins see every key; a vendor key sees the keys of its own vendor, a buyer key those of its own buyer organisation.",
		Tags:        tags, Errors: []int{401, 403},
		Metadata: allow(keyOwners),
	}, h.listKeys)
	huma.Register(api, huma.Operation{
		OperationID: "get-key", Method: http.MethodGet, Path: "/v1/keys/{id}",
		Summary:     "Get an API key",
		Description: "Returns one key, without its secret. A vendor or buyer key sees only the keys of its own vendor or buyer organisation (404 for others).",
		Tags:        tags, Errors: []int{401, 403, 404},
		Metadata: allow(keyOwners),
	}, h.getKey)
	huma.Register(api, huma.Operation{
		OperationID: "revoke-key", Method: http.MethodPost, Path: "/v1/keys/{id}/revoke",
		Summary:     "Revoke an API key",
		Description: "Revokes a key: it stops working at once, on every replica. The key stays listed (with revoked_at) for the audit trail. Revoking a revoked key changes nothing. A vendor or buyer key may revoke the keys of its own vendor or buyer organisation, itself included (404 for others).",
		Tags:        tags, Errors: []int{401, 403, 404},
		Metadata: allow(keyOwners),
	}, h.revokeKey)
}

func (h *handlers) createKey(ctx context.Context, in *CreateKeyInput) (*CreateKeyOutput, error) {
	k := catalog.APIKey{Name: in.Body.Name, Role: catalog.Role(in.Body.Role), ExpiresAt: in.Body.ExpiresAt}
	if in.Body.VendorID != nil {
		k.VendorID = *in.Body.VendorID
	}
	if in.Body.BuyerID != nil {
		k.BuyerID = *in.Body.BuyerID
	}
	if err := mayMakeKey(PrincipalFrom(ctx), &k); err != nil {
		return nil, err
	}
	if PrincipalFrom(ctx).Role == catalog.RoleBuyer {
		if _, err := h.activeBuyer(ctx); err != nil {
			return nil, err
		}
	}
	created, token, err := h.Catalog.CreateKey(ctx, k)
	if err != nil {
		return nil, err
	}
	return &CreateKeyOutput{Location: "/v1/keys/" + created.ID.String(), Body: *newAPIKeyWithToken(created, token)}, nil
}

// mayMakeKey checks p may make the key k: a vendor key makes vendor keys of
// its own vendor only (k's vendor defaults to it), a buyer key buyer keys of
// its own organisation (likewise). Admins may make any key.
func mayMakeKey(p Principal, k *catalog.APIKey) error {
	switch p.Role {
	case catalog.RoleVendor:
		return mayMakeOwnKey(p.Role, k, &k.VendorID, p.VendorID, "vendor")
	case catalog.RoleBuyer:
		return mayMakeOwnKey(p.Role, k, &k.BuyerID, p.BuyerID, "buyer organisation")
	}
	return nil
}

// mayMakeOwnKey is mayMakeKey for a key of role that belongs to an
// organisation (mine): it may make keys of its role for mine only; the new
// key's owner (its vendor or buyer, org) defaults to mine.
func mayMakeOwnKey(role catalog.Role, k *catalog.APIKey, owner *uuid.UUID, mine uuid.UUID, org string) error {
	if k.Role != role {
		return denied(fmt.Sprintf("A %s key may only make %s keys.", role, role))
	}
	if *owner == uuid.Nil {
		*owner = mine
	}
	if *owner != mine {
		return denied(fmt.Sprintf("A %s key may only make keys for its own %s.", role, org))
	}
	return nil
}

func (h *handlers) getCurrentKey(ctx context.Context, _ *GetCurrentKeyInput) (*KeyOutput, error) {
	k, err := h.Catalog.FindKey(ctx, PrincipalFrom(ctx).KeyID)
	if err != nil {
		return nil, err
	}
	return &KeyOutput{Body: newAPIKey(k)}, nil
}

func (h *handlers) listKeys(ctx context.Context, in *ListKeysInput) (*KeyListOutput, error) {
	f := catalog.KeyFilter{VendorID: in.VendorID, BuyerID: in.BuyerID, Role: catalog.Role(in.Role), Revoked: in.Revoked,
		Cursor: in.Cursor, Limit: in.Limit}
	switch p := PrincipalFrom(ctx); p.Role {
	case catalog.RoleVendor:
		f.VendorID, f.BuyerID = p.VendorID, uuid.Nil
	case catalog.RoleBuyer:
		f.VendorID, f.BuyerID = uuid.Nil, p.BuyerID
	}
	page, err := h.Catalog.ListKeys(ctx, f)
	if err != nil {
		return nil, err
	}
	out := &KeyListOutput{}
	out.Body.Items = make([]APIKey, len(page.Items))
	for i, k := range page.Items {
		out.Body.Items[i] = newAPIKey(k)
	}
	out.Body.NextCursor = page.Next
	q := url.Values{"role": {in.Role}, "limit": {itoa(in.Limit)}}
	if f.VendorID != uuid.Nil {
		q.Set("vendor_id", f.VendorID.String())
	}
	if f.BuyerID != uuid.Nil {
		q.Set("buyer_id", f.BuyerID.String())
	}
	if in.Revoked {
		q.Set("revoked", "true")
	}
	out.Link = nextLink("/v1/keys", q, page.Next)
	return out, nil
}

func (h *handlers) getKey(ctx context.Context, in *GetKeyInput) (*KeyOutput, error) {
	k, err := h.Catalog.FindKey(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	if err := mayManageKey(ctx, k); err != nil {
		return nil, err
	}
	return &KeyOutput{Body: newAPIKey(k)}, nil
}

func (h *handlers) revokeKey(ctx context.Context, in *RevokeKeyInput) (*KeyOutput, error) {
	k, err := h.Catalog.FindKey(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	if err := mayManageKey(ctx, k); err != nil {
		return nil, err
	}
	k, err = h.Catalog.RevokeKey(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	return &KeyOutput{Body: newAPIKey(k)}, nil
}
