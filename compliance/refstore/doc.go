// Package refstore is the PostgreSQL side of package compliance: it loads the
// embedded reference data into the reference tables (Sync, as cybermarket
// migrate does), reads them back into a validated compliance.Reference
// (Load, Revision: the compliance.Source behind compliance.Live), and stores
// administrators' edits of requirements with their audit event
// (RequirementVersion, EditRequirement).
//
// Package compliance itself stays pure: reference types, validation and the
// burden engine, values in and values out. Everything that talks to the
// database about reference data lives here, behind Store.
package refstore

import "github.com/jackc/pgx/v5/pgxpool"

// Store reads and writes the reference tables (countries, categories,
// schemes, requirements, scheme_levels, reference_revision).
type Store struct {
	pool *pgxpool.Pool
}

// New returns a Store over pool, the catalogue's database.
func New(pool *pgxpool.Pool) *Store { return &Store{pool: pool} }
