package search_test

// The 100,000-offering benchmarks. They run only with -bench (never in
// make test) and need TEST_DATABASE_URL and TEST_MEILI_URL:
//
//	go test ./search -run '^$' -bench Search100k -benchtime 1x -timeout 60m -v
//
// One benchmark loads a synthetic catalogue of about 100,000 public
// offerings (compliance/synth) into a database of its own and measures, as
// sub-benchmarks that report their numbers as metrics:
//
//   - reindex: a full cybermarket reindex beside a raw meilisearch-go bulk add
//     of the same documents into an index with the same settings;
//   - search: latency p50/p99 of the same queries through the API (HTTP,
//     keep-alive) and straight to Meilisearch (plain HTTP, keep-alive, no
//     compression) at the same concurrency;
//   - freshness: from a committed write until a search finds it.

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/meilisearch/meilisearch-go"

	"github.com/cybermarket/cybermarket/catalog"
	"github.com/cybermarket/cybermarket/catalog/catalogtest"
	"github.com/cybermarket/cybermarket/compliance"
	"github.com/cybermarket/cybermarket/compliance/refstore"
	"github.com/cybermarket/cybermarket/compliance/synth"
	"github.com/cybermarket/cybermarket/search"
	"github.com/cybermarket/cybermarket/search/searchtest"
)

// benchOfferings is how many public offerings the benchmark catalogue has
// (at least; it ends at a vendor boundary).
const benchOfferings = 100000

// benchEnv is the 100k catalogue in PostgreSQL and an index name for it.
type benchEnv struct {
	store *catalog.Store
	dbURL string
	pool  *pgxpool.Pool
	cfg   search.Config
	ix    *search.Index
	rules *search.Rules
	// public are the first public offerings, for the freshness writes.
	public []uuid.UUID
	now    time.Time
}

func BenchmarkSearch100k(b *testing.B) {
	if os.Getenv(searchtest.EnvURL) == "" {
		b.Skip("TEST_MEILI_URL is not set")
	}
	e := setupBench(b)
	built := false
	build := func(b *testing.B) {
		if !built {
			if _, err := search.Reindex(context.Background(), search.ReindexConfig{Catalog: e.store, Index: e.ix, Rules: e.rules,
				Now: func() time.Time { return e.now }}); err != nil {
				b.Fatal(err)
			}
			built = true
		}
	}
	b.Run("reindex", func(b *testing.B) { benchReindex(b, e); built = true })
	// The API as production runs it: a cybermarket serve process, whose
	// outbox worker keeps the index fresh.
	var api string
	parent := b
	serve := func(b *testing.B) {
		build(b)
		if api == "" {
			api = serveProcess(parent, e)
		}
	}
	b.Run("search", func(b *testing.B) { serve(b); benchSearch(b, e, api) })
	b.Run("freshness", func(b *testing.B) { serve(b); benchFreshness(b, e) })
}

