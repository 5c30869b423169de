// Package catalog holds cybermarket's nouns (Vendor, Offering, Certification),
// the rules every value must keep wherever it enters (API, bulk import, CLI),
// and the PostgreSQL store that persists them.
//
// The package knows nothing of HTTP, Meilisearch or the burden engine. Callers
// see domain errors (ErrNotFound, ErrStale, *ConflictError, *ValidationError),
// never driver types.
package catalog
