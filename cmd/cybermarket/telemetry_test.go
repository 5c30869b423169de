package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/cybermarket/cybermarket/catalog"
	"github.com/cybermarket/cybermarket/catalog/catalogtest"
	"github.com/cybermarket/cybermarket/compliance"
	"github.com/cybermarket/cybermarket/compliance/refstore"
	"github.com/cybermarket/cybermarket/openapi"
	"github.com/cybermarket/cybermarket/search"
	"github.com/cybermarket/cybermarket/search/searchtest"
	"github.com/cybermarket/cybermarket/telemetry"
)

// testServer is the API on a test database, wrapped as serve wraps it.
type testServer struct {
	obs   *observability
	store *catalog.Store
	live  *compliance.Live
	url   string
	log   *bytes.Buffer
}

// newTestServer opens a store on a new database with obs's options, and
// serves the API wrapped by obs, as serve does.
func newTestServer(t *testing.T, obs *observability, search openapi.SearchDeps, limits openapi.Limits) *testServer {
	t.Helper()
	ctx := context.Background()
	routes, err := apiRoutes()
	if err != nil {
		t.Fatal(err)
	}
	obs.routes = routes
	store, err := catalog.Open(ctx, catalogtest.NewDatabase(t), obs.catalogOptions()...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(store.Close)
	live, err := compliance.OpenLive(ctx, refstore.New(store.Pool()))
	if err != nil {
		t.Fatal(err)
	}
	if err := obs.watch(store, live); err != nil {
		t.Fatal(err)
	}
	buf := &bytes.Buffer{}
	log := obs.logger(slog.New(slog.NewJSONHandler(&lockedWriter{w: buf}, nil)))
	ts := httptest.NewServer(obs.handler(openapi.New(openapi.Deps{
		Catalog: store, Compliance: live, Logger: log, Search: search, Limits: limits,
		Checks: map[string]func(context.Context) error{"postgres": store.Ping},
	})))
	t.Cleanup(ts.Close)
	return &testServer{obs: obs, store: store, live: live, url: ts.URL, log: buf}
}

type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func (s *testServer) get(t *testing.T, path string, header ...string) int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, s.url+path, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res.StatusCode
}

// scrape reads the metrics listener as Prometheus would.
func scrape(t *testing.T, addr string) map[string]*dto.MetricFamily {
	t.Helper()
	res, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET /metrics: %s", res.Status)
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	mfs, err := p.TextToMetricFamilies(res.Body)
	if err != nil {
		t.Fatalf("parse /metrics: %v", err)
	}
	return mfs
}

// sample returns the metric of family name whose labels include want.
func sample(mfs map[string]*dto.MetricFamily, name string, want ...string) *dto.Metric {
	mf := mfs[name]
	if mf == nil {
		return nil
	}
next:
	for _, m := range mf.GetMetric() {
		labels := map[string]string{}
		for _, l := range m.GetLabel() {
			labels[l.GetName()] = l.GetValue()
		}
		for i := 0; i+1 < len(want); i += 2 {
			if labels[want[i]] != want[i+1] {
				continue next
			}
		}
		return m
	}
	return nil
}

func value(m *dto.Metric) float64 {
	switch {
	case m == nil:
		return -1
	case m.Gauge != nil:
		return m.GetGauge().GetValue()
	case m.Counter != nil:
		return m.GetCounter().GetValue()
	}
	return -1
}

