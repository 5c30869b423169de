package telemetry_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/cybermarket/cybermarket/telemetry"
)

func testRoutes(t *testing.T) *telemetry.Routes {
	t.Helper()
	r, err := telemetry.NewRoutes([]telemetry.Operation{
		{Method: "GET", Path: "/v1/vendors", ID: "list-vendors"},
		{Method: "GET", Path: "/v1/vendors/{id}", ID: "get-vendor"},
		{Method: "POST", Path: "/v1/vendors/{id}/approve", ID: "approve-vendor"},
	})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestRoutes_Operation(t *testing.T) {
	r := testRoutes(t)
	for _, c := range []struct{ method, target, want string }{
		{"GET", "/v1/vendors", "list-vendors"},
		{"GET", "/v1/vendors?limit=3", "list-vendors"},
		{"GET", "/v1/vendors/0192f1e0-7b1c-7c3e-9a4b-2f1d3c4b5a69", "get-vendor"},
		{"POST", "/v1/vendors/x/approve", "approve-vendor"},
		{"DELETE", "/v1/vendors/x/approve", telemetry.Unmatched},
		{"GET", "/docs", telemetry.Unmatched},
		{"GET", "/v1/vendors/a/b/c", telemetry.Unmatched},
	} {
		if got := r.Operation(httptest.NewRequest(c.method, c.target, nil)); got != c.want {
			t.Errorf("%s %s: %q, want %q", c.method, c.target, got, c.want)
		}
	}
	if _, err := telemetry.NewRoutes([]telemetry.Operation{{"GET", "/a", "x"}, {"GET", "/a", "y"}}); err == nil {
		t.Error("duplicate pattern accepted")
	}
}

func TestOperationsFromSpec(t *testing.T) {
	ops, err := telemetry.OperationsFromSpec([]byte(`
paths:
  /v1/vendors:
    parameters: []
    get: {operationId: list-vendors}
    post: {operationId: create-vendor}
  /healthz:
    get: {operationId: get-liveness}
`))
	if err != nil {
		t.Fatal(err)
	}
	want := []telemetry.Operation{{"POST", "/v1/vendors", "create-vendor"}, {"GET", "/healthz", "get-liveness"}, {"GET", "/v1/vendors", "list-vendors"}}
	if len(ops) != len(want) {
		t.Fatalf("got %v", ops)
	}
	for i := range want {
		if ops[i] != want[i] {
			t.Errorf("op %d: %v, want %v", i, ops[i], want[i])
		}
	}
	if _, err := telemetry.OperationsFromSpec([]byte("paths: {}")); err == nil {
		t.Error("a spec without operations accepted")
	}
}

func TestMeilisearchRoute(t *testing.T) {
	for in, want := range map[string]string{
		"/indexes/offerings/search":                         "/indexes/{uid}/search",
		"/indexes/offerings_tmp_123/documents":              "/indexes/{uid}/documents",
		"/indexes/offerings/documents/delete-batch":         "/indexes/{uid}/documents/delete-batch",
		"/indexes/offerings/documents/0192f1e0-7b1c":        "/indexes/{uid}/documents/{id}",
		"/indexes/offerings/settings/filterable-attributes": "/indexes/{uid}/settings/filterable-attributes",
		"/tasks/4711":            "/tasks/{id}",
		"/swap-indexes":          "/swap-indexes",
		"/health":                "/health",
		"/indexes/a/b/c/d/e/f/g": "/indexes/{uid}/b/c/d/…",
	} {
		if got := telemetry.MeilisearchRoute(in); got != want {
			t.Errorf("%s: %q, want %q", in, got, want)
		}
	}
}

func TestMetrics_InstrumentCountsByOperationAndStatus(t *testing.T) {
	m := telemetry.NewMetrics()
	h := m.Instrument(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/v1/vendors":
			w.WriteHeader(http.StatusTooManyRequests)
		case "/docs":
			_, _ = w.Write([]byte("ok")) // implicit 200
		default:
			http.NotFound(w, r)
		}
	}), testRoutes(t))
	for _, p := range []string{"/v1/vendors", "/v1/vendors", "/v1/vendors/1", "/docs"} {
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", p, nil))
	}
	want := `
# HELP cybermarket_http_rate_limited_total API requests refused by a rate limit (429), by operation id.
# TYPE cybermarket_http_rate_limited_total counter
cybermarket_http_rate_limited_total{operation="list-vendors"} 2
`
	if err := testutil.GatherAndCompare(m.Gatherer(), strings.NewReader(want), "cybermarket_http_rate_limited_total"); err != nil {
		t.Error(err)
	}
	counts := map[string]uint64{}
	mfs, err := m.Gatherer().Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != "cybermarket_http_request_duration_seconds" {
			continue
		}
		for _, s := range mf.GetMetric() {
			key := ""
			for _, l := range s.GetLabel() {
				key += l.GetName() + "=" + l.GetValue() + " "
			}
			counts[strings.TrimSpace(key)] = s.GetHistogram().GetSampleCount()
		}
	}
	for key, n := range map[string]uint64{"code=429 operation=list-vendors": 2, "code=404 operation=get-vendor": 1, "code=200 operation=other": 1} {
		if counts[key] != n {
			t.Errorf("%s: %d requests, want %d (all: %v)", key, counts[key], n, counts)
		}
	}
}

