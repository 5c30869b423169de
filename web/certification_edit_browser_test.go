package web_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowser_VendorEditsCertificate: the certificate form filled for a
// change, its errors, and the saved change, checked by axe.
func TestBrowser_VendorEditsCertificate(t *testing.T) {
	t.Parallel()
	ctx := newTab(t)
	s := newSite(t)
	var v struct {
		ID     string `json:"id"`
		APIKey struct {
			Token string `json:"token"`
		} `json:"api_key"`
	}
	s.apiCall(http.MethodPost, "/v1/vendors", "", map[string]any{"legal_name": "Clinique Sûre SAS (fictional)", "vat_number": "FR40303265045",
		"country": "FR", "size": "small", "contact": map[string]any{"email": "appels@clinique-sure.example"}}, http.StatusCreated, &v)
	var c struct {
		ID string `json:"id"`
	}
	s.apiCall(http.MethodPost, "/v1/vendors/"+v.ID+"/certifications", v.APIKey.Token, map[string]any{"scheme": "iso-iec-27001",
		"number": "ISMS-77", "issuer": "Organisme (fictional)", "valid_from": "2025-01-01",
		"valid_until": time.Now().AddDate(2, 0, 0).Format(time.DateOnly)}, http.StatusCreated, &c)

	visit(t, ctx, s.URL+"/signin", "sign-in")
	run(t, ctx, "sign in", chromedp.SendKeys(chromedp.CSS("#f-key"), v.APIKey.Token), chromedp.Click(chromedp.CSS(`main form button[type=submit]`)))
	waitText(t, ctx, "ISMS-77")
	run(t, ctx, "edit", chromedp.Click(chromedp.CSS(`a[href="/dashboard/certifications/`+c.ID+`/edit"]`)))
	waitText(t, ctx, "Change a certificate")
	checkA11y(t, ctx, "certificate form for a change")
	eval[bool](t, ctx, "document.querySelector('#f-number').value = '', true")
	run(t, ctx, "send without a number", chromedp.Click(chromedp.CSS(`main form button[type=submit]`)), chromedp.WaitVisible(chromedp.CSS(".error-summary")))
	checkA11y(t, ctx, "certificate form with errors")
	screenshot(t, ctx, "certificate-edit-errors")
	run(t, ctx, "fix", chromedp.SendKeys(chromedp.CSS("#f-number"), "ISMS-78"),
		chromedp.SendKeys(chromedp.CSS("#f-evidence-url"), "https://certs.example/ISMS-78.pdf"),
		chromedp.Click(chromedp.CSS(`main form button[type=submit]`)))
	waitText(t, ctx, "Changes saved.")
	waitText(t, ctx, "ISMS-78")
	checkA11y(t, ctx, "dashboard after the change")
}
