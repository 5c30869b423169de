package web

import (
	"log/slog"
	"net/http"
	"strings"
)

// Config is what the interface needs.
type Config struct {
	// API is the API handler (openapi.New): every page reads and writes
	// through it.
	API http.Handler
	// Logger receives unexpected errors; slog.Default when nil.
	Logger *slog.Logger
	// Sessions keeps the sessions where every replica sees them
	// (*catalog.Store); when nil, in this process's memory only.
	Sessions SessionStore
}

// Server is the web interface.
type Server struct {
	api      http.Handler
	log      *slog.Logger
	sessions *sessions
	pages    *pages
	ref      *referenceCache
}

// New returns the web interface as a handler, with cross-origin protection
// on every form (http.CrossOriginProtection: browsers' Sec-Fetch-Site and
// Origin headers must show a same-origin request for any method but GET,
// HEAD and OPTIONS).
func New(cfg Config) http.Handler {
	store := cfg.Sessions
	if store == nil {
		store = newMemorySessions()
	}
	s := &Server{api: cfg.API, log: cfg.Logger, sessions: newSessions(store), pages: mustParsePages()}
	if s.log == nil {
		s.log = slog.Default()
	}
	s.ref = newReferenceCache()
	mux := http.NewServeMux()
	s.routes(mux)
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(s.crossOrigin))
	return securityHeaders(cop.Handler(mux))
}

func (s *Server) routes(mux *http.ServeMux) {
	mux.Handle("GET /static/", staticHandler())
	mux.Handle("GET /{$}", s.page(s.home))
	mux.Handle("GET /signin", s.page(s.signInForm))
	mux.Handle("POST /signin", s.page(s.signIn))
	mux.Handle("POST /signout", s.page(s.signOut))
	mux.Handle("GET /signup", s.page(s.signUpForm))
	mux.Handle("POST /signup", s.page(s.signUp))
	mux.Handle("GET /search", s.page(s.search))
	mux.Handle("GET /offerings/{id}", s.page(s.offering))
	mux.Handle("GET /offerings/{id}/market", s.page(s.market))
	mux.Handle("GET /offerings/{id}/why", s.page(s.why))
	mux.Handle("GET /vendors/{id}", s.page(s.vendor))
	mux.Handle("GET /vendors/{id}/roadmap", s.page(s.roadmapPage))
	mux.Handle("GET /compare", s.page(s.compare))
	mux.Handle("GET /dashboard", s.page(s.dashboard))
	mux.Handle("GET /dashboard/offerings/new", s.page(s.newOfferingForm))
	mux.Handle("POST /dashboard/offerings", s.page(s.createOffering))
	mux.Handle("GET /dashboard/offerings/{id}/edit", s.page(s.editOfferingForm))
	mux.Handle("POST /dashboard/offerings/{id}", s.page(s.updateOffering))
	mux.Handle("POST /dashboard/offerings/{id}/withdraw", s.page(s.withdraw("offerings")))
	mux.Handle("POST /dashboard/certifications/{id}/withdraw", s.page(s.withdraw("certifications")))
	mux.Handle("GET /dashboard/certifications/new", s.page(s.newCertificationForm))
	mux.Handle("POST /dashboard/certifications", s.page(s.createCertification))
	mux.Handle("GET /dashboard/certifications/{id}/edit", s.page(s.editCertificationForm))
	mux.Handle("POST /dashboard/certifications/{id}", s.page(s.updateCertification))
	mux.Handle("GET /countries/{code}", s.page(s.country))
	mux.Handle("GET /schemes", s.page(s.schemes))
	mux.Handle("GET /schemes/{id}", s.page(s.scheme))
	mux.Handle("GET /policy/barriers", s.page(s.barriers))
	mux.Handle("GET /policy/barriers.csv", s.page(s.barriersCSV))
	mux.Handle("GET /policy/map", s.page(s.policyMap))
	mux.Handle("GET /policy/what-if", s.page(s.whatIf))
	mux.Handle("GET /staff", s.page(s.staff))
	mux.Handle("GET /staff/audit", s.page(s.audit))
	mux.Handle("GET /staff/audit/{entity}/{id}", s.page(s.audit))
	mux.Handle("POST /staff/vendors/{id}/{decision}", s.page(s.decide))
	mux.Handle("POST /staff/certifications/{id}/{decision}", s.page(s.decide))
	s.projectRoutes(mux)
	mux.Handle("/", s.page(s.notFound))
}

// securityHeaders sets the headers every page carries: a content security
// policy allowing only this origin's scripts, styles and images (htmx is
// served from here), no framing, no MIME sniffing, no referrer off-site.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "+
			"form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		next.ServeHTTP(w, r)
	})
}

// apiPaths are the path prefixes the API serves: its operations under /v1,
// its documentation and spec, and the health checks.
var apiPaths = []string{"/v1/", "/docs", "/openapi.", "/healthz", "/readyz", "/schemas/"}

// Mount serves the API and the interface from one handler: the API's paths
// (see apiPaths) go to api, everything else to ui.
func Mount(api, ui http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/v1" || hasAnyPrefix(r.URL.Path, apiPaths) {
			api.ServeHTTP(w, r)
			return
		}
		ui.ServeHTTP(w, r)
	})
}

func hasAnyPrefix(s string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}
