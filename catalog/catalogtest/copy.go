package catalogtest

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/cybermarket/cybermarket/catalog"
)

// Copy loads vendors, offerings and certifications (with their offering
// links) with COPY, in one transaction, and analyses the tables: the fast
// way to fill a database for a benchmark. It writes no outbox or change-log
// rows; build the search index with a reindex.
func Copy(ctx context.Context, pool *pgxpool.Pool, vendorRows []catalog.Vendor, offeringRows []catalog.Offering, certRows []catalog.Certification) error {
	vendors := make([][]any, len(vendorRows))
	for i, v := range vendorRows {
		vendors[i] = []any{v.ID, v.LegalName, v.TradingName, v.VATNumber, v.LEI, v.EUID, v.Country, v.EstablishedIn,
			string(v.Size), v.Website, v.Contact.Name, v.Contact.Email, v.Contact.Phone, string(v.Status), v.Version, v.CreatedAt, v.UpdatedAt}
	}
	offerings := make([][]any, len(offeringRows))
	for i, o := range offeringRows {
		offerings[i] = []any{o.ID, o.VendorID, o.Name, o.Category, o.CPVCodes, o.Summary, o.Description, string(o.Delivery),
			o.Countries, o.Languages, o.DataLocations, o.ClearedIn, o.HealthcareReferences, string(o.Status), o.Version, o.CreatedAt, o.UpdatedAt}
	}
	var certs, links [][]any
	for _, ct := range certRows {
		var level any
		if ct.Level != "" {
			level = ct.Level
		}
		certs = append(certs, []any{ct.ID, ct.VendorID, ct.Scheme, level, ct.Number, ct.Issuer, ct.Scope, ct.ValidFrom, ct.ValidUntil,
			ct.EvidenceURL, ct.EvidenceSHA256, string(ct.Status), ct.VerifiedBy, ct.VerifiedAt, ct.Version, ct.CreatedAt, ct.UpdatedAt})
		for _, o := range ct.OfferingIDs {
			links = append(links, []any{ct.ID, o, ct.VendorID})
		}
	}
	return pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		for _, t := range []struct {
			table string
			cols  []string
			rows  [][]any
		}{
			{"vendors", []string{"id", "legal_name", "trading_name", "vat_number", "lei", "euid", "country", "established_in",
				"size", "website", "contact_name", "contact_email", "contact_phone", "status", "version", "created_at", "updated_at"}, vendors},
			{"offerings", []string{"id", "vendor_id", "name", "category", "cpv_codes", "summary", "description", "delivery",
				"countries", "languages", "data_locations", "cleared_in", "healthcare_references", "status", "version", "created_at", "updated_at"}, offerings},
			{"certifications", []string{"id", "vendor_id", "scheme", "level", "number", "issuer", "scope", "valid_from", "valid_until",
				"evidence_url", "evidence_sha256", "status", "verified_by", "verified_at", "version", "created_at", "updated_at"}, certs},
			{"certification_offerings", []string{"certification_id", "offering_id", "vendor_id"}, links},
		} {
			if _, err := tx.CopyFrom(ctx, pgx.Identifier{t.table}, t.cols, pgx.CopyFromRows(t.rows)); err != nil {
				return fmt.Errorf("copy %s: %w", t.table, err)
			}
		}
		_, err := tx.Exec(ctx, `ANALYZE vendors; ANALYZE offerings; ANALYZE certifications; ANALYZE certification_offerings`)
		return err
	})
}
