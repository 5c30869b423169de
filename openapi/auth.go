package openapi

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"

	"github.com/danielgtaylor/huma/v2"
	"github.com/google/uuid"

	"github.com/cybermarket/cybermarket/catalog"
)

// Access control.
//
// Callers authenticate with a bearer API key (Authorization: Bearer
// cm_<key id>_<secret>). Every operation declares who may call it (an
// access rule in its Metadata, published as its OpenAPI security
// requirement); the authenticate middleware enforces the rule before the
// handler runs and puts the caller in the context, where the audit trail
// and the handlers find it. Operations that declare nothing are public if
// they are GET or HEAD and admin-only otherwise: a new write is closed until
// someone opens it on purpose.
//
// The one rule for objects of another vendor: a vendor key that tries to
// change (or read the history of) an object of another vendor gets 404 when
// the object is not visible to it (a pending vendor, a draft, a withdrawn
// item: their existence must not leak) and 403 when it is public anyway. A
// caller never learns more from a refused write than from a GET.
//
// A request that sends a key which does not authenticate (malformed,
// unknown, wrong secret, revoked, expired) gets 401 on every operation,
// public ones included: a client with a broken key should hear about it,
// not be served silently as anonymous.

// securityScheme is the name of the bearer scheme in the spec.
const securityScheme = "bearer"

// access is who may call an operation.
type access struct {
	// anonymous callers (no key) are allowed.
	anonymous bool
	// roles of keyed callers that are allowed; with anonymous and no roles,
	// every key is allowed.
	roles []catalog.Role
	// owner allows vendor keys, for their own vendor's objects only; the
	// handler checks which objects are theirs.
	owner bool
	// registration counts anonymous calls against the per-address limit on
	// self-registration.
	registration bool
}

const accessKey = "access"

// The rules operations declare, with allow.
var (
	// publicRead: anyone; a key, when sent, must be valid and widens what is visible.
	publicRead = access{anonymous: true}
	// selfRegistration: anonymous callers register a pending vendor; admins an active one.
	selfRegistration = access{anonymous: true, roles: []catalog.Role{catalog.RoleAdmin}, registration: true}
	// ownerOrAdmin: the vendor's own key, or an admin.
	ownerOrAdmin = access{roles: []catalog.Role{catalog.RoleAdmin}, owner: true}
	// ownerOrStaff: the vendor's own key, an admin or a verifier.
	ownerOrStaff = access{roles: []catalog.Role{catalog.RoleAdmin, catalog.RoleVerifier}, owner: true}
	// adminOnly: administrators.
	adminOnly = access{roles: []catalog.Role{catalog.RoleAdmin}}
	// staffOnly: admins and verifiers.
	staffOnly = access{roles: []catalog.Role{catalog.RoleAdmin, catalog.RoleVerifier}}
	// anyKey: any valid key.
	anyKey = access{roles: catalog.Roles}
)

// allow declares an operation's access rule, as the operation's Metadata.
func allow(rule access) map[string]any { return map[string]any{accessKey: rule} }

// ruleOf returns the rule op declares, or the default: GET and HEAD are
// public reads, everything else is for admins only.
func ruleOf(op *huma.Operation) access {
	if op != nil {
		if r, ok := op.Metadata[accessKey].(access); ok {
			return r
		}
		if op.Method == http.MethodGet || op.Method == http.MethodHead {
			return publicRead
		}
	}
	return access{roles: []catalog.Role{catalog.RoleAdmin}}
}

// allows reports whether a keyed caller with role r passes the rule's role check.
func (a access) allows(r catalog.Role) bool {
	if a.anonymous && len(a.roles) == 0 {
		return true
	}
	return slices.Contains(a.roles, r) || (a.owner && r == catalog.RoleVendor)
}

// security is the OpenAPI security requirement of the rule: {} when
// anonymous callers are allowed, and the bearer scheme with the roles that
// may call (OpenAPI 3.1 lets non-OAuth schemes list roles).
func (a access) security() []map[string][]string {
	var req []map[string][]string
	if a.anonymous {
		req = append(req, map[string][]string{})
	}
	roles := []string{}
	for _, r := range catalog.Roles {
		if (a.anonymous && len(a.roles) == 0) || a.allows(r) {
			roles = append(roles, string(r))
		}
	}
	return append(req, map[string][]string{securityScheme: roles})
}

// describe is the rule in a sentence, appended to the operation's description.
func (a access) describe() string {
	var who []string
	for _, r := range a.roles {
		who = append(who, string(r))
	}
	switch {
	case a.anonymous && len(a.roles) == 0:
		return "Access: public; with an API key, also what that key may see."
	case a.anonymous:
		return "Access: anyone without a key, or a key with role " + strings.Join(who, " or ") + "."
	case a.owner:
		return "Access: a vendor key for the vendor's own objects, or a key with role " + strings.Join(who, " or ") + "."
	case len(a.roles) == len(catalog.Roles):
		return "Access: any valid API key."
	}
	return "Access: a key with role " + strings.Join(who, " or ") + "."
}

