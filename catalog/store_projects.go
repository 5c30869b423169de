package catalog

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

const projectColumns = `p.id, p.buyer_id, p.title, p.category, p.cpv_codes, p.country, p.buyer_kind, p.lots, p.context,
	p.seed, p.locked_at, coalesce(s.sha256, ''), p.version, p.created_at, p.updated_at`

const projectFrom = ` FROM projects p LEFT JOIN project_snapshots s ON s.project_id = p.id`

const (
	selectProject          = `SELECT ` + projectColumns + projectFrom + ` WHERE p.id = $1`
	selectProjectForUpdate = selectProject + ` FOR UPDATE OF p`
)

func scanProject(row pgx.Row) (Project, error) {
	var p Project
	var lots []byte
	err := row.Scan(&p.ID, &p.BuyerID, &p.Title, &p.Category, &p.CPVCodes, &p.Country, &p.BuyerKind, &lots, &p.Context,
		&p.Seed, &p.LockedAt, &p.SHA256, &p.Version, &p.CreatedAt, &p.UpdatedAt)
	if err == nil {
		err = json.Unmarshal(lots, &p.Lots)
	}
	p.CreatedAt, p.UpdatedAt = utc(p.CreatedAt), utc(p.UpdatedAt)
	if p.LockedAt != nil {
		t := p.LockedAt.UTC()
		p.LockedAt = &t
	}
	return p, err
}

// ProjectState is a project with everything it holds, as the audit trail
// records it before and after each project action.
type ProjectState struct {
	Project   Project          `json:"project"`
	Searches  []SavedSearch    `json:"searches"`
	Shortlist []ShortlistEntry `json:"shortlist"`
	Outcome   *Outcome         `json:"outcome"`
}

// ProjectFilter selects projects for ListProjects.
type ProjectFilter struct {
	// BuyerID: only this buyer's projects; zero lists every buyer's (staff).
	BuyerID uuid.UUID
	Cursor  string
	Limit   int
}

