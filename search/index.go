package search

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"sync/atomic"
	"time"

	"github.com/meilisearch/meilisearch-go"
)

// DefaultUID is the uid of the live index unless Config says otherwise.
const DefaultUID = "offerings"

// ErrUnavailable means Meilisearch cannot be reached, answers with a server
// error, or the index does not exist yet. The HTTP API answers 503 with
// Retry-After; the worker backs off and retries.
var ErrUnavailable = errors.New("search index unavailable")

// ErrNotConfigured means the service runs without Meilisearch (no MEILI_URL).
var ErrNotConfigured = errors.New("search is not configured")

// Config says where the index lives.
type Config struct {
	// URL of Meilisearch, such as http://127.0.0.1:7700.
	URL string
	// APIKey is the master key or an API key allowed to manage the index.
	APIKey string
	// UID of the live index; DefaultUID when empty.
	UID string
	// Timeout bounds each request (not the wait for a task); 10s when zero.
	Timeout time.Duration
	// MaxTotalHits lowers how many hits pages reach, below MaxTotalHits
	// (for tests); MaxTotalHits when zero or above.
	MaxTotalHits int64
	// WrapTransport, if set, wraps the HTTP transport of the client (for
	// metrics and traces of the calls to Meilisearch).
	WrapTransport func(http.RoundTripper) http.RoundTripper
}

// Index is the Meilisearch index of public offerings. It is safe for
// concurrent use.
type Index struct {
	ms      meilisearch.ServiceManager
	uid     string
	timeout time.Duration
	// poll is how often a task's state is checked while waiting for it.
	poll time.Duration
	// maxTotalHits is how many hits pages reach.
	maxTotalHits int64
	// fallbacks answer searches when this instance does not (WithFallbacks).
	fallbacks []*Index
	// downUntil is when an instance that did not answer a search is tried
	// first again (Unix nanoseconds).
	downUntil atomic.Int64
}

// Open returns the index described by cfg. It does no I/O: Meilisearch may be
// down when the service starts.
func Open(cfg Config) (*Index, error) {
	u, err := url.Parse(cfg.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, errors.New("search.Open: MEILI_URL must be an http:// or https:// URL")
	}
	if cfg.UID == "" {
		cfg.UID = DefaultUID
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 10 * time.Second
	}
	// A plain keep-alive client: no response compression (it costs more CPU
	// than it saves on a local network), enough idle connections for the
	// API's concurrency, and no library retries: callers decide (the API
	// answers 503 at once, the worker backs off).
	transport := &http.Transport{
		Proxy:               http.ProxyFromEnvironment,
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:        512,
		MaxIdleConnsPerHost: 512,
		IdleConnTimeout:     90 * time.Second,
		DisableCompression:  true,
		ForceAttemptHTTP2:   false,
	}
	var rt http.RoundTripper = transport
	if cfg.WrapTransport != nil {
		rt = cfg.WrapTransport(transport)
	}
	ms := meilisearch.New(u.String(),
		meilisearch.WithAPIKey(cfg.APIKey),
		meilisearch.WithCustomClient(&http.Client{Transport: rt}),
		meilisearch.DisableRetries(),
		meilisearch.WithCustomJsonUnmarshaler(unmarshal),
	)
	if cfg.MaxTotalHits <= 0 || cfg.MaxTotalHits > MaxTotalHits {
		cfg.MaxTotalHits = MaxTotalHits
	}
	return &Index{ms: ms, uid: cfg.UID, timeout: cfg.Timeout, poll: 10 * time.Millisecond, maxTotalHits: cfg.MaxTotalHits}, nil
}

// unmarshal is json.Unmarshal, except that a raw message takes the bytes as
// they are: search responses are decoded once, by Search, not validated
// first by the client library (which cost as much as decoding them).
func unmarshal(data []byte, v any) error {
	if raw, ok := v.(*json.RawMessage); ok {
		*raw = data
		return nil
	}
	return json.Unmarshal(data, v)
}

// UID returns the uid of the live index.
func (ix *Index) UID() string { return ix.uid }

// MaxTotalHits returns how many hits pages reach: a search returns no hit
// beyond this offset.
func (ix *Index) MaxTotalHits() int64 { return ix.maxTotalHits }

// Ping reports whether Meilisearch answers and is available: with
// fallbacks (WithFallbacks), whether any instance does.
func (ix *Index) Ping(ctx context.Context) error {
	err := ix.pingOne(ctx)
	for _, f := range ix.fallbacks {
		if err == nil {
			break
		}
		if f.pingOne(ctx) == nil {
			err = nil
		}
	}
	return err
}

// pingOne is Ping of this instance alone.
func (ix *Index) pingOne(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, ix.timeout)
	defer cancel()
	h, err := ix.ms.Health(ctx)
	if err != nil {
		return classify("health", err)
	}
	if h.Status != "available" {
		return fmt.Errorf("health: %w: status %q", ErrUnavailable, h.Status)
	}
	return nil
}

