package catalog

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Store persists the catalogue in PostgreSQL. It normalizes and validates
// every value it writes, so that every entry point (API, import, CLI) keeps
// the same rules, and translates driver errors into domain errors.
type Store struct {
	pool *pgxpool.Pool
}

// Option adjusts how Open connects.
type Option func(*pgxpool.Config)

// WithQueryTracer reports every query of the pool's connections to t (for
// tracing); a nil t changes nothing.
func WithQueryTracer(t pgx.QueryTracer) Option {
	return func(c *pgxpool.Config) {
		if t != nil {
			c.ConnConfig.Tracer = t
		}
	}
}

// Open connects to the database at url and checks that it answers. The
// session time zone is UTC.
func Open(ctx context.Context, url string, opts ...Option) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		// The parse error may echo the password; say only what is wrong.
		return nil, errors.New("catalog.Open: DATABASE_URL is not a valid PostgreSQL connection string")
	}
	cfg.ConnConfig.RuntimeParams["timezone"] = "UTC"
	for _, o := range opts {
		o(cfg)
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("catalog.Open: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("catalog.Open: %w", err)
	}
	return &Store{pool: pool}, nil
}

// Close closes the connection pool.
func (s *Store) Close() { s.pool.Close() }

// Ping reports whether the database answers.
func (s *Store) Ping(ctx context.Context) error { return s.pool.Ping(ctx) }

// Pool returns the connection pool, for the wiring in cmd of packages that
// keep their own tables in the same database (the reference data). The
// catalogue's own tables, the search outbox included, are read and written
// through Store's methods only.
func (s *Store) Pool() *pgxpool.Pool { return s.pool }

// inTx runs fn in a transaction that commits when fn returns nil and rolls
// back otherwise, so a failed multi-row write leaves nothing behind. Its
// last statement gives the change-log rows fn wrote their positions.
func (s *Store) inTx(ctx context.Context, fn func(pgx.Tx) error) error {
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if err := fn(tx); err != nil {
			return err
		}
		return sequenceChanges(ctx, tx)
	})
}

// newID returns a UUIDv7: time-ordered, so that ordering by id is ordering by
// creation and keyset pagination is stable.
func newID() uuid.UUID { return uuid.Must(uuid.NewV7()) }

// utc returns t in UTC, or the zero time.
func utc(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return t.UTC()
}

// constraintErrors maps the name of a database constraint to the domain error
// its violation means. Only constraints a caller can trip with valid-looking
// input are listed; the rest are last-line checks and surface as internal
// errors (they mean the Go rules let something through).
var constraintErrors = map[string]func() error{
	"vendors_vat_number_key": func() error {
		return &ConflictError{Field: "vat_number", Message: "a vendor with this VAT number is already registered"}
	},
	"vendors_lei_key": func() error {
		return &ConflictError{Field: "lei", Message: "a vendor with this LEI is already registered"}
	},
	"certifications_number_key": func() error {
		return &ConflictError{Field: "number", Message: "this vendor already holds a certification with this scheme and certificate number"}
	},
	"offerings_category_fkey": func() error {
		return Invalid("category", "is not a service category of the reference taxonomy (see GET /v1/categories)", nil)
	},
	"certifications_scheme_fkey": func() error {
		return Invalid("scheme", "is not a certification scheme of the reference data (see GET /v1/schemes)", nil)
	},
	"certifications_level_fkey": func() error {
		return Invalid("level", "is not a level of this scheme (see GET /v1/schemes/{id})", nil)
	},
	"certification_offerings_offering_fkey": func() error {
		return Invalid("offering_ids", "every offering must exist and belong to the certification's vendor", nil)
	},
	"buyers_vat_number_key": func() error {
		return &ConflictError{Field: "vat_number", Message: "a buyer with this VAT number is already registered"}
	},
	"projects_category_fkey": func() error {
		return Invalid("category", "is not a service category of the reference taxonomy (see GET /v1/categories)", nil)
	},
	"project_shortlist_offering_id_fkey": func() error {
		return Invalid("offering_id", "is not an offering of the catalogue", nil)
	},
	"offerings_vendor_id_fkey":                   func() error { return ErrNotFound },
	"certifications_vendor_id_fkey":              func() error { return ErrNotFound },
	"certification_offerings_certification_fkey": func() error { return ErrNotFound },
}

// translate turns driver errors into domain errors. Errors it does not know
// pass through unchanged; the HTTP edge logs those and hides their text.
func translate(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return ErrNotFound
	}
	if u := unavailable(err); u != nil {
		return u
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		if f, ok := constraintErrors[pgErr.ConstraintName]; ok {
			return f()
		}
	}
	return err
}

// Page is one page of a list, with the cursor of the next page ("" on the last).
type Page[T any] struct {
	Items []T
	Next  string
}

// Limits of a page.
const (
	DefaultPageSize = 50
	MaxPageSize     = 200
)

func pageSize(n int) int {
	switch {
	case n <= 0:
		return DefaultPageSize
	case n > MaxPageSize:
		return MaxPageSize
	}
	return n
}

// Cursors are the last id of the previous page, as a plain UUID string: ids
// are opaque already, and a client cannot forge more than an id it could ask
// for anyway.
func parseCursor(c string) (uuid.UUID, error) {
	if c == "" {
		return uuid.Nil, nil
	}
	id, err := uuid.Parse(c)
	if err != nil {
		return uuid.Nil, ErrCursor
	}
	return id, nil
}

// makePage trims the one extra row fetched to learn whether a next page exists.
func makePage[T any](items []T, size int, id func(T) uuid.UUID) Page[T] {
	if len(items) > size {
		items = items[:size]
		return Page[T]{Items: items, Next: id(items[len(items)-1]).String()}
	}
	if items == nil {
		items = []T{}
	}
	return Page[T]{Items: items}
}

// checkVersion returns ErrStale when the caller expects a version (want > 0)
// that is not the current one.
func checkVersion(want, have int64) error {
	if want > 0 && want != have {
		return ErrStale
	}
	return nil
}
