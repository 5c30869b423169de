package catalog

import (
	"context"
	"embed"
	"fmt"
	"io/fs"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/tern/v2/migrate"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// versionTable records which migrations have been applied.
const versionTable = "schema_version"

// Migrations returns the embedded SQL migrations, named NNN_name.sql.
func Migrations() fs.FS {
	sub, err := fs.Sub(migrationFiles, "migrations")
	if err != nil {
		panic(err) // the embed pattern guarantees the directory
	}
	return sub
}

// Migrate applies every migration not yet applied to the database at url, each
// in its own transaction, holding an advisory lock so that replicas starting
// together do not race. It returns the schema version reached.
func Migrate(ctx context.Context, url string) (version int32, err error) {
	defer wrap(&err, "catalog.Migrate")
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return 0, err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	m, err := migrate.NewMigrator(ctx, conn, versionTable)
	if err != nil {
		return 0, err
	}
	if err := m.LoadMigrations(Migrations()); err != nil {
		return 0, fmt.Errorf("load migrations: %w", err)
	}
	if err := m.Migrate(ctx); err != nil {
		return 0, err
	}
	return m.GetCurrentVersion(ctx)
}
