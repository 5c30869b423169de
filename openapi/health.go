package openapi

import (
	"context"
	"errors"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"
)

// Health is the answer of the health endpoints.
type Health struct {
	Status string            `json:"status" enum:"ok,unavailable" doc:"ok when everything checked answers." example:"ok"`
	Checks map[string]string `json:"checks,omitempty" doc:"Result per dependency: ok, or why it is not ready." example:"{\"postgres\":\"ok\"}"`
	Search *SearchReadiness  `json:"search,omitempty" doc:"Search sync backlog (readiness only). Search never makes the service unready: without it, search answers 503 and the rest works."`
}

// HealthOutput wraps Health for huma.
type HealthOutput struct {
	Body Health
}

// readyTimeout bounds each readiness check.
const readyTimeout = 2 * time.Second

// GetLivenessInput is empty.
type GetLivenessInput struct{}

// GetReadinessInput is empty.
type GetReadinessInput struct{}

// unready names the dependencies that did not answer a readiness check
// (503). newError maps it.
type unready []string

// isUnready reports whether err is a failed readiness check.
func isUnready(err error) bool {
	var u unready
	return errors.As(err, &u)
}

func (u unready) Error() string { return "not ready: " + strings.Join(u, ", ") + " do not answer" }

func (h *handlers) registerHealth(api huma.API) {
	huma.Register(api, huma.Operation{
		OperationID: "get-liveness", Method: http.MethodGet, Path: "/healthz",
		Summary:     "Liveness",
		Description: "Answers 200 while the process serves HTTP. It checks no dependency and never touches the database, even when a key is sent: restart the process only when this fails.",
		Tags:        []string{"Health"},
	}, h.getLiveness)
	huma.Register(api, huma.Operation{
		OperationID: "get-readiness", Method: http.MethodGet, Path: "/readyz",
		Summary:     "Readiness",
		Description: "Answers 200 when every dependency (PostgreSQL) answers within two seconds, 503 otherwise: take the instance out of the load balancer until it is ready. Meilisearch and the search outbox backlog are reported too but never make the instance unready: without search, search answers 503 and the rest of the API works.",
		Tags:        []string{"Health"}, Errors: []int{503},
	}, h.getReadiness)
}

func (h *handlers) getLiveness(_ context.Context, _ *GetLivenessInput) (*HealthOutput, error) {
	return &HealthOutput{Body: Health{Status: "ok"}}, nil
}

func (h *handlers) getReadiness(ctx context.Context, _ *GetReadinessInput) (*HealthOutput, error) {
	out := &HealthOutput{Body: Health{Status: "ok", Checks: map[string]string{}}}
	var failed unready
	names := make([]string, 0, len(h.Checks))
	for name := range h.Checks {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		cctx, cancel := context.WithTimeout(ctx, readyTimeout)
		err := h.Checks[name](cctx)
		cancel()
		if err != nil {
			loggerFrom(ctx).WarnContext(ctx, "not ready", "dependency", name, "error", err)
			out.Body.Checks[name] = "unavailable"
			failed = append(failed, name)
			continue
		}
		out.Body.Checks[name] = "ok"
	}
	if len(failed) > 0 {
		return nil, failed
	}
	sctx, cancel := context.WithTimeout(ctx, readyTimeout)
	h.searchReadiness(sctx, &out.Body) // reported, never fatal
	cancel()
	return out, nil
}