// declareSecurity publishes every operation's rule in the spec: the bearer
// scheme, each operation's security requirement, and a sentence in its
// description. It also records the default rule on operations that
// declared none, so the middleware and the spec agree.
func declareSecurity(api huma.API) {
	oapi := api.OpenAPI()
	if oapi.Components.SecuritySchemes == nil {
		oapi.Components.SecuritySchemes = map[string]*huma.SecurityScheme{}
	}
	oapi.Components.SecuritySchemes[securityScheme] = &huma.SecurityScheme{
		Type: "http", Scheme: "bearer", BearerFormat: "cm_<key id>_<secret>",
		Description: "An API key, shown once when it is made. Roles: admin (everything), verifier (verifies certifications, admits vendors, reads the audit trail), analyst (public data), vendor (one vendor's own data). Missing, malformed, revoked or expired keys get 401 with WWW-Authenticate: Bearer.",
	}
	for _, item := range oapi.Paths {
		for _, op := range []*huma.Operation{item.Get, item.Head, item.Post, item.Put, item.Patch, item.Delete} {
			if op == nil {
				continue
			}
			rule := ruleOf(op)
			if op.Metadata == nil {
				op.Metadata = map[string]any{}
			}
			op.Metadata[accessKey] = rule
			op.Security = rule.security()
			if s := rule.describe(); !strings.Contains(op.Description, s) {
				op.Description = strings.TrimSpace(op.Description + "\n\n" + s)
			}
		}
	}
}

// Principal is the authenticated caller of a request.
type Principal struct {
	KeyID    uuid.UUID
	Name     string
	Role     catalog.Role // "" for anonymous callers
	VendorID uuid.UUID    // the vendor of a vendor key
	BuyerID  uuid.UUID    // the buyer organisation of a buyer key
}

type principalKey struct{}

// PrincipalFrom returns the caller of the request ctx belongs to; the zero
// Principal is anonymous.
func PrincipalFrom(ctx context.Context) Principal {
	p, _ := ctx.Value(principalKey{}).(Principal)
	return p
}

func (p Principal) anonymous() bool { return p.Role == "" }

// viewer is what p may see of the catalogue.
func (p Principal) viewer() catalog.Viewer {
	v := catalog.Viewer{Staff: p.Role.Staff()}
	if p.Role == catalog.RoleVendor {
		v.Vendor = p.VendorID
	}
	return v
}

// actor is how the audit trail records p.
func (p Principal) actor(requestID string) catalog.Actor {
	if p.anonymous() {
		return catalog.Actor{ID: catalog.Anonymous.ID, Role: catalog.Anonymous.Role, RequestID: requestID}
	}
	return catalog.Actor{ID: p.KeyID.String(), Role: string(p.Role), RequestID: requestID}
}

func principalOf(k catalog.APIKey) Principal {
	return Principal{KeyID: k.ID, Name: k.Name, Role: k.Role, VendorID: k.VendorID, BuyerID: k.BuyerID}
}

