package catalog

import (
	"context"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// Viewer is whose eyes a read is for. The zero Viewer is the public.
//
// The public sees active vendors, the published offerings of active vendors,
// and the self-declared and verified certifications of active vendors.
// Pending and suspended vendors, drafts, withdrawn offerings, and rejected,
// suspended or withdrawn certifications are seen only by their own vendor
// and by staff. Contact details are a property-level rule the API applies
// with Owns.
type Viewer struct {
	// Staff sees every object.
	Staff bool
	// Vendor sees every object of its own vendor, and public data of others.
	Vendor uuid.UUID
}

// Everyone is the viewer of internal reads that must see every object.
var Everyone = Viewer{Staff: true}

// Owns reports whether v sees every object of the vendor with vendorID,
// including its contact details.
func (v Viewer) Owns(vendorID uuid.UUID) bool {
	return v.Staff || (v.Vendor != uuid.Nil && v.Vendor == vendorID)
}

// SeesVendor reports whether v may see x.
func (v Viewer) SeesVendor(x Vendor) bool {
	return v.Owns(x.ID) || x.Status == VendorActive
}

// SeesOffering reports whether v may see o, whose vendor is in state vendor.
func (v Viewer) SeesOffering(o Offering, vendor VendorStatus) bool {
	return v.Owns(o.VendorID) || PublicOffering(o, vendor)
}

// SeesCertification reports whether v may see c, whose vendor is in state vendor.
func (v Viewer) SeesCertification(c Certification, vendor VendorStatus) bool {
	return v.Owns(c.VendorID) || (publicVerification(c.Status) && vendor == VendorActive)
}

func publicVerification(s Verification) bool { return s == SelfDeclared || s == Verified }

// ownID is the vendor a viewer owns, as a nullable query parameter.
func (v Viewer) ownID() *uuid.UUID { return nullID(v.Vendor) }

// VisibleVendor returns the vendor with id if v may see it, and ErrNotFound
// otherwise: what a viewer may not see does not exist for it.
func (s *Store) VisibleVendor(ctx context.Context, id uuid.UUID, v Viewer) (_ Vendor, err error) {
	defer wrap(&err, "catalog.VisibleVendor(%s)", id)
	x, err := scanVendor(s.pool.QueryRow(ctx, `SELECT `+vendorColumns+` FROM vendors
		WHERE id = $1 AND ($2 OR id = $3 OR status = 'active')`, id, v.Staff, v.ownID()))
	return x, translate(err)
}

// VisibleOffering returns the offering with id if v may see it, and
// ErrNotFound otherwise.
func (s *Store) VisibleOffering(ctx context.Context, id uuid.UUID, v Viewer) (_ Offering, err error) {
	defer wrap(&err, "catalog.VisibleOffering(%s)", id)
	o, err := scanOffering(s.pool.QueryRow(ctx, `SELECT `+offeringColumns+` FROM offerings o
		WHERE id = $1 AND ($2 OR vendor_id = $3 OR `+publicOffering+`)`,
		id, v.Staff, v.ownID()))
	return o, translate(err)
}

// VisibleCertification returns the certification with id if v may see it,
// and ErrNotFound otherwise. For a viewer who does not own it, the offerings
// it covers list only those the viewer may see.
func (s *Store) VisibleCertification(ctx context.Context, id uuid.UUID, v Viewer) (_ Certification, err error) {
	defer wrap(&err, "catalog.VisibleCertification(%s)", id)
	c, err := scanCertification(s.pool.QueryRow(ctx, `SELECT `+certificationColumns+` FROM certifications c
		WHERE c.id = $1 AND ($2 OR c.vendor_id = $3 OR (c.status IN ('self-declared', 'verified')
			AND EXISTS (SELECT 1 FROM vendors v WHERE v.id = c.vendor_id AND v.status = 'active')
			AND `+publicCoverage+`))`,
		id, v.Staff, v.ownID()))
	if err != nil {
		return Certification{}, translate(err)
	}
	certs := []Certification{c}
	if err := s.trimCoverage(ctx, certs, v); err != nil {
		return Certification{}, err
	}
	return certs[0], nil
}

// publicCoverage is the SQL condition on certification c that what it
// covers is public: the whole vendor (it lists no offering), or at least one
// published offering. A certification that covers only drafts or withdrawn
// offerings is hidden from those who do not own it, as they are: showing it
// with an empty list would read as covering the whole vendor, and with a
// marker would tell that hidden offerings exist.
const publicCoverage = `(NOT EXISTS (SELECT 1 FROM certification_offerings co WHERE co.certification_id = c.id)
	OR EXISTS (SELECT 1 FROM certification_offerings co JOIN offerings o ON o.id = co.offering_id
		WHERE co.certification_id = c.id AND o.status = 'published'))`

// trimCoverage drops from the certifications v does not own the offerings v
// may not see (drafts, withdrawn), so that their ids do not leak.
func (s *Store) trimCoverage(ctx context.Context, certs []Certification, v Viewer) error {
	return trimCoverageIn(ctx, s.pool, certs, v)
}

// querier is a pool or a transaction.
type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

// trimCoverageIn is trimCoverage reading through q.
func trimCoverageIn(ctx context.Context, q querier, certs []Certification, v Viewer) error {
	var ids []uuid.UUID
	for _, c := range certs {
		if !v.Owns(c.VendorID) {
			ids = append(ids, c.OfferingIDs...)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	rows, err := q.Query(ctx, `SELECT o.id FROM offerings o WHERE o.id = ANY($1) AND `+publicOffering, ids)
	if err != nil {
		return translate(err)
	}
	public, err := pgx.CollectRows(rows, pgx.RowTo[uuid.UUID])
	if err != nil {
		return translate(err)
	}
	seen := make(map[uuid.UUID]bool, len(public))
	for _, id := range public {
		seen[id] = true
	}
	for i := range certs {
		if v.Owns(certs[i].VendorID) {
			continue
		}
		kept := make([]uuid.UUID, 0, len(certs[i].OfferingIDs))
		for _, id := range certs[i].OfferingIDs {
			if seen[id] {
				kept = append(kept, id)
			}
		}
		certs[i].OfferingIDs = kept
	}
	return nil
}
