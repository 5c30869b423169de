package openapi

import (
	"embed"
	"net/http"
	"strings"
)

// docsAssets is Stoplight Elements, vendored so that /docs renders without
// reaching a CDN (see docs/README.md).
//
//go:embed docs/web-components.min.js docs/styles.min.css
var docsAssets embed.FS

// The assets' subresource-integrity hashes, identical to the CDN copies huma
// would load.
const (
	docsScriptIntegrity = "sha384-xjOcq9PZ/k+pGtPS/xcsCRXGjKKfTlIa4H1IYEnC+97jNa6sAMWTNrV6hY08W3GL"
	docsStyleIntegrity  = "sha384-iVQBHadsD+eV0M5+ubRCEVXrXEBj+BqcuwjUwPoVJc0Pb1fmrhYSAhL+BFProHdV"
)

const docsPage = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="referrer" content="no-referrer">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>cybermarket API reference</title>
    <link rel="stylesheet" href="/docs/assets/styles.min.css" integrity="` + docsStyleIntegrity + `">
    <script src="/docs/assets/web-components.min.js" integrity="` + docsScriptIntegrity + `"></script>
  </head>
  <body style="height: 100vh;">
    <elements-api apiDescriptionUrl="/openapi.yaml" router="hash" layout="sidebar" tryItCredentialsPolicy="same-origin"></elements-api>
  </body>
</html>`

var docsCSP = strings.Join([]string{
	"default-src 'none'",
	"base-uri 'none'",
	"connect-src 'self'",
	"img-src 'self' data:",
	"form-action 'none'",
	"frame-ancestors 'none'",
	"sandbox allow-same-origin allow-scripts",
	"script-src 'self'",
	"style-src 'self' 'unsafe-inline'",
}, "; ")

// registerDocs serves the interactive API reference at /docs from the
// binary itself.
func registerDocs(mux *http.ServeMux) {
	mux.HandleFunc("GET /docs", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Content-Security-Policy", docsCSP)
		_, _ = w.Write([]byte(docsPage))
	})
	assets := http.StripPrefix("/docs/assets/", http.FileServerFS(mustSub(docsAssets, "docs")))
	mux.Handle("GET /docs/assets/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=86400")
		assets.ServeHTTP(w, r)
	}))
}