func TestMetrics_TransportCountsErrors(t *testing.T) {
	m := telemetry.NewMetrics()
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/search") {
			w.WriteHeader(http.StatusServiceUnavailable)
		}
	}))
	defer ts.Close()
	c := &http.Client{Transport: m.Transport(http.DefaultTransport)}
	for _, p := range []string{"/indexes/a/search", "/indexes/b/search", "/health"} {
		res, err := c.Get(ts.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
	}
	ts.Close()
	if _, err := c.Get(ts.URL + "/health"); err == nil {
		t.Fatal("a closed server answered")
	}
	want := `
# HELP cybermarket_meilisearch_errors_total Calls to Meilisearch that failed: no answer (transport) or a 5xx answer (server), by route.
# TYPE cybermarket_meilisearch_errors_total counter
cybermarket_meilisearch_errors_total{kind="server",route="/indexes/{uid}/search"} 2
cybermarket_meilisearch_errors_total{kind="transport",route="/health"} 1
`
	if err := testutil.GatherAndCompare(m.Gatherer(), strings.NewReader(want), "cybermarket_meilisearch_errors_total"); err != nil {
		t.Error(err)
	}
}

func TestOutboxCollector(t *testing.T) {
	m := telemetry.NewMetrics()
	fail := false
	read := func(context.Context) (telemetry.Backlog, error) {
		if fail {
			return telemetry.Backlog{}, errors.New("down")
		}
		return telemetry.Backlog{Rows: 7, Retrying: 2, OldestAge: 90 * time.Second}, nil
	}
	if err := m.Register(telemetry.OutboxCollector(read, time.Second)); err != nil {
		t.Fatal(err)
	}
	want := `
# HELP cybermarket_search_outbox_oldest_age_seconds Age of the oldest outbox row: how far the search index lags behind PostgreSQL (0 when in step).
# TYPE cybermarket_search_outbox_oldest_age_seconds gauge
cybermarket_search_outbox_oldest_age_seconds 90
# HELP cybermarket_search_outbox_rows Catalogue changes waiting to reach the search index.
# TYPE cybermarket_search_outbox_rows gauge
cybermarket_search_outbox_rows 7
# HELP cybermarket_search_outbox_up 1 when the outbox backlog could be read at this scrape, 0 when not.
# TYPE cybermarket_search_outbox_up gauge
cybermarket_search_outbox_up 1
`
	names := []string{"cybermarket_search_outbox_rows", "cybermarket_search_outbox_oldest_age_seconds", "cybermarket_search_outbox_up"}
	if err := testutil.GatherAndCompare(m.Gatherer(), strings.NewReader(want), names...); err != nil {
		t.Error(err)
	}
	fail = true
	down := `
# HELP cybermarket_search_outbox_up 1 when the outbox backlog could be read at this scrape, 0 when not.
# TYPE cybermarket_search_outbox_up gauge
cybermarket_search_outbox_up 0
`
	if err := testutil.GatherAndCompare(m.Gatherer(), strings.NewReader(down), names...); err != nil {
		t.Error(err)
	}
}

