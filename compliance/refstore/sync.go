package refstore

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/jackc/pgx/v5"

	"github.com/cybermarket/cybermarket/compliance"
)

// SyncReport says what Sync did.
type SyncReport struct {
	Inserted, Updated, Deleted, Unchanged int
	// Kept lists records an administrator edited that this release also
	// changes: the administrator's version stays, the release's version is
	// stored as pending for review.
	Kept []string
	// Retained lists records this release no longer has that stay in the
	// database, because an administrator edited them or the catalogue uses them.
	Retained []string
}

// record is one reference row as Sync handles it.
type record struct {
	key, name, country string
	doc                []byte
	hash               string
}

// table describes one reference table for Sync.
type table struct {
	name, key string
	// inUse lists keys the catalogue points at, which must not be deleted.
	inUse string
}

var referenceTables = []table{
	{name: "countries", key: "code"},
	{name: "categories", key: "slug", inUse: `SELECT DISTINCT category FROM offerings`},
	{name: "schemes", key: "id", inUse: `SELECT DISTINCT scheme FROM certifications`},
	{name: "requirements", key: "id"},
}

// records returns the rows of each reference table for ref.
func records(ref *compliance.Reference) (map[string][]record, error) {
	out := map[string][]record{}
	add := func(t, key, name, country string, v any) error {
		doc, err := json.Marshal(v)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(doc)
		out[t] = append(out[t], record{key: key, name: name, country: country, doc: doc, hash: hex.EncodeToString(sum[:16])})
		return nil
	}
	for _, c := range ref.Countries {
		if err := add("countries", c.Code, c.Name, "", c); err != nil {
			return nil, err
		}
	}
	for _, c := range ref.Categories {
		if err := add("categories", c.Slug, c.Name, "", c); err != nil {
			return nil, err
		}
	}
	for _, s := range ref.Schemes {
		if err := add("schemes", s.ID, s.Name, "", s); err != nil {
			return nil, err
		}
	}
	for _, r := range ref.Requirements {
		if err := add("requirements", r.ID, "", r.Country, r); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Sync loads ref (normally compliance.Embedded()) into the reference tables in one
// transaction, as cybermarket migrate does on every start. Records nobody
// edited follow the release; records an administrator edited keep the
// administrator's version, and a release change to them is reported in Kept
// and stored as pending. Records the release dropped are deleted unless
// edited or in use. Running it twice changes nothing the second time.
func (s *Store) Sync(ctx context.Context, ref *compliance.Reference) (SyncReport, error) {
	var rep SyncReport
	rows, err := records(ref)
	if err != nil {
		return rep, err
	}
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		// One seeder at a time when replicas start together.
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext('cybermarket.compliance.Sync'))`); err != nil {
			return err
		}
		for _, t := range referenceTables {
			if err := syncTable(ctx, tx, t, rows[t.name], &rep); err != nil {
				return fmt.Errorf("%s: %w", t.name, err)
			}
		}
		if err := syncLevels(ctx, tx); err != nil {
			return fmt.Errorf("scheme levels: %w", err)
		}
		_, err := tx.Exec(ctx, `UPDATE reference_revision SET embedded_version = $1 WHERE embedded_version <> $1`, ref.Version)
		return err
	})
	if err != nil {
		return SyncReport{}, fmt.Errorf("refstore.Sync: %w", err)
	}
	return rep, nil
}

// syncTable makes one reference table follow the release's records want,
// keeping administrators' edits, and tells rep what it did.
func syncTable(ctx context.Context, tx pgx.Tx, t table, want []record, rep *SyncReport) error {
	have, err := existingRows(ctx, tx, t)
	if err != nil {
		return err
	}
	for _, r := range want {
		e, ok := have[r.key]
		delete(have, r.key)
		if err := syncRecord(ctx, tx, t, r, e, ok, rep); err != nil {
			return fmt.Errorf("%s: %w", r.key, err)
		}
	}
	return dropGone(ctx, tx, t, have, rep)
}

// existing is what Sync needs of a stored reference row.
type existing struct {
	hash   string
	edited bool
}

// existingRows returns the stored rows of t by key.
func existingRows(ctx context.Context, tx pgx.Tx, t table) (map[string]existing, error) {
	have := map[string]existing{}
	rows, err := tx.Query(ctx, fmt.Sprintf(`SELECT %s, seed_hash, edited_at IS NOT NULL FROM %s`, t.key, t.name))
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var key string
		var e existing
		if err := rows.Scan(&key, &e.hash, &e.edited); err != nil {
			return nil, err
		}
		have[key] = e
	}
	return have, rows.Err()
}

// syncRecord stores the release's record r, given the stored row e (stored:
// whether there is one): insert it, leave it, update it, or - when an
// administrator edited the row - keep the edit and store r as pending.
func syncRecord(ctx context.Context, tx pgx.Tx, t table, r record, e existing, stored bool, rep *SyncReport) error {
	// The column beside the document: a requirement's country, else the name.
	extra, value := "name", r.name
	if t.name == "requirements" {
		extra, value = "country", r.country
	}
	var err error
	switch {
	case !stored:
		_, err = tx.Exec(ctx, fmt.Sprintf(`INSERT INTO %s (%s, %s, doc, seed_hash) VALUES ($1, $2, $3, $4)`, t.name, t.key, extra),
			r.key, value, r.doc, r.hash)
		rep.Inserted++
	case e.hash == r.hash:
		rep.Unchanged++
	case !e.edited:
		_, err = tx.Exec(ctx, fmt.Sprintf(`UPDATE %s SET %s = $2, doc = $3, seed_hash = $4, pending = NULL,
			version = version + 1, updated_at = now() WHERE %s = $1`, t.name, extra, t.key),
			r.key, value, r.doc, r.hash)
		rep.Updated++
	default:
		_, err = tx.Exec(ctx, fmt.Sprintf(`UPDATE %s SET pending = $2 WHERE %s = $1 AND pending IS DISTINCT FROM $2`, t.name, t.key),
			r.key, r.doc)
		rep.Kept = append(rep.Kept, t.name+"/"+r.key)
	}
	return err
}

// dropGone deletes the rows of t the release no longer has (gone), in key
// order, unless an administrator edited them or the catalogue uses them.
func dropGone(ctx context.Context, tx pgx.Tx, t table, gone map[string]existing, rep *SyncReport) error {
	var inUse []string
	if t.inUse != "" && len(gone) > 0 {
		rows, err := tx.Query(ctx, t.inUse)
		if err != nil {
			return err
		}
		inUse, err = pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			return err
		}
	}
	keys := make([]string, 0, len(gone))
	for key := range gone {
		keys = append(keys, key)
	}
	slices.Sort(keys)
	for _, key := range keys {
		if gone[key].edited || slices.Contains(inUse, key) {
			rep.Retained = append(rep.Retained, t.name+"/"+key)
			continue
		}
		if _, err := tx.Exec(ctx, fmt.Sprintf(`DELETE FROM %s WHERE %s = $1`, t.name, t.key), key); err != nil {
			return fmt.Errorf("%s: %w", key, err)
		}
		rep.Deleted++
	}
	return nil
}

// syncLevels makes scheme_levels match the levels in each scheme's current
// document (edited or not). Levels a certification uses stay.
func syncLevels(ctx context.Context, tx pgx.Tx) error {
	// The revision triggers fire per statement, even for one that changes
	// no row: write only when a level is to be added, re-ranked or removed,
	// so that a start under the same data keeps the revision.
	const want = `WITH want AS (
			SELECT s.id AS scheme_id, l.level, l.rank::int AS rank
			FROM schemes s, jsonb_array_elements_text(coalesce(s.doc->'levels', '[]')) WITH ORDINALITY AS l(level, rank)
		)`
	const stale = `NOT EXISTS (SELECT 1 FROM want w WHERE w.scheme_id = sl.scheme_id AND w.level = sl.level)
			  AND NOT EXISTS (SELECT 1 FROM certifications c WHERE c.scheme = sl.scheme_id AND c.level = sl.level)`
	var changes bool
	if err := tx.QueryRow(ctx, want+`
		SELECT EXISTS (SELECT 1 FROM want w LEFT JOIN scheme_levels sl ON sl.scheme_id = w.scheme_id AND sl.level = w.level
		               WHERE sl.rank IS DISTINCT FROM w.rank)
		    OR EXISTS (SELECT 1 FROM scheme_levels sl WHERE `+stale+`)`).Scan(&changes); err != nil || !changes {
		return err
	}
	_, err := tx.Exec(ctx, want+`, removed AS (
			DELETE FROM scheme_levels sl WHERE `+stale+`
		)
		INSERT INTO scheme_levels (scheme_id, level, rank)
		SELECT scheme_id, level, rank FROM want
		ON CONFLICT (scheme_id, level) DO UPDATE SET rank = EXCLUDED.rank
		WHERE scheme_levels.rank IS DISTINCT FROM EXCLUDED.rank`)
	return err
}

// Load reads the reference tables (with any administrator edits) into a
// validated compliance.Reference, and returns the revision it reflects.
func (s *Store) Load(ctx context.Context) (_ *compliance.Reference, revision int64, err error) {
	defer func() {
		if err != nil {
			err = fmt.Errorf("refstore.Load: %w", err)
		}
	}()
	tx, err := s.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return nil, 0, err
	}
	defer func() { _ = tx.Rollback(ctx) }() // after a commit, or read-only: nothing to undo
	var embedded string
	if err := tx.QueryRow(ctx, `SELECT revision, embedded_version FROM reference_revision`).Scan(&revision, &embedded); err != nil {
		return nil, 0, err
	}
	ref := &compliance.Reference{Version: fmt.Sprintf("%s+r%d", embedded, revision)}
	if err := loadDocs(ctx, tx, `SELECT doc FROM countries ORDER BY code`, &ref.Countries); err != nil {
		return nil, 0, err
	}
	if err := loadDocs(ctx, tx, `SELECT doc FROM categories ORDER BY slug`, &ref.Categories); err != nil {
		return nil, 0, err
	}
	if err := loadDocs(ctx, tx, `SELECT doc FROM schemes ORDER BY id`, &ref.Schemes); err != nil {
		return nil, 0, err
	}
	if err := loadDocs(ctx, tx, `SELECT doc FROM requirements ORDER BY id`, &ref.Requirements); err != nil {
		return nil, 0, err
	}
	// The research log (coverage.yaml) is not edited at run time: it comes
	// with the binary and is checked against the stored requirements.
	release, err := compliance.Embedded()
	if err != nil {
		return nil, 0, err
	}
	ref.Research = release.Research
	if err := ref.Validate(); err != nil {
		return nil, 0, err
	}
	return ref, revision, nil
}

func loadDocs[T any](ctx context.Context, tx pgx.Tx, sql string, dst *[]T) error {
	rows, err := tx.Query(ctx, sql)
	if err != nil {
		return err
	}
	docs, err := pgx.CollectRows(rows, pgx.RowTo[[]byte])
	if err != nil {
		return err
	}
	out := make([]T, len(docs))
	for i, d := range docs {
		if err := json.Unmarshal(d, &out[i]); err != nil {
			return fmt.Errorf("record %d: %w", i, err)
		}
	}
	*dst = out
	return nil
}

// Revision returns the current revision of the reference tables, cheaply, so
// that replicas can poll for changes.
func (s *Store) Revision(ctx context.Context) (int64, error) {
	var rev int64
	err := s.pool.QueryRow(ctx, `SELECT revision FROM reference_revision`).Scan(&rev)
	return rev, err
}
