package catalog

import (
	"context"
	"encoding/json"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// Events (migration 009) are addressed to one vendor or one buyer and go to
// the webhooks of that vendor's or buyer's keys, beside the public change
// feed. They are written in the transaction of their cause and numbered at
// its end (sequenceEvents), in commit order like the change log.

// The event types.
const (
	// EventCertificateExpiring: a certificate expires in 90, 30 or 7 days.
	EventCertificateExpiring = "certificate.expiring"
	// EventCertificateExpired: a certificate's last valid day has passed.
	EventCertificateExpired = "certificate.expired"
	// EventVerification: staff verified, rejected or suspended a certification.
	EventVerification = "certificate.verification"
	// EventEligibility: a change of the reference data changed where an
	// offering is eligible.
	EventEligibility = "offering.eligibility"
	// EventShortlist: an offering on one of the buyer's shortlists changed.
	EventShortlist = "shortlist.offering"
)

// Event is one event for a vendor or a buyer.
type Event struct {
	Position int64
	At       time.Time
	Type     string
	// Subject is the certification or offering the event is about.
	Subject uuid.UUID
	// Data holds the event's facts, a JSON object whose fields depend on Type.
	Data json.RawMessage
}

// sequenceEvents gives this transaction's events the next event positions,
// from a counter row held until commit (see sequenceChanges).
func sequenceEvents(ctx context.Context, tx pgx.Tx) error {
	_, err := numberPending(ctx, tx, "webhook_events", "webhook_event_counter")
	return translate(err)
}

// addVendorEvent writes an event of type typ about subject for vendor
// within tx; data is encoded as JSON.
func addVendorEvent(ctx context.Context, tx pgx.Tx, vendor uuid.UUID, typ string, subject uuid.UUID, data any) error {
	body, err := json.Marshal(data)
	if err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `INSERT INTO webhook_events (vendor_id, type, subject, data) VALUES ($1, $2, $3, $4)`,
		vendor, typ, subject, body)
	return err
}

// verificationEvent writes the vendor's event of a verification decision
// recorded by ch, if ch is one.
func verificationEvent(ctx context.Context, tx pgx.Tx, ch change) error {
	switch ch.action {
	case "verify", "reject", "suspend":
	default:
		return nil
	}
	c, ok := ch.after.(Certification)
	if ch.entity != "certification" || !ok {
		return nil
	}
	return addVendorEvent(ctx, tx, ch.vendorID, EventVerification, c.ID, map[string]any{
		"certification_id": c.ID, "scheme": c.Scheme, "number": c.Number,
		"status": c.Status, "reason": c.StatusReason, "decided_at": c.VerifiedAt,
	})
}

// EventAudience returns the vendor and the buyer whose events the
// subscriptions of key keyID receive (zero when none).
func (s *Store) EventAudience(ctx context.Context, keyID uuid.UUID) (vendor, buyer uuid.UUID, err error) {
	defer wrap(&err, "catalog.EventAudience(%s)", keyID)
	var v, b *uuid.UUID
	err = s.pool.QueryRow(ctx, `SELECT vendor_id, buyer_id FROM api_keys WHERE id = $1`, keyID).Scan(&v, &b)
	if v != nil {
		vendor = *v
	}
	if b != nil {
		buyer = *b
	}
	return vendor, buyer, translate(err)
}

// ReadEvents returns up to limit (at most MaxChangesPage) events of the
// vendor or buyer of key keyID after event position after, in order.
func (s *Store) ReadEvents(ctx context.Context, keyID uuid.UUID, after int64, limit int) (_ []Event, err error) {
	defer wrap(&err, "catalog.ReadEvents(%d)", after)
	limit = min(max(limit, 1), MaxChangesPage)
	rows, err := s.pool.Query(ctx, `
		SELECT e.position, e.at, e.type, e.subject, e.data FROM webhook_events e
		WHERE e.position > $2 AND (e.vendor_id = (SELECT vendor_id FROM api_keys WHERE id = $1)
			OR e.buyer_id = (SELECT buyer_id FROM api_keys WHERE id = $1))
		ORDER BY e.position LIMIT $3`, keyID, after, limit)
	if err != nil {
		return nil, translate(err)
	}
	events, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (e Event, err error) {
		err = r.Scan(&e.Position, &e.At, &e.Type, &e.Subject, &e.Data)
		e.At = utc(e.At)
		return e, err
	})
	if events == nil {
		events = []Event{}
	}
	return events, translate(err)
}
