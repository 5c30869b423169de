package main

import (
	"context"
	"io"
	"os"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/cybermarket/cybermarket/catalog"
	"github.com/cybermarket/cybermarket/catalog/catalogtest"
	"github.com/cybermarket/cybermarket/compliance"
	"github.com/cybermarket/cybermarket/compliance/refstore"
)

func TestMain(m *testing.M) { os.Exit(catalogtest.Main(m, seedReference)) }

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

// importSample imports the sample catalogue of make run into store.
func importSample(t *testing.T, store *catalog.Store) importSummary {
	t.Helper()
	f, err := os.Open("../../deploy/local/sample-catalogue.ndjson")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sum, err := importBundles(catalog.WithActor(context.Background(), importActor), store, f, false, io.Discard)
	if err != nil || sum.failed > 0 || sum.imported == 0 {
		t.Fatalf("import sample catalogue: %+v, %v", sum, err)
	}
	return sum
}