// CreateProject stores p for its buyer with a new id and a random seed. It
// returns *ValidationError for invalid values.
func (s *Store) CreateProject(ctx context.Context, p Project) (_ Project, err error) {
	defer wrap(&err, "catalog.CreateProject")
	if err := p.Clean(); err != nil {
		return Project{}, err
	}
	seed := make([]byte, 16)
	_, _ = rand.Read(seed) // crypto/rand.Read never fails (Go 1.24+)
	lots, err := json.Marshal(p.Lots)
	if err != nil {
		return Project{}, err
	}
	var out Project
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		id := newID()
		if _, err := tx.Exec(ctx, `
			INSERT INTO projects (id, buyer_id, title, category, cpv_codes, country, buyer_kind, lots, context, seed)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
			id, p.BuyerID, p.Title, p.Category, p.CPVCodes, p.Country, p.BuyerKind, lots, p.Context, seed); err != nil {
			return translate(err)
		}
		st, err := projectState(ctx, tx, id, false)
		if err != nil {
			return err
		}
		out = st.Project
		return record(ctx, tx, change{action: "create", entity: "project", id: id, after: st})
	})
	return out, err
}

// FindProject returns the project with id, or ErrNotFound.
func (s *Store) FindProject(ctx context.Context, id uuid.UUID) (_ Project, err error) {
	defer wrap(&err, "catalog.FindProject(%s)", id)
	p, err := scanProject(s.pool.QueryRow(ctx, selectProject, id))
	return p, translate(err)
}

// FindProjectState returns the project with id with its searches, shortlist
// and outcome, or ErrNotFound.
func (s *Store) FindProjectState(ctx context.Context, id uuid.UUID) (_ ProjectState, err error) {
	defer wrap(&err, "catalog.FindProjectState(%s)", id)
	var st ProjectState
	err = pgx.BeginTxFunc(ctx, s.pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		st, err = projectState(ctx, tx, id, false)
		return err
	})
	return st, err
}

// ListProjects returns one page of projects, oldest first.
func (s *Store) ListProjects(ctx context.Context, f ProjectFilter) (_ Page[Project], err error) {
	defer wrap(&err, "catalog.ListProjects")
	after, err := parseCursor(f.Cursor)
	if err != nil {
		return Page[Project]{}, err
	}
	size := pageSize(f.Limit)
	rows, err := s.pool.Query(ctx, `SELECT `+projectColumns+projectFrom+`
		WHERE p.id > $1 AND ($2::uuid IS NULL OR p.buyer_id = $2) ORDER BY p.id LIMIT $3`,
		after, nullID(f.BuyerID), size+1)
	if err != nil {
		return Page[Project]{}, translate(err)
	}
	items, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Project, error) { return scanProject(r) })
	if err != nil {
		return Page[Project]{}, translate(err)
	}
	return makePage(items, size, func(p Project) uuid.UUID { return p.ID }), nil
}

// projectState reads the project with id and what it holds, locking the
// project row when forUpdate.
func projectState(ctx context.Context, tx pgx.Tx, id uuid.UUID, forUpdate bool) (ProjectState, error) {
	var row pgx.Row
	if forUpdate {
		row = tx.QueryRow(ctx, selectProjectForUpdate, id)
	} else {
		row = tx.QueryRow(ctx, selectProject, id)
	}
	p, err := scanProject(row)
	if err != nil {
		return ProjectState{}, translate(err)
	}
	st := ProjectState{Project: p}
	if st.Searches, err = searches(ctx, tx, id); err != nil {
		return ProjectState{}, err
	}
	if st.Shortlist, err = shortlist(ctx, tx, id); err != nil {
		return ProjectState{}, err
	}
	st.Outcome, err = outcome(ctx, tx, id)
	return st, err
}

func searches(ctx context.Context, tx pgx.Tx, id uuid.UUID) ([]SavedSearch, error) {
	rows, err := tx.Query(ctx, `SELECT id, query, filters, created_at FROM project_searches WHERE project_id = $1 ORDER BY id`, id)
	if err != nil {
		return nil, translate(err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (SavedSearch, error) {
		var s SavedSearch
		err := r.Scan(&s.ID, &s.Query, &s.Filters, &s.CreatedAt)
		s.CreatedAt = utc(s.CreatedAt)
		return s, err
	})
	if out == nil {
		out = []SavedSearch{}
	}
	return out, translate(err)
}

func shortlist(ctx context.Context, tx pgx.Tx, id uuid.UUID) ([]ShortlistEntry, error) {
	rows, err := tx.Query(ctx, `SELECT offering_id, decision, note, added_at FROM project_shortlist
		WHERE project_id = $1 ORDER BY offering_id`, id)
	if err != nil {
		return nil, translate(err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (ShortlistEntry, error) {
		var e ShortlistEntry
		err := r.Scan(&e.OfferingID, &e.Decision, &e.Note, &e.AddedAt)
		e.AddedAt = utc(e.AddedAt)
		return e, err
	})
	if out == nil {
		out = []ShortlistEntry{}
	}
	return out, translate(err)
}

func outcome(ctx context.Context, tx pgx.Tx, id uuid.UUID) (*Outcome, error) {
	var o Outcome
	var offering *uuid.UUID
	err := tx.QueryRow(ctx, `SELECT awarded, offering_id, value_eur, starts_on, ends_on, reason, recorded_at
		FROM project_outcomes WHERE project_id = $1`, id).Scan(&o.Awarded, &offering, &o.ValueEUR, &o.StartsOn, &o.EndsOn, &o.Reason, &o.RecordedAt)
	if err == pgx.ErrNoRows {
		return nil, nil
	}
	if offering != nil {
		o.OfferingID = *offering
	}
	o.RecordedAt = utc(o.RecordedAt)
	return &o, translate(err)
}

// errLocked is the conflict of a change to a locked project.
func errLocked() error {
	return &ConflictError{Field: "project", Message: "the project is locked: its record is final"}
}

// changeProject runs write on the unlocked project id in one transaction,
// then bumps its version and records action with the state before and after.
// It returns ErrStale when ifVersion (> 0) is not current.
func (s *Store) changeProject(ctx context.Context, action string, id uuid.UUID, ifVersion int64, write func(pgx.Tx) error) (ProjectState, error) {
	var out ProjectState
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		before, err := projectState(ctx, tx, id, true)
		if err != nil {
			return err
		}
		if err := checkVersion(ifVersion, before.Project.Version); err != nil {
			return err
		}
		if before.Project.Locked() {
			return errLocked()
		}
		if err := write(tx); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE projects SET version = version + 1, updated_at = now() WHERE id = $1`, id); err != nil {
			return translate(err)
		}
		if out, err = projectState(ctx, tx, id, false); err != nil {
			return err
		}
		return record(ctx, tx, change{action: action, entity: "project", id: id, before: before, after: out})
	})
	return out, err
}

