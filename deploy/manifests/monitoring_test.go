package manifests

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	monitoringv1 "github.com/prometheus-operator/prometheus-operator/pkg/apis/monitoring/v1"
	dto "github.com/prometheus/client_model/go"

	"github.com/cybermarket/cybermarket/telemetry"
)

// servedMetrics returns the names of the series a server exposes, by making
// every metric of package telemetry report once.
func servedMetrics(t *testing.T) map[string]bool {
	t.Helper()
	m := telemetry.NewMetrics()
	pool, err := pgxpool.New(context.Background(), "postgres://nobody@127.0.0.1:1/none") // connects lazily: never here
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	if err := m.Register(telemetry.PoolCollector(pool.Stat), telemetry.OutboxCollector(
		func(context.Context) (telemetry.Backlog, error) { return telemetry.Backlog{}, nil }, time.Second)); err != nil {
		t.Fatal(err)
	}
	h := m.Instrument(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(429) }), nil)
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))
	rt := m.Transport(roundTripper(func(*http.Request) (*http.Response, error) { return nil, errors.New("down") }))
	_, _ = rt.RoundTrip(httptest.NewRequest("GET", "http://meili/health", nil))
	m.ReferenceReloaded(time.Now())
	mfs, err := m.Gatherer().Gather()
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, mf := range mfs {
		names[mf.GetName()] = true
		if mf.GetType() == dto.MetricType_HISTOGRAM {
			for _, suffix := range []string{"_bucket", "_sum", "_count"} {
				names[mf.GetName()+suffix] = true
			}
		}
	}
	return names
}

type roundTripper func(*http.Request) (*http.Response, error)

func (f roundTripper) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

var metricName = regexp.MustCompile(`\b(?:cybermarket|go|process)_[a-z_]+\b`)

// checkNames fails for each metric expr names that the server does not serve.
func checkNames(t *testing.T, where, expr string, served map[string]bool) {
	t.Helper()
	found := metricName.FindAllString(expr, -1)
	if len(found) == 0 {
		t.Errorf("%s: %q names no metric of the service", where, expr)
	}
	for _, n := range found {
		if !served[n] {
			t.Errorf("%s: %s is not a metric the server serves", where, n)
		}
	}
}

func TestAlertRules_UseServedMetrics(t *testing.T) {
	served := servedMetrics(t)
	for _, want := range []string{"cybermarket_http_request_duration_seconds_count", "cybermarket_search_outbox_oldest_age_seconds",
		"cybermarket_db_pool_connections", "cybermarket_meilisearch_errors_total", "go_goroutines"} {
		if !served[want] {
			t.Fatalf("the server does not serve %s", want)
		}
	}
	data, err := os.ReadFile(kubeDir + "/base/monitoring/prometheusrule.yaml")
	if err != nil {
		t.Fatal(err)
	}
	o, err := decodeStrict(data, "prometheusrule")
	if err != nil {
		t.Fatal(err)
	}
	rules := 0
	for _, g := range o.Value.(*monitoringv1.PrometheusRule).Spec.Groups {
		for _, r := range g.Rules {
			rules++
			checkNames(t, r.Alert, r.Expr.String(), served)
			if r.For == nil || r.Labels["severity"] == "" || r.Annotations["summary"] == "" {
				t.Errorf("%s: want a for duration, a severity and a summary", r.Alert)
			}
		}
	}
	if rules < 5 {
		t.Errorf("%d alert rules", rules)
	}
}

func TestDashboard_UsesServedMetrics(t *testing.T) {
	served := servedMetrics(t)
	data, err := os.ReadFile(kubeDir + "/base/monitoring/cybermarket-dashboard.json")
	if err != nil {
		t.Fatal(err)
	}
	var d struct {
		UID    string `json:"uid"`
		Title  string `json:"title"`
		Panels []struct {
			ID      int    `json:"id"`
			Title   string `json:"title"`
			Targets []struct {
				Expr string `json:"expr"`
			} `json:"targets"`
		} `json:"panels"`
	}
	if err := json.Unmarshal(data, &d); err != nil {
		t.Fatal(err)
	}
	ids := map[int]bool{}
	covered := map[string]bool{}
	for _, p := range d.Panels {
		if ids[p.ID] || len(p.Targets) == 0 {
			t.Errorf("panel %d %q: duplicate id or no query", p.ID, p.Title)
		}
		ids[p.ID] = true
		for _, q := range p.Targets {
			checkNames(t, p.Title, q.Expr, served)
			for _, n := range metricName.FindAllString(q.Expr, -1) {
				covered[strings.TrimSuffix(strings.TrimSuffix(n, "_bucket"), "_count")] = true
			}
		}
	}
	for _, want := range []string{"cybermarket_http_request_duration_seconds", "cybermarket_search_outbox_oldest_age_seconds",
		"cybermarket_meilisearch_request_duration_seconds", "cybermarket_db_pool_connections", "cybermarket_http_rate_limited_total"} {
		if !covered[want] {
			t.Errorf("the dashboard does not show %s", want)
		}
	}
}
