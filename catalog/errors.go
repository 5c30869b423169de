package catalog

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"slices"
	"strings"
	"syscall"

	"github.com/jackc/pgx/v5/pgconn"
)

// Domain errors. Store methods return these (possibly wrapped); callers test
// them with errors.Is and errors.As and never see driver errors.
var (
	// ErrNotFound means the object does not exist.
	ErrNotFound = errors.New("not found")
	// ErrStale means the caller's expected version is not the current one:
	// someone else changed the object first.
	ErrStale = errors.New("version mismatch")
	// ErrConflict means the write collides with existing data, such as a
	// second vendor with the same VAT number. *ConflictError matches it.
	ErrConflict = errors.New("conflict")
	// ErrCursor means a page cursor is not one this service returned.
	ErrCursor = errors.New("invalid page cursor")
	// ErrUnavailable means the database does not answer (refused or lost
	// connection, shutting down, out of connections): the request may
	// succeed later, unchanged.
	ErrUnavailable = errors.New("database unavailable")
)

// IsUnavailable reports whether err means the database does not answer:
// ErrUnavailable, or a driver or network error of the same meaning that
// reached the caller untranslated.
func IsUnavailable(err error) bool {
	if err == nil || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return false // the request ran out of time, not the database (context errors are net.Errors)
	}
	if errors.Is(err, ErrUnavailable) {
		return true
	}
	var connErr *pgconn.ConnectError
	var pgErr *pgconn.PgError
	var netErr net.Error
	switch {
	case errors.As(err, &connErr), errors.As(err, &netErr):
		return true
	case errors.As(err, &pgErr):
		// Class 08: connection exception; 57P01-57P03: shutting down or
		// starting up; 53300: too many connections.
		return strings.HasPrefix(pgErr.Code, "08") || slices.Contains([]string{"57P01", "57P02", "57P03", "53300"}, pgErr.Code)
	}
	return errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, syscall.ECONNREFUSED) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE)
}

// unavailable returns ErrUnavailable, naming err for the logs, when err means
// the database does not answer, and nil otherwise.
func unavailable(err error) error {
	if err == nil || errors.Is(err, ErrUnavailable) || !IsUnavailable(err) {
		return nil
	}
	return fmt.Errorf("%w (%v)", ErrUnavailable, err)
}

// ConflictError says which field collides with existing data.
type ConflictError struct {
	Field   string // JSON path of the field, such as "vat_number"
	Message string // what a person should know
}

func (e *ConflictError) Error() string { return e.Field + ": " + e.Message }

// Is makes errors.Is(err, ErrConflict) true.
func (e *ConflictError) Is(target error) bool { return target == ErrConflict }

// FieldError is one rejected value.
type FieldError struct {
	Field   string // JSON path of the field, such as "contact.email" or "countries[2]"
	Message string // why it was rejected, for a person
	Value   any    // the rejected value, when it is safe to echo
}

// ValidationError lists every rejected value of one write.
type ValidationError struct {
	Fields []FieldError
}

func (e *ValidationError) Error() string {
	var b strings.Builder
	b.WriteString("invalid input")
	for i, f := range e.Fields {
		if i == 0 {
			b.WriteString(": ")
		} else {
			b.WriteString("; ")
		}
		fmt.Fprintf(&b, "%s: %s", f.Field, f.Message)
	}
	return b.String()
}

// within returns a copy of e whose field paths sit under prefix, such as
// "offerings[2]" for a nested value of a bundle.
func (e *ValidationError) within(prefix string) *ValidationError {
	out := &ValidationError{Fields: make([]FieldError, len(e.Fields))}
	for i, f := range e.Fields {
		f.Field = prefix + "." + f.Field
		out.Fields[i] = f
	}
	return out
}

// Invalid returns a *ValidationError for one field.
func Invalid(field, message string, value any) *ValidationError {
	return &ValidationError{Fields: []FieldError{{Field: field, Message: message, Value: value}}}
}

// wrap adds context to *errp when it is not nil, keeping it matchable with
// errors.Is and errors.As. Use it deferred: defer wrap(&err, "FindVendor(%s)", id).
func wrap(errp *error, format string, args ...any) {
	if *errp != nil {
		*errp = fmt.Errorf("%s: %w", fmt.Sprintf(format, args...), *errp)
	}
}
