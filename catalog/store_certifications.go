package catalog

import (
	"context"
	"slices"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// certificationColumns selects a certification with the offerings it covers.
const certificationColumns = `c.id, c.vendor_id, c.scheme, coalesce(c.level, ''), c.number, c.issuer, c.scope,
	c.valid_from, c.valid_until, c.evidence_url, c.evidence_sha256, c.status, c.verified_by, c.verified_at,
	c.version, c.created_at, c.updated_at,
	coalesce((SELECT array_agg(co.offering_id ORDER BY co.offering_id) FROM certification_offerings co
		WHERE co.certification_id = c.id), '{}')`

func scanCertification(row pgx.Row) (Certification, error) {
	var c Certification
	err := row.Scan(&c.ID, &c.VendorID, &c.Scheme, &c.Level, &c.Number, &c.Issuer, &c.Scope,
		&c.ValidFrom, &c.ValidUntil, &c.EvidenceURL, &c.EvidenceSHA256, &c.Status, &c.VerifiedBy, &c.VerifiedAt,
		&c.Version, &c.CreatedAt, &c.UpdatedAt, &c.OfferingIDs)
	c.ValidFrom, c.ValidUntil = Day(c.ValidFrom), Day(c.ValidUntil)
	c.CreatedAt, c.UpdatedAt = utc(c.CreatedAt), utc(c.UpdatedAt)
	if c.VerifiedAt != nil {
		t := c.VerifiedAt.UTC()
		c.VerifiedAt = &t
	}
	return c, err
}

// CertificationFilter selects certifications for ListCertifications. Zero
// fields do not filter.
type CertificationFilter struct {
	VendorID   uuid.UUID
	OfferingID uuid.UUID    // certifications covering this offering
	Scheme     string       // scheme id
	Status     Verification // verification state
	ValidOn    time.Time    // valid on this day (dates and state)
	Cursor     string
	Limit      int
}

// CreateCertification normalizes and validates c, then stores it and the
// offerings it covers in one transaction. It returns ErrNotFound when the
// vendor does not exist, *ValidationError for invalid values (an unknown
// scheme or level, an offering of another vendor) and *ConflictError when the
// vendor already holds this scheme's certificate number. On error nothing is
// stored.
func (s *Store) CreateCertification(ctx context.Context, c Certification) (_ Certification, err error) {
	defer wrap(&err, "catalog.CreateCertification")
	var created Certification
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		created, err = createCertification(ctx, tx, c)
		return err
	})
	return created, err
}