// AddSearch saves a search in the unlocked project id. It returns
// *ConflictError when the project is locked.
func (s *Store) AddSearch(ctx context.Context, id uuid.UUID, q SavedSearch) (_ ProjectState, err error) {
	defer wrap(&err, "catalog.AddSearch(%s)", id)
	q.Query = trim(q.Query)
	if err := Validate(&q); err != nil {
		return ProjectState{}, err
	}
	if q.Filters == nil {
		q.Filters = Filters{}
	}
	return s.changeProject(ctx, "save-search", id, 0, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO project_searches (id, project_id, query, filters) VALUES ($1, $2, $3, $4)`,
			newID(), id, q.Query, q.Filters)
		return translate(err)
	})
}

// Shortlist puts the offering of e on the unlocked project id's shortlist,
// or changes its decision and note. It returns *ValidationError for an
// exclusion without a reason or an offering that does not exist.
func (s *Store) Shortlist(ctx context.Context, id uuid.UUID, e ShortlistEntry) (_ ProjectState, err error) {
	defer wrap(&err, "catalog.Shortlist(%s)", id)
	if err := e.Clean(); err != nil {
		return ProjectState{}, err
	}
	return s.changeProject(ctx, "shortlist", id, 0, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO project_shortlist (project_id, offering_id, decision, note) VALUES ($1, $2, $3, $4)
			ON CONFLICT (project_id, offering_id) DO UPDATE SET decision = EXCLUDED.decision, note = EXCLUDED.note`,
			id, e.OfferingID, e.Decision, e.Note)
		return translate(err)
	})
}

// Unshortlist takes an offering off the unlocked project id's shortlist. It
// returns ErrNotFound when it is not on it.
func (s *Store) Unshortlist(ctx context.Context, id, offeringID uuid.UUID) (_ ProjectState, err error) {
	defer wrap(&err, "catalog.Unshortlist(%s)", id)
	return s.changeProject(ctx, "unshortlist", id, 0, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `DELETE FROM project_shortlist WHERE project_id = $1 AND offering_id = $2`, id, offeringID)
		if err == nil && tag.RowsAffected() == 0 {
			return ErrNotFound
		}
		return translate(err)
	})
}