func TestNilTelemetryPassesThrough(t *testing.T) {
	var m *telemetry.Metrics
	var tr *telemetry.Tracing
	h := http.NotFoundHandler()
	if got := m.Instrument(h, nil); got == nil {
		t.Error("nil metrics dropped the handler")
	}
	rt := http.DefaultTransport
	if m.Transport(rt) != rt || tr.Transport(rt) != rt || tr.QueryTracer() != nil {
		t.Error("nil telemetry wrapped something")
	}
	m.ReferenceReloaded(time.Now()) // must not panic
}

func TestTracing_HandlerNamesSpansAndLogsCarryTraceID(t *testing.T) {
	exp := tracetest.NewInMemoryExporter()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(exp))
	var buf bytes.Buffer
	log := slog.New(telemetry.LogHandler(slog.NewJSONHandler(&buf, nil))).With("request_id", "r-1")
	h := telemetry.NewTracing(tp).Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Request-Id", "req-00000001")
		log.InfoContext(r.Context(), "request")
	}), testRoutes(t))
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/v1/vendors/42", nil))
	spans := exp.GetSpans()
	if len(spans) != 1 || spans[0].Name != "get-vendor" {
		t.Fatalf("spans %v", spans)
	}
	id := spans[0].SpanContext.TraceID().String()
	if !strings.Contains(buf.String(), `"trace_id":"`+id+`"`) || !strings.Contains(buf.String(), `"request_id":"r-1"`) {
		t.Errorf("log line %s lacks trace id %s or request id", buf.String(), id)
	}
	found := false
	for _, a := range spans[0].Attributes {
		found = found || (a.Key == "http.request_id" && a.Value.AsString() == "req-00000001")
	}
	if !found {
		t.Errorf("span attributes %v lack the request id", spans[0].Attributes)
	}
}

func TestEnvSampler_KeepsRequestsDropsBackgroundWork(t *testing.T) {
	t.Setenv("OTEL_TRACES_SAMPLER", "")
	s, err := telemetry.EnvSampler()
	if err != nil {
		t.Fatal(err)
	}
	exp := tracetest.NewInMemoryExporter()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(exp), sdktrace.WithSampler(s))
	tr := tp.Tracer("test")
	_, bg := tr.Start(context.Background(), "SELECT", trace.WithSpanKind(trace.SpanKindClient))
	bg.End()
	ctx, req := tr.Start(context.Background(), "search-offerings", trace.WithSpanKind(trace.SpanKindServer))
	_, q := tr.Start(ctx, "SELECT", trace.WithSpanKind(trace.SpanKindClient))
	q.End()
	req.End()
	var names []string
	for _, sp := range exp.GetSpans() {
		names = append(names, sp.Name)
	}
	if strings.Join(names, ",") != "SELECT,search-offerings" {
		t.Errorf("kept %v, want the request and its query only", names)
	}
	for _, bad := range []map[string]string{{"OTEL_TRACES_SAMPLER": "jaeger_remote"}, {"OTEL_TRACES_SAMPLER": "traceidratio", "OTEL_TRACES_SAMPLER_ARG": "2"}} {
		for k, v := range bad {
			t.Setenv(k, v)
		}
		if _, err := telemetry.EnvSampler(); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
}

func TestProbe(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/readyz" {
			w.WriteHeader(http.StatusServiceUnavailable)
		}
	}))
	defer ts.Close()
	if err := telemetry.Probe(context.Background(), ts.URL+"/readyz", time.Second); err != nil {
		t.Errorf("ready server: %v", err)
	}
	if err := telemetry.Probe(context.Background(), ts.URL+"/down", time.Second); err == nil {
		t.Error("a 503 passed the probe")
	}
	ts.Close()
	if err := telemetry.Probe(context.Background(), ts.URL+"/readyz", time.Second); err == nil {
		t.Error("a closed server passed the probe")
	}
}
