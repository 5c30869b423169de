// Package searchtest gives tests a Meilisearch index of their own.
//
// The server comes from TEST_MEILI_URL and TEST_MEILI_API_KEY (make test
// starts a throwaway one); each test gets an index with a unique uid, deleted
// when the test ends. Without TEST_MEILI_URL tests skip, unless CI is set, in
// which case they fail. Fault tests start and stop a Meilisearch of their own
// from the binary in TEST_MEILI_BIN (Start).
package searchtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/meilisearch/meilisearch-go"

	"github.com/cybermarket/cybermarket/search"
)

// The environment variables tests read.
const (
	EnvURL = "TEST_MEILI_URL"
	EnvKey = "TEST_MEILI_API_KEY"
	EnvBin = "TEST_MEILI_BIN"
)

// require skips or fails t when the variable is not set.
func require(t testing.TB, name string) string {
	t.Helper()
	v := os.Getenv(name)
	switch {
	case v == "" && os.Getenv("CI") != "":
		t.Fatalf("%s is not set; CI must run the Meilisearch tests (use make test)", name)
	case v == "":
		t.Skipf("%s is not set; run make test to start a throwaway Meilisearch", name)
	}
	return v
}

// Config returns the configuration of a new, empty index on the test server
// with a unique uid; the index is deleted when t ends.
func Config(t testing.TB) search.Config {
	t.Helper()
	url := require(t, EnvURL)
	cfg := search.Config{URL: url, APIKey: os.Getenv(EnvKey), UID: "test_" + suffix()}
	t.Cleanup(func() { DeleteIndexes(t, cfg) })
	return cfg
}

// NewIndex returns a new index on the test server (see Config) with the
// settings applied.
func NewIndex(t testing.TB) (*search.Index, search.Config) {
	t.Helper()
	cfg := Config(t)
	ix, err := search.Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := ix.EnsureSettings(ctx); err != nil {
		t.Fatal(err)
	}
	return ix, cfg
}

// Client returns a plain meilisearch-go client for cfg, for checks that look
// at the index directly.
func Client(cfg search.Config) meilisearch.ServiceManager {
	return meilisearch.New(cfg.URL, meilisearch.WithAPIKey(cfg.APIKey))
}

// DeleteIndexes deletes the index of cfg and those a reindex left behind.
func DeleteIndexes(t testing.TB, cfg search.Config) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	ms := Client(cfg)
	res, err := ms.ListIndexes(ctx, &meilisearch.IndexesQuery{Limit: 1000})
	if err != nil {
		return // the server may be the one a fault test stopped
	}
	for _, r := range res.Results {
		if r.UID == cfg.UID || strings.HasPrefix(r.UID, cfg.UID+"_") {
			if task, err := ms.DeleteIndex(ctx, r.UID); err == nil {
				_, _ = ms.WaitForTask(ctx, task.TaskUID, 20*time.Millisecond)
			}
		}
	}
}

// Documents returns every document of the index of cfg, by id.
func Documents(t testing.TB, cfg search.Config) map[string]search.Document {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	ms := Client(cfg)
	out := map[string]search.Document{}
	for offset := int64(0); ; offset += 1000 {
		var res meilisearch.DocumentsResult
		if err := ms.Index(cfg.UID).GetDocuments(ctx, &meilisearch.DocumentsQuery{Offset: offset, Limit: 1000}, &res); err != nil {
			t.Fatalf("get documents: %v", err)
		}
		for _, h := range res.Results {
			var d search.Document
			data, _ := json.Marshal(h)
			if err := json.Unmarshal(data, &d); err != nil {
				t.Fatalf("decode document: %v", err)
			}
			out[d.ID] = d
		}
		if len(res.Results) < 1000 {
			return out
		}
	}
}

// Server is a Meilisearch of a test's own, which it may stop and restart.
type Server struct {
	URL, Key string
	bin, dir string
	port     int
	cmd      *exec.Cmd
	t        testing.TB
}

// Start starts a Meilisearch from TEST_MEILI_BIN on a free port, with its
// data in a temporary directory. It is stopped when t ends.
func Start(t testing.TB) *Server {
	t.Helper()
	bin := require(t, EnvBin)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	s := &Server{
		URL: fmt.Sprintf("http://127.0.0.1:%d", port), Key: "test-master-key-" + suffix(),
		bin: bin, dir: t.TempDir(), port: port, t: t,
	}
	s.Restart()
	t.Cleanup(s.Stop)
	return s
}

// Restart starts the stopped server again on the same port and data.
func (s *Server) Restart() {
	s.t.Helper()
	if s.cmd != nil {
		s.t.Fatal("searchtest: server is running")
	}
	cmd := exec.Command(s.bin, "--no-analytics", "--env", "development",
		"--http-addr", fmt.Sprintf("127.0.0.1:%d", s.port), "--master-key", s.Key,
		"--db-path", filepath.Join(s.dir, "data.ms"), "--dump-dir", filepath.Join(s.dir, "dumps"),
		"--snapshot-dir", filepath.Join(s.dir, "snapshots"))
	log, err := os.OpenFile(filepath.Join(s.dir, "meilisearch.log"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		s.t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		s.t.Fatalf("start meilisearch: %v", err)
	}
	s.cmd = cmd
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := http.Get(s.URL + "/health")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	s.t.Fatalf("meilisearch did not answer on %s", s.URL)
}

// Stop stops the server (SIGTERM, then SIGKILL) and waits for it to exit.
func (s *Server) Stop() {
	if s.cmd == nil {
		return
	}
	_ = s.cmd.Process.Signal(os.Interrupt)
	done := make(chan struct{})
	go func() { _ = s.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(15 * time.Second):
		_ = s.cmd.Process.Kill()
		<-done
	}
	s.cmd = nil
}

// Config returns the configuration of a new index on the server.
func (s *Server) Config() search.Config {
	return search.Config{URL: s.URL, APIKey: s.Key, UID: "fault_" + suffix()}
}

func suffix() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
