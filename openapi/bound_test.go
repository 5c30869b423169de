package openapi_test

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// unknownKeys returns a JSON object: the members of valid, then n unknown
// properties "x0".."x<n-1>".
func unknownKeys(valid string, n int) string {
	var b strings.Builder
	b.WriteString(strings.TrimSuffix(strings.TrimSpace(valid), "}"))
	for i := range n {
		fmt.Fprintf(&b, `,"x%d":%d`, i, i)
	}
	b.WriteString("}")
	return b.String()
}

// memoryPeak samples the process's heap in use and resident size while
// run runs, and returns how far each rose above its level before.
func memoryPeak(t *testing.T, run func()) (heapRise, rssRise int64) {
	t.Helper()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	heap0, rss0 := int64(ms.HeapInuse), rss(t)
	var peakHeap, peakRSS atomic.Int64
	peakHeap.Store(heap0)
	peakRSS.Store(rss0)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			peakHeap.Store(max(peakHeap.Load(), int64(ms.HeapInuse)))
			peakRSS.Store(max(peakRSS.Load(), rss(t)))
			select {
			case <-stop:
				return
			case <-tick.C:
			}
		}
	})
	run()
	close(stop)
	wg.Wait()
	return peakHeap.Load() - heap0, peakRSS.Load() - rss0
}

// rss is the resident set size of this process in bytes (0 where /proc is missing).
func rss(t *testing.T) int64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for line := range strings.Lines(string(data)) {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// TestAPI_ErrorsAreBounded sends bodies with many unknown properties, once
// rejected before decoding (too many properties) and once by huma's schema
// validation: each answer is a small problem that names properties, not
// whole objects, lists at most 20 errors and counts the rest.
func TestAPI_ErrorsAreBounded(t *testing.T) {
	c := newClient(t)
	srv := httptest.NewServer(c.h)
	defer srv.Close()
	whatIf := `{"recognitions":[{"country":"DE","scheme":"soc-2","level":"type-2","requirement":"de-c5-sgbv-393"}]}`
	vendor := `{"legal_name":"Amplify GmbH","vat_number":"DE123456788","country":"DE","size":"small","contact":{"email":"a@example.eu"}}`
	for _, tc := range []struct {
		name, path, body string
		wantCount        string // the count of errors the detail must state, or ""
	}{
		{"what-if, 50,000 unknown keys", "/v1/analytics/what-if", unknownKeys(whatIf, 50_000), ""},
		{"what-if, 999 unknown keys", "/v1/analytics/what-if", unknownKeys(whatIf, 999), "999 errors"},
		{"registration, 999 unknown keys in contact", "/v1/vendors",
			strings.Replace(vendor, `{"email":"a@example.eu"}`, unknownKeys(`{"email":"a@example.eu"}`, 999), 1), "999 errors"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var status int
			var body []byte
			var took time.Duration
			heapRise, rssRise := memoryPeak(t, func() {
				start := time.Now()
				resp, err := http.Post(srv.URL+tc.path, "application/json", strings.NewReader(tc.body))
				if err != nil {
					t.Fatal(err)
				}
				body, _ = io.ReadAll(resp.Body)
				resp.Body.Close()
				took, status = time.Since(start), resp.StatusCode
			})
			t.Logf("request %d bytes: %d, answer %d bytes in %v; heap rose %.1f MB, RSS %.1f MB",
				len(tc.body), status, len(body), took, float64(heapRise)/1e6, float64(rssRise)/1e6)
			if status != http.StatusUnprocessableEntity {
				t.Fatalf("status %d: %.300s", status, body)
			}
			if len(body) >= 64<<10 || took >= time.Second || heapRise >= 100<<20 || rssRise >= 100<<20 {
				t.Errorf("answer %d bytes in %v, heap +%d, RSS +%d: want < 64 KB, < 1 s, < 100 MB", len(body), took, heapRise, rssRise)
			}
			rec := httptest.NewRecorder()
			rec.Code, rec.Body = status, bytes.NewBuffer(body)
			rec.Header().Set("Content-Type", "application/problem+json")
			rec.Header().Set("X-Request-Id", "x")
			p := response{ResponseRecorder: rec, t: t}.problem(status)
			if len(p.Errors) == 0 || len(p.Errors) > 20 {
				t.Errorf("%d errors listed, want 1 to 20", len(p.Errors))
			}
			for _, e := range p.Errors {
				if !strings.HasPrefix(e.Location, "body") || e.Message == "" || e.Value != nil && len(fmt.Sprint(e.Value)) > 64 {
					t.Errorf("error %+v: want a body location, a reason, and no large value", e)
				}
			}
			if tc.wantCount != "" && !strings.Contains(p.Detail, tc.wantCount) {
				t.Errorf("detail %q does not count the errors (%s)", p.Detail, tc.wantCount)
			}
		})
	}
}
