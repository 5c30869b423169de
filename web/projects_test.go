package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// submatch returns the first group of re in s, failing t without a match.
func submatch(t testing.TB, re, s string) string {
	t.Helper()
	m := regexp.MustCompile(re).FindStringSubmatch(s)
	if m == nil {
		t.Fatalf("no %s in\n%s", re, s)
	}
	return m[1]
}

// registerBuyerPage registers a French public hospital through the buyer
// registration form and returns its buyer key and id, read off the page.
func registerBuyerPage(b *browser) (key, id string) {
	b.t.Helper()
	p := b.post("/buyers/signup", url.Values{"legal_name": {"CHU de Lumière (fictional)"}, "country": {"FR"},
		"ownership": {"public"}, "nis2_entity": {"essential"}, "vat_number": {"FR40303265045"}})
	p.want(http.StatusOK, `id="new-key"`, "pending", "Registration reference:").lacks(`href="/projects/new"`)
	return submatch(b.t, `id="new-key">([^<]+)<`, p.Body), submatch(b.t, `id="buyer-id">([^<]+)<`, p.Body)
}

// admitBuyerPage has staff admit the buyer id from the buyer registrations page.
func admitBuyerPage(s *site, id string) {
	s.t.Helper()
	st := s.browser()
	st.post("/signin", url.Values{"key": {s.admin}}).want(http.StatusOK)
	p := st.get("/staff/buyers").want(http.StatusOK, "Buyers waiting for admission", "CHU de Lumière (fictional)", id)
	version := submatch(s.t, `action="/staff/buyers/`+id+`/admit"><input type="hidden" name="version" value="(\d+)"`, p.Body)
	st.post("/staff/buyers/"+id+"/admit", url.Values{"version": {version}}).want(http.StatusOK, "Buyer admitted.", "No buyer is waiting.")
}

// TestPages_BuyerProjectWithoutJavaScript walks a buyer from registration
// to a locked, exported project with an award, as a browser without
// JavaScript (plain forms and links), with the API's errors on the forms.
func TestPages_BuyerProjectWithoutJavaScript(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	c := seedBuyerCatalogue(s)
	b := s.browser()

	b.get("/buyers/signup").want(http.StatusOK, "Buyer registration", `name="nis2_entity"`, `name="ownership"`)
	b.post("/buyers/signup", url.Values{}).want(http.StatusUnprocessableEntity, `class="error-summary"`,
		`href="#f-country"`, `href="#f-ownership"`, `href="#f-nis2-entity"`, `aria-invalid="true"`)
	key, buyerID := registerBuyerPage(b)
	// Pending: no project yet; the API's refusal is shown on the form.
	b.post("/projects", url.Values{"title": {"Early"}, "category": {"cloud-hosting"}, "country": {"FR"}}).
		want(http.StatusForbidden, "pending")
	admitBuyerPage(s, buyerID)

	// The buyer signs in again with the key and lands on its projects.
	b.post("/signout", nil).want(http.StatusOK)
	b.get("/projects").want(http.StatusOK, "Sign in") // signed out: sent to sign in
	b.post("/signin", url.Values{"key": {key}}).want(http.StatusOK, "Your procurement projects", "admitted", `href="/projects/new"`)

	b.get("/projects/new").want(http.StatusOK, `name="cpv_codes"`, `value="health_data_hosted"`)
	b.post("/projects", url.Values{"cpv_codes": {"12345678-0"}}).want(http.StatusUnprocessableEntity, `class="error-summary"`,
		`href="#f-title"`, `href="#f-country"`, `value="12345678-0"`)
	b.post("/projects", url.Values{"title": {"Hosting"}, "country": {"FR"}, "cpv_codes": {"12345678-0"}}).
		want(http.StatusUnprocessableEntity, `href="#f-category"`, `href="#f-cpv-codes"`)
	// Lots one per line; the API's error of the second lot is said of line 2.
	b.post("/projects", url.Values{"title": {"Hosting"}, "category": {"cloud-hosting"}, "country": {"FR"},
		"lots": {"LOT-1: Hosting\r\nLOT-2 without a title\r\n"}}).
		want(http.StatusUnprocessableEntity, `href="#f-lots"`, "Line 2: Enter at least one character", "LOT-2 without a title").
		lacks("Line 1: ")
	p := b.post("/projects", url.Values{"title": {"Hosting of the patient record"}, "category": {"cloud-hosting"},
		"cpv_codes": {"72212730-5"}, "country": {"FR"}, "context": {"health_data_hosted"},
		"lots": {"LOT-1: Hosting\r\n\r\nLOT-2\tBackup in a second site\r\n"}})
	p.want(http.StatusOK, "Project started.", "Hosting of the patient record", "72212730-5", "Health data is hosted", "open",
		"<strong>LOT-1</strong>: Hosting", "<strong>LOT-2</strong>: Backup in a second site")
	id := submatch(t, `/projects/([0-9a-f-]{36})\?done=created`, p.URL)

	// A search saved in the project opens its results; each card offers
	// the shortlist, for this project.
	p = b.post("/projects/"+id+"/searches", url.Values{"q": {"hosting"}})
	p.want(http.StatusOK, "2 services found", "Back to your project",
		`href="/projects/shortlist?offering=`+c.certified+`&amp;project=`+id+`"`)
	if !strings.Contains(p.URL, "project="+id) || !strings.Contains(p.URL, "country=FR") {
		t.Errorf("search opened at %s", p.URL)
	}
	b.get("/offerings/"+c.certified).want(http.StatusOK, `href="/projects/shortlist?offering=`+c.certified+`"`)
	b.get("/projects/shortlist?offering="+c.certified+"&project="+id).want(http.StatusOK,
		`<option value="`+id+`" selected>Hosting of the patient record</option>`, "Health data hosting for hospitals")
	// An exclusion needs a reason: the API's error beside the note.
	b.post("/projects/shortlist", url.Values{"project": {id}, "offering": {c.uncertified}, "decision": {"excluded"}}).
		want(http.StatusUnprocessableEntity, `href="#f-note"`, `id="f-note-error"`)
	b.post("/projects/shortlist", url.Values{"offering": {c.uncertified}, "decision": {"included"}}).
		want(http.StatusUnprocessableEntity, `href="#f-project"`, "Choose the project")
	b.post("/projects/shortlist", url.Values{"project": {id}, "offering": {c.certified}, "decision": {"included"},
		"note": {"HDS certificate verified by staff."}}).want(http.StatusOK, "Added to the shortlist.", "Health data hosting for hospitals")
	p = b.post("/projects/shortlist", url.Values{"project": {id}, "offering": {c.uncertified}, "decision": {"excluded"},
		"note": {"No HDS certificate: not available to French hospitals."}})
	p.want(http.StatusOK, "Sovereign cloud hosting", "No HDS certificate", `href="/compare?`, "“hosting”")
	compare := submatch(t, `href="(/compare\?[^"]+)"`, p.Body)
	b.get(strings.ReplaceAll(compare, "&amp;", "&")).want(http.StatusOK, "Requirements in France for a public hospital")

	// A note changed on the project page; emptied for an exclusion, refused beside its field.
	b.post("/projects/"+id+"/shortlist/"+c.uncertified, url.Values{"decision-" + c.uncertified: {"excluded"}}).
		want(http.StatusUnprocessableEntity, `href="#f-note-`+c.uncertified+`"`)
	b.post("/projects/"+id+"/shortlist/"+c.uncertified, url.Values{"decision-" + c.uncertified: {"excluded"},
		"note-" + c.uncertified: {"No HDS certificate."}}).want(http.StatusOK, "Changes saved.", "No HDS certificate.")

	lockAndExport(t, b, id)
	recordAward(t, b, id, c)
	projectAccess(t, s, b, id)
	staffProjectPages(t, s, key)
}

