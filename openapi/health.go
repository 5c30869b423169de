package openapi

import (
	"context"
	"net/http"
	"sort"
	"strconv"
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

func (h *handlers) registerHealth(api huma.API) {
	huma.Register(api, huma.Operation{
		OperationID: "get-liveness", Method: http.MethodGet, Path: "/healthz",
		Summary:     "Liveness",
		Description: "Answers 200 while the process serves HTTP. It checks no dependency and never touches the database, even when a key is sent: restart the process only when this fails.",
		Tags:        []string{"Health"},
	}, func(ctx context.Context, _ *struct{}) (*HealthOutput, error) {
		return &HealthOutput{Body: Health{Status: "ok"}}, nil
	})

	huma.Register(api, huma.Operation{
		OperationID: "get-readiness", Method: http.MethodGet, Path: "/readyz",
		Summary:     "Readiness",
		Description: "Answers 200 when every dependency (PostgreSQL) answers within two seconds, 503 otherwise: take the instance out of the load balancer until it is ready. Meilisearch and the search outbox backlog are reported too but never make the instance unready: without search, search answers 503 and the rest of the API works.",
		Tags:        []string{"Health"}, Errors: []int{503},
	}, func(ctx context.Context, _ *struct{}) (*HealthOutput, error) {
		out := &HealthOutput{Body: Health{Status: "ok", Checks: map[string]string{}}}
		var failed []error
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
				failed = append(failed, &huma.ErrorDetail{Location: name, Message: "does not answer"})
				continue
			}
			out.Body.Checks[name] = "ok"
		}
		if len(failed) > 0 {
			return nil, huma.ErrorWithHeaders(huma.Error503ServiceUnavailable("Not ready: a dependency does not answer.", failed...),
				http.Header{"Retry-After": {strconv.Itoa(databaseRetrySeconds)}})
		}
		sctx, cancel := context.WithTimeout(ctx, readyTimeout)
		h.searchReadiness(sctx, &out.Body) // reported, never fatal
		cancel()
		return out, nil
	})
}
