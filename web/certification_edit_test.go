package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"testing"
	"time"
)

// TestPages_VendorEditsCertificate: a vendor changes a verified
// certificate's fields from the dashboard (update-certification with
// If-Match); the API's errors show beside the fields, a stale form is
// refused, and a change of substance makes it self-declared again.
func TestPages_VendorEditsCertificate(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	b := s.browser()
	b.post("/signup", vendorSignUp()).want(http.StatusOK, "Your API key")
	d := b.post("/dashboard/offerings", url.Values{"name": {"Audit PASSI"}, "category": {"penetration-testing"},
		"text_lang": {"fr"}, "summary": {"Tests d'intrusion."}, "delivery": {"on-site"},
		"countries": {"FR"}, "languages": {"fr"}, "status": {"published"}}).want(http.StatusOK, "Audit PASSI")
	offering := submatch(t, `href="/dashboard/offerings/([^/"]+)/edit"`, d.Body)
	until := time.Now().AddDate(2, 0, 0).Format(time.DateOnly)
	d = b.post("/dashboard/certifications", url.Values{"scheme": {"iso-iec-27001"}, "number": {"ISMS-77"}, "issuer": {"Organisme (fictional)"},
		"valid_from": {"2025-01-01"}, "valid_until": {until}, "offering_ids": {offering}, "scope": {"Tests d'intrusion"},
		"evidence_url": {"https://certs.example/ISMS-77.pdf"}}).want(http.StatusOK, "Edit ISMS-77")
	id := submatch(t, `href="/dashboard/certifications/([^/"]+)/edit"`, d.Body)
	s.apiCall(http.MethodPost, "/v1/certifications/"+id+"/verify", s.admin, map[string]any{"note": "checked"}, http.StatusOK, nil)

	p := b.get("/dashboard/certifications/"+id+"/edit").want(http.StatusOK, "Change a certificate", `action="/dashboard/certifications/`+id+`"`,
		`value="ISMS-77"`, `value="Organisme (fictional)"`, `value="Tests d&#39;intrusion"`, `value="https://certs.example/ISMS-77.pdf"`,
		`value="2025-01-01"`, `value="`+until+`"`, `value="`+offering+`" checked`, "Save changes", "self-declared again")
	version := submatch(t, `name="version" value="(\d+)"`, p.Body)
	edit := url.Values{"version": {version}, "scheme": {"iso-iec-27001"}, "number": {"ISMS-78"}, "issuer": {"Organisme (fictional)"},
		"scope": {"Tests d'intrusion et audit de code"}, "valid_from": {"2025-01-01"}, "valid_until": {until},
		"evidence_url": {"https://certs.example/ISMS-78.pdf"}, "offering_ids": {offering}}
	bad := url.Values{}
	for k, v := range edit {
		bad[k] = v
	}
	bad.Set("number", "")
	bad.Set("valid_until", "someday")
	b.post("/dashboard/certifications/"+id, bad).want(http.StatusUnprocessableEntity, `class="error-summary"`,
		`href="#f-valid-until"`, `id="f-valid-until-error"`, `value="Tests d&#39;intrusion et audit de code"`)
	bad.Set("valid_until", until)
	b.post("/dashboard/certifications/"+id, bad).want(http.StatusUnprocessableEntity, `href="#f-number"`)
	stale := url.Values{}
	for k, v := range edit {
		stale[k] = v
	}
	stale.Set("version", "1")
	b.post("/dashboard/certifications/"+id, stale).want(http.StatusPreconditionFailed, `class="error-summary"`)
	b.post("/dashboard/certifications/"+id, edit).want(http.StatusOK, "Changes saved.", "ISMS-78", "self-declared")

	var c struct {
		Number, Scope, Status string
		EvidenceURL           string `json:"evidence_url"`
	}
	s.apiCall(http.MethodGet, "/v1/certifications/"+id, s.admin, nil, http.StatusOK, &c)
	if c.Number != "ISMS-78" || c.Scope != "Tests d'intrusion et audit de code" || c.EvidenceURL != "https://certs.example/ISMS-78.pdf" || c.Status != "self-declared" {
		t.Errorf("after the edit: %+v", c)
	}
	// Another vendor may not open or change it.
	other := s.browser()
	other.post("/signup", url.Values{"legal_name": {"Autre SAS (fictional)"}, "vat_number": {"FR83404833048"},
		"country": {"FR"}, "size": {"small"}, "contact.email": {"a@autre.example"}}).want(http.StatusOK)
	other.get("/dashboard/certifications/" + id + "/edit").want(http.StatusNotFound)
	if p := other.post("/dashboard/certifications/"+id, edit); p.Status != http.StatusForbidden && p.Status != http.StatusNotFound {
		t.Errorf("another vendor's change answered %d", p.Status)
	}
	if regexp.MustCompile(`ISMS-78`).MatchString(other.get("/dashboard").Body) {
		t.Error("another vendor's dashboard shows the certificate")
	}
}
