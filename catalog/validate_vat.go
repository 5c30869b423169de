package catalog

import (
	"fmt"
	"strconv"
	"strings"
)

// National check digits of VAT identification numbers.
//
// Each function takes the national part of a number that already has its
// country's format (vatFormats in codes.go) and returns it with the check
// characters it should have, or "" when no check characters can make it
// valid. A number is valid when it comes back unchanged. The algorithms are
// those the tax administrations publish (or, for Spain and the Netherlands,
// describe to software makers):
//
//	AT  BMF: the 8th digit from a Luhn-like sum of the first 7, plus 4
//	BE  SPF Finances: the last 2 digits are 97 - (first 8 mod 97)
//	DE  BZSt: ISO 7064 MOD 11,10 over the first 8 digits
//	ES  AEAT: DNI/NIE letter (mod 23); CIF control digit or letter
//	FR  DGFiP: key = (12 + 3 * (SIREN mod 97)) mod 97
//	IT  Agenzia delle Entrate: Luhn over the first 10 digits
//	NL  Belastingdienst: mod 11 on the RSIN, or (numbers issued to sole
//	    proprietors since 2020) ISO 7064 MOD 97-10 over NL + the number
//	PL  Ministry of Finance: weights 6 5 7 2 3 4 5 6 7, mod 11
var vatCheckDigits = map[string]func(string) string{
	"AT": atUID,
	"BE": beEnterprise,
	"DE": deUStID,
	"ES": esNIF,
	"FR": frTVA,
	"IT": itIVA,
	"NL": nlBTW,
	"PL": plNIP,
}

// vatState is the result of checking a VAT number.
type vatState int

const (
	vatValid       vatState = iota
	vatBadFormat            // unknown prefix or not the country's format
	vatBadCheck             // the country's format, wrong check characters
	vatGreekPrefix          // GR instead of EL
)

// checkVAT checks VAT number s in compact form: the prefix, the national
// format, and the national check digits where the country defines them.
func checkVAT(s string) vatState {
	if strings.HasPrefix(s, "GR") {
		return vatGreekPrefix
	}
	if len(s) < 3 {
		return vatBadFormat
	}
	prefix, national := s[:2], s[2:]
	f, ok := vatFormats[prefix]
	if !ok || !f.re.MatchString(national) {
		return vatBadFormat
	}
	if fix, ok := vatCheckDigits[prefix]; ok && fix(national) != national {
		return vatBadCheck
	}
	return vatValid
}

// ValidVAT reports whether s, a VAT number in compact form (DE812847601), has
// its country's format and check digits.
func ValidVAT(s string) bool { return checkVAT(s) == vatValid }

// WithVATCheckDigits returns VAT number s (compact, in its country's format)
// with the check characters its national part calls for, for generators of
// made-up but valid numbers. It returns s unchanged when its country defines
// no check digits, and "" when no check characters can make it valid (a
// Polish number whose weighted sum leaves 10) or the format is wrong.
func WithVATCheckDigits(s string) string {
	if len(s) < 3 {
		return ""
	}
	f, ok := vatFormats[s[:2]]
	if !ok || !f.re.MatchString(s[2:]) {
		return ""
	}
	fix, ok := vatCheckDigits[s[:2]]
	if !ok {
		return s
	}
	if n := fix(s[2:]); n != "" {
		return s[:2] + n
	}
	return ""
}

// atUID: U and 8 digits; the 8th is (10 - (4 + S) mod 10) mod 10, where S
// adds the 1st, 3rd, 5th and 7th digits and the digit sums of twice the
// 2nd, 4th and 6th.
func atUID(n string) string {
	sum := 0
	for i := 1; i <= 7; i++ {
		d := digit(n[i])
		if i%2 == 0 {
			d = d*2/10 + d*2%10
		}
		sum += d
	}
	return n[:8] + strconv.Itoa((10-(4+sum)%10)%10)
}

// beEnterprise: 10 digits, the last two 97 - (the first 8 mod 97).
func beEnterprise(n string) string {
	body, _ := strconv.Atoi(n[:8])
	return fmt.Sprintf("%s%02d", n[:8], 97-body%97)
}

// deUStID: 9 digits, the 9th by ISO 7064 MOD 11,10 over the first 8.
func deUStID(n string) string {
	product := 10
	for i := range 8 {
		sum := (digit(n[i]) + product) % 10
		if sum == 0 {
			sum = 10
		}
		product = 2 * sum % 11
	}
	return n[:8] + strconv.Itoa((11-product)%10)
}

