package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// TestBrowser_BuyerProject: a hospital buyer registers, staff admit it, it
// signs in, starts a project, searches, shortlists two services with notes,
// compares them, locks the project, checks the CSV's digest against the
// page's and records the award; axe checks every page.
func TestBrowser_BuyerProject(t *testing.T) {
	t.Parallel()
	ctx := newTab(t)
	s := newSite(t)
	c := seedBuyerCatalogue(s)

	visit(t, ctx, s.URL+"/buyers/signup", "buyer registration")
	run(t, ctx, "send empty", chromedp.Click(chromedp.CSS(`main form button[type=submit]`)), chromedp.WaitVisible(chromedp.CSS(".error-summary")))
	checkA11y(t, ctx, "buyer registration with errors")
	screenshot(t, ctx, "buyer-signup-errors")
	run(t, ctx, "register",
		chromedp.SendKeys(chromedp.CSS("#f-legal-name"), "CHU de Lumière (fictional)"),
		chromedp.SetValue(chromedp.CSS("#f-country"), "FR"),
		chromedp.SetValue(chromedp.CSS("#f-ownership"), "public"),
		chromedp.SetValue(chromedp.CSS("#f-nis2-entity"), "essential"),
		chromedp.SendKeys(chromedp.CSS("#f-vat-number"), "FR40303265045"),
		chromedp.Click(chromedp.CSS(`main form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS("#new-key")))
	checkA11y(t, ctx, "projects of a pending buyer")
	screenshot(t, ctx, "buyer-registered")
	key := eval[string](t, ctx, "document.querySelector('#new-key').innerText")
	buyerID := eval[string](t, ctx, "document.querySelector('#buyer-id').innerText")

	staff := newTab(t)
	visit(t, staff, s.URL+"/signin", "sign-in")
	run(t, staff, "staff sign in", chromedp.SendKeys(chromedp.CSS("#f-key"), s.admin),
		chromedp.Click(chromedp.CSS(`main form button[type=submit]`)), chromedp.WaitVisible(chromedp.CSS(`a[href="/staff"]`)))
	visit(t, staff, s.URL+"/staff/buyers", "buyer registrations")
	screenshot(t, staff, "buyer-registrations")
	run(t, staff, "admit", chromedp.Click(chromedp.CSS(`form[action="/staff/buyers/`+buyerID+`/admit"] button`)))
	waitText(t, staff, "Buyer admitted.")
	checkA11y(t, staff, "buyer registrations after admission")

	// The buyer signs out and in again with the key.
	run(t, ctx, "sign out", chromedp.Click(chromedp.CSS(`form[action="/signout"] button`)))
	waitFor(t, ctx, `location.pathname === "/"`)
	visit(t, ctx, s.URL+"/signin", "sign-in")
	run(t, ctx, "sign in", chromedp.SendKeys(chromedp.CSS("#f-key"), key), chromedp.Click(chromedp.CSS(`main form button[type=submit]`)))
	waitText(t, ctx, "Your procurement projects")
	checkA11y(t, ctx, "projects")

	run(t, ctx, "new project", chromedp.Click(chromedp.CSS(`a[href="/projects/new"]`)), chromedp.WaitVisible(chromedp.CSS("#f-title")))
	checkA11y(t, ctx, "project form")
	run(t, ctx, "fill project",
		chromedp.SendKeys(chromedp.CSS("#f-title"), "Hosting of the patient record"),
		chromedp.SetValue(chromedp.CSS("#f-category"), "cloud-hosting"),
		chromedp.SendKeys(chromedp.CSS("#f-cpv-codes"), "72212730-5"),
		chromedp.SendKeys(chromedp.CSS("#f-lots"), "LOT-1: Hosting\nLOT-2: Backup in a second site"),
		chromedp.SetValue(chromedp.CSS("#f-country"), "FR"),
		chromedp.Click(chromedp.CSS("#f-context-health_data_hosted")),
		chromedp.Click(chromedp.CSS(`main form button[type=submit]`)))
	waitText(t, ctx, "Project started.")
	waitText(t, ctx, "Backup in a second site")
	checkA11y(t, ctx, "new project")
	screenshot(t, ctx, "project-new")

	run(t, ctx, "search and save", chromedp.SendKeys(chromedp.CSS("#f-q"), "hosting"),
		chromedp.Click(chromedp.CSS(`form[action$="/searches"] button[type=submit]`)))
	waitText(t, ctx, "2 services found")
	checkA11y(t, ctx, "search inside a project")
	screenshot(t, ctx, "project-search")
	shortlistFromSearch(t, ctx, c.certified, "", "HDS certificate verified by staff.")
	run(t, ctx, "back to the results", chromedp.Click(chromedp.CSS(`#searches-title ~ ul a`)))
	waitText(t, ctx, "2 services found")
	shortlistFromSearch(t, ctx, c.uncertified, "#f-decision-excluded", "No HDS certificate.")
	checkA11y(t, ctx, "project with a shortlist")
	screenshot(t, ctx, "project-shortlist")

	project := eval[string](t, ctx, "location.origin + location.pathname")
	run(t, ctx, "compare", chromedp.Click(chromedp.CSS(`a[href^="/compare?"]`)))
	waitText(t, ctx, "Requirements in France for a public hospital")
	checkA11y(t, ctx, "compare the shortlist")
	visit(t, ctx, project, "project")

	run(t, ctx, "lock…", chromedp.Click(chromedp.CSS(`a[href$="/lock"]`)))
	waitText(t, ctx, "Locking cannot be undone.")
	checkA11y(t, ctx, "lock confirmation")
	screenshot(t, ctx, "project-lock")
	run(t, ctx, "lock", chromedp.Click(chromedp.CSS(`main form button[type=submit]`)))
	waitFor(t, ctx, `document.querySelector('#digest') !== null`)
	checkA11y(t, ctx, "locked project")
	screenshot(t, ctx, "project-locked")
	checkCSVDigest(t, ctx)

	run(t, ctx, "award",
		chromedp.SetValue(chromedp.CSS("#f-offering-id"), c.certified),
		chromedp.SendKeys(chromedp.CSS("#f-value-eur"), "480000"),
		chromedp.SetValue(chromedp.CSS("#f-starts-on"), "2027-01-01"),
		chromedp.SetValue(chromedp.CSS("#f-ends-on"), "2029-12-31"),
		chromedp.Click(chromedp.CSS(`form[action$="/outcome"] button[type=submit]`)))
	waitText(t, ctx, "Outcome recorded.")
	checkA11y(t, ctx, "project with its outcome")
	screenshot(t, ctx, "project-outcome")
	if txt := mainText(t, ctx); !strings.Contains(txt, "480,000 euros") || !strings.Contains(txt, "Health data hosting for hospitals") {
		t.Errorf("outcome:\n%s", txt)
	}

	// Staff find the project in their list and read it, without forms.
	visit(t, staff, s.URL+"/staff/projects", "procurement projects")
	checkA11y(t, staff, "staff list of projects")
	screenshot(t, staff, "staff-projects")
	run(t, staff, "open the project", chromedp.Click(chromedp.CSS(`main table a[href^="/projects/"]`)))
	waitText(t, staff, "reading this project as staff")
	checkA11y(t, staff, "project read by staff")
	if n := eval[int](t, staff, `document.querySelectorAll('main form').length`); n != 0 {
		t.Errorf("staff see %d forms on the project page", n)
	}
}

// shortlistFromSearch adds offering from the search results to the
// project: the decision radio (none: included) and the note.
func shortlistFromSearch(t *testing.T, ctx context.Context, offering, decision, note string) {
	t.Helper()
	link := `a.shortlist-add[href*="offering=` + offering + `"]`
	// Scrolled into view, the card loads its explanation (htmx, revealed)
	// and grows: wait for it, so the click lands on the link.
	run(t, ctx, "scroll to the card", chromedp.ScrollIntoView(chromedp.CSS(link)))
	waitFor(t, ctx, `document.querySelector('article:has(`+link+`) .why[hx-get]') === null`)
	run(t, ctx, "add to shortlist", chromedp.Click(chromedp.CSS(link)), chromedp.WaitVisible(chromedp.CSS("#f-note")))
	checkA11y(t, ctx, "add to shortlist")
	if decision != "" {
		run(t, ctx, "decide", chromedp.Click(chromedp.CSS(decision)))
	}
	run(t, ctx, "note", chromedp.SendKeys(chromedp.CSS("#f-note"), note), chromedp.Click(chromedp.CSS(`main form button[type=submit]`)))
	waitText(t, ctx, "Added to the shortlist.")
	waitText(t, ctx, note)
}

// checkCSVDigest downloads the CSV export in the page (its session) and
// compares its snapshot_sha256 line with the digest the page shows.
func checkCSVDigest(t *testing.T, ctx context.Context) {
	t.Helper()
	digest := eval[string](t, ctx, "document.querySelector('#digest').innerText.trim()")
	csv := eval[string](t, ctx, `fetch(document.querySelector('a[href$="/export/csv"]').href).then(r => r.text())`)
	var line string
	for _, l := range strings.Split(csv, "\n") {
		if strings.HasPrefix(l, "snapshot_sha256,") {
			line = strings.TrimSpace(strings.TrimPrefix(l, "snapshot_sha256,"))
		}
	}
	if len(digest) != 64 || line != digest {
		t.Errorf("CSV digest %q, page %q", line, digest)
	}
}

// TestBrowser_KeyboardOnly_BuyerProject is the buyer's project journey
// with the keyboard alone (Tab, typing, Space, arrows and Enter): register,
// be admitted by staff (keyboard too), sign in, start a project, search,
// shortlist two services with notes, lock, record the award.
func TestBrowser_KeyboardOnly_BuyerProject(t *testing.T) {
	t.Parallel()
	ctx := newTab(t)
	s := newSite(t)
	c := seedBuyerCatalogue(s)

	visit(t, ctx, s.URL+"/buyers/signup", "buyer registration (keyboard)")
	for _, step := range []struct{ css, keys string }{{"#f-legal-name", "CHU de Lumière (fictional)"}, {"#f-country", "France"},
		{"#f-ownership", "Public"}, {"#f-nis2-entity", "Essential"}, {"#f-vat-number", "FR40303265045\r"}} {
		tabTo(t, ctx, step.css)
		run(t, ctx, "type into "+step.css, chromedp.KeyEvent(step.keys))
	}
	waitFor(t, ctx, `document.querySelector('#new-key') !== null`)
	checkA11y(t, ctx, "projects of a pending buyer (keyboard)")
	key := eval[string](t, ctx, "document.querySelector('#new-key').innerText")
	buyerID := eval[string](t, ctx, "document.querySelector('#buyer-id').innerText")

	staff := newTab(t)
	visit(t, staff, s.URL+"/signin", "sign-in (keyboard)")
	tabTo(t, staff, "#f-key")
	run(t, staff, "type key", chromedp.KeyEvent(s.admin+"\r"))
	waitFor(t, staff, `document.querySelector('a[href="/staff"]') !== null`)
	tabTo(t, staff, `a[href="/staff"]`)
	run(t, staff, "open moderation", chromedp.KeyEvent("\r"))
	waitText(t, staff, "Certificates to verify")
	tabTo(t, staff, `a[href="/staff/buyers"]`)
	run(t, staff, "open buyer registrations", chromedp.KeyEvent("\r"))
	waitText(t, staff, "Buyers waiting for admission")
	checkA11y(t, staff, "buyer registrations (keyboard)")
	tabTo(t, staff, `form[action="/staff/buyers/`+buyerID+`/admit"] button`)
	run(t, staff, "admit", chromedp.KeyEvent("\r"))
	waitText(t, staff, "Buyer admitted.")

	tabTo(t, ctx, `form[action="/signout"] button`)
	run(t, ctx, "sign out", chromedp.KeyEvent("\r"))
	waitFor(t, ctx, `location.pathname === "/"`)
	tabTo(t, ctx, `a[href="/signin"]`)
	run(t, ctx, "open sign-in", chromedp.KeyEvent("\r"))
	waitFor(t, ctx, `document.querySelector('#f-key') !== null`)
	tabTo(t, ctx, "#f-key")
	run(t, ctx, "sign in", chromedp.KeyEvent(key+"\r"))
	waitText(t, ctx, "Your procurement projects")

	tabTo(t, ctx, `a[href="/projects/new"]`)
	run(t, ctx, "new project", chromedp.KeyEvent("\r"))
	waitFor(t, ctx, `document.querySelector('#f-title') !== null`)
	checkA11y(t, ctx, "project form (keyboard)")
	for _, step := range []struct{ css, keys string }{{"#f-title", "Hosting of the patient record"}, {"#f-category", "Secure"},
		{"#f-country", "France"}, {"#f-context-health_data_hosted", " "}} {
		tabTo(t, ctx, step.css)
		run(t, ctx, "type into "+step.css, chromedp.KeyEvent(step.keys))
	}
	tabTo(t, ctx, `main form button[type=submit]`)
	run(t, ctx, "start", chromedp.KeyEvent("\r"))
	waitText(t, ctx, "Project started.")

	tabTo(t, ctx, "#f-q")
	run(t, ctx, "search and save", chromedp.KeyEvent("hosting\r"))
	waitText(t, ctx, "2 services found")
	keyboardShortlist(t, ctx, c.certified, false, "HDS certificate verified by staff.")
	tabTo(t, ctx, `#searches-title ~ ul a`)
	run(t, ctx, "back to the results", chromedp.KeyEvent("\r"))
	waitText(t, ctx, "2 services found")
	keyboardShortlist(t, ctx, c.uncertified, true, "No HDS certificate.")
	checkA11y(t, ctx, "project with a shortlist (keyboard)")

	tabTo(t, ctx, `a[href$="/lock"]`)
	run(t, ctx, "lock…", chromedp.KeyEvent("\r"))
	waitText(t, ctx, "Locking cannot be undone.")
	tabTo(t, ctx, `main form button[type=submit]`)
	run(t, ctx, "lock", chromedp.KeyEvent("\r"))
	waitFor(t, ctx, `document.querySelector('#digest') !== null`)
	checkA11y(t, ctx, "locked project (keyboard)")
	checkCSVDigest(t, ctx)

	tabTo(t, ctx, "#f-offering-id")
	run(t, ctx, "choose the award", chromedp.KeyEvent("Health"))
	tabTo(t, ctx, "#f-value-eur")
	run(t, ctx, "value", chromedp.KeyEvent("480000"))
	tabTo(t, ctx, `form[action$="/outcome"] button[type=submit]`)
	run(t, ctx, "record", chromedp.KeyEvent("\r"))
	waitText(t, ctx, "Outcome recorded.")
	checkA11y(t, ctx, "project with its outcome (keyboard)")
	if txt := mainText(t, ctx); !strings.Contains(txt, "Awarded") || !strings.Contains(txt, "480,000 euros") {
		t.Errorf("outcome:\n%s", txt)
	}
}

// keyboardShortlist adds offering from the search results with the
// keyboard: its "Add to shortlist" link, Excluded by arrow key when
// exclude, the note, Enter on the button.
func keyboardShortlist(t *testing.T, ctx context.Context, offering string, exclude bool, note string) {
	t.Helper()
	tabTo(t, ctx, `a.shortlist-add[href*="offering=`+offering+`"]`)
	run(t, ctx, "add to shortlist", chromedp.KeyEvent("\r"))
	waitFor(t, ctx, `document.querySelector('#f-note') !== null`)
	checkA11y(t, ctx, "add to shortlist (keyboard)")
	if exclude {
		tabTo(t, ctx, "#f-decision-included")
		run(t, ctx, "exclude", chromedp.KeyEvent(kb.ArrowDown))
		if !eval[bool](t, ctx, "document.querySelector('#f-decision-excluded').checked") {
			t.Fatal("arrow key did not choose Excluded")
		}
	}
	tabTo(t, ctx, "#f-note")
	run(t, ctx, "note", chromedp.KeyEvent(note))
	tabTo(t, ctx, `main form button[type=submit]`)
	run(t, ctx, "add", chromedp.KeyEvent("\r"))
	waitText(t, ctx, "Added to the shortlist.")
	waitText(t, ctx, note)
}
