package main

import (
	"context"
	"log/slog"
	"net/http"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/cybermarket/cybermarket/catalog"
	"github.com/cybermarket/cybermarket/compliance"
	"github.com/cybermarket/cybermarket/openapi"
	"github.com/cybermarket/cybermarket/search"
	"github.com/cybermarket/cybermarket/telemetry"
)

// telemetryConfig is what serve's operators choose to see.
type telemetryConfig struct {
	// metricsListen is the address of the Prometheus listener; off when "".
	metricsListen string
}

func addTelemetryFlags(cmd *cobra.Command, c *telemetryConfig) {
	cmd.Flags().StringVar(&c.metricsListen, "metrics-listen", os.Getenv("METRICS_LISTEN_ADDR"),
		"address of a separate listener serving Prometheus metrics at /metrics; off when empty, never the API's address (env METRICS_LISTEN_ADDR). "+
			"Traces go over OTLP/HTTP when OTEL_EXPORTER_OTLP_ENDPOINT is set")
}

// observability is the telemetry of one server: metrics when a metrics
// listener is configured, traces when an OTLP endpoint is. Each part is nil
// when off, and its wrappers then return what they are given.
type observability struct {
	metrics *telemetry.Metrics
	tracing *telemetry.Tracing
	routes  *telemetry.Routes
}

// startTelemetry starts what c and the OTEL_* environment ask for. stop
// flushes the spans in hand and closes the metrics listener.
func startTelemetry(ctx context.Context, c telemetryConfig, log *slog.Logger) (*observability, func(), error) {
	o := &observability{}
	stops := []func(){}
	stop := func() {
		for i := len(stops) - 1; i >= 0; i-- {
			stops[i]()
		}
	}
	if c.metricsListen == "" && !telemetry.TracingConfigured() {
		return o, stop, nil
	}
	routes, err := apiRoutes()
	if err != nil {
		return nil, nil, err
	}
	o.routes = routes
	if telemetry.TracingConfigured() {
		tracing, shutdown, err := telemetry.StartTracing(ctx, openapi.Version)
		if err != nil {
			return nil, nil, err
		}
		o.tracing = tracing
		stops = append(stops, func() {
			sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			if err := shutdown(sctx); err != nil {
				log.Warn("flushing traces", "error", err)
			}
		})
		log.Info("tracing on: spans go to the OTLP endpoint of OTEL_EXPORTER_OTLP_*")
	}
	if c.metricsListen != "" {
		o.metrics = telemetry.NewMetrics()
		_, closeMetrics, err := o.metrics.Serve(ctx, c.metricsListen, log)
		if err != nil {
			stop()
			return nil, nil, err
		}
		stops = append(stops, closeMetrics)
	}
	return o, stop, nil
}

// apiRoutes names requests by the operation ids of the API's spec.
func apiRoutes() (*telemetry.Routes, error) {
	spec, err := openapi.Spec()
	if err != nil {
		return nil, err
	}
	ops, err := telemetry.OperationsFromSpec(spec)
	if err != nil {
		return nil, err
	}
	return telemetry.NewRoutes(ops)
}

// logger adds the trace and span ids to the log lines of traced requests.
func (o *observability) logger(log *slog.Logger) *slog.Logger {
	if o.tracing == nil {
		return log
	}
	return slog.New(telemetry.LogHandler(log.Handler()))
}

// catalogOptions trace the queries of the store's pool.
func (o *observability) catalogOptions() []catalog.Option {
	return []catalog.Option{catalog.WithQueryTracer(o.tracing.QueryTracer())}
}

// meiliTransport times and traces the calls to Meilisearch.
func (o *observability) meiliTransport(rt http.RoundTripper) http.RoundTripper {
	return o.tracing.Transport(o.metrics.Transport(rt))
}

// handler wraps the API: the span first, so the metrics and logs of the
// request see it.
func (o *observability) handler(api http.Handler) http.Handler {
	return o.tracing.Handler(o.metrics.Instrument(api, o.routes), o.routes)
}

// watch registers the collectors of the pool and the search outbox, and
// counts reference data reloads. Call it before live.Watch starts.
func (o *observability) watch(store *catalog.Store, live *compliance.Live) error {
	if o.metrics == nil {
		return nil
	}
	live.OnChange(func(_, s *compliance.Snapshot) { o.metrics.ReferenceReloaded(s.LoadedAt) })
	o.metrics.ReferenceLoaded(live.Current().LoadedAt)
	return o.metrics.Register(
		telemetry.PoolCollector(store.Pool().Stat),
		telemetry.OutboxCollector(func(ctx context.Context) (telemetry.Backlog, error) {
			b, err := search.ReadBacklog(ctx, store)
			return telemetry.Backlog{Rows: b.Rows, Retrying: b.Retrying, OldestAge: b.OldestAge}, err
		}, 2*time.Second),
	)
}
