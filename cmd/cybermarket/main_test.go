package main

import (
	"context"
	"io"
	"os"
	"testing"

	"github.com/cybermarket/cybermarket/catalog"
	"github.com/cybermarket/cybermarket/catalog/catalogtest"
	"github.com/cybermarket/cybermarket/compliance/refstore/refstoretest"
)

func TestMain(m *testing.M) { os.Exit(catalogtest.Main(m, refstoretest.Seed)) }

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