func createCertification(ctx context.Context, tx pgx.Tx, c Certification) (Certification, error) {
	if err := c.Clean(); err != nil {
		return Certification{}, err
	}
	c.ID = newID()
	_, err := tx.Exec(ctx, `
		INSERT INTO certifications (id, vendor_id, scheme, level, number, issuer, scope, valid_from,
			valid_until, evidence_url, evidence_sha256, status, verified_by, verified_at)
		VALUES ($1, $2, $3, NULLIF($4, ''), $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
		c.ID, c.VendorID, c.Scheme, c.Level, c.Number, c.Issuer, c.Scope, c.ValidFrom, c.ValidUntil,
		c.EvidenceURL, c.EvidenceSHA256, c.Status, c.VerifiedBy, c.VerifiedAt)
	if err != nil {
		return Certification{}, translate(err)
	}
	if err := linkOfferings(ctx, tx, c.ID, c.VendorID, c.OfferingIDs); err != nil {
		return Certification{}, err
	}
	created, err := scanCertification(tx.QueryRow(ctx, `SELECT `+certificationColumns+` FROM certifications c WHERE c.id = $1`, c.ID))
	if err != nil {
		return Certification{}, translate(err)
	}
	offerings, vendorWide := certificationScope(created)
	return created, record(ctx, tx, change{action: "create", entity: "certification", id: created.ID, vendorID: created.VendorID,
		after: created, offerings: offerings, vendorWide: vendorWide})
}

// linkOfferings replaces the set of offerings a certification covers.
func linkOfferings(ctx context.Context, tx pgx.Tx, certID, vendorID uuid.UUID, offerings []uuid.UUID) error {
	if _, err := tx.Exec(ctx, `DELETE FROM certification_offerings WHERE certification_id = $1`, certID); err != nil {
		return translate(err)
	}
	if len(offerings) == 0 {
		return nil
	}
	_, err := tx.Exec(ctx, `
		INSERT INTO certification_offerings (certification_id, offering_id, vendor_id)
		SELECT $1, o, $2 FROM unnest($3::uuid[]) AS o`, certID, vendorID, offerings)
	return translate(err)
}

// FindCertification returns the certification with id, or ErrNotFound.
func (s *Store) FindCertification(ctx context.Context, id uuid.UUID) (_ Certification, err error) {
	defer wrap(&err, "catalog.FindCertification(%s)", id)
	c, err := scanCertification(s.pool.QueryRow(ctx, `SELECT `+certificationColumns+` FROM certifications c WHERE c.id = $1`, id))
	return c, translate(err)
}

// ListCertifications returns one page of certifications in creation order.
func (s *Store) ListCertifications(ctx context.Context, f CertificationFilter) (_ Page[Certification], err error) {
	defer wrap(&err, "catalog.ListCertifications")
	after, err := parseCursor(f.Cursor)
	if err != nil {
		return Page[Certification]{}, err
	}
	size := pageSize(f.Limit)
	var validOn *time.Time
	if !f.ValidOn.IsZero() {
		d := Day(f.ValidOn)
		validOn = &d
	}
	rows, err := s.pool.Query(ctx, `
		SELECT `+certificationColumns+` FROM certifications c
		WHERE c.id > $1
		  AND ($2::uuid IS NULL OR c.vendor_id = $2)
		  AND ($3::uuid IS NULL OR EXISTS (SELECT 1 FROM certification_offerings co
				WHERE co.certification_id = c.id AND co.offering_id = $3))
		  AND ($4 = '' OR c.scheme = $4)
		  AND ($5 = '' OR c.status = $5)
		  AND ($6::date IS NULL OR ($6 BETWEEN c.valid_from AND c.valid_until
				AND c.status IN ('self-declared', 'verified')))
		ORDER BY c.id
		LIMIT $7`,
		after, nullID(f.VendorID), nullID(f.OfferingID), f.Scheme, string(f.Status), validOn, size+1)
	if err != nil {
		return Page[Certification]{}, translate(err)
	}
	items, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Certification, error) { return scanCertification(r) })
	if err != nil {
		return Page[Certification]{}, translate(err)
	}
	return makePage(items, size, func(c Certification) uuid.UUID { return c.ID }), nil
}

// UpdateCertification changes the certification with id like UpdateVendor
// does, including the set of offerings it covers, in one transaction. The
// vendor of a certification cannot change.
func (s *Store) UpdateCertification(ctx context.Context, id uuid.UUID, ifVersion int64, edit func(*Certification) error) (_ Certification, err error) {
	defer wrap(&err, "catalog.UpdateCertification(%s)", id)
	return s.updateCertification(ctx, "update", id, ifVersion, edit)
}

func (s *Store) updateCertification(ctx context.Context, action string, id uuid.UUID, ifVersion int64, edit func(*Certification) error) (_ Certification, err error) {
	var updated Certification
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		cur, err := scanCertification(tx.QueryRow(ctx, `SELECT `+certificationColumns+` FROM certifications c WHERE c.id = $1 FOR UPDATE`, id))
		if err != nil {
			return translate(err)
		}
		if err := checkVersion(ifVersion, cur.Version); err != nil {
			return err
		}
		next := cur
		next.OfferingIDs = slices.Clone(cur.OfferingIDs)
		if err := edit(&next); err != nil {
			return err
		}
		next.ID, next.VendorID, next.Version, next.CreatedAt, next.UpdatedAt = cur.ID, cur.VendorID, cur.Version, cur.CreatedAt, cur.UpdatedAt
		if err := next.Clean(); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `
			UPDATE certifications SET scheme = $2, level = NULLIF($3, ''), number = $4, issuer = $5, scope = $6,
				valid_from = $7, valid_until = $8, evidence_url = $9, evidence_sha256 = $10, status = $11,
				verified_by = $12, verified_at = $13, version = version + 1, updated_at = now()
			WHERE id = $1`,
			id, next.Scheme, next.Level, next.Number, next.Issuer, next.Scope, next.ValidFrom, next.ValidUntil,
			next.EvidenceURL, next.EvidenceSHA256, next.Status, next.VerifiedBy, next.VerifiedAt); err != nil {
			return translate(err)
		}
		if !slices.Equal(next.OfferingIDs, cur.OfferingIDs) {
			if err := linkOfferings(ctx, tx, id, cur.VendorID, next.OfferingIDs); err != nil {
				return err
			}
		}
		updated, err = scanCertification(tx.QueryRow(ctx, `SELECT `+certificationColumns+` FROM certifications c WHERE c.id = $1`, id))
		if err != nil {
			return translate(err)
		}
		before, wideBefore := certificationScope(cur)
		after, wideAfter := certificationScope(updated)
		return record(ctx, tx, change{action: action, entity: "certification", id: id, vendorID: cur.VendorID,
			before: cur, after: updated, offerings: append(before, after...), vendorWide: wideBefore || wideAfter})
	})
	return updated, err
}

// WithdrawCertification sets the certification's state to withdrawn: it no
// longer counts for eligibility but stays on record.
func (s *Store) WithdrawCertification(ctx context.Context, id uuid.UUID, ifVersion int64) (_ Certification, err error) {
	defer wrap(&err, "catalog.WithdrawCertification(%s)", id)
	return s.updateCertification(ctx, "withdraw", id, ifVersion, func(c *Certification) error {
		c.Status = Withdrawn
		return nil
	})
}