// Stats is what Meilisearch says about the live index.
type Stats struct {
	Documents  int64
	IsIndexing bool
}

// Stats returns the live index's document count and indexing state.
func (ix *Index) Stats(ctx context.Context) (Stats, error) {
	ctx, cancel := context.WithTimeout(ctx, ix.timeout)
	defer cancel()
	st, err := ix.ms.Index(ix.uid).GetStats(ctx, nil)
	if err != nil {
		return Stats{}, classify("stats", err)
	}
	return Stats{Documents: st.NumberOfDocuments, IsIndexing: st.IsIndexing}, nil
}

// EnsureSettings creates the live index when it is missing and applies
// Settings when the index's settings differ, then waits for Meilisearch to
// apply them. Running it again changes nothing.
func (ix *Index) EnsureSettings(ctx context.Context) error {
	_, err := ix.ensure(ctx, ix.uid)
	return err
}

func (ix *Index) ensure(ctx context.Context, uid string) (created bool, err error) {
	rctx, cancel := context.WithTimeout(ctx, ix.timeout)
	_, err = ix.ms.GetIndex(rctx, uid)
	cancel()
	if isNotFound(err) {
		// index_already_exists (a replica was quicker) is fine.
		switch err := ix.do(ctx, "create index", func(ctx context.Context) (*meilisearch.TaskInfo, error) {
			return ix.ms.CreateIndex(ctx, &meilisearch.IndexConfig{Uid: uid, PrimaryKey: "id"})
		}); {
		case err == nil:
			created = true
		case !errors.Is(err, errAlreadyExists):
			return false, err
		}
	} else if err != nil {
		return false, classify("get index", err)
	}
	want := ix.settings()
	rctx, cancel = context.WithTimeout(ctx, ix.timeout)
	have, err := ix.ms.Index(uid).GetSettings(rctx)
	cancel()
	if err != nil {
		return created, classify("get settings", err)
	}
	if !settingsEqual(have, want) {
		if err := ix.do(ctx, "update settings", func(ctx context.Context) (*meilisearch.TaskInfo, error) {
			return ix.ms.Index(uid).UpdateSettings(ctx, want)
		}); err != nil {
			return created, err
		}
	}
	// Facet search (the /facet-search route, searching within a facet's
	// values) is unused: the API returns facet counts from searches. Turning
	// it off spares Meilisearch a structure per facet on every document
	// update. (Settings cannot say so: the client omits a false value.)
	if have.FacetSearch {
		return created, ix.do(ctx, "disable facet search", func(ctx context.Context) (*meilisearch.TaskInfo, error) {
			return ix.ms.Index(uid).UpdateFacetSearch(ctx, false)
		})
	}
	return created, nil
}

// settingsEqual compares the settings Settings controls.
func settingsEqual(have *meilisearch.Settings, want *meilisearch.Settings) bool {
	sorted := func(s []string) []string { return slices.Sorted(slices.Values(s)) }
	synonyms := func(m map[string][]string) map[string][]string {
		out := make(map[string][]string, len(m))
		for k, v := range m {
			out[k] = sorted(v)
		}
		return out
	}
	return slices.Equal(have.RankingRules, want.RankingRules) &&
		slices.Equal(have.SearchableAttributes, want.SearchableAttributes) &&
		slices.Equal(sorted(have.FilterableAttributes), sorted(want.FilterableAttributes)) &&
		slices.Equal(sorted(have.SortableAttributes), sorted(want.SortableAttributes)) &&
		slices.Equal(have.DisplayedAttributes, want.DisplayedAttributes) &&
		reflect.DeepEqual(synonyms(have.Synonyms), synonyms(want.Synonyms)) &&
		have.TypoTolerance != nil && typoEqual(*have.TypoTolerance, *want.TypoTolerance) &&
		reflect.DeepEqual(have.Faceting, want.Faceting) &&
		reflect.DeepEqual(have.Pagination, want.Pagination)
}

func typoEqual(a, b meilisearch.TypoTolerance) bool {
	return a.Enabled == b.Enabled && a.MinWordSizeForTypos == b.MinWordSizeForTypos &&
		a.DisableOnNumbers == b.DisableOnNumbers &&
		slices.Equal(slices.Sorted(slices.Values(a.DisableOnAttributes)), slices.Sorted(slices.Values(b.DisableOnAttributes))) &&
		slices.Equal(slices.Sorted(slices.Values(a.DisableOnWords)), slices.Sorted(slices.Values(b.DisableOnWords)))
}

// applyBy replaces the documents docs and deletes the documents with ids
// deletes in the live index, submitting the tasks before submitBy, and
// returns once Meilisearch has applied both.
func (ix *Index) applyBy(ctx context.Context, submitBy time.Time, docs []Document, deletes []string) error {
	sctx, cancel := context.WithDeadline(ctx, submitBy)
	tasks, err := ix.submit(sctx, ix.uid, docs, deletes)
	cancel()
	if err != nil {
		return err
	}
	return ix.waitAll(ctx, tasks)
}