// bearerToken returns the token of an "Authorization: Bearer <token>" header.
func bearerToken(header string) (string, bool) {
	scheme, token, ok := strings.Cut(strings.TrimSpace(header), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	token = strings.TrimSpace(token)
	return token, token != ""
}

// authenticate is the huma middleware that resolves the caller, enforces the
// operation's rule and the rate limits, and puts the caller and the audit
// actor in the context.
func (h *handlers) authenticate(api huma.API) func(huma.Context, func(huma.Context)) {
	return func(hctx huma.Context, next func(huma.Context)) {
		ctx := hctx.Context()
		rule := ruleOf(hctx.Operation())
		addr := clientKey(ctx, hctx.RemoteAddr())
		var p Principal
		if header := hctx.Header("Authorization"); header != "" {
			var ok bool
			if p, ok = h.keyHolder(api, hctx, header, addr, rule); !ok {
				return
			}
		}
		switch {
		case p.anonymous() && !rule.anonymous:
			unauthorized(api, hctx, "", "This operation needs an API key: send Authorization: Bearer <key>.")
			return
		case !p.anonymous() && !rule.allows(p.Role):
			_ = huma.WriteErr(api, hctx, http.StatusForbidden, "A key with role "+string(p.Role)+" may not call this operation.")
			return
		}
		if p.anonymous() {
			if wait, ok := h.limits.address.take(addr); !ok {
				tooMany(api, hctx, wait, "Too many requests from your address; slow down, or use an API key.")
				return
			}
		} else if wait, ok := h.limits.key.take(p.KeyID.String()); !ok {
			tooMany(api, hctx, wait, "Too many requests with this API key; slow down.")
			return
		}
		ctx = context.WithValue(ctx, principalKey{}, p)
		ctx = catalog.WithActor(ctx, p.actor(RequestID(ctx)))
		next(huma.WithContext(hctx, ctx))
	}
}

// keyHolder authenticates the key in an Authorization header. When it
// answers the request itself (401, 429, 503) it returns false.
//
// Failures are counted per key id when the token is well-formed, and per
// client address only when it is not: a token without a well-formed key id
// can never authenticate, so refusing it before the database costs no valid
// key anything, while a well-formed one is always checked, so that a valid
// key is never refused for the failures of others (behind a shared address,
// or guessing its secret). Past the limit, failures answer 429 instead of 401.
//
// When the database does not answer, a key cannot be checked: operations
// open to anonymous callers are served as to an anonymous caller, which can
// only narrow what is visible (a key widens it, never narrows it); others
// answer 503.
func (h *handlers) keyHolder(api huma.API, hctx huma.Context, header, addr string, rule access) (Principal, bool) {
	ctx := hctx.Context()
	token, ok := bearerToken(header)
	keyID, wellFormed := catalog.TokenKeyID(token)
	if !ok || !wellFormed {
		if wait, ok := h.limits.authFailures.take("addr:" + addr); !ok {
			tooMany(api, hctx, wait, "Too many requests with malformed keys from your address.")
			return Principal{}, false
		}
		if !ok {
			unauthorized(api, hctx, `error="invalid_request"`, "The Authorization header must be: Bearer <API key>.")
		} else {
			unauthorized(api, hctx, `error="invalid_token"`, "The API key is not valid.")
		}
		return Principal{}, false
	}
	key, err := h.Catalog.Authenticate(ctx, token)
	var aerr *catalog.AuthError
	switch {
	case errors.As(err, &aerr):
		loggerFrom(ctx).InfoContext(ctx, "authentication failed", "reason", aerr.Reason, "key_id", keyID)
		if wait, ok := h.limits.authFailures.take("key:" + keyID.String()); !ok {
			tooMany(api, hctx, wait, "Too many failed requests with this key id.")
			return Principal{}, false
		}
		detail := "The API key is not valid."
		if aerr.Reason == "revoked" || aerr.Reason == "expired" || aerr.Reason == "suspended" {
			detail = "The API key is " + aerr.Reason + "."
		}
		unauthorized(api, hctx, `error="invalid_token"`, detail)
		return Principal{}, false
	case catalog.IsUnavailable(err) && rule.anonymous:
		loggerFrom(ctx).WarnContext(ctx, "key not checked: database unavailable; serving as anonymous", "key_id", keyID)
		hctx.SetHeader("Warning", `199 - "API key not checked (database unavailable): public data only"`)
		return Principal{}, true
	case err != nil:
		_ = huma.WriteErr(api, hctx, http.StatusInternalServerError, "", err)
		return Principal{}, false
	}
	return principalOf(key), true
}

// unauthorized answers 401 with the WWW-Authenticate challenge of RFC 6750.
func unauthorized(api huma.API, hctx huma.Context, params, detail string) {
	challenge := `Bearer realm="cybermarket"`
	if params != "" {
		challenge += ", " + params
	}
	hctx.SetHeader("WWW-Authenticate", challenge)
	_ = huma.WriteErr(api, hctx, http.StatusUnauthorized, detail)
}

// Ownership.

// errForbidden is a new error each time: the problem is stamped with the
// request's instance on the way out, so it must not be shared.
func errForbidden() error {
	return huma.Error403Forbidden("This object belongs to another vendor; your key may not change it.")
}

// mayChange decides whether the caller may change the objects of the vendor
// vendorID. Admins may; a vendor key may for its own vendor. For others it
// returns 403 when visible reports the object is visible to the caller, and
// 404 when it is not (see the rule at the top of this file).
func mayChange(ctx context.Context, vendorID uuid.UUID, visible func(catalog.Viewer) error) error {
	p := PrincipalFrom(ctx)
	switch {
	case p.Role == catalog.RoleAdmin:
		return nil
	case p.Role == catalog.RoleVendor && p.VendorID == vendorID:
		return nil
	}
	if err := visible(p.viewer()); err != nil {
		return err // ErrNotFound when hidden
	}
	return errForbidden()
}

// mayChangeVendor checks the caller may change the vendor with id (or add to it).
func (h *handlers) mayChangeVendor(ctx context.Context, id uuid.UUID) error {
	if _, err := h.Catalog.FindVendor(ctx, id); err != nil {
		return err
	}
	return mayChange(ctx, id, func(v catalog.Viewer) error {
		_, err := h.Catalog.VisibleVendor(ctx, id, v)
		return err
	})
}

// mayChangeOffering checks the caller may change the offering with id.
func (h *handlers) mayChangeOffering(ctx context.Context, id uuid.UUID) error {
	o, err := h.Catalog.FindOffering(ctx, id)
	if err != nil {
		return err
	}
	return mayChange(ctx, o.VendorID, func(v catalog.Viewer) error {
		_, err := h.Catalog.VisibleOffering(ctx, id, v)
		return err
	})
}

// mayChangeCertification checks the caller may change the certification with id.
func (h *handlers) mayChangeCertification(ctx context.Context, id uuid.UUID) error {
	c, err := h.Catalog.FindCertification(ctx, id)
	if err != nil {
		return err
	}
	return mayChange(ctx, c.VendorID, func(v catalog.Viewer) error {
		_, err := h.Catalog.VisibleCertification(ctx, id, v)
		return err
	})
}

// viewerFrom is what the caller of ctx may see.
func viewerFrom(ctx context.Context) catalog.Viewer { return PrincipalFrom(ctx).viewer() }