// staffProjectPages: staff page through every project in the order they
// were started, 50 to a page: with 50 later ones, the last is on page two.
func staffProjectPages(t *testing.T, s *site, key string) {
	t.Helper()
	for i := range 50 {
		s.apiCall(http.MethodPost, "/v1/projects", key, map[string]any{"title": fmt.Sprintf("Later project %02d", i),
			"category": "incident-response", "country": "FR"}, http.StatusCreated, nil)
	}
	st := s.browser()
	st.post("/signin", url.Values{"key": {s.admin}}).want(http.StatusOK)
	first := st.get("/staff/projects").want(http.StatusOK, "Hosting of the patient record", "Later project 48", `rel="next"`).
		lacks("Later project 49")
	next := strings.ReplaceAll(submatch(t, `href="(/staff/projects\?cursor=[^"]+)" rel="next"`, first.Body), "&amp;", "&")
	st.get(next).want(http.StatusOK, "Later project 49").lacks("Hosting of the patient record", `rel="next"`)
}

// lockAndExport locks project id after the confirmation, then checks the
// digest on the page against each export.
func lockAndExport(t *testing.T, b *browser, id string) {
	t.Helper()
	p := b.get("/projects/"+id+"/lock").want(http.StatusOK, "Locking cannot be undone.", "1 saved searches, 2 shortlisted services.")
	version := submatch(t, `name="version" value="(\d+)"`, p.Body)
	b.post("/projects/"+id+"/lock", url.Values{"version": {"1"}}).want(http.StatusPreconditionFailed, `class="error-summary"`)
	p = b.post("/projects/"+id+"/lock", url.Values{"version": {version}})
	p.want(http.StatusOK, "Project locked", "SHA-256 of the snapshot:", "Download CSV").
		lacks(`action="/projects/`+id+`/searches"`, "Save the note", "Lock the project…")
	digest := submatch(t, `id="digest">([0-9a-f]{64})<`, p.Body)

	csv := b.get("/projects/"+id+"/export/csv").want(http.StatusOK, "Health data hosting for hospitals", "HDS certificate verified by staff.")
	if !strings.HasPrefix(csv.Header.Get("Content-Type"), "text/csv") || !strings.Contains(csv.Header.Get("Content-Disposition"), "attachment") {
		t.Errorf("csv headers %v", csv.Header)
	}
	if line := submatch(t, `(?m)^snapshot_sha256,(\S+)\r?$`, csv.Body); line != digest {
		t.Errorf("CSV digest %s, page %s", line, digest)
	}
	if h := csv.Header.Get("X-Snapshot-Sha256"); h != digest {
		t.Errorf("digest header %q", h)
	}
	xlsx := b.get("/projects/" + id + "/export/xlsx").want(http.StatusOK)
	if !strings.HasPrefix(xlsx.Body, "PK") || !strings.Contains(xlsx.Header.Get("Content-Type"), "spreadsheetml") {
		t.Errorf("xlsx: %s", xlsx.Header.Get("Content-Type"))
	}
	b.get("/projects/"+id+"/export/json").want(http.StatusOK, `"sha256":"`+digest+`"`)
	b.get("/projects/" + id + "/export/pdf").want(http.StatusNotFound)
	// Nothing changes a locked project.
	b.post("/projects/shortlist", url.Values{"project": {id}, "offering": {submatch(t, `id="sl-([0-9a-f-]{36})"`, p.Body)},
		"decision": {"included"}, "note": {"late"}}).want(http.StatusConflict)
}