// submit sends docs and deletes to index uid and returns the tasks to wait
// for, without waiting.
func (ix *Index) submit(ctx context.Context, uid string, docs []Document, deletes []string) ([]int64, error) {
	var tasks []int64
	if len(docs) > 0 {
		rctx, cancel := context.WithTimeout(ctx, ix.timeout)
		pk := "id"
		task, err := ix.ms.Index(uid).AddDocuments(rctx, docs, &meilisearch.DocumentOptions{PrimaryKey: &pk})
		cancel()
		if err != nil {
			return nil, classify("add documents", err)
		}
		tasks = append(tasks, task.TaskUID)
	}
	if len(deletes) > 0 {
		rctx, cancel := context.WithTimeout(ctx, ix.timeout)
		task, err := ix.ms.Index(uid).DeleteDocuments(rctx, deletes, nil)
		cancel()
		if err != nil {
			return tasks, classify("delete documents", err)
		}
		tasks = append(tasks, task.TaskUID)
	}
	return tasks, nil
}

// waitAll waits for tasks in turn and returns the first error.
func (ix *Index) waitAll(ctx context.Context, tasks []int64) error {
	for _, t := range tasks {
		if err := ix.wait(ctx, t); err != nil {
			return err
		}
	}
	return nil
}

// do submits a task with submit (within the request timeout) and waits
// until Meilisearch has applied it. Errors are prefixed with what.
func (ix *Index) do(ctx context.Context, what string, submit func(context.Context) (*meilisearch.TaskInfo, error)) error {
	rctx, cancel := context.WithTimeout(ctx, ix.timeout)
	task, err := submit(rctx)
	cancel()
	if err != nil {
		return classify(what, err)
	}
	if err := ix.wait(ctx, task.TaskUID); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}

// errAlreadyExists is a failed index creation because the index exists.
var errAlreadyExists = errors.New("index already exists")

// TaskError is a Meilisearch task that failed.
type TaskError struct {
	UID     int64
	Code    string
	Message string
}

func (e *TaskError) Error() string {
	return fmt.Sprintf("meilisearch task %d failed: %s: %s", e.UID, e.Code, e.Message)
}

// wait polls task uid until Meilisearch has processed it, and returns a
// *TaskError when it failed or was canceled. Waiting is bounded by ctx only.
func (ix *Index) wait(ctx context.Context, uid int64) error {
	t := time.NewTimer(0)
	defer t.Stop()
	start := time.Now()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
		rctx, cancel := context.WithTimeout(ctx, ix.timeout)
		task, err := ix.ms.GetTask(rctx, uid)
		cancel()
		if err != nil {
			return classify("get task", err)
		}
		switch task.Status {
		case meilisearch.TaskStatusSucceeded:
			return nil
		case meilisearch.TaskStatusFailed, meilisearch.TaskStatusCanceled:
			if task.Error.Code == "index_already_exists" {
				return errAlreadyExists
			}
			return &TaskError{UID: uid, Code: string(task.Error.Code), Message: task.Error.Message}
		}
		// Freshness depends on noticing at once: poll every 10ms for two
		// seconds (a one-document task takes 100-200ms on 100,000 documents),
		// then every 250ms (a reindex).
		if time.Since(start) < 2*time.Second {
			t.Reset(ix.poll)
		} else {
			t.Reset(250 * time.Millisecond)
		}
	}
}

// classify turns a client error into ErrUnavailable (cannot reach, server
// error, index missing) or a short error without the request body, which
// the library would otherwise copy into the message (whole documents).
func classify(op string, err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, context.Canceled) {
		return fmt.Errorf("%s: %w", op, context.Canceled)
	}
	var me *meilisearch.Error
	if !errors.As(err, &me) {
		return fmt.Errorf("%s: %w", op, err)
	}
	switch {
	case me.ErrCode == meilisearch.CommunicationError, me.ErrCode == meilisearch.TimeoutError,
		me.ErrCode == meilisearch.MaxRetriesExceeded:
		return fmt.Errorf("%s: %w: %v", op, ErrUnavailable, me.OriginError)
	case me.StatusCode >= 500, me.APIError.Code == "index_not_found":
		return fmt.Errorf("%s: %w: %d %s", op, ErrUnavailable, me.StatusCode, me.APIError.Code)
	case me.StatusCode == http.StatusUnauthorized, me.StatusCode == http.StatusForbidden:
		return fmt.Errorf("%s: %w: Meilisearch rejects the API key (%s)", op, ErrUnavailable, me.APIError.Code)
	}
	return fmt.Errorf("%s: meilisearch answered %d %s: %s", op, me.StatusCode, me.APIError.Code, me.APIError.Message)
}

func isNotFound(err error) bool {
	var me *meilisearch.Error
	return errors.As(err, &me) && me.APIError.Code == "index_not_found"
}
