package catalog

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// change is one write, recorded in the same transaction as the write: an
// audit event, change-log and outbox rows for the search documents it
// affects, and the vendor's event of a verification decision.
type change struct {
	action   string // create, update, delete, withdraw, ...
	entity   string // vendor, offering, certification
	id       uuid.UUID
	vendorID uuid.UUID
	before   any // nil on create
	after    any // nil on delete
	// offerings whose search documents change; vendorWide enqueues every
	// offering of the vendor instead.
	offerings  []uuid.UUID
	vendorWide bool
}

// record writes the audit event and the outbox rows of ch within tx.
func record(ctx context.Context, tx pgx.Tx, ch change) error {
	actor := ActorFrom(ctx)
	before, err := jsonOrNil(ch.before)
	if err != nil {
		return err
	}
	after, err := jsonOrNil(ch.after)
	if err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `
		INSERT INTO audit_events (actor, actor_role, request_id, action, entity, entity_id, vendor_id, before, after)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		actor.ID, actor.Role, actor.RequestID, ch.action, ch.entity, ch.id.String(), nullID(ch.vendorID), before, after); err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	if err := logChange(ctx, tx, ch); err != nil {
		return fmt.Errorf("change log: %w", err)
	}
	if err := verificationEvent(ctx, tx, ch); err != nil {
		return fmt.Errorf("verification event: %w", err)
	}
	reason := ch.entity + " " + ch.action
	switch {
	case ch.vendorWide:
		_, err = tx.Exec(ctx, `INSERT INTO search_outbox (offering_id, reason) SELECT id, $2 FROM offerings WHERE vendor_id = $1`,
			ch.vendorID, reason)
	case len(ch.offerings) > 0:
		_, err = tx.Exec(ctx, `INSERT INTO search_outbox (offering_id, reason) SELECT DISTINCT o, $2 FROM unnest($1::uuid[]) AS o`,
			ch.offerings, reason)
	}
	if err != nil {
		return fmt.Errorf("outbox: %w", err)
	}
	if ch.vendorWide || len(ch.offerings) > 0 {
		// Wakes the search workers when the transaction commits.
		if _, err := tx.Exec(ctx, `SELECT pg_notify($1, '')`, OutboxChannel); err != nil {
			return fmt.Errorf("outbox notify: %w", err)
		}
	}
	return nil
}

// OutboxChannel is the PostgreSQL notification channel signalled when a
// transaction adds rows to search_outbox.
const OutboxChannel = "search_outbox"

func jsonOrNil(v any) ([]byte, error) {
	if v == nil {
		return nil, nil
	}
	return json.Marshal(v)
}

// certificationScope returns the offerings whose documents a certification
// touches: those it lists, or every offering of the vendor when it lists
// none (an organisation-wide certification).
func certificationScope(c Certification) (offerings []uuid.UUID, vendorWide bool) {
	if len(c.OfferingIDs) == 0 {
		return nil, true
	}
	return c.OfferingIDs, false
}
