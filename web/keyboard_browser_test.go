package web_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// TestBrowser_KeyboardOnly_VendorAndStaff: a vendor signs up and declares
// a certificate, and staff verify it, approve the vendor and read the
// certificate's audit trail, all with the keyboard alone (Tab, typing,
// Space and Enter); axe checks every page.
func TestBrowser_KeyboardOnly_VendorAndStaff(t *testing.T) {
	t.Parallel()
	ctx := newTab(t)
	s := newSite(t)

	visit(t, ctx, s.URL+"/signup", "sign-up (keyboard)")
	tabTo(t, ctx, "#f-legal-name")
	run(t, ctx, "type name", chromedp.KeyEvent("Clavier Sûr SAS (fictional)"))
	tabTo(t, ctx, "#f-vat-number")
	run(t, ctx, "type VAT", chromedp.KeyEvent("FR40303265045"))
	tabTo(t, ctx, "#f-country")
	run(t, ctx, "choose France", chromedp.KeyEvent("France"))
	tabTo(t, ctx, "#f-size")
	run(t, ctx, "choose small", chromedp.KeyEvent("Small"))
	tabTo(t, ctx, "#f-contact-email")
	run(t, ctx, "type email", chromedp.KeyEvent("clavier@clavier-sur.example"), chromedp.KeyEvent("\r"))
	waitFor(t, ctx, `document.querySelector('#new-key') !== null`)
	checkA11y(t, ctx, "dashboard after keyboard sign-up")

	tabTo(t, ctx, `a[href="/dashboard/certifications/new"]`)
	run(t, ctx, "open certificate form", chromedp.KeyEvent("\r"))
	waitFor(t, ctx, `document.querySelector('#f-number') !== null`)
	checkA11y(t, ctx, "certification form (keyboard)")
	tabTo(t, ctx, "#f-scheme")
	// Arrow keys walk the options until ISO/IEC 27001.
	for i := 0; eval[string](t, ctx, "document.querySelector('#f-scheme').value") != "iso-iec-27001"; i++ {
		if i > 100 {
			t.Fatal("arrow keys never reached ISO/IEC 27001")
		}
		run(t, ctx, "next scheme", chromedp.KeyEvent(kb.ArrowDown))
	}
	tabTo(t, ctx, "#f-number")
	run(t, ctx, "type number", chromedp.KeyEvent("KEY-1"))
	tabTo(t, ctx, "#f-issuer")
	run(t, ctx, "type issuer", chromedp.KeyEvent("Organisme (fictional)"))
	// Date inputs take the digits of the locale's order; set them as
	// typed text to stay independent of it, then leave with Tab.
	tabTo(t, ctx, "#f-valid-from")
	run(t, ctx, "dates", chromedp.SetValue(chromedp.CSS("#f-valid-from"), "2025-01-01"),
		chromedp.SetValue(chromedp.CSS("#f-valid-until"), time.Now().AddDate(2, 0, 0).Format(time.DateOnly)))
	tabTo(t, ctx, "main form button[type=submit]")
	run(t, ctx, "send", chromedp.KeyEvent("\r"))
	waitText(t, ctx, "KEY-1")

	staff := newTab(t)
	visit(t, staff, s.URL+"/signin", "sign-in (keyboard)")
	tabTo(t, staff, "#f-key")
	run(t, staff, "type key", chromedp.KeyEvent(s.admin), chromedp.KeyEvent("\r"))
	waitFor(t, staff, `document.querySelector('a[href="/staff"]') !== null`)
	tabTo(t, staff, `a[href="/staff"]`)
	run(t, staff, "open moderation", chromedp.KeyEvent("\r"))
	waitText(t, staff, "Certificates to verify")
	checkA11y(t, staff, "moderation (keyboard)")
	tabTo(t, staff, `form[action$="/verify"] button`)
	run(t, staff, "verify", chromedp.KeyEvent("\r"))
	waitText(t, staff, "Decision recorded.")
	tabTo(t, staff, `form[action$="/approve"] button`)
	run(t, staff, "approve", chromedp.KeyEvent("\r"))
	waitText(t, staff, "No vendor is waiting.")
	tabTo(t, staff, `a[href="/staff/audit"]`)
	run(t, staff, "open audit trail", chromedp.KeyEvent("\r"))
	waitText(t, staff, "Audit trail")
	checkA11y(t, staff, "audit trail")
	tabTo(t, staff, `a[href^="/staff/audit/certification/"]`)
	run(t, staff, "open the certificate's history", chromedp.KeyEvent("\r"))
	waitText(t, staff, "oldest first")
	checkA11y(t, staff, "certificate history")
	screenshot(t, staff, "audit-history")
	if txt := mainText(t, staff); !strings.Contains(txt, "self-declared → verified") {
		t.Errorf("history lacks the verification:\n%s", txt)
	}
}
