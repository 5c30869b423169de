package openapi_test

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestAPI_Budgets: an answer larger than the response budget is cut with the
// connection (never delivered as if complete) and logged; a request past its
// time limit answers 503 and is logged as over budget.
func TestAPI_Budgets(t *testing.T) {
	t.Parallel()
	t.Run("response size", func(t *testing.T) {
		limits := noLimits
		limits.ResponseBytes = 4 << 10
		c, logs := newLoggedClient(t, limits)
		addr := newTestServer(t, c.h)
		resp, err := http.Get("http://" + addr + "/v1/analytics/barriers") // about 330 KB
		if err == nil {
			body, rerr := io.ReadAll(resp.Body)
			resp.Body.Close()
			if rerr == nil && resp.StatusCode == http.StatusOK {
				t.Fatalf("an over-budget answer arrived whole: %d bytes", len(body))
			}
		}
		// A small answer is untouched.
		resp, err = http.Get("http://" + addr + "/healthz")
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("healthz: %v", err)
		}
		resp.Body.Close()
		waitForLog(t, logs, `response too large`)
	})
	t.Run("time", func(t *testing.T) {
		limits := noLimits
		limits.RequestTimeout = time.Nanosecond
		c, logs := newLoggedClient(t, limits)
		c.anonymous().do(http.MethodGet, "/v1/vendors", nil).problem(http.StatusServiceUnavailable)
		waitForLog(t, logs, `time limit passed`)
	})
}

func waitForLog(t *testing.T, logs *syncBuffer, want string) {
	t.Helper()
	for range 50 {
		if strings.Contains(logs.String(), want) {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Errorf("no %q in the log:\n%s", want, logs.String())
}
