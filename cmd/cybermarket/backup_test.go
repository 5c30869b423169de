package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/cybermarket/cybermarket/catalog"
	"github.com/cybermarket/cybermarket/catalog/catalogtest"
	"github.com/cybermarket/cybermarket/compliance"
	"github.com/cybermarket/cybermarket/compliance/refstore"
	"github.com/cybermarket/cybermarket/openapi"
	"github.com/cybermarket/cybermarket/search"
	"github.com/cybermarket/cybermarket/search/searchtest"
)

// pgTool finds a PostgreSQL client program: on PATH, else where Debian puts
// PostgreSQL 15's. Without it the test skips, unless CI is set.
func pgTool(t *testing.T, name string) string {
	t.Helper()
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	p := "/usr/lib/postgresql/15/bin/" + name
	if _, err := os.Stat(p); err == nil {
		return p
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("%s not found; CI must run the backup test (install postgresql-client-15)", name)
	}
	t.Skipf("%s not found", name)
	return ""
}

// emptyDatabase creates an empty database (from template0, as a restore
// target must be) on the test server, dropped when t ends.
func emptyDatabase(t *testing.T) string {
	t.Helper()
	admin := os.Getenv(catalogtest.EnvURL)
	u, err := url.Parse(admin)
	if err != nil || admin == "" {
		t.Fatalf("%s must be a URL here", catalogtest.EnvURL)
	}
	name := "cm_restore_" + strings.ReplaceAll(filepath.Base(t.TempDir()), "-", "_")
	ctx := context.Background()
	run := func(sql string) error {
		conn, err := pgx.Connect(ctx, admin)
		if err != nil {
			return err
		}
		defer conn.Close(ctx)
		_, err = conn.Exec(ctx, sql)
		return err
	}
	if err := run("CREATE DATABASE " + pgx.Identifier{name}.Sanitize() + " TEMPLATE template0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = run("DROP DATABASE IF EXISTS " + pgx.Identifier{name}.Sanitize() + " WITH (FORCE)") })
	u.Path = "/" + name
	return u.String()
}

// api serves the API on the database at dbURL, as serve does, with ix as
// its search index.
func api(t *testing.T, dbURL string, ix *search.Index) (*catalog.Store, string) {
	t.Helper()
	ctx := context.Background()
	store, err := catalog.Open(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(store.Close)
	live, err := compliance.OpenLive(ctx, refstore.New(store.Pool()))
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(openapi.New(openapi.Deps{Catalog: store, Compliance: live, Search: openapi.SearchDeps{Index: ix},
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}))
	t.Cleanup(ts.Close)
	return store, ts.URL
}

// body returns the JSON body of GET base+path, re-encoded canonically.
func body(t *testing.T, base, path string) string {
	t.Helper()
	res, err := http.Get(base + path)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var v any
	if err := json.NewDecoder(res.Body).Decode(&v); err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s, %v", path, res.Status, err)
	}
	out, _ := json.Marshal(v)
	return string(out)
}

// TestBackup_RestoreServeReindex follows the runbook: pg_dump a populated
// database, pg_restore it into an empty one, serve the API from the copy,
// rebuild the search index from it and find the index equal to the database.
func TestBackup_RestoreServeReindex(t *testing.T) {
	pgDump, pgRestore := pgTool(t, "pg_dump"), pgTool(t, "pg_restore")
	meili := searchtest.Config(t)
	ctx := context.Background()

	src := catalogtest.NewDatabase(t)
	store, err := catalog.Open(ctx, src)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	sum := importSample(t, store)
	if _, _, err := store.CreateKey(catalog.WithActor(ctx, importActor), catalog.APIKey{Name: "backup test", Role: catalog.RoleAnalyst}); err != nil {
		t.Fatal(err)
	}

	dump := filepath.Join(t.TempDir(), "cybermarket.dump")
	if out, err := exec.Command(pgDump, "--format=custom", "--no-owner", "--file="+dump, "--dbname="+src).CombinedOutput(); err != nil {
		t.Fatalf("pg_dump: %v\n%s", err, out)
	}
	dst := emptyDatabase(t)
	if out, err := exec.Command(pgRestore, "--no-owner", "--no-privileges", "--exit-on-error", "--dbname="+dst, dump).CombinedOutput(); err != nil {
		t.Fatalf("pg_restore: %v\n%s", err, out)
	}

	// The API answers the same from the copy as from the original.
	_, before := api(t, src, nil)
	restored, after := api(t, dst, nil)
	for _, path := range []string{"/v1/vendors?limit=200", "/v1/offerings?limit=200", "/v1/certifications?limit=200", "/v1/countries", "/v1/schemes"} {
		if a, b := body(t, before, path), body(t, after, path); a != b {
			t.Errorf("GET %s differs after the restore:\nbefore %s\nafter  %s", path, a, b)
		}
	}
	if n := strings.Count(body(t, after, "/v1/vendors?limit=200"), `"vat_number"`); n != sum.imported {
		t.Errorf("restored copy lists %d vendors, %d were imported", n, sum.imported)
	}

	// Rebuild the index from the copy with cybermarket reindex, then check it.
	t.Setenv("MEILI_INDEX", meili.UID)
	cfg := &config{DatabaseURL: dst, MeiliURL: meili.URL, MeiliAPIKey: meili.APIKey, LogFormat: "text", LogLevel: "warn"}
	var out bytes.Buffer
	if err := reindex(ctx, cfg, false, &out); err != nil {
		t.Fatalf("reindex: %v", err)
	}
	out.Reset()
	if err := reindex(ctx, cfg, true, &out); err != nil {
		t.Fatalf("reindex --check after the restore: %v\n%s", err, out.String())
	}
	ix, err := search.Open(meiliConfig(cfg))
	if err != nil {
		t.Fatal(err)
	}
	st, err := search.ReadStatus(ctx, restored, ix)
	if err != nil {
		t.Fatal(err)
	}
	if !st.Reachable || st.Public == 0 || st.Index.Documents != st.Public {
		t.Errorf("after reindex: %d documents for %d public offerings (reachable %v)", st.Index.Documents, st.Public, st.Reachable)
	}
	_, served := api(t, dst, ix)
	var res struct {
		Total int64 `json:"total"`
	}
	if err := json.Unmarshal([]byte(body(t, served, "/v1/search/offerings?limit=1")), &res); err != nil || res.Total != st.Public {
		t.Errorf("search on the restored service finds %d offerings, want %d (%v)", res.Total, st.Public, err)
	}
}
