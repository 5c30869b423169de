package catalog

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// TestVATCheckDigits checks each national algorithm against numbers the
// registers issued (valid) and the same numbers with one character changed
// (invalid), plus the published examples of the algorithms.
func TestVATCheckDigits(t *testing.T) {
	for _, tc := range []struct {
		country        string
		valid, invalid []string
	}{
		{"AT", // BMF example U1358562 -> 7; Austrian companies
			[]string{"ATU13585627", "ATU14243102", "ATU61195628", "ATU54300000", "ATU65480455"},
			[]string{"ATU13585626", "ATU14243103", "ATU61195629", "ATU54300001"}},
		{"BE", // 97 - (first 8 mod 97); enterprises starting with 0 and with 1
			[]string{"BE0202239951", "BE0428759497", "BE0403019261", "BE1000000021"},
			[]string{"BE0431150351", "BE0202239952", "BE0428759479", "BE1000000033"}},
		{"DE", // ISO 7064 MOD 11,10
			[]string{"DE136695976", "DE812847601", "DE113866163", "DE129273398", "DE811907980"},
			[]string{"DE136695978", "DE812847602", "DE113866136", "DE123456789"}},
		{"ES", // DNI, NIE, K/L/M, CIF with digit, with letter, either
			[]string{"ES54362315K", "ESX5253868R", "ESX2482300W", "ESM1234567L", "ESA58951310", "ESB64717838",
				"ESQ0818001J", "ESJ99216582", "ESA13585625"},
			[]string{"ES54362315Z", "ESX2482300A", "ESM1234567K", "ESB64717839", "ESJ99216583",
				"ESA5895131A", // A takes a digit, here the letter of 0 (J would be it; A is wrong anyway)
				"ESQ08180010", // Q takes a letter, not its digit
				"ESI12345674", // I is no NIF letter
			}},
		{"FR", // key (12 + 3 * (SIREN mod 97)) mod 97; keys with letters are not checked
			[]string{"FR40303265045", "FR23334175221", "FR96000110899", "FRK7399859412", "FR4Z123456782"},
			[]string{"FR84323140391", "FR41303265045", "FR40303265046", "FR12345678901"}},
		{"IT", // Luhn
			[]string{"IT00743110157", "IT01404480202", "IT02087050155"},
			[]string{"IT00743110158", "IT01404480203", "IT12345678901"}},
		{"NL", // mod 11 on the RSIN, or (since 2020) ISO 7064 MOD 97-10
			[]string{"NL004495445B01", "NL001241643B01", "NL813411786B01", "NL002455799B11"},
			[]string{"NL123456789B90", "NL004495446B01", "NL002455799B12", "NL123456789B01"}},
		{"PL", // weights 6 5 7 2 3 4 5 6 7, mod 11
			[]string{"PL8567346215", "PL5211355116", "PL6772135826"},
			[]string{"PL8567346216", "PL5211355117", "PL1234567890"}},
	} {
		t.Run(tc.country, func(t *testing.T) {
			checkTag(t, "vat", true, tc.valid...)
			checkTag(t, "vat", false, tc.invalid...)
			for _, s := range tc.invalid {
				if f := vatFormats[s[:2]]; f.re.MatchString(s[2:]) && checkVAT(s) != vatBadCheck && !strings.HasPrefix(s, "ESI") {
					t.Errorf("%s: state %d, want a check-digit error", s, checkVAT(s))
				}
			}
		})
	}
}

// TestVATCheckDigitsCatchTypos changes one digit of valid made-up numbers:
// every national check digit catches a single wrong digit.
func TestVATCheckDigitsCatchTypos(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	templates := map[string]string{
		"AT": "U99999999", "BE": "099999999", "DE": "999999999", "ES": "99999999A", "FR": "99999999999",
		"IT": "99999999999", "PL": "9999999999",
	}
	for prefix, tpl := range templates {
		for range 300 {
			b := []byte(tpl)
			for i, c := range b {
				if c == '9' && (prefix != "BE" || i != 0) {
					b[i] = byte('0' + r.IntN(10))
				}
			}
			valid := WithVATCheckDigits(prefix + string(b))
			if valid == "" {
				continue // a Polish sum leaving 10
			}
			if !ValidVAT(valid) {
				t.Fatalf("WithVATCheckDigits(%s%s) = %s, not valid", prefix, b, valid)
			}
			i := 2 + r.IntN(len(valid)-2)
			if !isDigit(valid[i]) || (prefix == "BE" && i == 2) {
				continue
			}
			typo := []byte(valid)
			typo[i] = byte('0' + (int(typo[i]-'0')+1+r.IntN(9))%10)
			if ValidVAT(string(typo)) {
				t.Errorf("%s -> %s: one wrong digit passes", valid, typo)
			}
		}
	}
}

func TestWithVATCheckDigits(t *testing.T) {
	for in, want := range map[string]string{
		"DE136695970":    "DE136695976",
		"FR00303265045":  "FR40303265045",
		"NL004495440B01": "NL004495445B01",
		"PL1234567890":   "", // the weighted sum leaves 10
		"DK12345678":     "DK12345678",
		"DE12345678":     "", // wrong format
		"ESO1234567A":    "", // O is no NIF letter
		"X":              "",
	} {
		if got := WithVATCheckDigits(in); got != want {
			t.Errorf("WithVATCheckDigits(%s) = %q, want %q", in, got, want)
		}
	}
}

func TestVATCheckDigitMessage(t *testing.T) {
	v := validVendor()
	v.VATNumber = "FR12345678901"
	f := onlyError(t, Validate(v))
	if f.Field != "vat_number" || !strings.Contains(f.Message, "check digit does not match") ||
		!strings.Contains(f.Message, "French") || f.Value != "FR12345678901" {
		t.Errorf("got %+v", f)
	}
}