// frTVA: a 2-character key and the 9-digit SIREN. A numeric key is
// (12 + 3 * (SIREN mod 97)) mod 97. Keys with letters (issued when the
// numeric ones ran out) follow no published formula and are not checked.
func frTVA(n string) string {
	if !allDigits(n[:2]) {
		return n
	}
	siren, _ := strconv.Atoi(n[2:])
	return fmt.Sprintf("%02d%s", (12+3*(siren%97))%97, n[2:])
}

// itIVA: 11 digits, the last the Luhn check digit of the first 10.
func itIVA(n string) string { return n[:10] + luhnDigit(n[:10]) }

// plNIP: 10 digits, the last the weighted sum of the first 9 mod 11; a
// number whose sum leaves 10 is never issued.
func plNIP(n string) string {
	weights := [9]int{6, 5, 7, 2, 3, 4, 5, 6, 7}
	sum := 0
	for i, w := range weights {
		sum += w * digit(n[i])
	}
	if sum%11 == 10 {
		return ""
	}
	return n[:9] + strconv.Itoa(sum%11)
}

// nlBTW: 9 digits, B and 2 digits. Valid when the 9 digits pass the
// "elfproef" (9*d1 + 8*d2 + ... + 2*d8 - d9 divisible by 11) or, for the
// numbers issued to sole proprietors since 1 January 2020, when NL and the
// whole number pass ISO 7064 MOD 97-10 (letters count 10-35).
func nlBTW(n string) string {
	sum := 0
	for i := range 8 {
		sum += (9 - i) * digit(n[i])
	}
	if sum%11 == digit(n[8]) || mod97("NL"+n) == 1 {
		return n
	}
	if sum%11 < 10 {
		return n[:8] + strconv.Itoa(sum%11) + n[9:]
	}
	return fmt.Sprintf("%s%02d", n[:10], 98-mod97("NL"+n[:10]+"00"))
}

// mod97 is s, letters counting 10 (A) to 35 (Z), modulo 97.
func mod97(s string) int {
	rem := 0
	for i := range len(s) {
		if c := s[i]; c >= 'A' && c <= 'Z' {
			rem = (rem*100 + int(c-'A') + 10) % 97
		} else {
			rem = (rem*10 + digit(c)) % 97
		}
	}
	return rem
}

// dniLetters are the check letters of DNI and NIE numbers, by the number mod 23.
const dniLetters = "TRWAGMYFPDXBNJZSQVHLCKE"

// esNIF: 9 characters. A Spanish national's DNI (8 digits) and the K, L
// and M numbers (letter and 7 digits) end in the letter of the digits mod
// 23; a foreigner's NIE (X, Y or Z and 7 digits) the same with X, Y, Z read
// as 0, 1, 2. A legal entity's CIF (letter, 7 digits) ends in a control
// digit, or its letter in JABCDEFGHI: a digit for A, B, E and H, a letter
// for N, P, Q, R, S and W, either for the rest.
func esNIF(n string) string {
	first := n[0]
	switch {
	case isDigit(first):
		if !allDigits(n[:8]) {
			return ""
		}
		num, _ := strconv.Atoi(n[:8])
		return n[:8] + string(dniLetters[num%23])
	case strings.IndexByte("XYZ", first) >= 0:
		num, _ := strconv.Atoi(string(rune('0'+strings.IndexByte("XYZ", first))) + n[1:8])
		return n[:8] + string(dniLetters[num%23])
	case strings.IndexByte("KLM", first) >= 0:
		num, _ := strconv.Atoi(n[1:8])
		return n[:8] + string(dniLetters[num%23])
	case strings.IndexByte("ABCDEFGHJNPQRSUVW", first) >= 0:
		return esCIF(n)
	}
	return ""
}

// esCIF is esNIF for a legal entity's CIF.
func esCIF(n string) string {
	d := luhnDigit(n[1:8])
	letter := string("JABCDEFGHI"[d[0]-'0'])
	switch {
	case strings.IndexByte("ABEH", n[0]) >= 0:
		return n[:8] + d
	case strings.IndexByte("NPQRSW", n[0]) >= 0:
		return n[:8] + letter
	case n[8:] == letter:
		return n
	}
	return n[:8] + d
}

// luhnDigit is the Luhn check digit of the digits in s.
func luhnDigit(s string) string {
	sum := 0
	for i := range len(s) {
		d := digit(s[len(s)-1-i])
		if i%2 == 0 {
			d = d*2/10 + d*2%10
		}
		sum += d
	}
	return strconv.Itoa((10 - sum%10) % 10)
}

func digit(c byte) int    { return int(c - '0') }
func isDigit(c byte) bool { return '0' <= c && c <= '9' }
