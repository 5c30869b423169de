package web

import (
	"bytes"
	"crypto/rand"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strings"

	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

//go:embed templates
var templateFiles embed.FS

// pages are the parsed templates: one set per page, each with the layout
// and the shared partials.
type pages struct {
	byName map[string]*template.Template
}

func mustParsePages() *pages {
	p, err := parsePages(templateFiles)
	if err != nil {
		panic(err)
	}
	return p
}

func parsePages(fsys fs.FS) (*pages, error) {
	shared := []string{"templates/layout.html", "templates/partials.html"}
	names, err := fs.Glob(fsys, "templates/*.html")
	if err != nil {
		return nil, err
	}
	p := &pages{byName: map[string]*template.Template{}}
	for _, n := range names {
		if n == shared[0] || n == shared[1] {
			continue
		}
		t, err := template.New(path.Base(n)).Funcs(funcs).ParseFS(fsys, append(shared, n)...)
		if err != nil {
			return nil, fmt.Errorf("parse %s: %w", n, err)
		}
		p.byName[strings.TrimSuffix(path.Base(n), ".html")] = t
	}
	return p, nil
}

// funcs are the template functions; translation is a method of view (T).
var funcs = template.FuncMap{
	"join":            strings.Join,
	"input":           inputOf,
	"selectOf":        selectOf,
	"countryOptions":  countryOptions,
	"categoryOptions": categoryOptions,
	"schemeOptions":   schemeOptions,
	"sizeOptions":     sizeOptions,
	"deliveryOptions": deliveryOptions,
	"languageOptions": languageOptions,
	"pair":            func(v *view, x any) pairOf { return pairOf{V: v, X: x} },
	"contains": func(list []string, s string) bool {
		for _, x := range list {
			if x == s {
				return true
			}
		}
		return false
	},
}

// pairOf hands a partial both the page's view and an item.
type pairOf struct {
	V *view
	X any
}

// view is what every template gets: the request's language and session,
// the page's data, and the form state of pages with forms.
type view struct {
	Lang    string
	Title   string
	Path    string
	Query   url.Values
	Session *session
	Data    any
	Form    *form
	// Status is the HTTP status of error pages.
	Status int
	p      *message.Printer
	// ref loads the reference lists (cached by the server); nil in views
	// made without a request.
	ref func() (*reference, error)
}

// SchemeName is the name of certification scheme id, or id itself when the
// reference lists cannot be had.
func (v *view) SchemeName(id string) string {
	if v.ref == nil {
		return id
	}
	r, err := v.ref()
	if err != nil {
		return id
	}
	return r.SchemeName(id)
}

// T translates an interface text (English key) into the page's language,
// formatting args as fmt does.
func (v *view) T(key string, args ...any) string {
	if len(args) == 0 && !strings.Contains(key, "%") {
		if v.Lang == "en" {
			return key
		}
		if t, ok := plainTexts[v.Lang][key]; ok {
			return t
		}
	}
	return v.p.Sprintf(key, args...)
}

// LangURL is the current page in another interface language.
func (v *view) LangURL(lang string) string {
	q := url.Values{}
	for k, vals := range v.Query {
		if k != "lang" {
			q[k] = vals
		}
	}
	q.Set("lang", lang)
	return v.Path + "?" + q.Encode()
}

// Languages are the codes of the language switch.
func (v *view) Languages() []string { return interfaceLanguages() }

// LanguageName is the name of an interface language in itself.
func (v *view) LanguageName(code string) string { return languageNames[code] }

// Text picks a vendor-written text in the page's language (see localized).
func (v *view) Text(texts map[string]string) localText {
	t, in := localized(texts, v.Lang)
	return localText{Text: t, Lang: in, Other: in != v.Lang}
}

// localText is a vendor-written text and its language.
type localText struct {
	Text  string
	Lang  string
	Other bool // not in the page's language: the template marks lang=
}

// StyleURL is the stylesheet's address, versioned by its content.
func (v *view) StyleURL() string { return "/static/style.css?v=" + styleVersion }

// request is one browser request being answered.
type request struct {
	w    http.ResponseWriter
	r    *http.Request
	lang language.Tag
	sess *session
	api  *apiClient
	s    *Server
}

// view starts the view of a page titled title (a text to translate).
func (q *request) view(title string, data any) *view {
	v := &view{Lang: q.lang.String(), Path: q.r.URL.Path, Query: q.r.URL.Query(), Session: q.sess, Data: data,
		p: printer(q.lang), ref: q.reference}
	v.Title = v.T(title)
	return v
}

// handlerFunc answers a page; a returned error becomes an error page.
type handlerFunc func(q *request) error

// page adapts a handlerFunc to http.Handler.
func (s *Server) page(h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Request-Id") == "" {
			// One id for the page and every API call it makes, in the logs.
			r.Header.Set("X-Request-Id", newRequestID())
		}
		q := &request{w: w, r: r, lang: chooseLanguage(w, r), s: s}
		q.api = &apiClient{api: s.api, from: r}
		sess, err := s.sessions.lookup(r)
		if err != nil {
			s.log.Error("web session lookup failed", "request_id", r.Header.Get("X-Request-Id"), "err", err)
			s.errorPage(q, http.StatusServiceUnavailable, "")
			return
		}
		if sess != nil {
			q.sess, q.api.key = sess, sess.key
		}
		if err := h(q); err != nil {
			s.fail(q, err)
		}
	})
}