// serveProcess builds cybermarket and runs `cybermarket serve` on the
// benchmark's database and index until the benchmark ends. Its logs go to a
// file, as they would to a log collector. It trusts X-Forwarded-For from
// 127.0.0.1 so that the load driver can pose as many clients (the
// per-address rate limit would otherwise refuse a load test).
func serveProcess(b *testing.B, e *benchEnv) string {
	b.Helper()
	dir, err := os.MkdirTemp("", "cybermarket-bench-")
	if err != nil {
		b.Fatal(err)
	}
	bin := filepath.Join(dir, "cybermarket")
	if out, err := exec.Command("go", "build", "-o", bin, "../cmd/cybermarket").CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	logs, err := os.Create(filepath.Join(dir, "serve.log"))
	if err != nil {
		b.Fatal(err)
	}
	cmd := exec.Command(bin, "serve", "--listen", addr, "--trusted-proxies", "127.0.0.1")
	cmd.Env = append(os.Environ(), "DATABASE_URL="+e.dbURL, "MEILI_URL="+e.cfg.URL, "MEILI_API_KEY="+e.cfg.APIKey,
		"MEILI_INDEX="+e.cfg.UID, "LOG_FORMAT=json", "LOG_LEVEL=info")
	cmd.Stdout, cmd.Stderr = logs, logs
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	stop := func() {
		_ = cmd.Process.Signal(os.Interrupt)
		_ = cmd.Wait()
		logs.Close()
		os.RemoveAll(dir)
	}
	url := "http://" + addr
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(50 * time.Millisecond) {
		resp, err := http.Get(url + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		if time.Now().After(deadline) {
			stop()
			b.Fatalf("cybermarket serve did not become ready: %v", err)
		}
	}
	b.Cleanup(stop)
	// A fresh database has no eligibility recorded yet: the replica's first
	// pass (paced to half a core) computes it for every public offering.
	// Measure the steady state after it, as a replica that started under
	// data already compared would run.
	start := time.Now()
	for deadline := start.Add(20 * time.Minute); ; time.Sleep(time.Second) {
		if data, err := os.ReadFile(logs.Name()); err == nil && bytes.Contains(data, []byte(`"msg":"eligibility compared with the reference data"`)) {
			break
		}
		if time.Now().After(deadline) {
			b.Fatal("the eligibility pass did not end within 20 minutes")
		}
	}
	b.Logf("first eligibility pass: %.1f s", time.Since(start).Seconds())
	return url
}

func setupBench(b *testing.B) *benchEnv {
	b.Helper()
	start := time.Now()
	store, dbURL := catalogtest.NewStore(b)
	ref, err := compliance.Embedded()
	if err != nil {
		b.Fatal(err)
	}
	cat := synth.New(2026, ref).Catalogue(56000).Trim(benchOfferings)
	public := 0
	for range publicOfferings(cat) {
		public++
	}
	if public < benchOfferings {
		b.Fatalf("only %d public offerings; generate more vendors", public)
	}
	ctx := context.Background()
	if err := catalogtest.Copy(ctx, store.Pool(), cat.Vendors, cat.Offerings, cat.Certifications); err != nil {
		b.Fatal(err)
	}
	snap, rev, err := refstore.New(store.Pool()).Load(ctx)
	if err != nil {
		b.Fatal(err)
	}
	// A Meilisearch of its own when the binary is at hand: other tests on
	// the shared server would skew the numbers.
	var cfg search.Config
	if os.Getenv(searchtest.EnvBin) != "" {
		cfg = searchtest.Start(b).Config()
	} else {
		cfg = searchtest.Config(b)
	}
	ix, err := search.Open(cfg)
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("catalogue: %d vendors, %d offerings (%d public), %d certifications; loaded in %s",
		len(cat.Vendors), len(cat.Offerings), public, len(cat.Certifications), time.Since(start).Round(time.Millisecond))
	e := &benchEnv{store: store, dbURL: dbURL, pool: store.Pool(), cfg: cfg, ix: ix, rules: search.NewRules(snap, rev), now: synth.Today}
	for o := range publicOfferings(cat) {
		if e.public = append(e.public, o.ID); len(e.public) == 420 {
			break
		}
	}
	return e
}

// publicOfferings yields the public offerings of c.
func publicOfferings(c synth.Catalogue) func(func(catalog.Offering) bool) {
	vendors := map[uuid.UUID]catalog.Vendor{}
	for _, v := range c.Vendors {
		vendors[v.ID] = v
	}
	return func(yield func(catalog.Offering) bool) {
		for _, o := range c.Offerings {
			if catalog.PublicOffering(o, vendors[o.VendorID].Status) && !yield(o) {
				return
			}
		}
	}
}

// benchReindex compares a full reindex with a raw meilisearch-go bulk add of
// the same documents, twice each, alternating.
func benchReindex(b *testing.B, e *benchEnv) {
	ctx := context.Background()
	ms := searchtest.Client(e.cfg)
	var docs []search.Document
	var reindexTimes, rawTimes []time.Duration
	for round := range 2 {
		rep, err := search.Reindex(ctx, search.ReindexConfig{Catalog: e.store, Index: e.ix, Rules: e.rules, Now: func() time.Time { return e.now }})
		if err != nil {
			b.Fatal(err)
		}
		reindexTimes = append(reindexTimes, rep.Duration)
		b.Logf("reindex %d: %d documents in %s (reading and building %s, indexing and swap %s)",
			round+1, rep.Documents, rep.Duration.Round(time.Millisecond), rep.Load.Round(time.Millisecond), rep.Index.Round(time.Millisecond))
		if docs == nil {
			docs = allDocuments(b, e.cfg)
		}
		// Raw: a new index with the same settings, then the documents in the
		// same batch size, waiting for the last task.
		uid := e.cfg.UID + "_raw"
		task, err := ms.CreateIndex(ctx, &meilisearch.IndexConfig{Uid: uid, PrimaryKey: "id"})
		if err == nil {
			_, err = ms.WaitForTask(ctx, task.TaskUID, 10*time.Millisecond)
		}
		if err == nil {
			task, err = ms.Index(uid).UpdateSettings(ctx, search.Settings())
		}
		if err == nil {
			_, err = ms.WaitForTask(ctx, task.TaskUID, 10*time.Millisecond)
		}
		if err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		pk := "id"
		tasks, err := ms.Index(uid).AddDocumentsInBatches(ctx, docs, 5000, &meilisearch.DocumentOptions{PrimaryKey: &pk})
		if err != nil {
			b.Fatal(err)
		}
		t, err := ms.WaitForTask(ctx, tasks[len(tasks)-1].TaskUID, 50*time.Millisecond)
		if err != nil || t.Status != meilisearch.TaskStatusSucceeded {
			b.Fatalf("raw add: %v %+v", err, t)
		}
		raw := time.Since(start)
		rawTimes = append(rawTimes, raw)
		b.Logf("raw bulk add %d: %d documents in %s", round+1, len(docs), raw.Round(time.Millisecond))
		if task, err := ms.DeleteIndex(ctx, uid); err == nil {
			_, _ = ms.WaitForTask(ctx, task.TaskUID, 10*time.Millisecond)
		}
	}
	best := func(ds []time.Duration) time.Duration { return slices.Min(ds) }
	b.ReportMetric(best(reindexTimes).Seconds(), "reindex-s")
	b.ReportMetric(best(rawTimes).Seconds(), "raw-add-s")
	b.ReportMetric(best(rawTimes).Seconds()/best(reindexTimes).Seconds(), "speed-vs-raw")
	b.Logf("reindex %v, raw %v; best reindex runs at %.2f of raw speed",
		reindexTimes, rawTimes, best(rawTimes).Seconds()/best(reindexTimes).Seconds())
}

func allDocuments(b *testing.B, cfg search.Config) []search.Document {
	b.Helper()
	m := searchtest.Documents(b, cfg)
	docs := make([]search.Document, 0, len(m))
	for _, d := range m {
		docs = append(docs, d)
	}
	slices.SortFunc(docs, func(x, y search.Document) int { return strings.Compare(x.ID, y.ID) })
	return docs
}

// benchQueries are what procurement officers ask: words (some misspelt,
// some synonyms), filters, facets, sorts, pages.
func benchQueries(n int) []url.Values {
	rng := rand.New(rand.NewPCG(7, 11))
	texts := []string{"", "", "", "pentest", "penetration testing", "incident response", "SOC", "managed detection",
		"cloud hosting", "ISO 27001", "audit", "awareness training", "penetraton", "incidnet", "hospital",
		"DFIR", "test d'intrusion", "Sicherheitsaudit", "identity access", "medical device"}
	countries := []string{"DE", "FR", "IT", "ES", "NL", "PL", "AT", "BE", "SE", "DK", "FI", "PT", "IE", "CZ"}
	categories := []string{"penetration-testing", "incident-response", "managed-detection-response", "cloud-hosting",
		"security-audit", "consulting-governance", "training-awareness"}
	langs := []string{"de", "fr", "it", "es", "nl", "pl", "en"}
	out := make([]url.Values, n)
	for i := range out {
		v := url.Values{}
		if t := texts[rng.IntN(len(texts))]; t != "" {
			v.Set("q", t)
		}
		if rng.IntN(10) < 7 {
			v.Set("eligible_in", countries[rng.IntN(len(countries))])
			v.Set("buyer", []string{"public", "private"}[rng.IntN(2)])
		}
		if rng.IntN(10) < 5 {
			v.Set("category", categories[rng.IntN(len(categories))])
		}
		if rng.IntN(10) < 3 {
			v.Set("language", langs[rng.IntN(len(langs))])
		}
		if rng.IntN(10) < 2 {
			v.Set("size", []string{"micro,small", "medium", "large"}[rng.IntN(3)])
		}
		if rng.IntN(10) < 1 {
			v.Set("scheme", "iso-iec-27001")
		}
		switch rng.IntN(10) {
		case 0:
			v.Set("sort", "name")
		case 1:
			c := countries[rng.IntN(len(countries))]
			v.Set("sort", "gap_cost")
			v.Set("gap_country", c)
		}
		if rng.IntN(10) < 2 {
			v.Set("offset", strconv.Itoa(20*rng.IntN(5)))
		}
		out[i] = v
	}
	return out
}

// withContext states the tender context tc (BENCH_CONTEXT, e.g.
// "security_sensitive") on every query that names a country, so that the
// API turns its eligibility cell into a filter on met requirements.
func withContext(queries []url.Values, tc string) {
	for _, v := range queries {
		if tc != "" && v.Get("eligible_in") != "" {
			v.Set("context", tc)
		}
	}
}

// contextFilter is the filter the API sends for v's context (mirrors
// openapi's buyerFilters): empty for the default context.
func contextFilter(b testing.TB, ref *compliance.Reference, v url.Values, q search.Query) string {
	if v.Get("context") == "" {
		return ""
	}
	tc, err := compliance.ParseContext(v.Get("context"))
	if err != nil {
		b.Fatal(err)
	}
	if tc.IsDefault() {
		return ""
	}
	f, err := search.EligibilityFilter(compliance.NewEngine(ref).WithContext(tc), ref, q.EligibleIn, q.Categories, q.Buyer, false)
	if err != nil {
		b.Fatal(err)
	}
	return f
}

// toQuery is the search.Query the API makes of v (mirrors openapi).
func toQuery(v url.Values) search.Query {
	split := func(k string) []string {
		if v.Get(k) == "" {
			return nil
		}
		return strings.Split(v.Get(k), ",")
	}
	q := search.Query{Text: v.Get("q"), Categories: split("category"), EligibleIn: v.Get("eligible_in"),
		Buyer: compliance.Buyer(v.Get("buyer")), Schemes: split("scheme"), Languages: split("language"),
		Sizes: split("size"), GapCountry: v.Get("gap_country"), Limit: 20}
	if q.Buyer == "" {
		q.Buyer = compliance.Public
	}
	q.Offset, _ = strconv.Atoi(v.Get("offset"))
	switch v.Get("sort") {
	case "name":
		q.Sort = search.SortName
	case "gap_cost":
		q.Sort = search.SortGapCost
	}
	return q
}

// plainClient is a keep-alive HTTP client without response compression.
func plainClient(conns int) *http.Client {
	return &http.Client{Transport: &http.Transport{
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:        conns * 2,
		MaxIdleConnsPerHost: conns * 2,
		DisableCompression:  true,
	}, Timeout: 30 * time.Second}
}

// load sends every request from conc workers back to back and returns the
// latencies.
func load(b testing.TB, conc int, reqs []func() (*http.Request, error), c *http.Client) []time.Duration {
	b.Helper()
	lat := make([]time.Duration, len(reqs))
	var next int
	var mu sync.Mutex
	var wg sync.WaitGroup
	var failed error
	for range conc {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				mu.Lock()
				i := next
				next++
				mu.Unlock()
				if i >= len(reqs) {
					return
				}
				req, err := reqs[i]()
				if err != nil {
					mu.Lock()
					failed = err
					mu.Unlock()
					return
				}
				start := time.Now()
				resp, err := c.Do(req)
				if err == nil {
					_, err = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if err == nil && resp.StatusCode != http.StatusOK {
						err = fmt.Errorf("status %d", resp.StatusCode)
					}
				}
				lat[i] = time.Since(start)
				if err != nil {
					mu.Lock()
					failed = err
					mu.Unlock()
					return
				}
			}
		}()
	}
	wg.Wait()
	if failed != nil {
		b.Fatal(failed)
	}
	return lat
}

