package web_test

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// buyerCatalogue is two cloud-hosting offerings for French hospitals: one
// whose HDS certificate staff verified, one without any certificate.
type buyerCatalogue struct {
	certified, uncertified string // offering ids
	certifiedVendor        string
	uncertifiedVendor      string
}

func seedBuyerCatalogue(s *site) buyerCatalogue {
	s.t.Helper()
	var c buyerCatalogue
	var v struct {
		ID string `json:"id"`
	}
	s.apiCall(http.MethodPost, "/v1/vendors", s.admin, map[string]any{"legal_name": "Hébergeur Sûr SAS (fictional)",
		"vat_number": "FR40303265045", "country": "FR", "size": "small", "contact": map[string]any{"email": "contact@hebergeur.example"}}, http.StatusCreated, &v)
	c.certifiedVendor = v.ID
	var o struct {
		ID string `json:"id"`
	}
	s.apiCall(http.MethodPost, "/v1/vendors/"+v.ID+"/offerings", s.admin, map[string]any{"name": "Health data hosting for hospitals",
		"category": "cloud-hosting", "delivery": "remote", "countries": []string{"FR"}, "languages": []string{"fr", "en"},
		"data_locations": []string{"FR"}, "status": "published",
		"summary": map[string]string{"en": "Certified hosting of patient records.", "fr": "Hébergement certifié des dossiers patients."}}, http.StatusCreated, &o)
	c.certified = o.ID
	var cert struct {
		ID string `json:"id"`
	}
	s.apiCall(http.MethodPost, "/v1/vendors/"+v.ID+"/certifications", s.admin, map[string]any{"scheme": "hds", "number": "HDS-2025-17",
		"issuer": "Organisme certificateur (fictional)", "valid_from": "2025-01-01", "valid_until": time.Now().AddDate(2, 0, 0).Format(time.DateOnly),
		"offering_ids": []string{o.ID}, "evidence_url": "https://certs.example/HDS-2025-17.pdf"}, http.StatusCreated, &cert)
	s.apiCall(http.MethodPost, "/v1/certifications/"+cert.ID+"/verify", s.admin, map[string]any{"note": "checked the register"}, http.StatusOK, nil)

	s.apiCall(http.MethodPost, "/v1/vendors", s.admin, map[string]any{"legal_name": "Wolkenwerk GmbH (fictional)",
		"vat_number": "DE811907980", "country": "DE", "size": "medium", "contact": map[string]any{"email": "vertrieb@wolkenwerk.example"}}, http.StatusCreated, &v)
	c.uncertifiedVendor = v.ID
	s.apiCall(http.MethodPost, "/v1/vendors/"+v.ID+"/offerings", s.admin, map[string]any{"name": "Sovereign cloud hosting",
		"category": "cloud-hosting", "delivery": "remote", "countries": []string{"FR", "DE"}, "languages": []string{"de", "en"},
		"data_locations": []string{"DE"}, "status": "published",
		"summary": map[string]string{"en": "Hosting in German data centres."}}, http.StatusCreated, &o)
	c.uncertified = o.ID
	s.drain()
	return c
}

