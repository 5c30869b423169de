// Package catalogtest gives tests a real, freshly migrated PostgreSQL
// database of their own.
//
// A test binary migrates and seeds one template database in TestMain (Main);
// every test then gets a copy of it (CREATE DATABASE ... TEMPLATE, fast) that
// is dropped when the test ends. The server comes from TEST_DATABASE_URL, a
// connection string for a role allowed to create databases. Without it tests
// skip, unless CI is set, in which case they fail: CI must never pass by
// skipping.
package catalogtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/cybermarket/cybermarket/catalog"
)

// EnvURL names the environment variable holding the server's connection string.
const EnvURL = "TEST_DATABASE_URL"

var (
	mu       sync.Mutex // serializes CREATE DATABASE from the template
	template string     // name of the migrated template database, "" when unavailable
	adminURL string
	setupErr error
)

// Seed loads reference rows into the template after migration. It receives
// the template's connection string.
type Seed func(ctx context.Context, url string) error

// Main migrates and seeds a template database, runs the tests and drops the
// template. Call it from TestMain: os.Exit(catalogtest.Main(m, seed)).
func Main(m *testing.M, seed Seed) int {
	adminURL = os.Getenv(EnvURL)
	if adminURL != "" {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		template, setupErr = createTemplate(ctx, seed)
		cancel()
	}
	code := m.Run()
	if template != "" {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := exec(ctx, adminURL, "DROP DATABASE IF EXISTS "+pgx.Identifier{template}.Sanitize()+" WITH (FORCE)"); err != nil {
			fmt.Fprintln(os.Stderr, "catalogtest: drop template:", err)
		}
	}
	return code
}

// NewDatabase returns the connection string of a new database copied from
// the migrated, seeded template. The database is dropped when t ends.
func NewDatabase(t testing.TB) string {
	t.Helper()
	switch {
	case adminURL == "" && os.Getenv("CI") != "":
		t.Fatalf("%s is not set; CI must run the database tests (use make test)", EnvURL)
	case adminURL == "":
		t.Skipf("%s is not set; run make test to start a throwaway PostgreSQL", EnvURL)
	case setupErr != nil:
		t.Fatalf("catalogtest: preparing the template database: %v", setupErr)
	case template == "":
		t.Fatal("catalogtest: Main was not called from TestMain")
	}
	ctx := context.Background()
	name := "cm_test_" + randomSuffix()
	mu.Lock()
	err := exec(ctx, adminURL, fmt.Sprintf("CREATE DATABASE %s TEMPLATE %s STRATEGY FILE_COPY",
		pgx.Identifier{name}.Sanitize(), pgx.Identifier{template}.Sanitize()))
	mu.Unlock()
	if err != nil {
		t.Fatalf("catalogtest: create database: %v", err)
	}
	t.Cleanup(func() {
		if err := exec(context.Background(), adminURL, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)"); err != nil {
			t.Errorf("catalogtest: drop database: %v", err)
		}
	})
	return withDatabase(adminURL, name)
}

// NewStore returns a Store on a new database (see NewDatabase), closed when t ends.
func NewStore(t testing.TB) (*catalog.Store, string) {
	t.Helper()
	dbURL := NewDatabase(t)
	s, err := catalog.Open(context.Background(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s, dbURL
}

func createTemplate(ctx context.Context, seed Seed) (string, error) {
	name := "cm_template_" + randomSuffix()
	if err := exec(ctx, adminURL, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); err != nil {
		return "", fmt.Errorf("create template: %w", err)
	}
	tmplURL := withDatabase(adminURL, name)
	if _, err := catalog.Migrate(ctx, tmplURL); err != nil {
		return name, err
	}
	if seed != nil {
		if err := seed(ctx, tmplURL); err != nil {
			return name, fmt.Errorf("seed template: %w", err)
		}
	}
	return name, nil
}

func exec(ctx context.Context, connURL, sql string) error {
	conn, err := pgx.Connect(ctx, connURL)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, sql)
	return err
}

// withDatabase returns connURL with its database name replaced.
func withDatabase(connURL, db string) string {
	u, err := url.Parse(connURL)
	if err != nil || u.Scheme == "" {
		// A keyword/value string: a later dbname wins.
		return connURL + " dbname=" + db
	}
	u.Path = "/" + db
	return u.String()
}

func randomSuffix() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
