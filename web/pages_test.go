package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestPages_HomeLayoutAndErrors(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	b := s.browser()
	home := b.get("/").want(http.StatusOK,
		`<html lang="en">`, `href="#main"`, `<main id="main"`, "Hospital buyers", "Vendors", "Policymakers",
		`/static/htmx.min.js`, `hreflang="fr"`, `hreflang="de"`, `<footer`)
	if csp := home.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") || !strings.Contains(csp, "frame-ancestors 'none'") {
		t.Errorf("CSP %q", csp)
	}
	b.get("/no/such/page").want(http.StatusNotFound, "There is no page at this address.", `<html lang="en">`)
	// The API keeps its own paths, answering JSON.
	api := b.get("/v1/categories")
	if api.Status != http.StatusOK || !strings.HasPrefix(api.Header.Get("Content-Type"), "application/json") {
		t.Errorf("/v1/categories through the site: %d %s", api.Status, api.Header.Get("Content-Type"))
	}
	b.get("/docs").want(http.StatusOK)
	b.get("/static/style.css").want(http.StatusOK, "focus-visible")
	b.get("/static/").want(http.StatusNotFound).lacks("htmx.min.js")
	// An unknown offering is the API's 404, as a page.
	b.get("/offerings/0192f1e0-7b1c-7c3e-9a4b-2f1d3c4b5a70").want(http.StatusNotFound, "Not Found")
	b.get("/offerings/not-a-uuid").want(http.StatusUnprocessableEntity)
}

func TestPages_Languages(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	b := s.browser()
	b.lang = "fr-BE,fr;q=0.9,en;q=0.5"
	b.get("/").want(http.StatusOK, `<html lang="fr">`, "Acheteurs hospitaliers", "Aller au contenu principal")
	b.lang = "de"
	b.get("/").want(http.StatusOK, `<html lang="de">`, "Krankenhaus-Einkäufer")
	b.lang = "pt"
	b.get("/").want(http.StatusOK, `<html lang="en">`)
	// The switch wins over Accept-Language and is remembered.
	b.get("/?lang=de").want(http.StatusOK, `<html lang="de">`)
	b.get("/search").want(http.StatusOK, `<html lang="de">`, "Ihr Land")
	b.get("/?lang=xx").want(http.StatusOK, `<html lang="de">`)
}

