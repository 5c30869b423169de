package catalog

import (
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// The CHECK constraints of vendors (001_catalog.sql) in Go, for the fuzz
// target below: what Clean accepts the database must accept too.
var (
	dbVAT     = regexp.MustCompile(`^[A-Z]{2}[0-9A-Z+*]{2,13}$`)
	dbLEI     = regexp.MustCompile(`^([0-9A-Z]{18}[0-9]{2})?$`)
	dbCountry = regexp.MustCompile(`^[A-Z]{2}$`)
	dbPhone   = regexp.MustCompile(`^(\+[1-9][0-9]{1,14})?$`)
	dbEmail   = regexp.MustCompile(`(?s)^.*.@..*$`)
)

// FuzzVendorClean: Clean never panics, and a vendor it accepts meets every
// CHECK constraint of the vendors table, so that no valid input becomes a 500.
func FuzzVendorClean(f *testing.F) {
	f.Add("Beispiel GmbH", "DE812847601", "5493001KJTIIGC8Y1R12", "DEK1101R.HRB116737", "de", "+49 30 123456", "a@example.eu", "https://www.example.eu")
	f.Add(" ", "de 812.847.601", "", "", "DE", "49301234", "x@y", "")
	f.Add("x", "EL123456789", "", "DEK1101R.HRB"+strings.Repeat("1", 50), "GR", "+0", "@", "http://a")
	f.Fuzz(func(t *testing.T, legal, vat, lei, euid, country, phone, email, website string) {
		v := validVendor()
		v.LegalName, v.VATNumber, v.LEI, v.EUID, v.Country = legal, vat, lei, euid, country
		v.Contact.Phone, v.Contact.Email, v.Website = phone, email, website
		if v.Clean() != nil {
			return
		}
		for _, c := range []struct {
			name string
			ok   bool
		}{
			{"vendors_legal_name_check", strings.Trim(v.LegalName, " ") != "" && utf8.RuneCountInString(v.LegalName) <= 200},
			{"vendors_vat_number_check", dbVAT.MatchString(v.VATNumber)},
			{"vendors_lei_check", dbLEI.MatchString(v.LEI)},
			{"vendors_euid_check", utf8.RuneCountInString(v.EUID) <= 60},
			{"vendors_country_check", dbCountry.MatchString(v.Country)},
			{"vendors_check", slices.Contains(v.EstablishedIn, v.Country)},
			{"vendors_website_check", utf8.RuneCountInString(v.Website) <= 300},
			{"vendors_contact_email_check", dbEmail.MatchString(v.Contact.Email) && utf8.RuneCountInString(v.Contact.Email) <= 254},
			{"vendors_contact_phone_check", dbPhone.MatchString(v.Contact.Phone)},
		} {
			if !c.ok {
				t.Fatalf("Clean accepted what %s refuses: %+v", c.name, v)
			}
		}
	})
}