func TestPages_BuyerSearchOfferingVendorCompare(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	c := seedBuyerCatalogue(s)
	b := s.browser()

	// Without a country: results, facets with counts, a prompt to choose.
	b.get("/search?q=hosting").want(http.StatusOK, "2 services found", "Health data hosting for hospitals",
		"Sovereign cloud hosting", "Choose your country", `name="category" value="cloud-hosting"`, "(2)",
		"hds, verified, valid until")

	// A French public hospital: why one is available and what the other lacks.
	// The cards say so from the search answer alone; the explanation loads
	// lazily per card (htmx, hx-trigger="revealed"), and without JavaScript
	// "Why?" opens the offering page at its assessment.
	p := b.get("/search?q=hosting&country=FR&buyer=public").want(http.StatusOK, "2 services found",
		"Available to you.", "Not available to you yet.", `href="/offerings/`+c.certified+`?buyer=public&amp;country=FR"`,
		`hx-get="/offerings/`+c.certified+`/why?buyer=public&amp;country=FR" hx-trigger="revealed"`,
		`href="/offerings/`+c.certified+`?buyer=public&amp;country=FR#assess-title">Why?`).
		lacks("What would make it available:")
	req, _ := http.NewRequest(http.MethodGet, s.URL+"/offerings/"+c.certified+"/why?buyer=public&country=FR", nil)
	req.Header.Set("HX-Request", "true")
	b.do(req).want(http.StatusOK, `<div class="why">`, "Available to you; no requirement rests on an unverified certificate.",
		"hds", "verified", "valid until").lacks("<html")
	b.get("/offerings/"+c.uncertified+"/why?buyer=public&country=FR").want(http.StatusOK, "<html", "Not available to you yet.",
		"What would make it available:", "HDS")
	b.get("/offerings/" + c.uncertified + "/why").want(http.StatusNotFound)
	if i, j := strings.Index(p.Body, "Health data hosting"), strings.Index(p.Body, "Sovereign cloud"); i < 0 || j < 0 {
		t.Fatal("cards missing")
	}
	// Filters narrow; the verified-only switch keeps the verified one.
	b.get("/search?country=FR&available=1&category=cloud-hosting&verified=1&scheme=hds").want(http.StatusOK, "1 services found", "Health data hosting").
		lacks("Sovereign cloud")
	// A malformed filter is the API's 422, shown on the form.
	b.get("/search?country=France&available=1").want(http.StatusUnprocessableEntity, `class="error-summary"`, `href="#f-country"`)

	// The offering page, in French: the vendor's French summary, the certificate, the assessment.
	b.lang = "fr"
	b.get("/offerings/"+c.certified+"?country=FR&buyer=public").want(http.StatusOK,
		"Hébergement certifié des dossiers patients.", "HDS-2025-17", "vérifié", "Accessible pour vous", "https://certs.example/HDS-2025-17.pdf")
	// English-only summary shown with its language marked.
	b.get("/offerings/"+c.uncertified).want(http.StatusOK, `lang="en">Hosting in German data centres.`)
	b.lang = "en"

	b.get("/vendors/"+c.certifiedVendor).want(http.StatusOK, "Hébergeur Sûr SAS (fictional)", "Health data hosting for hospitals", "HDS-2025-17").
		lacks("contact@hebergeur.example") // contact details are for the vendor and staff only (the API's rule)

	// Compare: requirements down, offerings across.
	b.get("/compare?id="+c.certified+"&id="+c.uncertified+"&country=FR&buyer=public").want(http.StatusOK,
		"Requirements in France for a public hospital, by service", "Hébergeur de données de santé", `<span class="badge ok">yes</span>`, `<span class="badge bad">no</span>`)
	b.get("/compare?id=a&id=b&id=c&id=d&id=e").want(http.StatusUnprocessableEntity)
	b.get("/compare").want(http.StatusOK, "Choose up to four services")

	// Policymakers: the barriers table, sortable, and as CSV.
	p = b.get("/policy/barriers?category=cloud-hosting&buyer=public&sort=-share").want(http.StatusOK,
		"Barriers for Secure cloud and hosting, public hospitals", `aria-sort="descending"`, "France", "Hébergeur de données de santé",
		// FR: 1 of 2 offerings eligible; the 95% Wilson interval of 1/2 is 0.0945-0.9055, and n < 10 is flagged.
		"95% interval 9–91 %, n = 2", "few offerings")
	if fr, de := strings.Index(p.Body, ">France<"), strings.Index(p.Body, ">Germany<"); fr < 0 || de < 0 {
		t.Error("country rows missing")
	}
	csv := b.get("/policy/barriers.csv?category=cloud-hosting&buyer=public")
	csv.want(http.StatusOK, "country,category,buyer,requirements")
	if !strings.HasPrefix(csv.Header.Get("Content-Type"), "text/csv") || strings.Count(csv.Body, "\n") < 30 {
		t.Errorf("csv %s: %d lines", csv.Header.Get("Content-Type"), strings.Count(csv.Body, "\n"))
	}
	var frRow string
	for _, l := range strings.Split(csv.Body, "\n") {
		if strings.HasPrefix(l, "FR,") {
			frRow = l
		}
	}
	// FR: 2 cloud-hosting offerings, both serve FR, 1 eligible (the HDS one), share 0.5.
	if !strings.HasPrefix(frRow, "FR,cloud-hosting,public,") || !strings.Contains(frRow, ",2,2,1,1,0.5,0.09") ||
		!strings.Contains(frRow, ",true,") || !strings.HasSuffix(frRow, ",national-rules") {
		t.Errorf("FR row %q", frRow)
	}
	b.get("/policy/barriers?category=nonsense").want(http.StatusUnprocessableEntity)

	// Vendors: the market view of an offering and the roadmap.
	market := b.get("/offerings/"+c.uncertified+"/market").want(http.StatusOK, "Where can it be sold?", "Public hospitals",
		"Hébergeur de données de santé", "HDS - Hébergeur", `<span class="badge bad">no</span>`,
		// each scheme with its own sourced cost; where a language also blocks,
		// no total, and no "unknown" for a cost that is known
		`<a href="/schemes/hds">HDS - Hébergeur de Données de Santé certification (France)</a> (20,000–30,000 €)`, "certificates alone are not enough",
		// and its lead time where a source gives one
		"ENS - Esquema Nacional de Seguridad conformity (Spain)</a> (media) (2,500–8,000 €; lead time 3–12 months)",
		// an unknown cost says what is unknown
		"Entry in the Czech cloud computing catalogue (public administration)</a> (cost unknown; lead time 2.5–5.5 months)")
	// Countries in the order of the names shown: Denmark before Germany.
	if dk, de := strings.Index(market.Body, `<th scope="row">Denmark</th>`), strings.Index(market.Body, `<th scope="row">Germany</th>`); dk < 0 || de < 0 || dk > de {
		t.Errorf("market rows out of name order: Denmark at %d, Germany at %d", dk, de)
	}
	// 60 markets, 49 open, 8 unreachable: the other 3 open only with schemes of unknown cost, listed as
	// options all the same (they were hidden when no option had a known cost).
	b.get("/vendors/"+c.certifiedVendor+"/roadmap?budget=50000").want(http.StatusOK, "Certification roadmap",
		"60 markets considered; 49 open today; 8 no certificate can open.",
		`<a href="/schemes/cz-cloud-catalogue">Entry in the Czech cloud computing catalogue (public administration)</a></td><td>1</td><td>unknown</td>`).
		lacks("No certificate would open more markets.", "three or more")
	// Each option with its lead time where a source gives one.
	b.get("/vendors/"+c.uncertifiedVendor+"/roadmap").want(http.StatusOK, `<th scope="col">Lead time</th>`,
		"<td>40,000–120,000 €</td><td>6–12 months</td>", "<td>2.5–5.5 months</td>", "<td>unknown</td>")
	b.get("/vendors/"+c.certifiedVendor+"/roadmap?budget=lots").want(http.StatusUnprocessableEntity, `href="#f-budget"`)

	// A search page weighs under 150 KB with its stylesheet and scripts.
	weight := len(b.get("/search?q=hosting&country=FR&buyer=public").Body)
	page := weight
	for _, asset := range []string{"/static/style.css", "/static/htmx.min.js"} {
		weight += len(b.get(asset).want(http.StatusOK).Body)
	}
	t.Logf("search page %d bytes, with CSS and htmx %d bytes", page, weight)
	if weight > 150_000 {
		t.Errorf("search page weighs %d bytes with its assets", weight)
	}

	// Policymakers: a country page with every requirement and its source.
	fr := b.get("/countries/FR?category=cloud-hosting&buyer=public").want(http.StatusOK, "France", "ANSSI",
		"Hébergeur de données de santé", "decides eligibility", "Source:", "Research coverage",
		`<tr data-coverage="national-rules">`, `href="#req-fr-hds"`,
		"as of 2024-05-17, confirmed in force on 2026-12-02, checked") // fr-hds: an older source confirmed current
	if n := strings.Count(fr.Body, "<tr data-coverage="); n != 1 {
		t.Errorf("FR narrowed to one cell shows %d coverage rows", n)
	}
	// A country with only EU-wide rules says the research looked and found
	// none, with its date and sources, for every category and buyer kind.
	is := b.get("/countries/IS").want(http.StatusOK, `<tr data-coverage="researched-no-national-rule">`, "What was searched")
	if n := strings.Count(is.Body, `<tr data-coverage="researched-no-national-rule">`); n < 10 {
		t.Errorf("IS shows %d researched cells without a national rule", n)
	}
	if strings.Contains(is.Body, `data-coverage="not-researched"`) {
		t.Error("IS shows a cell as not researched")
	}
	b.get("/countries/XX").want(http.StatusNotFound)
	fr.want(http.StatusOK, `<a href="/schemes/hds">`) // the schemes that meet a requirement link to their pages

	// Schemes: each cost with what it covers and where it was read, or why it is unknown.
	b.get("/schemes").want(http.StatusOK, "Certification schemes", "schemes have a sourced cost range",
		`<a href="/schemes/hds">`, "<td>20,000–30,000 €</td>", "<td>1,012–2,024 €</td>\n    <td>3 months</td>")
	b.get("/schemes/sztfh-registered-auditor").want(http.StatusOK, "<strong>1,012–2,024 €</strong>", "HUF 390,000",
		`href="https://github.com/ryzen3100/magyar-jogszabaly-mcp/`, "15/2023. (VII. 31.) SZTFH rendelet § 1(6), (8)",
		"partly checked in the source", "<strong>3 months</strong>")
	b.get("/schemes/cpstic").want(http.StatusOK, "<strong>unknown</strong>", "the CCN certification step is free of charge")
	b.get("/schemes/khzg-authorised-it-provider").want(http.StatusOK, "<strong>no fee</strong>", "<strong>no waiting</strong>")
	b.get("/schemes/nonsense").want(http.StatusNotFound)
	b.lang = "de"
	b.get("/schemes/bsi-c5").want(http.StatusOK, "Typische Kosten", "40.000–120.000 €", "6–12 Monate")
	b.lang = "en"

	// What if Czechia accepted HDS for its cloud catalogue: the HDS-certified
	// offering turns eligible there for public hospitals. The country's
	// requirements are listed first.
	b.get("/policy/what-if?country=CZ").want(http.StatusOK, `name="requirement"`, `value="cz-cloud-computing-catalogue"`)
	wi := b.get("/policy/what-if?country=CZ&requirement=cz-cloud-computing-catalogue&scheme=hds").want(http.StatusOK,
		"Eligible offerings before and after", `<th scope="row">Secure cloud and hosting</th><td>public</td><td>2</td><td>0</td><td>1</td>`, `+1`,
		"Offerings that change", "One offering changes:", "becomes eligible in CZ (public)")
	if n := strings.Count(wi.Body, "<li data-changed="); n != 1 {
		t.Errorf("what-if names %d changed offerings, want the one HDS-certified", n)
	}
	// A recognition the requirement already has changes nothing, and says so.
	b.get("/policy/what-if?country=FR&requirement=fr-hds&scheme=hds").want(http.StatusOK,
		`data-warning="already-accepted"`, "No offering&#39;s eligibility changes.")
	b.get("/policy/what-if?country=FR&requirement=nonsense&scheme=iso-iec-27001").want(http.StatusUnprocessableEntity, `class="error-summary"`)
}

