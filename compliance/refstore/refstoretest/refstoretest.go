// Package refstoretest seeds test databases with the embedded reference
// data, for tests that run the API, search or commands on a migrated
// template database (see catalogtest.Main).
package refstoretest

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/cybermarket/cybermarket/compliance"
	"github.com/cybermarket/cybermarket/compliance/refstore"
)

// Seed loads the embedded reference data into the database at url, as
// cybermarket migrate does. Pass it to catalogtest.Main.
func Seed(ctx context.Context, url string) error {
	pool, err := pgxpool.New(ctx, url)
	if err != nil {
		return err
	}
	defer pool.Close()
	ref, err := compliance.Embedded()
	if err != nil {
		return err
	}
	_, err = refstore.New(pool).Sync(ctx, ref)
	return err
}
