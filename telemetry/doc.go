// Package telemetry is what operators see of a running server: Prometheus
// metrics on a listener of their own, OpenTelemetry traces exported over
// OTLP, and the trace id in every log line of a request.
//
// Both are off unless configured, and both hook in from outside the API:
// they wrap the http.Handler of package openapi, the http.RoundTripper of the
// Meilisearch client and the pgx connection pool, so that the domain and API
// packages know nothing of them. Requests are named by their OpenAPI
// operation id (Routes), which keeps the label set bounded.
package telemetry
