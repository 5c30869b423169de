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
	c.status_reason, c.version, c.created_at, c.updated_at,
	coalesce((SELECT array_agg(co.offering_id ORDER BY co.offering_id) FROM certification_offerings co
		WHERE co.certification_id = c.id), '{}')`

func scanCertification(row pgx.Row) (Certification, error) {
	var c Certification
	err := row.Scan(&c.ID, &c.VendorID, &c.Scheme, &c.Level, &c.Number, &c.Issuer, &c.Scope,
		&c.ValidFrom, &c.ValidUntil, &c.EvidenceURL, &c.EvidenceSHA256, &c.Status, &c.VerifiedBy, &c.VerifiedAt,
		&c.StatusReason, &c.Version, &c.CreatedAt, &c.UpdatedAt, &c.OfferingIDs)
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
	// Viewer is whose eyes the list is for; the zero Viewer sees the public
	// certifications of active vendors only.
	Viewer Viewer
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
			valid_until, evidence_url, evidence_sha256, status, verified_by, verified_at, status_reason)
		VALUES ($1, $2, $3, NULLIF($4, ''), $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
		c.ID, c.VendorID, c.Scheme, c.Level, c.Number, c.Issuer, c.Scope, c.ValidFrom, c.ValidUntil,
		c.EvidenceURL, c.EvidenceSHA256, c.Status, c.VerifiedBy, c.VerifiedAt, c.StatusReason)
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

// ListCertifications returns one page of the certifications f.Viewer may
// see, in creation order. For certifications the viewer does not own, the
// covered offerings list only those it may see.
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
		  AND ($3::uuid IS NULL OR EXISTS (SELECT 1 FROM certification_offerings co JOIN offerings o ON o.id = co.offering_id
				WHERE co.certification_id = c.id AND co.offering_id = $3
				  AND ($8 OR c.vendor_id = $9 OR o.status = 'published')))
		  AND ($4 = '' OR c.scheme = $4)
		  AND ($5 = '' OR c.status = $5)
		  AND ($6::date IS NULL OR ($6 BETWEEN c.valid_from AND c.valid_until
				AND c.status IN ('self-declared', 'verified')))
		  AND ($8 OR c.vendor_id = $9 OR (c.status IN ('self-declared', 'verified')
				AND EXISTS (SELECT 1 FROM vendors v WHERE v.id = c.vendor_id AND v.status = 'active')
				AND `+publicCoverage+`))
		ORDER BY c.id
		LIMIT $7`,
		after, nullID(f.VendorID), nullID(f.OfferingID), f.Scheme, string(f.Status), validOn, size+1, f.Viewer.Staff, f.Viewer.ownID())
	if err != nil {
		return Page[Certification]{}, translate(err)
	}
	items, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Certification, error) { return scanCertification(r) })
	if err != nil {
		return Page[Certification]{}, translate(err)
	}
	if err := s.trimCoverage(ctx, items, f.Viewer); err != nil {
		return Page[Certification]{}, err
	}
	return makePage(items, size, func(c Certification) uuid.UUID { return c.ID }), nil
}

// UpdateCertification changes the certification with id like UpdateVendor
// does, including the set of offerings it covers, in one transaction. The
// vendor of a certification cannot change, and neither can its verification
// (status, verified_by, verified_at, status_reason): SetVerification and
// WithdrawCertification change those. A substantive change (Substantive) of
// a verified certification returns it to self-declared in the same
// transaction: the verification was of the old facts.
func (s *Store) UpdateCertification(ctx context.Context, id uuid.UUID, ifVersion int64, edit func(*Certification) error) (_ Certification, err error) {
	defer wrap(&err, "catalog.UpdateCertification(%s)", id)
	return s.updateCertification(ctx, "update", id, ifVersion, func(c *Certification) error {
		cur := *c
		cur.OfferingIDs = slices.Clone(c.OfferingIDs)
		if err := edit(c); err != nil {
			return err
		}
		c.Status, c.VerifiedBy, c.VerifiedAt, c.StatusReason = cur.Status, cur.VerifiedBy, cur.VerifiedAt, cur.StatusReason
		if cur.Status == Verified && Substantive(cur, *c) {
			c.Status, c.VerifiedBy, c.VerifiedAt, c.StatusReason = SelfDeclared, "", nil, ""
		}
		return nil
	})
}