func TestServe_MetricsAfterRequests(t *testing.T) {
	t.Parallel()
	obs := &observability{metrics: telemetry.NewMetrics()}
	s := newTestServer(t, obs, openapi.SearchDeps{}, openapi.Limits{})
	sum := importSample(t, s.store) // fills the search outbox: no worker drains it here
	for range 3 {
		if code := s.get(t, "/v1/vendors"); code != http.StatusOK {
			t.Fatalf("GET /v1/vendors: %d", code)
		}
	}
	s.get(t, "/v1/vendors/0192f1e0-7b1c-7c3e-9a4b-2f1d3c4b5a69") // 404
	s.get(t, "/readyz")
	// A second API with a one-request budget per address shares the metrics.
	tight := openapi.Limits{Address: openapi.Rate{Per: time.Hour, Burst: 1}}
	ts := httptest.NewServer(obs.handler(openapi.New(openapi.Deps{Catalog: s.store, Compliance: s.live, Limits: tight,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})))
	defer ts.Close()
	for range 3 {
		res, err := http.Get(ts.URL + "/v1/categories")
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
	}

	addr, stop, err := obs.metrics.Serve(context.Background(), "127.0.0.1:0", slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	mfs := scrape(t, addr)

	h := sample(mfs, "cybermarket_http_request_duration_seconds", "operation", "list-vendors", "code", "200").GetHistogram()
	if h.GetSampleCount() != 3 || h.GetSampleSum() <= 0 || h.GetSampleSum() > 30 {
		t.Errorf("list-vendors 200: %d requests in %gs, want 3 in (0, 30]", h.GetSampleCount(), h.GetSampleSum())
	}
	if n := sample(mfs, "cybermarket_http_request_duration_seconds", "operation", "get-vendor", "code", "404").GetHistogram().GetSampleCount(); n != 1 {
		t.Errorf("get-vendor 404: %d requests, want 1", n)
	}
	if v := value(sample(mfs, "cybermarket_http_rate_limited_total", "operation", "list-categories")); v != 2 {
		t.Errorf("rate-limited list-categories: %g, want 2", v)
	}
	// The outbox holds the sample's changes, waiting since the import.
	b, err := search.ReadBacklog(context.Background(), s.store)
	if err != nil {
		t.Fatal(err)
	}
	rows := value(sample(mfs, "cybermarket_search_outbox_rows"))
	if rows < float64(sum.imported) || rows > float64(b.Rows) {
		t.Errorf("outbox rows %g, want between %d bundles and %d rows", rows, sum.imported, b.Rows)
	}
	if age := value(sample(mfs, "cybermarket_search_outbox_oldest_age_seconds")); age <= 0 || age > 600 {
		t.Errorf("outbox lag %gs, want in (0, 600]", age)
	}
	// The outbox collector may hold a connection while the pool is read.
	maxConns := value(sample(mfs, "cybermarket_db_pool_max_connections"))
	open := value(sample(mfs, "cybermarket_db_pool_connections", "state", "idle")) +
		value(sample(mfs, "cybermarket_db_pool_connections", "state", "acquired"))
	acquires := value(sample(mfs, "cybermarket_db_pool_acquires_total"))
	if maxConns < 1 || open < 1 || open > maxConns || acquires < 5 {
		t.Errorf("pool: max %g, open %g, acquires %g; want max >= open >= 1 and at least 5 acquires", maxConns, open, acquires)
	}
	if value(sample(mfs, "go_goroutines")) < 1 || sample(mfs, "process_resident_memory_bytes") == nil {
		t.Error("no Go runtime or process metrics")
	}
	if at := value(sample(mfs, "cybermarket_reference_last_reload_timestamp_seconds")); at < float64(time.Now().Add(-time.Hour).Unix()) {
		t.Errorf("reference load time %g, want within the hour", at)
	}
}

func TestServe_SearchTrace(t *testing.T) {
	t.Parallel()
	exp := tracetest.NewInMemoryExporter()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(exp))
	obs := &observability{tracing: telemetry.NewTracing(tp), metrics: telemetry.NewMetrics()}
	cfg := searchtest.Config(t)
	cfg.WrapTransport = obs.meiliTransport
	ix, err := search.Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	s := newTestServer(t, obs, openapi.SearchDeps{Index: ix}, openapi.Limits{})
	importSample(t, s.store)
	ctx := context.Background()
	if _, err := search.Reindex(ctx, search.ReindexConfig{Catalog: s.store, Index: ix,
		Rules: search.NewRules(s.live.Current().Reference, s.live.Current().Revision)}); err != nil {
		t.Fatal(err)
	}
	_, token, err := s.store.CreateKey(catalog.WithActor(ctx, importActor), catalog.APIKey{Name: "trace test", Role: catalog.RoleAnalyst})
	if err != nil {
		t.Fatal(err)
	}
	exp.Reset()
	if code := s.get(t, "/v1/search/offerings?q=incident", "Authorization", "Bearer "+token); code != http.StatusOK {
		t.Fatalf("search: %d", code)
	}
	var root sdktrace.ReadOnlySpan
	spans := exp.GetSpans().Snapshots()
	for _, sp := range spans {
		if sp.Name() == "search-offerings" && sp.SpanKind() == trace.SpanKindServer {
			root = sp
		}
	}
	if root == nil {
		t.Fatalf("no server span search-offerings among %d spans", len(spans))
	}
	var sql, meili int
	for _, sp := range spans {
		if sp.SpanContext().TraceID() != root.SpanContext().TraceID() {
			continue
		}
		for _, a := range sp.Attributes() {
			if a.Key == "db.system.name" || a.Key == "db.system" {
				sql++
			}
		}
		if strings.HasPrefix(sp.Name(), "meilisearch POST /indexes/{uid}/search") && sp.SpanKind() == trace.SpanKindClient {
			meili++
		}
	}
	if sql == 0 || meili != 1 {
		for _, sp := range spans {
			t.Logf("span %q kind %v trace %s attrs %v", sp.Name(), sp.SpanKind(), sp.SpanContext().TraceID(), sp.Attributes())
		}
		t.Fatalf("trace of the search: %d SQL spans and %d Meilisearch search spans, want some and 1", sql, meili)
	}
	if id := root.SpanContext().TraceID().String(); !strings.Contains(s.log.String(), `"trace_id":"`+id+`"`) {
		t.Errorf("no log line carries the trace id %s:\n%s", id, s.log.String())
	}
}
