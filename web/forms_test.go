package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// A sign-up with a value the API's schema refuses (no size) and values the
// catalogue's rules refuse (VAT number, e-mail, phone) shows every error in
// one round, in the user's language and in words, each summary entry
// linking to its field; none of huma's wording reaches the page.
func TestForms_SignUpErrorsInOneRoundInWords(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	bad := url.Values{"legal_name": {"Clinique Sûre SAS (fictional)"}, "vat_number": {"FR123"}, "country": {"FR"},
		"size": {""}, "contact.email": {"not-an-address"}, "contact.phone": {"0123"}}
	for lang, words := range map[string][]string{
		"en": {"Some answers need changing.", "Choose one from the list", "Enter a valid VAT number with its country prefix",
			"Enter an e-mail address, like name@example.eu", "Enter an international phone number"},
		"fr": {"Certaines réponses sont à corriger.", "Choisissez-en un dans la liste", "Saisissez un numéro de TVA valide",
			"Saisissez une adresse e-mail", "Saisissez un numéro de téléphone international"},
		"de": {"Einige Angaben müssen geändert werden.", "Wählen Sie einen Eintrag aus der Liste", "gültige USt-IdNr.",
			"Geben Sie eine E-Mail-Adresse ein", "internationale Telefonnummer"},
	} {
		b := s.browser()
		b.lang = lang
		p := b.post("/signup", bad).want(http.StatusUnprocessableEntity, words...)
		p.want(http.StatusUnprocessableEntity, `href="#f-size"`, `href="#f-vat-number"`, `href="#f-contact-email"`, `href="#f-contact-phone"`,
			`id="f-size-error"`, `id="f-vat-number-error"`, `id="f-contact-email-error"`, `id="f-contact-phone-error"`)
		p.lacks("validation failed", "expected ", "must be an EU VAT number", "must be an e-mail address")
	}
	// An empty form: the summary lists the fields in the form's order.
	p := s.browser().post("/signup", url.Values{}).want(http.StatusUnprocessableEntity)
	last := -1
	for _, id := range []string{"f-legal-name", "f-vat-number", "f-country", "f-size", "f-contact-email"} {
		i := strings.Index(p.Body, `href="#`+id+`"`)
		if i < last {
			t.Errorf("summary entry %s out of the form's order", id)
		}
		last = i
	}
}

// The offering form, whose required lists the schema checks, words its
// errors too.
func TestForms_OfferingErrorsInWords(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	b := s.browser()
	b.lang = "fr"
	b.post("/signup", vendorSignUp()).want(http.StatusOK)
	p := b.post("/dashboard/offerings", url.Values{"name": {"A"}, "category": {"penetration-testing"}, "delivery": {"remote"},
		"summary": {"Audit"}, "text_lang": {"fr"}})
	p.want(http.StatusUnprocessableEntity, `class="error-summary"`, `href="#f-countries"`, `href="#f-languages"`, "Certaines réponses sont à corriger.")
	p.lacks("validation failed", "expected ")
}

// Errors the schema finds (an empty list) and errors the catalogue's rules
// find (an unknown country code, a certificate that ends before it starts)
// come back together: a vendor fixes a form in one round.
func TestForms_OfferingAndCertificateErrorsInOneRound(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	b := s.browser()
	b.post("/signup", vendorSignUp()).want(http.StatusOK)
	p := b.post("/dashboard/offerings", url.Values{"name": {"Audit PASSI"}, "category": {"penetration-testing"},
		"delivery": {"remote"}, "summary": {"Audit"}, "text_lang": {"fr"}, "countries": {"UK"}, "data_locations": {"XX"}})
	p.want(http.StatusUnprocessableEntity, `href="#f-countries"`, `href="#f-languages"`, `href="#f-data-locations"`,
		`id="f-countries-error"`, `id="f-languages-error"`, `id="f-data-locations-error"`)
	p.lacks("validation failed", "expected ")

	p = b.post("/dashboard/certifications", url.Values{"scheme": {"iso-iec-27001"}, "number": {""}, "issuer": {"CB"},
		"valid_from": {"2025-01-01"}, "valid_until": {"2024-01-01"}, "evidence_url": {"not a link"}})
	p.want(http.StatusUnprocessableEntity, `href="#f-number"`, `href="#f-valid-until"`, `href="#f-evidence-url"`)
	p.lacks("validation failed", "expected ")
}
