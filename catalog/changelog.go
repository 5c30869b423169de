package catalog

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// The change log (migration 006): a row for every object whose public
// state, or whose search document, a write may have changed, written by
// record in the transaction of the write. Rows name objects, not values:
// readers serve each row with the object's state as of their read, so
// applying every row in order converges on the catalogue, and a row
// superseded by a later row of the same object carries nothing new.
//
// Positions are handed out by sequenceChanges, the last statement of every
// writing transaction, from a counter row it holds until commit; so they
// follow commit order, and every snapshot holds all positions up to its
// highest. Followers can never skip a row that committed late.

// ChangesChannel is the PostgreSQL notification channel signalled when a
// transaction adds rows to the change log.
const ChangesChannel = "change_log"

// MaxChangesPage is the most changes one ReadChanges returns.
const MaxChangesPage = 1000

// logChange writes the change-log rows of ch within tx: the object itself;
// the offerings whose search documents change (ch.offerings, or every
// offering of the vendor when ch.vendorWide); every offering and
// certification of a vendor whose admission state changes or which is
// deleted (their visibility follows the vendor's); and the certifications
// that cover a changed offering (the public sees only the public offerings
// a certification covers).
func logChange(ctx context.Context, tx pgx.Tx, ch change) error {
	switch ch.entity {
	case "vendor", "offering", "certification":
	default:
		return nil // keys and the like are not part of the public catalogue
	}
	visibility := ch.entity == "vendor" && ch.action != "create" && ch.action != "update"
	_, err := tx.Exec(ctx, `
		INSERT INTO change_log (entity, entity_id, cause)
		SELECT DISTINCT e, i, $6 FROM (
			SELECT $1::text AS e, $2::uuid AS i
			UNION ALL SELECT 'offering', o FROM unnest($3::uuid[]) AS o
			UNION ALL SELECT 'offering', o.id FROM offerings o WHERE $4 AND o.vendor_id = $5
			UNION ALL SELECT 'certification', c.id FROM certifications c WHERE $7 AND c.vendor_id = $5
			UNION ALL SELECT 'certification', co.certification_id FROM certification_offerings co
				WHERE $1 = 'offering' AND co.offering_id = $2
		) x`,
		ch.entity, ch.id, ch.offerings, ch.vendorWide || visibility, ch.vendorID, ch.entity+" "+ch.action, visibility)
	return err
}

// sequenceChanges gives the change-log rows without a position (this
// transaction's) the next positions, in the order they were written, and
// wakes the followers at commit; first it adds the buyer events of the
// changed offerings, and last it numbers this transaction's events the same
// way (sequenceEvents). The counter row it updates stays locked
// until the transaction ends: it must be the transaction's last statement,
// so that nothing waits while holding it.
func sequenceChanges(ctx context.Context, tx pgx.Tx) error {
	if err := addShortlistEvents(ctx, tx); err != nil {
		return translate(err)
	}
	n, err := numberPending(ctx, tx, "change_log", "change_counter")
	if err != nil {
		return translate(err)
	}
	if n > 0 {
		if _, err := tx.Exec(ctx, `SELECT pg_notify($1, '')`, ChangesChannel); err != nil {
			return translate(err)
		}
	}
	return sequenceEvents(ctx, tx)
}

// numberPending gives the rows of table without a position (this
// transaction's: others' are not visible) the next positions of the counter
// row of counterTable, in the order they were written, and returns how
// many it numbered. The counter row stays locked until the transaction
// ends. Both names are constants of this package.
func numberPending(ctx context.Context, tx pgx.Tx, table, counterTable string) (int64, error) {
	tag, err := tx.Exec(ctx, fmt.Sprintf(`
		WITH mine AS (
			SELECT id, row_number() OVER (ORDER BY id) AS n, count(*) OVER () AS total
			FROM %[1]s WHERE position IS NULL),
		bump AS (
			UPDATE %[2]s SET position = position + (SELECT count(*) FROM mine)
			WHERE EXISTS (SELECT 1 FROM mine)
			RETURNING position)
		UPDATE %[1]s t SET position = bump.position - mine.total + mine.n
		FROM mine, bump WHERE t.id = mine.id`, pgx.Identifier{table}.Sanitize(), pgx.Identifier{counterTable}.Sanitize()))
	return tag.RowsAffected(), err
}

// Change is one row of the change log with its object as the public sees
// it at the time of the read.
type Change struct {
	Position int64
	At       time.Time // when the writing transaction began
	Entity   string    // vendor, offering or certification
	ID       uuid.UUID
	// The object when it is public; all nil when it is not (deleted,
	// withdrawn, hidden, or never public): a follower removes it.
	Vendor        *Vendor
	Offering      *Offering
	Certification *Certification
}

// Public reports whether the object of c is public.
func (c Change) Public() bool {
	return c.Vendor != nil || c.Offering != nil || c.Certification != nil
}

// ReadChanges returns up to limit (at most MaxChangesPage) changes after
// position after, in order, each with its object's public state, all read
// in one snapshot. Changes that commit after the read have higher positions
// than every change it returns. It returns a *PrunedError (ErrPruned) when
// the log was pruned past after (see PruneChanges).
func (s *Store) ReadChanges(ctx context.Context, after int64, limit int) ([]Change, error) {
	changes, _, err := s.ReadChangesWithin(ctx, after, 0, limit)
	return changes, err
}

