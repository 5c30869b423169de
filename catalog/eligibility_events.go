package catalog

import (
	"context"
	"encoding/json"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// Eligibility returns, for an entry, a JSON value that describes where its
// offering is eligible (the caller decides what: the search documents'
// eligibility lists, say). Equal values mean equal eligibility.
type Eligibility func(IndexEntry) (json.RawMessage, error)

// RecordEligibility computes the eligibility of every public offering under
// reference data version, compares it with the one recorded, and records
// it. An offering whose eligibility was recorded under another version and
// differs now gets an event to its vendor (offering.eligibility, with both
// values) and a change-log row, in the transaction that records it; one
// first seen, or seen again under the same version, is recorded quietly. It
// returns how many offerings changed. Replicas may run it together: the
// rows compared are locked, so each change is reported once.
func (s *Store) RecordEligibility(ctx context.Context, version string, eligibility Eligibility) (changed int, err error) {
	defer wrap(&err, "catalog.RecordEligibility(%s)", version)
	err = s.EachPublicEntry(ctx, func(entries []IndexEntry) error {
		ids := make([]uuid.UUID, len(entries))
		values := make([]json.RawMessage, len(entries))
		for i, e := range entries {
			v, err := eligibility(e)
			if err != nil {
				return err
			}
			ids[i], values[i] = e.Offering.ID, v
		}
		n, err := s.recordEligibility(ctx, version, ids, values)
		changed += n
		return err
	})
	return changed, err
}

// recordEligibility records values (the eligibility of offerings ids) under
// version in one transaction, see RecordEligibility.
func (s *Store) recordEligibility(ctx context.Context, version string, ids []uuid.UUID, values []json.RawMessage) (n int, err error) {
	texts := make([]string, len(values))
	for i, v := range values {
		texts[i] = string(v)
	}
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `
			WITH input AS (SELECT * FROM unnest($1::uuid[], $2::jsonb[]) AS i(id, value)),
			old AS (SELECT offering_id, reference_version, eligibility FROM offering_eligibility
				WHERE offering_id = ANY($1) FOR UPDATE),
			saved AS (
				INSERT INTO offering_eligibility AS e (offering_id, reference_version, eligibility)
				SELECT id, $3, value FROM input
				ON CONFLICT (offering_id) DO UPDATE SET reference_version = $3, eligibility = EXCLUDED.eligibility,
					updated_at = now()
				-- a start under the same data rewrites nothing
				WHERE e.reference_version <> $3 OR e.eligibility <> EXCLUDED.eligibility)
			SELECT i.id, o.vendor_id, old.reference_version, old.eligibility, i.value
			FROM input i JOIN old ON old.offering_id = i.id JOIN offerings o ON o.id = i.id
			WHERE old.reference_version <> $3 AND old.eligibility <> i.value`, ids, texts, version)
		if err != nil {
			return err
		}
		type diff struct {
			id, vendor    uuid.UUID
			from          string
			before, after json.RawMessage
		}
		diffs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (d diff, err error) {
			return d, r.Scan(&d.id, &d.vendor, &d.from, &d.before, &d.after)
		})
		if err != nil {
			return err
		}
		for _, d := range diffs {
			if err := addVendorEvent(ctx, tx, d.vendor, EventEligibility, d.id, map[string]any{
				"offering_id": d.id, "previous_reference_version": d.from, "reference_version": version,
				"before": d.before, "after": d.after,
			}); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `INSERT INTO change_log (entity, entity_id, cause) VALUES ('offering', $1, $2)`,
				d.id, "reference "+version); err != nil {
				return err
			}
		}
		n = len(diffs)
		return nil
	})
	return n, err
}

// EligibilityRecorded reports whether the recorded eligibility is all under
// reference data version: some offering's is, and none is under another
// version. A replica that starts under data already compared need not
// compare again (offerings added since have nothing to compare with yet).
func (s *Store) EligibilityRecorded(ctx context.Context, version string) (ok bool, err error) {
	defer wrap(&err, "catalog.EligibilityRecorded(%s)", version)
	err = s.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM offering_eligibility WHERE reference_version = $1)
		AND NOT EXISTS (SELECT 1 FROM offering_eligibility WHERE reference_version <> $1)`, version).Scan(&ok)
	return ok, translate(err)
}
