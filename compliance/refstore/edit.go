package refstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/cybermarket/cybermarket/catalog"
	"github.com/cybermarket/cybermarket/compliance"
)

// RequirementVersion returns the version of a requirement row, which an
// administrator's edit must name (optimistic concurrency), or
// catalog.ErrNotFound.
func (s *Store) RequirementVersion(ctx context.Context, id string) (int64, error) {
	var v int64
	err := s.pool.QueryRow(ctx, `SELECT version FROM requirements WHERE id = $1`, id).Scan(&v)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, catalog.ErrNotFound
	}
	return v, err
}

// EditRequirement stores an administrator's version of requirement r (by
// r.ID) in place of the current one, after checking that the reference data
// with the edit is still valid (schemes, levels, categories, sources). The
// row is marked edited, so that later releases keep it (see Store.Sync); the
// change is recorded in the audit trail with the actor of ctx, in the same
// transaction. ifVersion must be the row's current version (catalog.ErrStale
// otherwise). It returns the new version. Every replica's Live picks the
// change up on its next poll.
func (s *Store) EditRequirement(ctx context.Context, current *compliance.Reference, r compliance.Requirement, ifVersion int64) (int64, error) {
	i := slices.IndexFunc(current.Requirements, func(q compliance.Requirement) bool { return q.ID == r.ID })
	if i < 0 {
		return 0, catalog.ErrNotFound
	}
	edited := *current
	edited.Requirements = slices.Clone(current.Requirements)
	edited.Requirements[i] = r
	if err := edited.Validate(); err != nil {
		return 0, asFieldErrors(err, r.ID)
	}
	doc, err := json.Marshal(r)
	if err != nil {
		return 0, err
	}
	actor := catalog.ActorFrom(ctx)
	var version int64
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var before []byte
		if err := tx.QueryRow(ctx, `SELECT doc, version FROM requirements WHERE id = $1 FOR UPDATE`, r.ID).Scan(&before, &version); err != nil {
			if errors.Is(err, pgx.ErrNoRows) {
				return catalog.ErrNotFound
			}
			return err
		}
		if ifVersion > 0 && ifVersion != version {
			return catalog.ErrStale
		}
		if err := tx.QueryRow(ctx, `UPDATE requirements SET doc = $2, country = $3, edited_by = $4, edited_at = now(),
			version = version + 1, updated_at = now() WHERE id = $1 RETURNING version`,
			r.ID, doc, r.Country, actor.ID).Scan(&version); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO audit_events (actor, actor_role, request_id, action, entity, entity_id, before, after)
			VALUES ($1, $2, $3, 'update', 'requirement', $4, $5, $6)`,
			actor.ID, actor.Role, actor.RequestID, r.ID, before, doc)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("refstore.EditRequirement(%s): %w", r.ID, err)
	}
	return version, nil
}

// asFieldErrors turns the problems of the edited requirement into a
// catalog.ValidationError whose fields are paths in the requirement.
func asFieldErrors(err error, id string) error {
	var verr *compliance.ValidationError
	if !errors.As(err, &verr) {
		return err
	}
	out := &catalog.ValidationError{}
	for _, p := range verr.Problems {
		if !strings.HasSuffix(p.Record, "requirement "+id) {
			continue // problems elsewhere are not the editor's doing
		}
		out.Fields = append(out.Fields, catalog.FieldError{Field: p.Field, Message: p.Message})
	}
	if len(out.Fields) == 0 {
		return err
	}
	return out
}
