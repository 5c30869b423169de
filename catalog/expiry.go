package catalog

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
)

// The certificate job (RunCertificateNotices, run periodically by serve):
// warnings to vendors that a certificate expires in 90, 30 or 7 days, and
// the days a certificate starts or stops being valid, which change
// eligibility by the passing of time alone and so go into the change log
// and the search outbox like a write. certificate_notices records each
// notice, so restarts and replicas never send one twice.

// ExpiryThresholds are the days before expiry at which vendors are warned.
var ExpiryThresholds = []int{90, 30, 7}

// catchUp bounds how far back the job looks for starts and ends it missed
// (the server was down): older ones are history, not news.
const catchUp = 30

// NoticeReport is what one run of the certificate job did.
type NoticeReport struct {
	Warnings, Started, Expired int
}

// RunCertificateNotices sends the notices due on day (UTC): an expiry
// warning for each live certificate (self-declared or verified) whose
// last valid day is within a threshold, only the most urgent threshold
// newly reached, once per certificate, threshold and expiry date; and, for
// each certificate that started or expired within the last 30 days, after it
// was recorded, the change-log rows of the certificate and of the offerings
// it covers, outbox rows for their search documents, and, on expiry, an
// event to its vendor.
func (s *Store) RunCertificateNotices(ctx context.Context, day time.Time) (r NoticeReport, err error) {
	defer wrap(&err, "catalog.RunCertificateNotices(%s)", day.Format(time.DateOnly))
	day = day.UTC().Truncate(24 * time.Hour)
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		if r.Warnings, err = expiryWarnings(ctx, tx, day); err != nil {
			return err
		}
		if r.Started, err = validityChanges(ctx, tx, day, "starts"); err != nil {
			return err
		}
		r.Expired, err = validityChanges(ctx, tx, day, "expired")
		return err
	})
	return r, translate(err)
}

// expiryWarnings records and sends the expiry warnings due on day.
func expiryWarnings(ctx context.Context, tx pgx.Tx, day time.Time) (int, error) {
	tag, err := tx.Exec(ctx, `
		WITH due AS (
			SELECT c.id, c.vendor_id, c.scheme, c.number, c.valid_until, t.days
			FROM certifications c CROSS JOIN unnest($2::int[]) AS t(days)
			WHERE c.status IN ('self-declared', 'verified')
			  AND c.valid_until >= $1::date AND c.valid_until <= $1::date + t.days),
		fresh AS (
			INSERT INTO certificate_notices (certification_id, kind, day)
			SELECT id, 'expires-' || days, valid_until FROM due
			ON CONFLICT DO NOTHING
			RETURNING certification_id, kind)
		INSERT INTO webhook_events (vendor_id, type, subject, data)
		SELECT d.vendor_id, $3, d.id, jsonb_build_object(
			'certification_id', d.id, 'scheme', d.scheme, 'number', d.number,
			'valid_until', d.valid_until, 'threshold_days', d.days, 'days_left', d.valid_until - $1::date)
		FROM due d JOIN fresh f ON f.certification_id = d.id AND f.kind = 'expires-' || d.days
		WHERE d.days = (SELECT min(m.days) FROM due m WHERE m.id = d.id)`,
		day, ExpiryThresholds, EventCertificateExpiring)
	return int(tag.RowsAffected()), err
}

// validityChanges records the certificates that started (kind "starts":
// valid_from reached) or expired ("expired": the day after valid_until
// reached) on or before day, within the catch-up window and after the
// certificate was recorded, and writes their change-log and outbox rows,
// and for expiries the vendor's event. It returns how many it recorded.
func validityChanges(ctx context.Context, tx pgx.Tx, day time.Time, kind string) (int, error) {
	rows, err := tx.Query(ctx, `
		WITH due AS (
			SELECT id, vendor_id, scheme, number, valid_until, created_at, on_day FROM (
				SELECT c.*, CASE WHEN $2 = 'starts' THEN c.valid_from ELSE c.valid_until + 1 END AS on_day
				FROM certifications c WHERE c.status IN ('self-declared', 'verified')) x
			WHERE on_day <= $1::date AND on_day > $1::date - $3::int AND on_day > created_at::date),
		fresh AS (
			INSERT INTO certificate_notices (certification_id, kind, day)
			SELECT id, $2, on_day FROM due
			ON CONFLICT DO NOTHING
			RETURNING certification_id)
		SELECT d.id, d.vendor_id, d.scheme, d.number, d.valid_until FROM due d JOIN fresh f ON f.certification_id = d.id`,
		day, kind, catchUp)
	if err != nil {
		return 0, err
	}
	certs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (c Certification, err error) {
		return c, r.Scan(&c.ID, &c.VendorID, &c.Scheme, &c.Number, &c.ValidUntil)
	})
	if err != nil {
		return 0, err
	}
	for _, c := range certs {
		if err := logValidity(ctx, tx, c, kind); err != nil {
			return 0, err
		}
	}
	return len(certs), nil
}

// logValidity writes the change-log rows of certification c, whose validity
// started or ended, and of the offerings it covers (every offering of its
// vendor when it lists none), their outbox rows, and on expiry the vendor's
// event.
func logValidity(ctx context.Context, tx pgx.Tx, c Certification, kind string) error {
	cause := "certification " + map[string]string{"starts": "start", "expired": "expire"}[kind]
	if _, err := tx.Exec(ctx, `
		WITH covered AS (
			SELECT offering_id AS id FROM certification_offerings WHERE certification_id = $1
			UNION SELECT o.id FROM offerings o
			WHERE o.vendor_id = $2 AND NOT EXISTS (SELECT 1 FROM certification_offerings WHERE certification_id = $1)),
		logged AS (
			INSERT INTO change_log (entity, entity_id, cause)
			SELECT 'certification', $1, $3 UNION ALL SELECT 'offering', id, $3 FROM covered)
		INSERT INTO search_outbox (offering_id, reason) SELECT id, $3 FROM covered`, c.ID, c.VendorID, cause); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `SELECT pg_notify($1, '')`, OutboxChannel); err != nil {
		return err
	}
	if kind != "expired" {
		return nil
	}
	return addVendorEvent(ctx, tx, c.VendorID, EventCertificateExpired, c.ID, map[string]any{
		"certification_id": c.ID, "scheme": c.Scheme, "number": c.Number,
		"valid_until": c.ValidUntil.Format(time.DateOnly),
	})
}
