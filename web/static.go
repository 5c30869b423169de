package web

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"net/http"
	"strings"
)

// The stylesheet is our own; htmx is vendored from npm, unmodified:
//
//	npm pack htmx.org@2.0.11; tar xzf htmx.org-2.0.11.tgz
//	cp package/dist/htmx.min.js web/static/
//
// Its SHA-256 is HTMXSHA256 (a test checks it).
//
//go:embed static
var staticFiles embed.FS

// Vendored assets: versions and SHA-256 of the files as published on npm.
const (
	HTMXVersion = "2.0.11"
	HTMXSHA256  = "d6fdc75f204e6bdefa99b69bf1e6d4ac69b8a364f77929f45c13476b4000f717"
)

// styleVersion is a short hash of the stylesheet, so a changed sheet gets a
// new address and browsers may cache each one for long.
var styleVersion = func() string {
	b, err := staticFiles.ReadFile("static/style.css")
	if err != nil {
		panic(err)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:6])
}()

// staticHandler serves the embedded assets under /static/.
func staticHandler() http.Handler {
	files := http.FileServerFS(staticFiles)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/") {
			http.NotFound(w, r) // no directory listings
			return
		}
		w.Header().Set("Cache-Control", "public, max-age=86400")
		files.ServeHTTP(w, r)
	})
}
