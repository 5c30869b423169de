package openapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"regexp"
	"runtime/debug"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/google/uuid"
)

// MaxBodyBytes bounds every request body. Operations may set a lower limit.
const MaxBodyBytes = 1 << 20

type requestIDKey struct{}
type loggerKey struct{}

// RequestID returns the id of the request ctx belongs to, or "".
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}

// acceptableID is what we log of a client's X-Request-Id.
var acceptableID = regexp.MustCompile(`^[A-Za-z0-9._:-]{8,64}$`)

// middleware gives each request an id of the server's own (a new UUIDv7; a
// client's X-Request-Id is logged beside it as client_request_id, never used
// as the id, since clients could choose another request's), a logger
// carrying it, panic recovery, the response budget, and one structured log
// line when it ends.
func middleware(next http.Handler, logger *slog.Logger, l Limits) http.Handler {
	if logger == nil {
		logger = slog.Default()
	}
	l = l.withDefaults()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := uuid.Must(uuid.NewV7()).String()
		log := logger.With("request_id", id)
		if client := r.Header.Get("X-Request-Id"); acceptableID.MatchString(client) {
			log = log.With("client_request_id", client)
		}
		ctx := context.WithValue(r.Context(), requestIDKey{}, id)
		ctx = context.WithValue(ctx, loggerKey{}, log)
		w.Header().Set("X-Request-Id", id)
		// Writing the answer is bounded in time too, not only the work.
		timeout, budget := l.RequestTimeout, l.ResponseBytes
		if bulkDownload(r.URL.Path) {
			timeout, budget = bulkTimeout, bulkResponseBytes // opendata.go
		}
		_ = http.NewResponseController(w).SetWriteDeadline(start.Add(timeout + writeGrace))
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK, budget: budget}
		defer func() {
			p := recover()
			if p != nil && p != http.ErrAbortHandler {
				log.ErrorContext(ctx, "panic", "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
				if !rec.wrote {
					writeProblem(rec, ctx, problemStatus(http.StatusInternalServerError, "The server could not complete the request."))
				}
			}
			logRequest(ctx, log, r, rec, start)
			if p == http.ErrAbortHandler || rec.over {
				panic(http.ErrAbortHandler) // cut the connection: a cut answer must not look complete
			}
		}()
		next.ServeHTTP(rec, r.WithContext(ctx))
	})
}

// writeGrace is how long past the request's time limit writing its answer may take.
const writeGrace = 10 * time.Second

// logRequest writes the request's log line; requests over a budget are
// errors, named as such.
func logRequest(ctx context.Context, log *slog.Logger, r *http.Request, rec *statusRecorder, start time.Time) {
	level, msg := slog.LevelInfo, "request"
	switch {
	case rec.over:
		level, msg = slog.LevelError, "request over budget: response too large, connection cut"
	case rec.late:
		level, msg = slog.LevelWarn, "request over budget: time limit passed"
	case rec.status >= 500:
		level = slog.LevelError
	}
	log.Log(ctx, level, msg, "method", r.Method, "path", r.URL.Path, "status", rec.status,
		"bytes", rec.bytes, "duration_ms", float64(time.Since(start).Microseconds())/1000, "remote", r.RemoteAddr)
}

// edge reads the request body in full (within MaxBodyBytes) and applies the
// input rule of sanitize.go to it before anything decodes it: a body that
// is too large answers 413, one that cannot be read (broken chunked framing,
// a client gone) 400, one that breaks the text rule 422.
func edge(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body == nil || r.Body == http.NoBody {
			next.ServeHTTP(w, r)
			return
		}
		data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBodyBytes))
		var tooLarge *http.MaxBytesError
		switch {
		case errors.As(err, &tooLarge):
			writeProblem(w, r.Context(), problemStatus(http.StatusRequestEntityTooLarge,
				fmt.Sprintf("The request body is larger than %d bytes.", MaxBodyBytes)))
			return
		case err != nil:
			loggerFrom(r.Context()).InfoContext(r.Context(), "request body unreadable", "error", err)
			writeProblem(w, r.Context(), problemStatus(http.StatusBadRequest,
				"The request body could not be read: its framing (Content-Length or chunked encoding) is broken, or the client stopped sending."))
			return
		}
		if d := scanJSON(data); d != nil {
			writeProblem(w, r.Context(), problemStatus(http.StatusUnprocessableEntity, "The body is not acceptable: see errors.", d))
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(data))
		next.ServeHTTP(w, r)
	})
}

// routed answers what the router itself refuses (no such path: 404; a
// method the path does not take: 405 with Allow) with a problem document
// instead of the router's plain text.
func routed(mux *http.ServeMux) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h, pattern := mux.Handler(r)
		if pattern != "" {
			mux.ServeHTTP(w, r)
			return
		}
		capture := &headerCapture{header: http.Header{}, status: http.StatusNotFound}
		h.ServeHTTP(capture, r)
		if allow := capture.header.Get("Allow"); allow != "" {
			w.Header().Set("Allow", allow)
		}
		if loc := capture.header.Get("Location"); loc != "" && capture.status < 400 {
			w.Header().Set("Location", loc)
			w.WriteHeader(capture.status)
			return
		}
		detail := "There is no such path; see /openapi.yaml for the operations."
		if capture.status == http.StatusMethodNotAllowed {
			detail = "This path does not take method " + r.Method + "; Allow lists those it takes."
		}
		writeProblem(w, r.Context(), problemStatus(capture.status, truncate(detail, maxDetailBytes)))
	})
}

// headerCapture records what the router would answer, writing nothing.
type headerCapture struct {
	header http.Header
	status int
}

func (c *headerCapture) Header() http.Header         { return c.header }
func (c *headerCapture) Write(b []byte) (int, error) { return len(b), nil }
func (c *headerCapture) WriteHeader(code int)        { c.status = code }

// writeProblem writes p as application/problem+json outside huma (before
// routing, or after a panic), stamped with the request's instance.
func writeProblem(w http.ResponseWriter, ctx context.Context, p *huma.ErrorModel) {
	p.Instance = instance(ctx)
	body, err := json.Marshal(p)
	if err != nil {
		body = []byte(`{"title":"Internal Server Error","status":500}`)
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(p.Status)
	_, _ = w.Write(body)
}

// statusRecorder remembers the status and size of a response, and refuses
// to write past budget bytes (0: no limit).
type statusRecorder struct {
	http.ResponseWriter
	status int
	bytes  int64
	budget int64
	wrote  bool
	over   bool // the answer passed the budget and was cut
	late   bool // the request passed its time limit
}

// errOverBudget is what writes past the response budget return.
var errOverBudget = errors.New("response over budget")

func (s *statusRecorder) WriteHeader(code int) {
	if !s.wrote {
		s.status, s.wrote = code, true
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	s.wrote = true
	if s.budget > 0 && s.bytes+int64(len(b)) > s.budget {
		s.over = true
		return 0, errOverBudget
	}
	n, err := s.ResponseWriter.Write(b)
	s.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }
