package openapi

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"github.com/cybermarket/cybermarket/catalog"
	"github.com/cybermarket/cybermarket/search"
)

func init() {
	// Every error an operation returns, and every error huma raises itself,
	// becomes a problem here. huma would otherwise copy the text of an
	// unknown error into the response.
	huma.NewErrorWithContext = newError
}

// newError maps errors to RFC 9457 problems in one place:
//
//	*catalog.ValidationError  422, one detail per field
//	*catalog.ConflictError    409, naming the field
//	*inputError               404 or 422: a value the reference data lacks (input_errors.go)
//	catalog.ErrNotFound       404
//	catalog.ErrStale          412
//	denied                    403 with its reason
//	unready                   503 naming each dependency that does not answer
//	search.ErrUnavailable     503 with Retry-After (searchProblem)
//	catalog.ErrUnavailable    503 with Retry-After (the database does not answer)
//	context.DeadlineExceeded  503 (the request outlived its time limit)
//	anything else at 5xx      logged with the request id, answered bare
//
// Problems carry the request id as their instance.
func newError(hctx huma.Context, status int, msg string, errs ...error) huma.StatusError {
	ctx := context.Background()
	if hctx != nil {
		ctx = hctx.Context()
	}
	errs = joinRejections(status, errs)
	if p := domainProblem(errs); p != nil {
		p.Instance = instance(ctx)
		if secs := retryAfterOf(errs); hctx != nil && secs > 0 {
			hctx.SetHeader("Retry-After", strconv.Itoa(secs))
		}
		return bound(p)
	}
	if status >= 500 {
		var unknown []error
		for _, err := range errs {
			if _, ok := err.(huma.ErrorDetailer); !ok {
				unknown = append(unknown, err)
			}
		}
		if len(unknown) > 0 || status == http.StatusInternalServerError {
			loggerFrom(ctx).ErrorContext(ctx, "request failed", "status", status, "error", errors.Join(unknown...))
			if status == http.StatusInternalServerError {
				return &huma.ErrorModel{ // bounded: nothing of the input
					Status:   status,
					Title:    http.StatusText(status),
					Detail:   "The server could not complete the request. Quote the instance (request id) when reporting it.",
					Instance: instance(ctx),
				}
			}
			errs = nil
		}
	}
	p := newProblem(status, msg, errs)
	p.Instance = instance(ctx)
	for _, d := range p.Errors {
		pointAtMissingField(d)
	}
	return bound(p)
}

// newProblem is huma.NewError with error texts cut short; bound then keeps
// the first maxProblemErrors details and counts the rest, so that an input
// with many faults costs little more than one with twenty.
func newProblem(status int, msg string, errs []error) *huma.ErrorModel {
	p := &huma.ErrorModel{Status: status, Title: http.StatusText(status), Detail: msg}
	for _, err := range errs {
		switch d := err.(type) {
		case nil:
			continue
		case huma.ErrorDetailer:
			p.Errors = append(p.Errors, d.ErrorDetail())
		default:
			p.Errors = append(p.Errors, &huma.ErrorDetail{Message: truncate(err.Error(), maxMessageBytes)})
		}
	}
	return p
}

// retryAfterOf is when to retry a request that failed because a dependency
// does not answer (0 when it did not): the search index, the database, or
// a readiness check.
func retryAfterOf(errs []error) int {
	for _, err := range errs {
		switch {
		case errors.Is(err, search.ErrUnavailable):
			return retryAfterSeconds
		case catalog.IsUnavailable(err), isUnready(err):
			return databaseRetrySeconds
		}
	}
	return 0
}

// databaseRetrySeconds is the Retry-After of a 503 while the database does
// not answer.
const databaseRetrySeconds = 5

// missingProperty is how huma's schema validation reports an absent field.
var missingProperty = regexp.MustCompile(`^expected required property (\S+) to be present$`)

// pointAtMissingField rewrites huma's "body: expected required property x
// to be present" to "body.x: is required", so that a problem about a
// missing field names the field like every other one.
func pointAtMissingField(d *huma.ErrorDetail) {
	if m := missingProperty.FindStringSubmatch(d.Message); m != nil {
		d.Location += "." + m[1]
		d.Message = "is required"
	}
}

// joinRejections merges huma's schema errors with the rejections that input
// resolvers (input_resolvers.go) found in the same request, so that every
// fault of a body is in one problem, each once: a field huma rejected is not
// listed again. When huma could not parse the body (400, 415) the resolvers
// saw an empty body, and their rejections are dropped.
func joinRejections(status int, errs []error) []error {
	var domain []catalog.FieldError
	var others []error
	rejecting := 0 // errors that reject values
	for _, err := range errs {
		if fe := fieldErrors(err); fe != nil {
			domain = append(domain, fe...)
			rejecting++
		} else if err != nil {
			others = append(others, err)
		}
	}
	switch {
	case rejecting == 0 || rejecting == 1 && len(others) == 0:
		return errs // nothing to merge; one rejection keeps its own status
	case status == http.StatusBadRequest || status == http.StatusUnsupportedMediaType:
		return others
	}
	joined := &catalog.ValidationError{}
	seen := map[string]bool{}
	for _, err := range others {
		d, ok := err.(huma.ErrorDetailer)
		if !ok {
			return errs // not only rejected values: leave it to the usual mapping
		}
		detail := d.ErrorDetail()
		pointAtMissingField(detail)
		seen[detail.Location] = true
		joined.Fields = append(joined.Fields, catalog.FieldError{Field: detail.Location, Message: detail.Message, Value: detail.Value})
	}
	for _, f := range domain {
		if key := f.Field + "\x00" + fmt.Sprint(f.Value); !seen[f.Field] && !seen[key] {
			seen[key] = true
			joined.Fields = append(joined.Fields, f)
		}
	}
	return []error{joined}
}