// newRequestID is a random id for a page request.
func newRequestID() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// render writes the page name with v and status.
func (q *request) render(status int, name string, v *view) error {
	return q.renderPart(status, name, "layout", v)
}

// renderPart writes the template part of page name (layout: the whole
// page; another: a fragment for htmx) with v and status.
func (q *request) renderPart(status int, name, part string, v *view) error {
	t := q.s.pages.byName[name]
	if t == nil {
		return fmt.Errorf("no template %q", name)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, part, v); err != nil {
		return err
	}
	h := q.w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Language", v.Lang)
	h.Set("Vary", "Cookie, Accept-Language, HX-Request")
	if q.sess != nil {
		h.Set("Cache-Control", "no-store")
	}
	q.w.WriteHeader(status)
	_, err := q.w.Write(buf.Bytes())
	return err
}

// redirect sends the browser to target with 303 See Other.
func (q *request) redirect(target string) error {
	http.Redirect(q.w, q.r, target, http.StatusSeeOther)
	return nil
}

// fail answers an error page: the API's status and detail for its
// problems, a bare 500 (logged) for anything else.
func (s *Server) fail(q *request, err error) {
	if p, ok := asProblem(err); ok {
		if p.Status == http.StatusUnauthorized && q.sess != nil {
			s.sessions.end(q.w, q.r) // the key no longer works
			q.sess = nil
		}
		if p.Status < 500 {
			s.errorPage(q, p.Status, p.Detail)
			return
		}
	}
	var ferr errPage
	if errors.As(err, &ferr) {
		s.errorPage(q, ferr.status, "")
		return
	}
	s.log.Error("web page failed", "path", q.r.URL.Path, "request_id", q.r.Header.Get("X-Request-Id"), "err", err)
	s.errorPage(q, http.StatusInternalServerError, "")
}

// errPage is an error that answers a plain error page of its status.
type errPage struct{ status int }

func (e errPage) Error() string { return http.StatusText(e.status) }

func (s *Server) errorPage(q *request, status int, detail string) {
	v := q.view(http.StatusText(status), detail)
	v.Status = status
	if err := q.render(status, "error", v); err != nil {
		s.log.Error("web error page failed", "err", err)
		http.Error(q.w, http.StatusText(status), status)
	}
}

func (s *Server) notFound(q *request) error { return errPage{http.StatusNotFound} }

// crossOrigin answers a form posted from another site.
func (s *Server) crossOrigin(w http.ResponseWriter, r *http.Request) {
	q := &request{w: w, r: r, lang: chooseLanguage(w, r), s: s}
	v := q.view("Forbidden", nil)
	v.Data = v.T("This form was sent from another site. For your safety it was not accepted.")
	v.Status = http.StatusForbidden
	if err := q.render(http.StatusForbidden, "error", v); err != nil {
		http.Error(w, "cross-origin request refused", http.StatusForbidden)
	}
}

// PageURL is the current page with another offset (search paging).
func (v *view) PageURL(offset int) string {
	q := url.Values{}
	for k, vals := range v.Query {
		q[k] = vals
	}
	q.Del("offset")
	if offset > 0 {
		q.Set("offset", fmt.Sprint(offset))
	}
	return v.Path + "?" + q.Encode()
}

// Context is the buyer's country and kind of the current page as a query
// ("?country=FR&buyer=public"), carried to offering and compare pages; ""
// without a country.
func (v *view) Context() string {
	c := v.Query.Get("country")
	if c == "" {
		return ""
	}
	b := v.Query.Get("buyer")
	if b != "private" {
		b = "public"
	}
	return "?" + url.Values{"country": {strings.ToUpper(c)}, "buyer": {b}}.Encode()
}
