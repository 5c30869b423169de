package web

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestHTMXIsPinned(t *testing.T) {
	b, err := staticFiles.ReadFile("static/htmx.min.js")
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(b)
	if got := hex.EncodeToString(sum[:]); got != HTMXSHA256 {
		t.Errorf("static/htmx.min.js sha256 %s, recorded %s", got, HTMXSHA256)
	}
	layout, _ := templateFiles.ReadFile("templates/layout.html")
	if !strings.Contains(string(layout), "htmx.min.js?v="+HTMXVersion) {
		t.Error("layout does not load the pinned htmx version")
	}
}

// TestTranslations checks that every interface text the templates and the
// code use has a French and a German translation.
func TestTranslations(t *testing.T) {
	var used []string
	keyIn := []*regexp.Regexp{regexp.MustCompile(`\.T "((?:[^"\\]|\\.)*)"`)}
	_ = fs.WalkDir(templateFiles, "templates", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, _ := templateFiles.ReadFile(p)
		for _, re := range keyIn {
			for _, m := range re.FindAllStringSubmatch(string(b), -1) {
				used = append(used, m[1])
			}
		}
		return nil
	})
	goKeys := []*regexp.Regexp{regexp.MustCompile(`\.T\("((?:[^"\\]|\\.)*)"`), regexp.MustCompile(`q\.view\("((?:[^"\\]|\\.)*)"`),
		regexp.MustCompile(`formFailed\([^,]+, "[^"]+", "((?:[^"\\]|\\.)*)"`)}
	files, _ := fs.Glob(os.DirFS("."), "*.go")
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, _ := os.ReadFile(f)
		for _, re := range goKeys {
			for _, m := range re.FindAllStringSubmatch(string(b), -1) {
				used = append(used, m[1])
			}
		}
	}
	if len(used) < 100 {
		t.Fatalf("found only %d texts; the patterns are broken", len(used))
	}
	for _, k := range used {
		tr, ok := translations[k]
		if !ok || tr.fr == "" || tr.de == "" {
			t.Errorf("no French or German for %q", k)
		}
		if strings.Count(k, "%") != strings.Count(tr.fr, "%") || strings.Count(k, "%") != strings.Count(tr.de, "%") {
			t.Errorf("%q: translations have other verbs", k)
		}
	}
}

func TestSessions_TimeOuts(t *testing.T) {
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	s := newSessions()
	s.now = func() time.Time { return now }
	rec := httptest.NewRecorder()
	s.start(rec, httptest.NewRequest(http.MethodPost, "/signin", nil), session{key: "k", role: "vendor"})
	cookie := rec.Result().Cookies()[0]
	req := func() *http.Request {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.AddCookie(cookie)
		return r
	}
	if !cookie.HttpOnly || cookie.SameSite != http.SameSiteLaxMode || cookie.Secure || cookie.MaxAge != 0 {
		t.Errorf("cookie %+v", cookie)
	}
	// Requests within the idle time-out keep it alive, up to the absolute one.
	start := now
	for now.Add(IdleTimeout-time.Minute).Sub(start) <= AbsoluteTimeout {
		now = now.Add(IdleTimeout - time.Minute)
		if s.lookup(req()) == nil {
			t.Fatalf("session ended early, %v after it began", now.Sub(start))
		}
	}
	now = start.Add(AbsoluteTimeout + time.Second)
	if s.lookup(req()) != nil {
		t.Error("session outlived the absolute time-out")
	}

	// Idle: a fresh session unused for longer than IdleTimeout ends.
	rec = httptest.NewRecorder()
	s.start(rec, httptest.NewRequest(http.MethodPost, "/signin", nil), session{key: "k2"})
	cookie = rec.Result().Cookies()[0]
	now = now.Add(IdleTimeout + time.Second)
	if s.lookup(req()) != nil {
		t.Error("session outlived the idle time-out")
	}
	// Secure behind TLS (a proxy's X-Forwarded-Proto).
	r := httptest.NewRequest(http.MethodPost, "/signin", nil)
	r.Header.Set("X-Forwarded-Proto", "https")
	rec = httptest.NewRecorder()
	s.start(rec, r, session{key: "k3"})
	if !rec.Result().Cookies()[0].Secure {
		t.Error("cookie not Secure behind TLS")
	}
}

func TestFieldOf(t *testing.T) {
	fields := []field{{Name: "contact.email"}, {Name: "countries"}, {Name: "summary"}, {Name: "country", API: "eligible_in"}, {Name: "contact"}}
	for loc, want := range map[string]string{
		"body.contact.email": "contact.email", "body.countries[2]": "countries", "body.summary.en": "summary",
		"query.eligible_in": "country", "body.contact": "contact", "body.unknown": "",
	} {
		got, _ := fieldOf(loc, fields)
		if got.Name != want {
			t.Errorf("%s: %q, want %q", loc, got.Name, want)
		}
	}
}
