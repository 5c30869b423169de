package web

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"os"
	"regexp"
	"strings"
	"testing"
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
