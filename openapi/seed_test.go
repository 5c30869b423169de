package openapi_test

import (
	"context"

	"github.com/jackc/pgx/v5"
)

// seedReference loads the reference rows the tests point at.
// TODO(compliance): replace with the real reference data loader.
func seedReference(ctx context.Context, url string) error {
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, `
		INSERT INTO categories (slug, name) VALUES
			('incident-response', 'Incident response'), ('penetration-testing', 'Penetration testing');
		INSERT INTO schemes (id, name) VALUES ('iso-iec-27001', 'ISO/IEC 27001'), ('eucc', 'EUCC');
		INSERT INTO scheme_levels (scheme_id, level, rank) VALUES ('eucc', 'substantial', 1), ('eucc', 'high', 2);`)
	return err
}