func percentile(ds []time.Duration, p float64) time.Duration {
	s := slices.Sorted(slices.Values(ds))
	i := int(p * float64(len(s)-1))
	return s[i]
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// msList rounds durations to whole milliseconds.
func msList(ds []time.Duration) []int64 {
	out := make([]int64, len(ds))
	for i, d := range ds {
		out[i] = d.Round(time.Millisecond).Milliseconds()
	}
	return out
}

// benchSearch measures the same queries through the API and straight to
// Meilisearch, at the same concurrency, in alternating rounds.
func benchSearch(b *testing.B, e *benchEnv, api string) {
	concs := []int{1, 2, 8}
	if s := os.Getenv("BENCH_CONCURRENCY"); s != "" {
		concs = nil
		for _, f := range strings.Split(s, ",") {
			n, _ := strconv.Atoi(f)
			concs = append(concs, n)
		}
	}
	for _, conc := range concs {
		b.Run(fmt.Sprintf("concurrency-%d", conc), func(b *testing.B) { benchSearchAt(b, e, api, conc) })
	}
}

func benchSearchAt(b *testing.B, e *benchEnv, api string, conc int) {
	perRound, rounds := 2000, 3
	runtime.GC() // the driver's own heap should not weigh on the numbers
	queries := benchQueries(perRound)
	withContext(queries, os.Getenv("BENCH_CONTEXT"))
	ref := embedded(b)
	apiReqs := make([]func() (*http.Request, error), len(queries))
	directReqs := make([]func() (*http.Request, error), len(queries))
	meiliURL := e.cfg.URL + "/indexes/" + e.cfg.UID + "/search"
	for i, v := range queries {
		client := fmt.Sprintf("10.%d.%d.%d", i>>16&255, i>>8&255, i&255)
		apiReqs[i] = func() (*http.Request, error) {
			req, err := http.NewRequest(http.MethodGet, api+"/v1/search/offerings?"+v.Encode(), nil)
			if err == nil {
				req.Header.Set("X-Forwarded-For", client)
			}
			return req, err
		}
		q := toQuery(v)
		q.EligibleFilter = contextFilter(b, ref, v, q)
		if q.EligibleFilter != "" {
			// The API then also retrieves the hits' met keys (for their
			// eligibility lists in the context): the same request body.
			q.EligibleUnder = func(string, []string, []string) []string { return nil }
		}
		body, err := search.RequestBody(q)
		if err != nil {
			b.Fatal(err)
		}
		directReqs[i] = func() (*http.Request, error) {
			req, err := http.NewRequest(http.MethodPost, meiliURL, bytes.NewReader(body))
			if err == nil {
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Authorization", "Bearer "+e.cfg.APIKey)
			}
			return req, err
		}
	}
	client := plainClient(conc)
	// Warm up both paths (caches, connections).
	load(b, conc, apiReqs[:300], client)
	load(b, conc, directReqs[:300], client)
	var apiLat, directLat []time.Duration
	var apiWall, directWall time.Duration
	for range rounds {
		start := time.Now()
		directLat = append(directLat, load(b, conc, directReqs, client)...)
		directWall += time.Since(start)
		start = time.Now()
		apiLat = append(apiLat, load(b, conc, apiReqs, client)...)
		apiWall += time.Since(start)
	}
	dp50, dp99 := percentile(directLat, 0.5), percentile(directLat, 0.99)
	ap50, ap99 := percentile(apiLat, 0.5), percentile(apiLat, 0.99)
	b.ReportMetric(ms(dp50), "direct-p50-ms")
	b.ReportMetric(ms(dp99), "direct-p99-ms")
	b.ReportMetric(ms(ap50), "api-p50-ms")
	b.ReportMetric(ms(ap99), "api-p99-ms")
	b.ReportMetric(ms(ap99)/ms(dp99), "p99-ratio")
	b.Logf("concurrency %d, %d requests per path: direct p50 %.2f ms p99 %.2f ms (%.0f req/s); API p50 %.2f ms p99 %.2f ms (%.0f req/s); p99 ratio %.2f",
		conc, len(apiLat), ms(dp50), ms(dp99), float64(len(directLat))/directWall.Seconds(),
		ms(ap50), ms(ap99), float64(len(apiLat))/apiWall.Seconds(), ms(ap99)/ms(dp99))
}

// benchFreshness measures from a committed write until the index has it,
// with the worker of the serve process.
func benchFreshness(b *testing.B, e *benchEnv) {
	ids := e.public
	meili := searchtest.Client(e.cfg)
	// Searchable means in the committed index: the document endpoint reads
	// the same state searches do, and tells exactly which version it holds.
	found := func(id uuid.UUID, name string) bool {
		var doc struct {
			Name string `json:"name"`
		}
		err := meili.Index(e.cfg.UID).GetDocument(context.Background(), id.String(), &meilisearch.DocumentQuery{Fields: []string{"name"}}, &doc)
		return err == nil && doc.Name == name
	}
	measure := func(i int, id uuid.UUID) (time.Duration, error) {
		name := fmt.Sprintf("Benchmark write %d-%d", i, rand.IntN(1<<30))
		wctx := catalog.WithActor(context.Background(), catalog.Actor{ID: "bench", Role: "system"})
		if _, err := e.store.UpdateOffering(wctx, id, 0, func(o *catalog.Offering) error {
			o.Name = name
			return nil
		}); err != nil {
			return 0, err
		}
		start := time.Now()
		for !found(id, name) {
			if time.Since(start) > 30*time.Second {
				return 0, fmt.Errorf("write %d not searchable after 30s", i)
			}
			time.Sleep(5 * time.Millisecond)
		}
		return time.Since(start), nil
	}
	// The first writes after a full build of the index are slow in
	// Meilisearch (up to some 1.6 s each, inside its "indexing" step, in
	// none of the sub-steps it reports): they are measured apart, as the
	// search benchmark warms up before it measures.
	var warm []time.Duration
	for i := range 20 {
		d, err := measure(i, ids[400+i])
		if err != nil {
			b.Fatal(err)
		}
		warm = append(warm, d)
	}
	b.Logf("freshness right after the index was built, 20 writes in order (ms): %v", msList(warm))
	// Then one write at a time, then 8 writers at once.
	var seq, par []time.Duration
	var slow []string
	for i := range 200 {
		d, err := measure(i, ids[i])
		if err != nil {
			b.Fatal(err)
		}
		seq = append(seq, d)
		if d > 500*time.Millisecond {
			slow = append(slow, fmt.Sprintf("write %d: %.0f ms", i, ms(d)))
		}
		time.Sleep(time.Duration(rand.IntN(20)) * time.Millisecond)
	}
	if len(slow) > 0 {
		b.Logf("one writer, writes slower than 500 ms: %s", strings.Join(slow, ", "))
	}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 25 {
				d, err := measure(1000+g*100+i, ids[200+g*25+i])
				if err != nil {
					b.Error(err)
					return
				}
				mu.Lock()
				par = append(par, d)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	// Where the time goes: Meilisearch's own time for the tasks of these
	// writes, beside the time until they were searchable.
	tasks, err := meili.GetTasks(context.Background(), &meilisearch.TasksQuery{IndexUIDS: []string{e.cfg.UID},
		Types: []meilisearch.TaskType{meilisearch.TaskTypeDocumentAdditionOrUpdate}, Limit: int64(len(seq) + len(par))})
	if err == nil && len(tasks.Results) > 0 {
		took := func(t meilisearch.Task) time.Duration { return t.FinishedAt.Sub(t.EnqueuedAt) }
		ts := tasks.Results
		slices.SortFunc(ts, func(x, y meilisearch.Task) int { return cmp.Compare(took(x), took(y)) })
		taskTimes := make([]time.Duration, len(ts))
		for i, t := range ts {
			taskTimes[i] = took(t)
		}
		slowest, median := ts[len(ts)-1], ts[len(ts)/2]
		b.Logf("Meilisearch, enqueued to done, %d tasks: p50 %.0f ms, p99 %.0f ms, max %.0f ms (slowest: task %d, %s processing)",
			len(ts), ms(percentile(taskTimes, 0.5)), ms(percentile(taskTimes, 0.99)), ms(took(slowest)), slowest.UID, slowest.Duration)
		b.Logf("its batch, where Meilisearch spent the time: %s", batchTrace(e.cfg, slowest.UID))
		b.Logf("a median task (%d, %s processing), its batch: %s", median.UID, median.Duration, batchTrace(e.cfg, median.UID))
	}
	b.ReportMetric(ms(percentile(seq, 0.5)), "fresh-p50-ms")
	b.ReportMetric(ms(percentile(seq, 0.99)), "fresh-p99-ms")
	b.ReportMetric(ms(percentile(par, 0.99)), "fresh-8writers-p99-ms")
	b.Logf("freshness, one writer: p50 %.0f ms, p99 %.0f ms, max %.0f ms (%d writes); 8 writers: p50 %.0f ms, p99 %.0f ms, max %.0f ms (%d writes)",
		ms(percentile(seq, 0.5)), ms(percentile(seq, 0.99)), ms(slices.Max(seq)), len(seq),
		ms(percentile(par, 0.5)), ms(percentile(par, 0.99)), ms(slices.Max(par)), len(par))
}

// batchTrace returns the progress trace of the Meilisearch batch that ran
// task uid: the time of each indexing step (GET /tasks, GET /batches).
func batchTrace(cfg search.Config, uid int64) string {
	get := func(path string, v any) error {
		req, err := http.NewRequest(http.MethodGet, cfg.URL+path, nil)
		if err != nil {
			return err
		}
		req.Header.Set("Authorization", "Bearer "+cfg.APIKey)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		return json.NewDecoder(resp.Body).Decode(v)
	}
	var task struct {
		BatchUID *int64 `json:"batchUid"`
	}
	if err := get(fmt.Sprintf("/tasks/%d", uid), &task); err != nil || task.BatchUID == nil {
		return fmt.Sprintf("unknown (%v)", err)
	}
	var batch struct {
		Details  map[string]any `json:"details"`
		Stats    map[string]any `json:"stats"`
		Duration string         `json:"duration"`
	}
	if err := get(fmt.Sprintf("/batches/%d", *task.BatchUID), &batch); err != nil {
		return fmt.Sprintf("unknown (%v)", err)
	}
	out, _ := json.Marshal(batch)
	return string(out)
}
