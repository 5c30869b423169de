package openapi

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/google/uuid"

	"github.com/cybermarket/cybermarket/catalog"
)

// AuditEvent is one recorded write.
type AuditEvent struct {
	ID        int64           `json:"id" doc:"Event number; events of one object in increasing id are its history in order." example:"42"`
	At        time.Time       `json:"at" doc:"When the write committed (UTC)." example:"2026-11-28T10:00:00Z"`
	Actor     string          `json:"actor" doc:"Who wrote: an API key id, anonymous (self-registration), or a CLI name such as cli:import." example:"0192f1e0-7b1c-7c3e-9a4b-2f1d3c4b5a72"`
	ActorRole string          `json:"actor_role" doc:"The actor's role: admin, verifier, analyst, vendor, anonymous or system (the CLI)." example:"vendor"`
	RequestID string          `json:"request_id,omitempty" doc:"The request id of the write (X-Request-Id), to find it in the logs." example:"0192f1e0-7b1c-7c3e-9a4b-2f1d3c4b5a73"`
	Action    string          `json:"action" doc:"What was done: create, update, delete, withdraw, approve, suspend, verify, reject, revoke." example:"update"`
	Entity    string          `json:"entity" doc:"The kind of object: vendor, offering, certification, api_key, requirement, scheme, buyer or project." example:"offering"`
	EntityID  string          `json:"entity_id" doc:"The object's identifier." example:"0192f1e0-7b1c-7c3e-9a4b-2f1d3c4b5a70"`
	VendorID  *uuid.UUID      `json:"vendor_id,omitempty" doc:"The vendor the object belongs to." example:"0192f1e0-7b1c-7c3e-9a4b-2f1d3c4b5a69"`
	Before    json.RawMessage `json:"before" doc:"The object before the write, as the store holds it; null on create."`
	After     json.RawMessage `json:"after" doc:"The object after the write; null on delete."`
}

func newAuditEvent(e catalog.AuditEvent) AuditEvent {
	out := AuditEvent{ID: e.ID, At: e.At, Actor: e.Actor, ActorRole: e.ActorRole, RequestID: e.RequestID,
		Action: e.Action, Entity: e.Entity, EntityID: e.EntityID, Before: e.Before, After: e.After}
	if e.VendorID != uuid.Nil {
		id := e.VendorID
		out.VendorID = &id
	}
	if out.Before == nil {
		out.Before = json.RawMessage("null")
	}
	if out.After == nil {
		out.After = json.RawMessage("null")
	}
	return out
}

// AuditList is one page of audit events.
type AuditList struct {
	Items      []AuditEvent `json:"items" doc:"Events of this page."`
	NextCursor string       `json:"next_cursor,omitempty" doc:"Cursor of the next page; absent on the last page." example:"42"`
}

// AuditListOutput is a page of events with a link to the next.
type AuditListOutput struct {
	Link string `header:"Link" doc:"RFC 8288 link to the next page, when there is one."`
	Body AuditList
}

// AuditPageParams page through events: the cursor is an event id.
type AuditPageParams struct {
	Cursor string `query:"cursor" doc:"Opaque cursor from next_cursor of the previous page; omit for the first page." example:"42"`
	Limit  int    `query:"limit" minimum:"1" maximum:"200" default:"50" doc:"Page size." example:"50"`
}

func parseTime(field, s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, catalog.Invalid(field, "must be a date-time in RFC 3339 form, such as 2026-11-28T10:00:00Z", s)
	}
	return t, nil
}

// ListAuditEventsInput filters and pages the audit trail.
type ListAuditEventsInput struct {
	Entity   string    `query:"entity" enum:"vendor,offering,certification,api_key,requirement,scheme,buyer,project" doc:"Only events on this kind of object." example:"certification"`
	EntityID string    `query:"entity_id" maxLength:"100" doc:"Only events on the object with this id." example:"0192f1e0-7b1c-7c3e-9a4b-2f1d3c4b5a71"`
	VendorID uuid.UUID `query:"vendor_id" doc:"Only events on the objects of this vendor (the vendor, its offerings, certifications and keys)." example:"0192f1e0-7b1c-7c3e-9a4b-2f1d3c4b5a69"`
	Actor    string    `query:"actor" maxLength:"100" doc:"Only events by this actor (a key id, anonymous, or a CLI name)." example:"cli:import"`
	Action   string    `query:"action" maxLength:"40" doc:"Only events of this action." example:"verify"`
	Since    string    `query:"since" format:"date-time" doc:"Only events at or after this time (RFC 3339)." example:"2026-11-01T00:00:00Z"`
	Until    string    `query:"until" format:"date-time" doc:"Only events before this time (RFC 3339)." example:"2026-12-01T00:00:00Z"`
	Order    string    `query:"order" enum:"newest,oldest" default:"newest" doc:"Newest first (to review), or oldest first (to replay)." example:"newest"`
	AuditPageParams
}

// filter is the catalogue filter the query asks for.
func (in *ListAuditEventsInput) filter() (catalog.AuditFilter, error) {
	since, err := parseTime("query.since", in.Since)
	if err != nil {
		return catalog.AuditFilter{}, err
	}
	until, err := parseTime("query.until", in.Until)
	if err != nil {
		return catalog.AuditFilter{}, err
	}
	return catalog.AuditFilter{Entity: in.Entity, EntityID: in.EntityID, VendorID: in.VendorID, Actor: in.Actor,
		Action: in.Action, Since: since, Until: until, Newest: in.Order != "oldest", Cursor: in.Cursor, Limit: in.Limit}, nil
}