// basisCatalogue adds to the buyer catalogue c an offering whose HDS
// certificate is only self-declared and one of a category for which
// French public hospitals need no certificate.
type basisCatalogue struct {
	buyerCatalogue
	selfDeclared, noneRequired string // offering ids
}

func seedBasisCatalogue(s *site) basisCatalogue {
	s.t.Helper()
	c := basisCatalogue{buyerCatalogue: seedBuyerCatalogue(s)}
	var v, o, cert struct {
		ID string `json:"id"`
	}
	s.apiCall(http.MethodPost, "/v1/vendors", s.admin, map[string]any{"legal_name": "Nuage Déclaré SARL (fictional)",
		"vat_number": "FR83404833048", "country": "FR", "size": "micro", "contact": map[string]any{"email": "contact@nuage.example"}}, http.StatusCreated, &v)
	s.apiCall(http.MethodPost, "/v1/vendors/"+v.ID+"/offerings", s.admin, map[string]any{"name": "Declared hosting for clinics",
		"category": "cloud-hosting", "delivery": "remote", "countries": []string{"FR"}, "languages": []string{"fr"},
		"data_locations": []string{"FR"}, "status": "published",
		"summary": map[string]string{"fr": "Hébergement de données de santé, certificat déclaré."}}, http.StatusCreated, &o)
	c.selfDeclared = o.ID
	s.apiCall(http.MethodPost, "/v1/vendors/"+v.ID+"/certifications", s.admin, map[string]any{"scheme": "hds", "number": "HDS-2026-99",
		"issuer": "Organisme certificateur (fictional)", "valid_from": "2025-06-01", "valid_until": time.Now().AddDate(1, 0, 0).Format(time.DateOnly),
		"offering_ids": []string{o.ID}}, http.StatusCreated, &cert)
	s.apiCall(http.MethodPost, "/v1/vendors/"+v.ID+"/offerings", s.admin, map[string]any{"name": "Phishing awareness training",
		"category": "training-awareness", "delivery": "remote", "countries": []string{"FR"}, "languages": []string{"fr"},
		"status": "published", "summary": map[string]string{"fr": "Formation du personnel soignant à l'hameçonnage."}}, http.StatusCreated, &o)
	c.noneRequired = o.ID
	s.drain()
	return c
}

