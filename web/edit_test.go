package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"testing"
	"time"
)

func TestPages_VendorEditsAndWithdraws(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	b := s.browser()
	b.post("/signup", vendorSignUp()).want(http.StatusOK, "Your API key")
	d := b.post("/dashboard/offerings", url.Values{"name": {"Audit PASSI"}, "category": {"penetration-testing"},
		"text_lang": {"fr"}, "summary": {"Tests d'intrusion."}, "delivery": {"on-site"},
		"countries": {"FR", "BE"}, "languages": {"fr"}, "status": {"published"}}).want(http.StatusOK, "Audit PASSI")
	m := regexp.MustCompile(`href="/dashboard/offerings/([^/"]+)/edit"`).FindStringSubmatch(d.Body)
	if m == nil {
		t.Fatal("no edit link on the dashboard")
	}
	id := m[1]

	// The form comes filled from the offering, with its version.
	b.get("/dashboard/offerings/"+id+"/edit").want(http.StatusOK, `action="/dashboard/offerings/`+id+`"`,
		`name="version" value="1"`, `value="Audit PASSI"`, "Tests d&#39;intrusion.", `value="FR" selected`, "Save changes")
	edit := url.Values{"version": {"1"}, "name": {"Audit PASSI des hôpitaux"}, "category": {"penetration-testing"},
		"text_lang": {"fr"}, "summary": {"Tests d'intrusion des systèmes cliniques."}, "delivery": {"on-site"},
		"countries": {"FR"}, "languages": {"fr"}, "status": {"published"}}
	// The API's field errors beside the field, the entered values kept.
	bad := url.Values{}
	for k, v := range edit {
		bad[k] = v
	}
	bad.Del("languages")
	b.post("/dashboard/offerings/"+id, bad).want(http.StatusUnprocessableEntity, `class="error-summary"`, `href="#f-languages"`,
		`id="f-languages-error"`, `value="Audit PASSI des hôpitaux"`)
	// A stale version is refused (If-Match), nothing overwritten.
	stale := url.Values{}
	for k, v := range edit {
		stale[k] = v
	}
	stale.Set("version", "7")
	b.post("/dashboard/offerings/"+id, stale).want(http.StatusPreconditionFailed, `class="error-summary"`)
	b.post("/dashboard/offerings/"+id, edit).want(http.StatusOK, "Changes saved.", "Audit PASSI des hôpitaux")
	b.get("/offerings/"+id).want(http.StatusOK, "Tests d&#39;intrusion des systèmes cliniques.")

	// A certificate, then both withdrawn.
	until := time.Now().AddDate(2, 0, 0).Format(time.DateOnly)
	d = b.post("/dashboard/certifications", url.Values{"scheme": {"iso-iec-27001"}, "number": {"ISMS-77"}, "issuer": {"Organisme (fictional)"},
		"valid_from": {"2025-01-01"}, "valid_until": {until}, "offering_ids": {id}}).want(http.StatusOK, "ISMS-77", "Withdraw ISMS-77")
	c := regexp.MustCompile(`action="/dashboard/certifications/([^/"]+)/withdraw" class="inline"><input type="hidden" name="version" value="(\d+)"`).FindStringSubmatch(d.Body)
	if c == nil {
		t.Fatal("no withdraw form for the certificate")
	}
	b.post("/dashboard/certifications/"+c[1]+"/withdraw", url.Values{"version": {"99"}}).want(http.StatusPreconditionFailed)
	b.post("/dashboard/certifications/"+c[1]+"/withdraw", url.Values{"version": {c[2]}}).
		want(http.StatusOK, "Withdrawn: no longer in the catalogue.").lacks("Withdraw ISMS-77")
	b.post("/dashboard/offerings/"+id+"/withdraw", url.Values{"version": {"2"}}).
		want(http.StatusOK, "Withdrawn: no longer in the catalogue.").lacks(`href="/dashboard/offerings/` + id + `/edit"`)
	// Another vendor may not change or withdraw it: the API's rule.
	other := s.browser()
	other.post("/signup", url.Values{"legal_name": {"Autre SAS (fictional)"}, "vat_number": {"FR83404833048"},
		"country": {"FR"}, "size": {"small"}, "contact.email": {"a@autre.example"}}).want(http.StatusOK)
	if p := other.post("/dashboard/offerings/"+id, edit); p.Status != http.StatusForbidden && p.Status != http.StatusNotFound {
		t.Errorf("another vendor's change answered %d", p.Status)
	}
	// Without a session: sign in first.
	s.browser().get("/dashboard/offerings/"+id+"/edit").want(http.StatusOK, `action="/signin"`)
}