// values is the query of the list, for the link to the next page.
func (in *ListAuditEventsInput) values() url.Values {
	q := url.Values{"entity": {in.Entity}, "entity_id": {in.EntityID}, "actor": {in.Actor}, "action": {in.Action},
		"since": {in.Since}, "until": {in.Until}, "order": {in.Order}}
	if in.VendorID != uuid.Nil {
		q.Set("vendor_id", in.VendorID.String())
	}
	return q
}

// HistoryParams name the object of a history and page through its events.
type HistoryParams struct {
	ID uuid.UUID `path:"id" doc:"Identifier of the object." example:"0192f1e0-7b1c-7c3e-9a4b-2f1d3c4b5a70"`
	AuditPageParams
}

// GetVendorHistoryInput names the vendor whose history to return.
type GetVendorHistoryInput struct {
	HistoryParams
}

// GetOfferingHistoryInput names the offering whose history to return.
type GetOfferingHistoryInput struct {
	HistoryParams
}

// GetCertificationHistoryInput names the certification whose history to return.
type GetCertificationHistoryInput struct {
	HistoryParams
}

func (h *handlers) registerAudit(api huma.API) {
	tags := []string{"Access"}
	huma.Register(api, huma.Operation{
		OperationID: "list-audit-events", Method: http.MethodGet, Path: "/v1/audit",
		Summary:     "List the audit trail",
		Description: "Every write of the catalogue and of API keys, with who made it (key id and role, or the CLI), the request id, and the object before and after. Events are written in the transaction of the write, so a write that failed left none. Filter by object, vendor, actor, action and time; page with the cursor.",
		Tags:        tags, Errors: []int{401, 403, 422},
		Metadata: allow(staffOnly),
	}, h.listAuditEvents)
	huma.Register(api, historyOperation("get-vendor-history", "vendor", "/v1/vendors/{id}/history"), h.getVendorHistory)
	huma.Register(api, historyOperation("get-offering-history", "offering", "/v1/offerings/{id}/history"), h.getOfferingHistory)
	huma.Register(api, historyOperation("get-certification-history", "certification", "/v1/certifications/{id}/history"), h.getCertificationHistory)
}

// historyOperation declares the history operation of one kind of object.
func historyOperation(id, entity, path string) huma.Operation {
	return huma.Operation{
		OperationID: id, Method: http.MethodGet, Path: path,
		Summary:     "History of a " + entity,
		Description: "Every recorded write of one " + entity + ", oldest first, each with the object before and after: replaying them rebuilds every version. Staff see any " + entity + "'s history (deleted ones too); a vendor key its own vendor's (403 for another vendor's public object, 404 when the object is not visible to it).",
		Tags:        []string{"Access"}, Errors: []int{401, 403, 404},
		Metadata: allow(ownerOrStaff),
	}
}

func (h *handlers) listAuditEvents(ctx context.Context, in *ListAuditEventsInput) (*AuditListOutput, error) {
	f, err := in.filter()
	if err != nil {
		return nil, err
	}
	return h.listAudit(ctx, "/v1/audit", in.values(), f)
}

func (h *handlers) getVendorHistory(ctx context.Context, in *GetVendorHistoryInput) (*AuditListOutput, error) {
	return h.history(ctx, "vendor", "/v1/vendors/", h.mayChangeVendor, in.HistoryParams)
}

func (h *handlers) getOfferingHistory(ctx context.Context, in *GetOfferingHistoryInput) (*AuditListOutput, error) {
	return h.history(ctx, "offering", "/v1/offerings/", h.mayChangeOffering, in.HistoryParams)
}

func (h *handlers) getCertificationHistory(ctx context.Context, in *GetCertificationHistoryInput) (*AuditListOutput, error) {
	return h.history(ctx, "certification", "/v1/certifications/", h.mayChangeCertification, in.HistoryParams)
}

// history returns a page of the events of one object of kind entity under
// path: staff see any object's, others those they may change (check).
// An object without events does not exist (404).
func (h *handlers) history(ctx context.Context, entity, path string, check func(context.Context, uuid.UUID) error, in HistoryParams) (*AuditListOutput, error) {
	if !PrincipalFrom(ctx).Role.Staff() {
		if err := check(ctx, in.ID); err != nil {
			return nil, err
		}
	}
	out, err := h.listAudit(ctx, path+in.ID.String()+"/history", url.Values{},
		catalog.AuditFilter{Entity: entity, EntityID: in.ID.String(), Cursor: in.Cursor, Limit: in.Limit})
	if err != nil {
		return nil, err
	}
	if len(out.Body.Items) == 0 && in.Cursor == "" {
		return nil, catalog.ErrNotFound
	}
	return out, nil
}

func (h *handlers) listAudit(ctx context.Context, path string, q url.Values, f catalog.AuditFilter) (*AuditListOutput, error) {
	page, err := h.Catalog.ListAudit(ctx, f)
	if err != nil {
		return nil, err
	}
	out := &AuditListOutput{}
	out.Body.Items = make([]AuditEvent, len(page.Items))
	for i, e := range page.Items {
		out.Body.Items[i] = newAuditEvent(e)
	}
	out.Body.NextCursor = page.Next
	q.Set("limit", itoa(f.Limit))
	out.Link = nextLink(path, q, page.Next)
	return out, nil
}