// ReadChangesWithin is ReadChanges for a reader that started at position 0
// when the log's horizon was known (0 when it did not, or does not know):
// such a reader missed nothing pruned up to known, and may read on before
// that horizon. It also returns the current horizon, which the reader
// passes on as known when it started at 0.
func (s *Store) ReadChangesWithin(ctx context.Context, after, known int64, limit int) (_ []Change, horizon int64, err error) {
	defer wrap(&err, "catalog.ReadChanges(%d)", after)
	limit = min(max(limit, 1), MaxChangesPage)
	var out []Change
	err = pgx.BeginTxFunc(ctx, s.pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		if out, horizon, err = readPage(ctx, tx, after, limit); err != nil {
			return err
		}
		if err := checkPruned(after, known, horizon); err != nil {
			return err
		}
		return attachPublic(ctx, tx, out)
	})
	if out == nil {
		out = []Change{}
	}
	return out, horizon, translate(err)
}

// readPage reads up to limit change-log rows after position after within
// tx, and the log's horizon, in one round trip.
func readPage(ctx context.Context, tx pgx.Tx, after int64, limit int) (page []Change, horizon int64, err error) {
	rows, err := tx.Query(ctx, `
		SELECT h.pruned_through, l.position, l.at, l.entity, l.entity_id
		FROM change_log_horizon h LEFT JOIN LATERAL (
			SELECT position, at, entity, entity_id FROM change_log
			WHERE position > $1 ORDER BY position LIMIT $2) l ON true
		ORDER BY l.position`, after, limit)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	for rows.Next() {
		var c Change
		var pos *int64
		var at *time.Time
		var entity *string
		var id *uuid.UUID
		if err := rows.Scan(&horizon, &pos, &at, &entity, &id); err != nil {
			return nil, 0, err
		}
		if pos != nil {
			c.Position, c.At, c.Entity, c.ID = *pos, utc(*at), *entity, *id
			page = append(page, c)
		}
	}
	return page, horizon, rows.Err()
}

// attachPublic fills in the public objects of changes, read within tx.
func attachPublic(ctx context.Context, tx pgx.Tx, changes []Change) error {
	ids := map[string][]uuid.UUID{}
	for _, c := range changes {
		ids[c.Entity] = append(ids[c.Entity], c.ID)
	}
	rows, err := tx.Query(ctx, `SELECT `+vendorColumns+` FROM vendors WHERE id = ANY($1) AND status = 'active'`, ids["vendor"])
	if err != nil {
		return err
	}
	vendors, err := byID(rows, scanVendor, func(v Vendor) uuid.UUID { return v.ID })
	if err != nil {
		return err
	}
	rows, err = tx.Query(ctx, `SELECT `+offeringColumns+` FROM offerings o WHERE o.id = ANY($1) AND `+publicOffering, ids["offering"])
	if err != nil {
		return err
	}
	offerings, err := byID(rows, scanOffering, func(o Offering) uuid.UUID { return o.ID })
	if err != nil {
		return err
	}
	rows, err = tx.Query(ctx, `SELECT `+certificationColumns+` FROM certifications c
		WHERE c.id = ANY($1) AND c.status IN ('self-declared', 'verified')
		  AND EXISTS (SELECT 1 FROM vendors v WHERE v.id = c.vendor_id AND v.status = 'active')
		  AND `+publicCoverage, ids["certification"])
	if err != nil {
		return err
	}
	certs, err := byID(rows, scanCertification, func(c Certification) uuid.UUID { return c.ID })
	if err != nil {
		return err
	}
	if err := trimPublicCoverage(ctx, tx, certs); err != nil {
		return err
	}
	for i := range changes {
		c := &changes[i]
		switch c.Entity {
		case "vendor":
			c.Vendor = ptrIf(vendors, c.ID)
		case "offering":
			c.Offering = ptrIf(offerings, c.ID)
		case "certification":
			c.Certification = ptrIf(certs, c.ID)
		}
	}
	return nil
}

// byID collects rows by the id of each.
func byID[T any](rows pgx.Rows, scan func(pgx.Row) (T, error), id func(T) uuid.UUID) (map[uuid.UUID]T, error) {
	items, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (T, error) { return scan(r) })
	if err != nil {
		return nil, err
	}
	out := make(map[uuid.UUID]T, len(items))
	for _, x := range items {
		out[id(x)] = x
	}
	return out, nil
}

// trimPublicCoverage drops from certs the offerings that are not public,
// reading within tx; certs is changed in place.
func trimPublicCoverage(ctx context.Context, tx pgx.Tx, certs map[uuid.UUID]Certification) error {
	list := make([]Certification, 0, len(certs))
	for _, c := range certs {
		list = append(list, c)
	}
	if err := trimCoverageIn(ctx, tx, list, Viewer{}); err != nil {
		return err
	}
	for _, c := range list {
		certs[c.ID] = c
	}
	return nil
}

func ptrIf[T any](m map[uuid.UUID]T, id uuid.UUID) *T {
	if x, ok := m[id]; ok {
		return &x
	}
	return nil
}

// HeadPosition returns the position of the last committed change (0 when
// the log is empty).
func (s *Store) HeadPosition(ctx context.Context) (pos int64, err error) {
	defer wrap(&err, "catalog.HeadPosition")
	err = s.pool.QueryRow(ctx, `SELECT position FROM change_counter`).Scan(&pos)
	return pos, translate(err)
}
