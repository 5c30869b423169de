package telemetry

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/felixge/httpsnoop"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Namespace prefixes the name of every metric of the service.
const Namespace = "cybermarket"

// Metrics are the Prometheus metrics of one server process. Its methods are
// safe for concurrent use; a nil *Metrics records nothing.
type Metrics struct {
	reg         *prometheus.Registry
	requests    *prometheus.HistogramVec
	inFlight    prometheus.Gauge
	rateLimited *prometheus.CounterVec
	meili       *prometheus.HistogramVec
	meiliErrors *prometheus.CounterVec
	reloads     prometheus.Counter
	reloadedAt  prometheus.Gauge
}

// latencyBuckets suit an API whose reads take a few milliseconds and whose
// requests stop at a 30-second timeout.
var latencyBuckets = []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30}

// NewMetrics returns the metrics of a process, with the Go runtime and
// process collectors registered.
func NewMetrics() *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: Namespace, Subsystem: "http", Name: "request_duration_seconds",
			Help:    "Time to answer API requests, by OpenAPI operation id and status code.",
			Buckets: latencyBuckets,
		}, []string{"operation", "code"}),
		inFlight: prometheus.NewGauge(prometheus.GaugeOpts{
			Namespace: Namespace, Subsystem: "http", Name: "requests_in_flight",
			Help: "API requests being answered.",
		}),
		rateLimited: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: Namespace, Subsystem: "http", Name: "rate_limited_total",
			Help: "API requests refused by a rate limit (429), by operation id.",
		}, []string{"operation"}),
		meili: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: Namespace, Subsystem: "meilisearch", Name: "request_duration_seconds",
			Help:    "Time of calls to Meilisearch, by route and outcome (ok, client_error, server_error, transport_error).",
			Buckets: latencyBuckets,
		}, []string{"route", "outcome"}),
		meiliErrors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: Namespace, Subsystem: "meilisearch", Name: "errors_total",
			Help: "Calls to Meilisearch that failed: no answer (transport) or a 5xx answer (server), by route.",
		}, []string{"route", "kind"}),
		reloads: prometheus.NewCounter(prometheus.CounterOpts{
			Namespace: Namespace, Subsystem: "reference", Name: "reloads_total",
			Help: "Reloads of the reference data snapshot after its tables changed.",
		}),
		reloadedAt: prometheus.NewGauge(prometheus.GaugeOpts{
			Namespace: Namespace, Subsystem: "reference", Name: "last_reload_timestamp_seconds",
			Help: "When the reference data snapshot in use was loaded (Unix time).",
		}),
	}
	m.reg.MustRegister(m.requests, m.inFlight, m.rateLimited, m.meili, m.meiliErrors, m.reloads, m.reloadedAt,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Register adds collectors to the registry, such as PoolCollector and
// OutboxCollector.
func (m *Metrics) Register(cs ...prometheus.Collector) error {
	for _, c := range cs {
		if err := m.reg.Register(c); err != nil {
			return fmt.Errorf("telemetry.Register: %w", err)
		}
	}
	return nil
}

// Gatherer returns the registry, for tests and other exporters.
func (m *Metrics) Gatherer() prometheus.Gatherer { return m.reg }

// Handler serves the metrics in the Prometheus exposition formats.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{ErrorLog: nil, Registry: m.reg})
}

// Instrument wraps the API handler: it times every request and counts it
// under its operation id and status code. All 429 answers of the API are
// rate-limit refusals; they are counted apart as well.
func (m *Metrics) Instrument(next http.Handler, routes *Routes) http.Handler {
	if m == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		m.inFlight.Inc()
		defer m.inFlight.Dec()
		got := httpsnoop.CaptureMetrics(next, w, r)
		op := routes.Operation(r)
		m.requests.WithLabelValues(op, strconv.Itoa(got.Code)).Observe(got.Duration.Seconds())
		if got.Code == http.StatusTooManyRequests {
			m.rateLimited.WithLabelValues(op).Inc()
		}
	})
}

// ReferenceLoaded records when the reference data snapshot in use was
// loaded, without counting a reload (the first load at start).
func (m *Metrics) ReferenceLoaded(at time.Time) {
	if m != nil {
		m.reloadedAt.Set(float64(at.UnixNano()) / 1e9)
	}
}

// ReferenceReloaded records a reload of the reference data snapshot; hook it
// on compliance.Live.OnChange.
func (m *Metrics) ReferenceReloaded(at time.Time) {
	if m != nil {
		m.reloads.Inc()
		m.ReferenceLoaded(at)
	}
}

// Serve serves Handler at /metrics on a listener of its own at addr, never on
// the API's port: the metrics are for the operators' Prometheus, not for
// clients. It returns the address it listens on and a function that stops it.
func (m *Metrics) Serve(ctx context.Context, addr string, log *slog.Logger) (string, func(), error) {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", m.Handler())
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", nil, fmt.Errorf("--metrics-listen: %w", err)
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second, WriteTimeout: 30 * time.Second,
		BaseContext: func(net.Listener) context.Context { return context.WithoutCancel(ctx) }}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("metrics listener stopped", "error", err)
		}
	}()
	log.Info("serving metrics", "addr", "http://"+ln.Addr().String()+"/metrics")
	return ln.Addr().String(), func() { _ = srv.Close() }, nil
}
