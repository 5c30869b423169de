package telemetry

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strings"

	"github.com/exaring/otelpgx"
	"github.com/jackc/pgx/v5"
	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/metric/noop"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
)

// Tracing makes OpenTelemetry spans of API requests, SQL queries and
// Meilisearch calls. A nil *Tracing traces nothing and costs nothing: its
// wrappers return what they are given.
type Tracing struct {
	provider   trace.TracerProvider
	propagator propagation.TextMapPropagator
}

// NewTracing returns tracing that reports to provider, such as an SDK
// provider with an in-memory exporter in tests.
func NewTracing(provider trace.TracerProvider) *Tracing {
	return &Tracing{provider: provider, propagator: propagation.NewCompositeTextMapPropagator(
		propagation.TraceContext{}, propagation.Baggage{})}
}

// TracingConfigured reports whether the environment asks for traces: an
// OTLP endpoint is set (OTEL_EXPORTER_OTLP_ENDPOINT or
// OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) and OTEL_SDK_DISABLED is not true.
func TracingConfigured() bool {
	if strings.EqualFold(os.Getenv("OTEL_SDK_DISABLED"), "true") {
		return false
	}
	return os.Getenv("OTEL_EXPORTER_OTLP_ENDPOINT") != "" || os.Getenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") != ""
}

// StartTracing exports spans over OTLP/HTTP (protobuf) to the endpoint of the
// standard OTEL_EXPORTER_OTLP_* variables, in batches. The resource is
// service.name cybermarket (OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES
// override) with version; OTEL_TRACES_SAMPLER chooses the sampler (default:
// every trace, or as the caller's traceparent says). Only traces that begin
// with an API request are kept, not the queries of background work.
// shutdown flushes the spans in hand.
func StartTracing(ctx context.Context, version string) (_ *Tracing, shutdown func(context.Context) error, err error) {
	if p := os.Getenv("OTEL_EXPORTER_OTLP_PROTOCOL"); p != "" && p != "http/protobuf" {
		return nil, nil, fmt.Errorf("telemetry.StartTracing: OTEL_EXPORTER_OTLP_PROTOCOL %q: only http/protobuf is built in", p)
	}
	sampler, err := envSampler()
	if err != nil {
		return nil, nil, fmt.Errorf("telemetry.StartTracing: %w", err)
	}
	exp, err := otlptracehttp.New(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("telemetry.StartTracing: %w", err)
	}
	res, err := resource.New(ctx,
		resource.WithAttributes(attribute.String("service.name", "cybermarket"), attribute.String("service.version", version)),
		resource.WithFromEnv(), resource.WithTelemetrySDK())
	if err != nil && !errors.Is(err, resource.ErrPartialResource) {
		return nil, nil, fmt.Errorf("telemetry.StartTracing: %w", err)
	}
	tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(exp), sdktrace.WithResource(res), sdktrace.WithSampler(sampler))
	return NewTracing(tp), tp.Shutdown, nil
}

// Handler wraps the API handler: each request becomes a server span named
// by its operation id, continuing the caller's trace (W3C traceparent), with
// the request id the API gave it as the attribute http.request_id.
func (t *Tracing) Handler(next http.Handler, routes *Routes) http.Handler {
	if t == nil {
		return next
	}
	withID := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r)
		// The API sets the header before it answers.
		if id := w.Header().Get("X-Request-Id"); id != "" {
			trace.SpanFromContext(r.Context()).SetAttributes(attribute.String("http.request_id", id))
		}
	})
	return otelhttp.NewHandler(withID, "http",
		otelhttp.WithTracerProvider(t.provider), otelhttp.WithPropagators(t.propagator),
		otelhttp.WithMeterProvider(noMeters),
		otelhttp.WithSpanNameFormatter(func(_ string, r *http.Request) string { return routes.Operation(r) }))
}

// Transport wraps the transport of the Meilisearch client: each call becomes
// a client span named after its route, a child of the request's span.
func (t *Tracing) Transport(next http.RoundTripper) http.RoundTripper {
	if t == nil {
		return next
	}
	return otelhttp.NewTransport(next,
		otelhttp.WithTracerProvider(t.provider), otelhttp.WithPropagators(t.propagator),
		otelhttp.WithMeterProvider(noMeters),
		otelhttp.WithSpanNameFormatter(func(_ string, r *http.Request) string {
			return "meilisearch " + r.Method + " " + MeilisearchRoute(r.URL.Path)
		}))
}

// QueryTracer returns a pgx tracer that makes a span of every query, batch,
// copy and connect, without the query's arguments; nil when t is nil.
func (t *Tracing) QueryTracer() pgx.QueryTracer {
	if t == nil {
		return nil
	}
	return otelpgx.NewTracer(otelpgx.WithTracerProvider(t.provider), otelpgx.WithMeterProvider(noMeters))
}

// noMeters keeps the OpenTelemetry instrumentations from making metrics of
// their own: the service's metrics are the Prometheus ones of Metrics.
var noMeters = noop.NewMeterProvider()