// LockProject freezes the project id: it stores body, the canonical snapshot
// built from the project at version, with its SHA-256, and marks the project
// locked at the time the snapshot states, in one transaction. It returns ErrStale when the project changed
// since version (the snapshot would not match it) and *ConflictError when it
// is locked already.
func (s *Store) LockProject(ctx context.Context, id uuid.UUID, version int64, at time.Time, body []byte) (_ ProjectState, err error) {
	defer wrap(&err, "catalog.LockProject(%s)", id)
	sum := sha256.Sum256(body)
	var out ProjectState
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		before, err := projectState(ctx, tx, id, true)
		if err != nil {
			return err
		}
		if before.Project.Locked() {
			return errLocked()
		}
		if err := checkVersion(version, before.Project.Version); err != nil {
			return err
		}
		now := at.UTC()
		if _, err := tx.Exec(ctx, `INSERT INTO project_snapshots (project_id, locked_at, body, sha256) VALUES ($1, $2, $3, $4)`,
			id, now, body, hex.EncodeToString(sum[:])); err != nil {
			return translate(err)
		}
		if _, err := tx.Exec(ctx, `UPDATE projects SET locked_at = $2, version = version + 1, updated_at = $2 WHERE id = $1`, id, now); err != nil {
			return translate(err)
		}
		if out, err = projectState(ctx, tx, id, false); err != nil {
			return err
		}
		return record(ctx, tx, change{action: "lock", entity: "project", id: id, before: before, after: out})
	})
	return out, err
}

// FindSnapshot returns the snapshot of the locked project id, or ErrNotFound.
func (s *Store) FindSnapshot(ctx context.Context, id uuid.UUID) (_ Snapshot, err error) {
	defer wrap(&err, "catalog.FindSnapshot(%s)", id)
	var sn Snapshot
	err = s.pool.QueryRow(ctx, `SELECT project_id, locked_at, body, sha256 FROM project_snapshots WHERE project_id = $1`, id).
		Scan(&sn.ProjectID, &sn.LockedAt, &sn.Body, &sn.SHA256)
	sn.LockedAt = utc(sn.LockedAt)
	return sn, translate(err)
}

// RecordOutcome records what came of the locked project id, once. An award
// names an offering the project's shortlist included. It returns
// *ConflictError when the project is not locked or has an outcome already.
func (s *Store) RecordOutcome(ctx context.Context, id uuid.UUID, o Outcome) (_ ProjectState, err error) {
	defer wrap(&err, "catalog.RecordOutcome(%s)", id)
	if err := o.Clean(); err != nil {
		return ProjectState{}, err
	}
	var out ProjectState
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		before, err := projectState(ctx, tx, id, true)
		if err != nil {
			return err
		}
		switch {
		case !before.Project.Locked():
			return &ConflictError{Field: "project", Message: "lock the project before recording its outcome"}
		case before.Outcome != nil:
			return &ConflictError{Field: "project", Message: "the project's outcome is recorded already"}
		case o.Awarded && !includes(before.Shortlist, o.OfferingID):
			return Invalid("offering_id", "is not an offering the project's shortlist included", o.OfferingID.String())
		}
		if _, err := tx.Exec(ctx, `INSERT INTO project_outcomes (project_id, awarded, offering_id, value_eur, starts_on, ends_on, reason)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, id, o.Awarded, nullID(o.OfferingID), o.ValueEUR, o.StartsOn, o.EndsOn, o.Reason); err != nil {
			return translate(err)
		}
		if out, err = projectState(ctx, tx, id, false); err != nil {
			return err
		}
		return record(ctx, tx, change{action: "record-outcome", entity: "project", id: id, before: before, after: out})
	})
	return out, err
}

func includes(list []ShortlistEntry, offering uuid.UUID) bool {
	for _, e := range list {
		if e.OfferingID == offering && e.Decision == Included {
			return true
		}
	}
	return false
}

// OfferingAwards counts the distinct buyers, and their countries, that
// recorded an award for the offering.
func (s *Store) OfferingAwards(ctx context.Context, offeringID uuid.UUID) (_ Awards, err error) {
	defer wrap(&err, "catalog.OfferingAwards(%s)", offeringID)
	var a Awards
	err = s.pool.QueryRow(ctx, `SELECT count(DISTINCT b.id), count(DISTINCT b.country)
		FROM project_outcomes o JOIN projects p ON p.id = o.project_id JOIN buyers b ON b.id = p.buyer_id
		WHERE o.awarded AND o.offering_id = $1`, offeringID).Scan(&a.Buyers, &a.Countries)
	return a, translate(err)
}
