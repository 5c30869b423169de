package catalog

import (
	"context"

	"github.com/jackc/pgx/v5"
)

// addShortlistEvents writes, within tx, an event for each buyer with a
// shortlist holding an offering that this transaction's change-log rows
// name (rows not yet numbered): one per buyer and offering, listing the
// buyer's projects that shortlist it and what changed. A change that
// removes the offering from the public catalogue (a withdrawal, a vendor
// suspended) reaches the buyer too: the data say whether it is still
// public.
func addShortlistEvents(ctx context.Context, tx pgx.Tx) error {
	_, err := tx.Exec(ctx, `
		WITH changed AS (
			SELECT entity_id AS offering_id, string_agg(DISTINCT cause, ', ') AS cause
			FROM change_log WHERE position IS NULL AND entity = 'offering'
			GROUP BY entity_id)
		INSERT INTO webhook_events (buyer_id, type, subject, data)
		SELECT p.buyer_id, $1, c.offering_id, jsonb_build_object(
			'offering_id', c.offering_id, 'cause', c.cause,
			'project_ids', jsonb_agg(p.id ORDER BY p.id),
			'public', EXISTS (SELECT 1 FROM offerings o WHERE o.id = c.offering_id AND `+publicOffering+`))
		FROM changed c
		JOIN project_shortlist s ON s.offering_id = c.offering_id
		JOIN projects p ON p.id = s.project_id
		GROUP BY p.buyer_id, c.offering_id, c.cause`, EventShortlist)
	return err
}
