package catalog

import (
	"context"
	"encoding/json"
	"strconv"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// AuditEvent is one recorded write: who did what to which object, with the
// object as it was before and after. Events are written in the transaction
// of the write itself, so a write that failed left none, and every committed
// write left exactly one. Replaying an object's events in order, each
// event's Before equals the previous event's After.
type AuditEvent struct {
	ID        int64     `json:"id"`
	At        time.Time `json:"at"`
	Actor     string    `json:"actor"`      // an API key id, "anonymous", or a CLI name such as cli:import
	ActorRole string    `json:"actor_role"` // admin, verifier, analyst, vendor, anonymous or system
	RequestID string    `json:"request_id"`
	Action    string    `json:"action"` // create, update, delete, withdraw, approve, suspend, verify, reject, revoke, ...
	Entity    string    `json:"entity"` // vendor, offering, certification, api_key, ...
	EntityID  string    `json:"entity_id"`
	// VendorID is the vendor the object belongs to, when it belongs to one.
	VendorID uuid.UUID       `json:"vendor_id"`
	Before   json.RawMessage `json:"before"` // nil on create
	After    json.RawMessage `json:"after"`  // nil on delete
}

// AuditFilter selects audit events. Zero fields do not filter.
type AuditFilter struct {
	Entity   string
	EntityID string
	VendorID uuid.UUID
	Actor    string
	Action   string
	Since    time.Time // at or after
	Until    time.Time // before
	// Newest lists newest first; by default oldest first, the order to
	// replay an object's history in.
	Newest bool
	Cursor string
	Limit  int
}

const auditColumns = `id, at, actor, actor_role, request_id, action, entity, entity_id, vendor_id, before, after`

// The filter of both orders; only the direction differs, so the two
// statements are constants rather than text built per request.
const auditWhere = `
	WHERE ($1 = '' OR entity = $1)
	  AND ($2 = '' OR entity_id = $2)
	  AND ($3::uuid IS NULL OR vendor_id = $3)
	  AND ($4 = '' OR actor = $4)
	  AND ($5 = '' OR action = $5)
	  AND ($6::timestamptz IS NULL OR at >= $6)
	  AND ($7::timestamptz IS NULL OR at < $7)`

const (
	auditOldestFirst = `SELECT ` + auditColumns + ` FROM audit_events` + auditWhere + `
	  AND id > $8 ORDER BY id LIMIT $9`
	auditNewestFirst = `SELECT ` + auditColumns + ` FROM audit_events` + auditWhere + `
	  AND ($8 = 0 OR id < $8) ORDER BY id DESC LIMIT $9`
)

// ListAudit returns one page of audit events.
func (s *Store) ListAudit(ctx context.Context, f AuditFilter) (_ Page[AuditEvent], err error) {
	defer wrap(&err, "catalog.ListAudit")
	var after int64
	if f.Cursor != "" {
		if after, err = strconv.ParseInt(f.Cursor, 10, 64); err != nil || after <= 0 {
			return Page[AuditEvent]{}, ErrCursor
		}
	}
	size := pageSize(f.Limit)
	args := []any{f.Entity, f.EntityID, nullID(f.VendorID), f.Actor, f.Action, nullTime(f.Since), nullTime(f.Until), after, size + 1}
	var rows pgx.Rows
	if f.Newest {
		rows, err = s.pool.Query(ctx, auditNewestFirst, args...)
	} else {
		rows, err = s.pool.Query(ctx, auditOldestFirst, args...)
	}
	if err != nil {
		return Page[AuditEvent]{}, translate(err)
	}
	items, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (AuditEvent, error) {
		var e AuditEvent
		var vendor *uuid.UUID
		err := r.Scan(&e.ID, &e.At, &e.Actor, &e.ActorRole, &e.RequestID, &e.Action, &e.Entity, &e.EntityID, &vendor, &e.Before, &e.After)
		if vendor != nil {
			e.VendorID = *vendor
		}
		e.At = utc(e.At)
		return e, err
	})
	if err != nil {
		return Page[AuditEvent]{}, translate(err)
	}
	page := Page[AuditEvent]{Items: items}
	if len(items) > size {
		page.Items = items[:size]
		page.Next = strconv.FormatInt(items[size-1].ID, 10)
	}
	if page.Items == nil {
		page.Items = []AuditEvent{}
	}
	return page, nil
}

// nullTime maps the zero time to SQL NULL for optional filters.
func nullTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}
