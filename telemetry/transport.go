package telemetry

import (
	"net/http"
	"strings"
	"time"
)

// MeilisearchRoute returns the route of a Meilisearch API path, with index
// uids, task ids, key ids and document ids replaced by placeholders, so that
// metrics and span names have a bounded set of values:
// /indexes/offerings_v2/search becomes /indexes/{uid}/search.
func MeilisearchRoute(path string) string {
	segs := strings.Split(strings.Trim(path, "/"), "/")
	if len(segs) > 5 {
		segs = append(segs[:5], "…")
	}
	for i := 1; i < len(segs); i++ {
		switch segs[i-1] {
		case "indexes":
			segs[i] = "{uid}"
		case "tasks", "batches", "keys":
			segs[i] = "{id}"
		case "documents":
			if segs[i] != "fetch" && segs[i] != "delete-batch" && segs[i] != "delete" {
				segs[i] = "{id}"
			}
		}
	}
	return "/" + strings.Join(segs, "/")
}

// meiliTransport times the calls to Meilisearch.
type meiliTransport struct {
	next http.RoundTripper
	m    *Metrics
}

// Transport wraps the transport of the Meilisearch client: it times every
// call by route and outcome and counts the failed ones.
func (m *Metrics) Transport(next http.RoundTripper) http.RoundTripper {
	if m == nil {
		return next
	}
	return &meiliTransport{next: next, m: m}
}

func (t *meiliTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	start := time.Now()
	res, err := t.next.RoundTrip(r)
	route := MeilisearchRoute(r.URL.Path)
	outcome := "ok"
	switch {
	case err != nil:
		outcome = "transport_error"
		t.m.meiliErrors.WithLabelValues(route, "transport").Inc()
	case res.StatusCode >= 500:
		outcome = "server_error"
		t.m.meiliErrors.WithLabelValues(route, "server").Inc()
	case res.StatusCode >= 400:
		outcome = "client_error"
	}
	// The time to the response headers: Meilisearch answers once its work
	// is done, so the body is quick to follow.
	t.m.meili.WithLabelValues(route, outcome).Observe(time.Since(start).Seconds())
	return res, err
}