// recordAward records the outcome of locked project id, after refusals.
func recordAward(t *testing.T, b *browser, id string, c buyerCatalogue) {
	t.Helper()
	b.post("/projects/"+id+"/outcome", url.Values{"awarded": {"no"}}).
		want(http.StatusUnprocessableEntity, `href="#f-reason"`)
	b.post("/projects/"+id+"/outcome", url.Values{"awarded": {"yes"}, "offering_id": {c.certified}, "value_eur": {"lots"}}).
		want(http.StatusUnprocessableEntity, `href="#f-value-eur"`, `value="lots"`)
	b.post("/projects/"+id+"/outcome", url.Values{"awarded": {"yes"}, "offering_id": {c.certified}, "value_eur": {"480 000"},
		"starts_on": {"2027-01-01"}, "ends_on": {"2029-12-31"}}).
		want(http.StatusOK, "Outcome recorded.", "Awarded", "480,000 euros", "2027-01-01 – 2029-12-31").lacks("Record the outcome")
	b.lang = "fr"
	b.get("/projects/"+id).want(http.StatusOK, "Dossier verrouillé", "Présélection", "Attribué")
	b.lang = "en"
}

// projectAccess: another buyer and a vendor do not see the project.
func projectAccess(t *testing.T, s *site, b *browser, id string) {
	t.Helper()
	var other struct {
		APIKey struct {
			Token string `json:"token"`
		} `json:"api_key"`
	}
	s.apiCall(http.MethodPost, "/v1/buyers", s.admin, map[string]any{"legal_name": "Klinikum (fictional)", "country": "DE",
		"ownership": "public", "nis2_entity": "essential", "vat_number": "DE811907980"}, http.StatusCreated, &other)
	o := s.browser()
	o.post("/signin", url.Values{"key": {other.APIKey.Token}}).want(http.StatusOK, "No projects yet.").lacks(id)
	o.get("/projects/" + id).want(http.StatusNotFound)
	o.get("/projects/" + id + "/export/csv").want(http.StatusNotFound)
	v := s.browser()
	v.post("/signup", url.Values{"legal_name": {"Vendeur (fictional)"}, "vat_number": {"DE700000001"}, "country": {"DE"},
		"size": {"small"}, "contact.email": {"a@vendeur.example"}}).want(http.StatusOK)
	v.get("/projects/" + id).want(http.StatusForbidden)
	v.get("/staff/projects").want(http.StatusForbidden)
	// Staff read every project, with its buyer and exports, and change nothing.
	st := s.browser()
	st.post("/signin", url.Values{"key": {s.admin}}).want(http.StatusOK)
	st.get("/staff").want(http.StatusOK, `href="/staff/projects"`)
	st.get("/staff/projects").want(http.StatusOK, "Procurement projects", `href="/projects/`+id+`"`,
		"Hosting of the patient record", "CHU de Lumière (fictional)", "locked")
	st.get("/projects/"+id).want(http.StatusOK, "reading this project as staff", "CHU de Lumière (fictional)",
		"<strong>LOT-1</strong>: Hosting", "No HDS certificate.", "Download CSV", `href="/staff/projects"`).
		lacks(`<form method="post" action="/projects/`, "Save the note", "Record the outcome", "Open the results")
	st.get("/projects/"+id+"/export/json").want(http.StatusOK, `"sha256":"`)
	st.post("/projects/"+id+"/outcome", url.Values{"awarded": {"no"}, "reason": {"staff"}}).want(http.StatusForbidden)
	// Visitors see no shortlist control on search cards.
	s.browser().get("/search?q=hosting").want(http.StatusOK, "2 services found").lacks("Add to shortlist")
}