func TestPages_SignInAndOut(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	b := s.browser()
	b.get("/dashboard").want(http.StatusOK, `action="/signin"`) // redirected to sign in
	b.post("/signin", url.Values{"key": {"cm_nonsense"}}).want(http.StatusUnauthorized,
		`class="error-summary"`, `href="#f-key"`, "This key was not accepted")
	b.post("/signin", url.Values{"key": {""}}).want(http.StatusUnprocessableEntity, "Enter your API key.")

	req, _ := http.NewRequest(http.MethodPost, s.URL+"/signin", strings.NewReader(url.Values{"key": {s.admin}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	cookie := resp.Header.Get("Set-Cookie")
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/dashboard" ||
		!strings.Contains(cookie, "HttpOnly") || !strings.Contains(cookie, "SameSite=Lax") || strings.Contains(cookie, s.admin) {
		t.Errorf("sign in: %d %q cookie %q", resp.StatusCode, resp.Header.Get("Location"), cookie)
	}

	b.post("/signin", url.Values{"key": {s.admin}}).want(http.StatusOK, "role admin", "Sign out")
	if !strings.HasSuffix(b.get("/dashboard").URL, "/dashboard") {
		t.Fatal("dashboard after sign-in")
	}
	// Cross-origin form posts are refused, sign-out included.
	req, _ = http.NewRequest(http.MethodPost, s.URL+"/signout", nil)
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	b.do(req).want(http.StatusForbidden, "another site")
	b.get("/dashboard").want(http.StatusOK, "role admin")
	b.post("/signout", nil).want(http.StatusOK, "Hospital buyers")
	b.get("/dashboard").want(http.StatusOK, `action="/signin"`).lacks("role admin")
}

func TestPages_VendorSignUpAndDashboard(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	b := s.browser()
	b.get("/signup").want(http.StatusOK, `for="f-legal-name"`, `id="f-vat-number"`, `name="contact.email"`)

	// The API's field errors appear beside their fields and in the summary.
	bad := b.post("/signup", url.Values{"legal_name": {"Clinique Sûre SAS (fictional)"}, "vat_number": {"FR123"},
		"country": {"FR"}, "size": {"small"}, "contact.email": {"not-an-address"}})
	bad.want(http.StatusUnprocessableEntity, `class="error-summary"`, `href="#f-vat-number"`, `href="#f-contact-email"`,
		`id="f-vat-number-error"`, `aria-invalid="true"`, `value="Clinique Sûre SAS (fictional)"`)

	ok := b.post("/signup", vendorSignUp())
	ok.want(http.StatusOK, "Your API key", `id="new-key"`, "pending", "Add a service")
	key := regexp.MustCompile(`id="new-key">([^<]+)<`).FindStringSubmatch(ok.Body)
	if key == nil || !strings.HasPrefix(key[1], "cm_") {
		t.Fatalf("no key on the dashboard")
	}
	b.get("/dashboard").want(http.StatusOK, "Clinique").lacks(key[1], `id="new-key"`) // shown once

	// An offering: errors first, then a good one.
	b.get("/dashboard/offerings/new").want(http.StatusOK, `name="countries"`)
	b.post("/dashboard/offerings", url.Values{"name": {"Audit PASSI"}, "category": {"penetration-testing"},
		"text_lang": {"fr"}, "summary": {"Tests d'intrusion."}, "delivery": {"on-site"}, "status": {"published"}}).
		want(http.StatusUnprocessableEntity, `href="#f-countries"`, `href="#f-languages"`, `value="Audit PASSI"`)
	b.post("/dashboard/offerings", url.Values{"name": {"Audit PASSI des hôpitaux"}, "category": {"penetration-testing"},
		"text_lang": {"fr"}, "summary": {"Tests d'intrusion des systèmes cliniques."}, "delivery": {"on-site"},
		"countries": {"FR", "BE"}, "languages": {"fr"}, "status": {"published"}}).
		want(http.StatusOK, "Audit PASSI des hôpitaux")

	// A certificate covering it.
	form := b.get("/dashboard/certifications/new").want(http.StatusOK, `name="offering_ids"`)
	oid := regexp.MustCompile(`name="offering_ids" value="([^"]+)"`).FindStringSubmatch(form.Body)[1]
	b.post("/dashboard/certifications", url.Values{"scheme": {"iso-iec-27001"}, "number": {"X"}, "issuer": {"CB"},
		"valid_from": {"2025-01-01"}, "valid_until": {"2024-01-01"}}).
		want(http.StatusUnprocessableEntity, `class="error-summary"`)
	until := time.Now().AddDate(2, 0, 0).Format(time.DateOnly)
	b.post("/dashboard/certifications", url.Values{"scheme": {"iso-iec-27001"}, "number": {"ISMS-77"}, "issuer": {"Organisme (fictional)"},
		"valid_from": {"2025-01-01"}, "valid_until": {until}, "evidence_url": {"https://certs.example/ISMS-77.pdf"}, "offering_ids": {oid}}).
		want(http.StatusOK, "ISMS-77", "self-declared", until, "https://certs.example/ISMS-77.pdf",
			"<td>ISO/IEC 27001 - Information security management systems</td>") // the scheme's name, not its id

	// The key works for a later sign-in.
	b2 := s.browser()
	b2.post("/signin", url.Values{"key": {key[1]}}).want(http.StatusOK, "Audit PASSI des hôpitaux", "ISMS-77")
	// Another browser without a session may not post offerings.
	s.browser().post("/dashboard/offerings", url.Values{"name": {"x"}}).want(http.StatusOK, `action="/signin"`)
}