// Substantive reports whether next changes what a verifier checked in cur:
// the scheme, level, certificate number, issuer, scope or validity dates, or
// an offering added to what it covers. Evidence links, and narrowing the
// covered offerings, are not substantive.
func Substantive(cur, next Certification) bool {
	norm := func(c Certification) Certification {
		c.OfferingIDs = slices.Clone(c.OfferingIDs)
		_ = c.Clean() // canonical form only; validity is checked elsewhere
		return c
	}
	a, b := norm(cur), norm(next)
	if a.Scheme != b.Scheme || a.Level != b.Level || a.Number != b.Number || a.Issuer != b.Issuer ||
		a.Scope != b.Scope || !a.ValidFrom.Equal(b.ValidFrom) || !a.ValidUntil.Equal(b.ValidUntil) {
		return true
	}
	for _, id := range b.OfferingIDs {
		if !slices.Contains(a.OfferingIDs, id) {
			return true
		}
	}
	return false
}

// Verification decisions staff make on a certification claim.
type Decision struct {
	// Status is the new state: verified, rejected or suspended.
	Status Verification
	// By names who decided, as shown with the certification.
	By string
	// Reason is required when rejecting or suspending.
	Reason string
}

// SetVerification records a staff decision on the certification with id:
// verified (from self-declared, rejected or suspended), rejected (from
// self-declared, verified or suspended), or suspended (from self-declared or
// verified). A withdrawn certification takes no decision. Re-verifying a
// verified claim refreshes verified_by and verified_at. It returns
// *ValidationError for a missing reason or a state staff cannot set,
// *ConflictError for a transition that is not allowed, and checks ifVersion
// like UpdateCertification. The audit event's action is "verify", "reject"
// or "suspend".
func (s *Store) SetVerification(ctx context.Context, id uuid.UUID, ifVersion int64, d Decision) (_ Certification, err error) {
	defer wrap(&err, "catalog.SetVerification(%s)", id)
	d.Reason, d.By = trim(d.Reason), trim(d.By)
	from := map[Verification][]Verification{
		Verified:  {SelfDeclared, Rejected, Suspended, Verified},
		Rejected:  {SelfDeclared, Verified, Suspended},
		Suspended: {SelfDeclared, Verified},
	}
	action := map[Verification]string{Verified: "verify", Rejected: "reject", Suspended: "suspend"}[d.Status]
	switch {
	case action == "":
		return Certification{}, Invalid("status", "must be verified, rejected or suspended", string(d.Status))
	case d.Status != Verified && d.Reason == "":
		return Certification{}, Invalid("reason", "is required when rejecting or suspending a claim", nil)
	case len(d.Reason) > 1000:
		return Certification{}, Invalid("reason", "must be at most 1000 characters", nil)
	case d.By == "":
		return Certification{}, Invalid("by", "is required", nil)
	}
	return s.updateCertification(ctx, action, id, ifVersion, func(c *Certification) error {
		if !slices.Contains(from[d.Status], c.Status) {
			return &ConflictError{Field: "status", Message: "a " + string(c.Status) + " certification cannot become " + string(d.Status)}
		}
		now := time.Now().UTC()
		c.Status, c.VerifiedBy, c.VerifiedAt, c.StatusReason = d.Status, d.By, &now, d.Reason
		return nil
	})
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
				verified_by = $12, verified_at = $13, status_reason = $14, version = version + 1, updated_at = now()
			WHERE id = $1`,
			id, next.Scheme, next.Level, next.Number, next.Issuer, next.Scope, next.ValidFrom, next.ValidUntil,
			next.EvidenceURL, next.EvidenceSHA256, next.Status, next.VerifiedBy, next.VerifiedAt, next.StatusReason); err != nil {
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