// domainProblem returns the problem for the first domain error in errs, or nil.
func domainProblem(errs []error) *huma.ErrorModel {
	for _, err := range errs {
		if p := searchProblem(err); p != nil { // search unavailable or not configured: 503
			return p
		}
		if p := typedProblem(err); p != nil {
			return p
		}
		if p := sentinelProblem(err); p != nil {
			return p
		}
	}
	return nil
}

// typedProblem maps the domain's error types, which carry their fields.
func typedProblem(err error) *huma.ErrorModel {
	var verr *catalog.ValidationError
	var cerr *catalog.ConflictError
	var den denied
	var unr unready
	var ierr *inputError
	switch {
	case errors.As(err, &ierr):
		return problem(ierr.status, ierr.detail, &huma.ErrorDetail{Location: ierr.location, Message: ierr.message, Value: ierr.value})
	case errors.As(err, &verr):
		details := make([]*huma.ErrorDetail, len(verr.Fields))
		for i, f := range verr.Fields {
			details[i] = &huma.ErrorDetail{Location: location(f.Field), Message: f.Message, Value: f.Value}
		}
		return problem(http.StatusUnprocessableEntity, "Some values were rejected; see errors for each field and why.", details...)
	case errors.As(err, &cerr):
		return problem(http.StatusConflict, cerr.Message+".", &huma.ErrorDetail{Location: location(cerr.Field), Message: cerr.Message})
	case errors.As(err, &den):
		return problem(http.StatusForbidden, string(den))
	case errors.As(err, &unr):
		p := problem(http.StatusServiceUnavailable, "Not ready: a dependency does not answer.")
		for _, name := range unr {
			p.Errors = append(p.Errors, &huma.ErrorDetail{Location: name, Message: "does not answer"})
		}
		return p
	}
	return nil
}

// sentinelProblem maps the domain's sentinel errors.
func sentinelProblem(err error) *huma.ErrorModel {
	switch {
	case errors.Is(err, catalog.ErrCursor):
		return problem(http.StatusUnprocessableEntity, "The cursor is not one this service returned; start again without it.",
			&huma.ErrorDetail{Location: "query.cursor", Message: "is not a cursor this service returned"})
	case catalog.IsUnavailable(err):
		return problem(http.StatusServiceUnavailable, "The database does not answer; try again after Retry-After seconds.")
	case errors.Is(err, catalog.ErrNotFound):
		return problem(http.StatusNotFound, "No such object; it may never have existed or may have been deleted.")
	case errors.Is(err, context.DeadlineExceeded):
		return problem(http.StatusServiceUnavailable, "The request took longer than this service allows; narrow it, or try again later.")
	case errors.Is(err, catalog.ErrStale):
		return problem(http.StatusPreconditionFailed,
			"The object changed since you read it: GET it again, reapply your change, and send the new ETag in If-Match.",
			&huma.ErrorDetail{Location: "header.If-Match", Message: "does not match the current version"})
	}
	return nil
}

// problem is a problem of status with its standard title.
func problem(status int, detail string, errs ...*huma.ErrorDetail) *huma.ErrorModel {
	return &huma.ErrorModel{Status: status, Title: http.StatusText(status), Detail: detail, Errors: errs}
}

// location turns a domain field path into a problem location: fields are
// body fields unless the path already names where they are.
func location(field string) string {
	for _, prefix := range []string{"body", "query.", "path.", "header."} {
		if strings.HasPrefix(field, prefix) {
			return field
		}
	}
	return "body." + field
}

// stampInstance is a response transformer that gives every problem the
// request id as its instance, including problems built without a context.
func stampInstance(ctx huma.Context, _ string, v any) (any, error) {
	if p, ok := v.(*huma.ErrorModel); ok {
		if p.Instance == "" {
			p.Instance = instance(ctx.Context())
		}
		return bound(p), nil // also the problems handlers build themselves
	}
	return v, nil
}

// instance returns the problem instance for a request: its request id as a URN.
func instance(ctx context.Context) string {
	if id := RequestID(ctx); id != "" {
		return "urn:request:" + id
	}
	return ""
}

func loggerFrom(ctx context.Context) *slog.Logger {
	if l, ok := ctx.Value(loggerKey{}).(*slog.Logger); ok {
		return l
	}
	return slog.Default()
}
