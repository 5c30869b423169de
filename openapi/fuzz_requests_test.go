package openapi_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cybermarket/cybermarket/catalog"
	"github.com/cybermarket/cybermarket/compliance"
	"github.com/cybermarket/cybermarket/compliance/refstore"
	"github.com/cybermarket/cybermarket/openapi"
	"github.com/cybermarket/cybermarket/search/searchtest"
)

// Bounds the fuzzer asserts on every answer.
const (
	fuzzRequests       = 6_027 // at least 5,000: 123 for each of the 49 operations
	fuzzSeed           = 20261201
	fuzzAnswerMultiple = 4         // an answer is at most this many times its request...
	fuzzAnswerConstant = 1 << 20   // ...plus this many bytes (market barriers of every country with intervals and coverage: 515 KB)
	fuzzMemoryGrowth   = 100 << 20 // heap in use after the run, over before
)

// fuzzRequest is one generated request.
type fuzzRequest struct {
	op      string
	method  string
	target  string
	body    []byte
	headers http.Header
}

// TestAPI_FuzzRequests sends requests made from the committed spec (valid
// ones and mutated bodies, parameters and headers, from a fixed seed) to
// the real handler on a real database and search index, and checks every
// answer: no 5xx, problems as application/problem+json, answers bounded by their request,
// no panic in the log, and bounded memory growth. -v prints what was sent
// and found.
func TestAPI_FuzzRequests(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	c, logs := newLoggedClient(t, noLimits)
	ix, _ := searchtest.NewIndex(t) // search answers from a real (empty) index
	live, err := compliance.OpenLive(context.Background(), refstore.New(c.store.Pool()))
	if err != nil {
		t.Fatal(err)
	}
	c.h = openapi.New(openapi.Deps{Catalog: c.store, Compliance: live, Requirements: refstore.New(c.store.Pool()), Limits: noLimits, Search: openapi.SearchDeps{Index: ix},
		Checks: map[string]func(context.Context) error{"postgres": c.store.Ping},
		Logger: slog.New(slog.NewJSONHandler(logs, nil))})
	s, err := loadSpec("openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	tokens, ids := fuzzWorld(t, c)
	g := &generator{s: s, rnd: rand.New(rand.NewPCG(fuzzSeed, 1)), ids: ids}
	var reqs []fuzzRequest
	for i := range fuzzRequests {
		op := s.ops[i%len(s.ops)]
		reqs = append(reqs, g.request(op, tokens))
	}

	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	results := runFuzz(c, reqs)
	took := time.Since(start)
	runtime.GC()
	var after runtime.MemStats
	runtime.ReadMemStats(&after)

	byStatus := map[int]int{}
	ops := map[string]bool{}
	var sentBytes, answerBytes int
	for i, r := range results {
		q := reqs[i]
		byStatus[r.status]++
		ops[q.op] = true
		sentBytes += len(q.body) + len(q.target)
		answerBytes += r.size
		if msg := r.fault(q, s); msg != "" {
			t.Errorf("%s %s %.200q: %s", q.method, truncateForLog(q.target), q.body, msg)
		}
	}
	statuses := make([]int, 0, len(byStatus))
	for st := range byStatus {
		statuses = append(statuses, st)
	}
	sort.Ints(statuses)
	var summary []string
	for _, st := range statuses {
		summary = append(summary, fmt.Sprintf("%d: %d", st, byStatus[st]))
	}
	growth := int64(after.HeapInuse) - int64(before.HeapInuse)
	t.Logf("fuzzer: %d requests over %d operations in %v (%d bytes sent, %d answered); heap in use %+.1f MB; by status: %s",
		len(reqs), len(ops), took.Round(time.Millisecond), sentBytes, answerBytes, float64(growth)/1e6, strings.Join(summary, ", "))
	if len(ops) != len(s.ops) {
		t.Errorf("%d of %d operations reached", len(ops), len(s.ops))
	}
	if growth > fuzzMemoryGrowth {
		t.Errorf("heap in use grew by %d bytes", growth)
	}
	for line := range strings.Lines(logs.String()) {
		if strings.Contains(line, `"msg":"panic"`) || strings.Contains(line, `"level":"ERROR"`) && !strings.Contains(line, `"msg":"request`) {
			t.Errorf("in the log: %.3000s", line)
		}
	}
}

// fuzzWorld makes the objects requests can name, and returns the tokens to
// send (admin, a vendor's, an analyst's, none, a broken one) and the ids.
func fuzzWorld(t *testing.T, c *client) ([]string, []string) {
	t.Helper()
	var v, o, cert, k struct{ ID string }
	c.do("POST", "/v1/vendors", checkVendor).want(http.StatusCreated).decode(&v)
	c.do("POST", "/v1/vendors/"+v.ID+"/approve", nil).want(http.StatusOK)
	c.do("POST", "/v1/vendors/"+v.ID+"/offerings", with(validOffering(), "status", "published")).want(http.StatusCreated).decode(&o)
	c.do("POST", "/v1/vendors/"+v.ID+"/certifications", validCertification(o.ID)).want(http.StatusCreated).decode(&cert)
	c.do("POST", "/v1/keys", `{"name":"fuzz","role":"analyst"}`).want(http.StatusCreated).decode(&k)
	vendorKey := c.key(catalog.RoleVendor, v.ID)
	tokens := []string{c.token, c.token, c.token, vendorKey, c.key(catalog.RoleAnalyst, ""), "", "cm_broken"}
	return tokens, []string{v.ID, o.ID, cert.ID, k.ID}
}

// request makes one request of op: valid, or mutated in its body,
// parameters or headers.
func (g *generator) request(op specOperation, tokens []string) fuzzRequest {
	r := fuzzRequest{op: op.id, method: op.method, headers: http.Header{}}
	path := op.path
	query := url.Values{}
	for _, p := range op.params {
		v := fmt.Sprint(g.value(p.schema, 0))
		if g.chance(0.15) {
			v = g.pick([]string{"", "%00", "\x00", "\xff", "%FF", "..%2F..", strings.Repeat("z", 3000), "-1", "1e999", "null", "%ED%A0%80"})
		}
		switch p.in {
		case "path":
			path = strings.ReplaceAll(path, "{"+p.name+"}", url.PathEscape(v))
		case "query":
			if v != "<nil>" && g.chance(0.7) {
				query.Set(p.name, v)
			}
		case "header":
			if v != "<nil>" {
				r.headers.Set(p.name, strings.ReplaceAll(v, "\n", ""))
			}
		}
	}
	if g.chance(0.05) {
		query.Set("unknown", "\x00")
	}
	r.target = path
	if len(query) > 0 {
		r.target += "?" + query.Encode()
	}
	if tok := g.pick(tokens); tok != "" {
		r.headers.Set("Authorization", "Bearer "+tok)
	}
	if op.body != nil {
		v := g.value(op.body, 0)
		switch {
		case g.chance(0.1):
			r.body = g.rawBody(encode(v))
		case g.chance(0.6):
			r.body = encode(g.mutate(v, 0))
		default:
			r.body = encode(v)
		}
		r.headers.Set("Content-Type", g.pick([]string{"application/json", "application/json", "application/merge-patch+json", "text/plain"}))
	}
	return r
}

// fuzzResult is what came back.
type fuzzResult struct {
	status      int
	size        int
	contentType string
	panicked    any
}

// runFuzz sends the requests from two workers (the database waits
// overlap; more would starve the timing tests of other packages), in process.
func runFuzz(c *client, reqs []fuzzRequest) []fuzzResult {
	results := make([]fuzzResult, len(reqs))
	var wg sync.WaitGroup
	next := make(chan int)
	for range 2 {
		wg.Go(func() {
			for i := range next {
				results[i] = send(c.h, reqs[i])
			}
		})
	}
	for i := range reqs {
		next <- i
	}
	close(next)
	wg.Wait()
	return results
}

func send(h http.Handler, q fuzzRequest) (res fuzzResult) {
	defer func() {
		if p := recover(); p != nil {
			res.panicked = p
		}
	}()
	req := httptest.NewRequest(q.method, "/", bytes.NewReader(q.body))
	req.URL.RawQuery = ""
	if u, err := url.Parse(q.target); err == nil {
		req.URL = u
		req.RequestURI = q.target
	} else {
		req.URL.Path = q.target
	}
	if q.body == nil {
		req.Body = http.NoBody
		req.ContentLength = 0
	}
	for k, v := range q.headers {
		req.Header[k] = v
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return fuzzResult{status: rec.Code, size: rec.Body.Len(), contentType: rec.Header().Get("Content-Type")}
}

// fault returns what is wrong with the answer to q, or "".
func (r fuzzResult) fault(q fuzzRequest, s *spec) string {
	switch {
	case r.panicked != nil:
		return fmt.Sprintf("panic: %v", r.panicked)
	case r.status >= 500:
		return fmt.Sprintf("status %d", r.status)
	case r.status >= 400 && r.contentType != "application/problem+json":
		return fmt.Sprintf("status %d as %q", r.status, r.contentType)
	case r.size > fuzzAnswerMultiple*(len(q.body)+len(q.target))+fuzzAnswerConstant:
		return fmt.Sprintf("answer of %d bytes to a request of %d", r.size, len(q.body)+len(q.target))
	}
	_ = s
	return ""
}

func truncateForLog(s string) string {
	if len(s) > 120 {
		return s[:120] + "…"
	}
	return s
}