// A French public-hospital buyer (interface in French) finds each offering
// available, and its card's explanation says on what basis: verified
// certificates, a self-declared one, or none required. The page says what
// the API's assessment says.
func TestPages_FrenchBuyerSeesTheBasis(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	c := seedBasisCatalogue(s)
	b := s.browser()
	b.lang = "fr"
	b.get("/search?country=FR&buyer=public&available=1").want(http.StatusOK, "Health data hosting for hospitals",
		"Declared hosting for clinics", "Phishing awareness training", "Accessible pour vous.").lacks("Sovereign cloud hosting")
	for id, want := range map[string][]string{
		c.certified:    {`data-basis="verified"`, "Fondement :", `<span class="badge ok">vérifié</span>`, "vérifiés par l&#39;équipe"},
		c.selfDeclared: {`data-basis="self-declared"`, `<span class="badge warn">auto-déclaré</span>`, "pas encore vérifié"},
		c.noneRequired: {`data-basis="none-required"`, `<span class="badge ok">aucun exigé</span>`, "aucune exigence ne demande ici de certificat"},
	} {
		var list struct {
			Assessments []struct {
				Basis string `json:"basis"`
			} `json:"assessments"`
		}
		s.apiCall(http.MethodGet, "/v1/offerings/"+id+"/assessment?country=FR&buyer=public", "", nil, http.StatusOK, &list)
		if len(list.Assessments) != 1 || !strings.Contains(want[0], `"`+list.Assessments[0].Basis+`"`) {
			t.Fatalf("%s: the API's basis %+v, the test expects %s", id, list.Assessments, want[0])
		}
		req, _ := http.NewRequest(http.MethodGet, s.URL+"/offerings/"+id+"/why?buyer=public&country=FR", nil)
		req.Header.Set("HX-Request", "true")
		b.do(req).want(http.StatusOK, append(want, "Accessible pour vous")...)
		// Without JavaScript, "Why?" opens the offering page, which says the same.
		b.get("/offerings/"+id+"?country=FR&buyer=public").want(http.StatusOK, want[0])
	}
}
