package openapi_test

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/cybermarket/cybermarket/compliance"
	"github.com/cybermarket/cybermarket/compliance/refstore"
)

// seedReference loads the embedded reference data, as cybermarket migrate does.
func seedReference(ctx context.Context, url string) error {
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
