package web_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

func TestBrowser_VendorSignsUpAddsOfferingAndCertificate(t *testing.T) {
	t.Parallel()
	ctx := newTab(t)
	s := newSite(t)

	visit(t, ctx, s.URL+"/signup", "sign-up")
	screenshot(t, ctx, "signup")
	// Sent empty: the API's errors, summarised at the top and beside each field.
	run(t, ctx, "send empty", chromedp.Click(chromedp.CSS(`main form button[type=submit]`)), chromedp.WaitVisible(chromedp.CSS(".error-summary")))
	checkA11y(t, ctx, "sign-up with errors")
	screenshot(t, ctx, "signup-errors")
	summary := eval[string](t, ctx, "document.querySelector('.error-summary').innerText")
	if !strings.Contains(summary, "Head-office country") || !strings.Contains(summary, "Company size") {
		t.Errorf("error summary does not name the fields:\n%s", summary)
	}
	// Its links lead to the fields.
	run(t, ctx, "follow a summary link", chromedp.Click(chromedp.CSS(`.error-summary a[href="#f-size"]`)))
	if id := eval[string](t, ctx, "document.activeElement.id"); id != "f-size" {
		t.Errorf("summary link focused %q, want f-size", id)
	}

	run(t, ctx, "fill sign-up",
		chromedp.SendKeys(chromedp.CSS("#f-legal-name"), "Clinique Sûre SAS (fictional)"),
		chromedp.SendKeys(chromedp.CSS("#f-vat-number"), "FR40303265045"),
		chromedp.SetValue(chromedp.CSS("#f-country"), "FR"),
		chromedp.SetValue(chromedp.CSS("#f-size"), "small"),
		chromedp.SendKeys(chromedp.CSS("#f-contact-email"), "appels@clinique-sure.example"),
		chromedp.Click(chromedp.CSS(`main form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS("#new-key")))
	checkA11y(t, ctx, "dashboard with the new key")
	screenshot(t, ctx, "dashboard-new-key")

	run(t, ctx, "add a service",
		chromedp.Click(chromedp.CSS(`a[href="/dashboard/offerings/new"]`)), chromedp.WaitVisible(chromedp.CSS("#f-name")))
	checkA11y(t, ctx, "offering form")
	run(t, ctx, "fill offering",
		chromedp.SendKeys(chromedp.CSS("#f-name"), "Audit PASSI des hôpitaux"),
		chromedp.SetValue(chromedp.CSS("#f-category"), "penetration-testing"),
		chromedp.SetValue(chromedp.CSS("#f-text-lang"), "fr"),
		chromedp.SendKeys(chromedp.CSS("#f-summary"), "Tests d'intrusion des systèmes cliniques."),
		chromedp.SetValue(chromedp.CSS("#f-delivery"), "on-site"),
		chromedp.SetValue(chromedp.CSS("#f-countries"), "FR"),
		chromedp.SetValue(chromedp.CSS("#f-languages"), "fr"),
		chromedp.Click(chromedp.CSS(`main form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`a[href="/dashboard/certifications/new"]`)))
	waitText(t, ctx, "Audit PASSI des hôpitaux")

	run(t, ctx, "declare a certificate",
		chromedp.Click(chromedp.CSS(`a[href="/dashboard/certifications/new"]`)), chromedp.WaitVisible(chromedp.CSS("#f-number")))
	checkA11y(t, ctx, "certification form")
	until := time.Now().AddDate(2, 0, 0).Format(time.DateOnly)
	run(t, ctx, "fill certificate",
		chromedp.SetValue(chromedp.CSS("#f-scheme"), "iso-iec-27001"),
		chromedp.SendKeys(chromedp.CSS("#f-number"), "ISMS-77"),
		chromedp.SendKeys(chromedp.CSS("#f-issuer"), "Organisme (fictional)"),
		chromedp.SetValue(chromedp.CSS("#f-valid-from"), "2025-01-01"),
		chromedp.SetValue(chromedp.CSS("#f-valid-until"), until),
		chromedp.Click(chromedp.CSS("#f-offering-0")),
		chromedp.Click(chromedp.CSS(`main form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`a[href="/dashboard/offerings/new"]`)))
	waitText(t, ctx, "ISMS-77")
	checkA11y(t, ctx, "dashboard")
	screenshot(t, ctx, "dashboard")
	if txt := mainText(t, ctx); !strings.Contains(txt, "self-declared") || strings.Contains(txt, "Your API key") {
		t.Errorf("dashboard:\n%s", txt)
	}

	// Staff sign in, verify the certificate and approve the vendor.
	staff := newTab(t)
	visit(t, staff, s.URL+"/signin", "sign-in")
	run(t, staff, "sign in", chromedp.SendKeys(chromedp.CSS("#f-key"), s.admin),
		chromedp.Click(chromedp.CSS(`main form button[type=submit]`)), chromedp.WaitVisible(chromedp.CSS(`a[href="/staff"]`)))
	visit(t, staff, s.URL+"/staff", "moderation")
	screenshot(t, staff, "moderation")
	run(t, staff, "verify", chromedp.Click(chromedp.CSS(`form[action$="/verify"] button`)))
	waitText(t, staff, "Decision recorded.")
	run(t, staff, "approve", chromedp.Click(chromedp.CSS(`form[action$="/approve"] button`)))
	waitText(t, staff, "No vendor is waiting.")
	checkA11y(t, staff, "moderation after decisions")

	run(t, ctx, "reload dashboard", chromedp.Reload())
	waitText(t, ctx, "verified")
}

func TestBrowser_Buyer(t *testing.T) {
	t.Parallel()
	ctx := newTab(t)
	s := newSite(t)
	c := seedBuyerCatalogue(s)

	t.Run("keyboard only: search, choose country, open an offering", func(t *testing.T) {
		visit(t, ctx, s.URL+"/", "home")
		screenshot(t, ctx, "home")
		tabTo(t, ctx, "a.skip")
		tabTo(t, ctx, "#home-q")
		run(t, ctx, "type and send", chromedp.KeyEvent("hosting"), chromedp.KeyEvent("\r"))
		waitText(t, ctx, "2 services found")
		checkA11y(t, ctx, "search")
		tabTo(t, ctx, "#f-country")
		run(t, ctx, "choose France", chromedp.KeyEvent("Fra"))
		waitText(t, ctx, "Available to you; no requirement rests on an unverified certificate.")
		checkA11y(t, ctx, "search for France")
		screenshot(t, ctx, "search-france")
		tabTo(t, ctx, `#results a[href^="/offerings/`+c.certified+`"]`)
		run(t, ctx, "open", chromedp.KeyEvent("\r"))
		waitText(t, ctx, "Is it available to my hospital?")
		waitText(t, ctx, "HDS-2025-17")
		if !strings.Contains(mainText(t, ctx), "Available to you") {
			t.Error("the offering page lost the buyer's country")
		}
		checkA11y(t, ctx, "offering")
		screenshot(t, ctx, "offering")
	})

	t.Run("live search without reload, then compare", func(t *testing.T) {
		visit(t, ctx, s.URL+"/search?country=FR&buyer=public", "search")
		eval[bool](t, ctx, "window.stillHere = true")
		run(t, ctx, "type words", chromedp.SendKeys(chromedp.CSS("#f-q"), "sovereign"))
		waitFor(t, ctx, `window.stillHere === true && document.querySelector('#results h2') !== null &&
			document.querySelector('#results h2').innerText.startsWith('1 ')`)
		if !strings.Contains(eval[string](t, ctx, "location.search"), "q=sovereign") {
			t.Error("live search did not update the address")
		}
		// A facet ticked with the keyboard narrows the results in place and
		// keeps the focus on the checkbox.
		visit(t, ctx, s.URL+"/search?country=FR&buyer=public&q=hosting", "search")
		eval[bool](t, ctx, "window.stillHere = true")
		tabTo(t, ctx, "#f-language-de")
		run(t, ctx, "tick German", chromedp.KeyEvent(" "))
		waitFor(t, ctx, `window.stillHere === true && document.querySelector('#results h2').innerText.startsWith('1 ')`)
		if id := eval[string](t, ctx, "document.activeElement.id"); id != "f-language-de" {
			t.Errorf("focus after the live update on %q", id)
		}
		// Compare with the keyboard alone: Space ticks, Enter sends.
		visit(t, ctx, s.URL+"/search?country=FR&buyer=public&q=hosting", "search")
		tabTo(t, ctx, "#cmp-"+c.uncertified)
		run(t, ctx, "tick", chromedp.KeyEvent(" "))
		tabTo(t, ctx, "#cmp-"+c.certified)
		run(t, ctx, "tick", chromedp.KeyEvent(" "))
		tabTo(t, ctx, "button[form=compare]")
		run(t, ctx, "compare", chromedp.KeyEvent("\r"))
		waitText(t, ctx, "Requirements in France for a public hospital")
		checkA11y(t, ctx, "compare")
		screenshot(t, ctx, "compare")
		visit(t, ctx, s.URL+"/vendors/"+c.certifiedVendor+"?lang=fr", "vendor page in French")
		waitText(t, ctx, "Certificats")
		visit(t, ctx, s.URL+"/policy/barriers?category=cloud-hosting&buyer=public&sort=-share&lang=en", "barriers")
		screenshot(t, ctx, "barriers")
		visit(t, ctx, s.URL+"/countries/FR?category=cloud-hosting&buyer=public", "country page")
		visit(t, ctx, s.URL+"/policy/what-if?country=CZ&requirement=cz-cloud-computing-catalogue&scheme=hds", "what-if")
		waitText(t, ctx, "+1")
		visit(t, ctx, s.URL+"/offerings/"+c.uncertified+"/market", "market view")
		screenshot(t, ctx, "market")
		visit(t, ctx, s.URL+"/vendors/"+c.certifiedVendor+"/roadmap?budget=50000", "roadmap")
		visit(t, ctx, s.URL+"/schemes", "certification schemes")
		visit(t, ctx, s.URL+"/schemes/sztfh-registered-auditor", "scheme page")
		screenshot(t, ctx, "scheme")
	})
}

// A French public-hospital buyer, the interface in French, lists what it
// may buy in France: each card's explanation loads as it comes into view
// and says on what basis the service is available (verified, self-declared,
// none required).
func TestBrowser_FrenchBuyerSeesTheBasis(t *testing.T) {
	t.Parallel()
	ctx := newTab(t)
	s := newSite(t)
	c := seedBasisCatalogue(s)
	visit(t, ctx, s.URL+"/search?country=FR&buyer=public&available=1&lang=fr", "search in French")
	waitText(t, ctx, "3 services trouvés")
	for id, basis := range map[string]string{c.certified: "verified", c.selfDeclared: "self-declared", c.noneRequired: "none-required"} {
		// The card scrolled into view loads its explanation (htmx, revealed).
		run(t, ctx, "scroll to "+basis, chromedp.ScrollIntoView(chromedp.CSS("#hit-"+id)))
		waitFor(t, ctx, `(() => { const a = document.getElementById('hit-`+id+`').closest('article');
			const p = a.querySelector('.basis'); return p !== null && p.dataset.basis === '`+basis+`'; })()`)
	}
	text := mainText(t, ctx)
	for _, want := range []string{"Fondement", "vérifiés par l'équipe", "pas encore vérifié", "aucune exigence ne demande ici de certificat"} {
		if !strings.Contains(text, want) {
			t.Errorf("no %q on the page", want)
		}
	}
	checkA11y(t, ctx, "search with the basis of each card")
	screenshot(t, ctx, "search-basis-fr")
}
