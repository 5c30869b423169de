package catalog

import (
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/go-playground/validator/v10"
	"github.com/go-playground/validator/v10/non-standard/validators"
)

// Validate checks v, a Vendor, Offering or Certification (or a pointer to
// one), against the rules in its `validate` struct tags. It returns nil, or a
// *ValidationError naming every rejected field by its JSON path without the
// type name, such as "vat_number", "contact.email", "countries[2]",
// "summary[xx]" or "healthcare_references[0].country".
//
// Validate expects identifiers upper-cased and compacted as the Clean
// methods leave them; callers use Clean, which calls Validate.
//
// Any other error (v is nil or not a struct) is a programming error and is
// returned as the validator reports it.
func Validate(v any) error {
	err := validate().Struct(v)
	if err == nil {
		return nil
	}
	var errs validator.ValidationErrors
	if !errors.As(err, &errs) {
		return err
	}
	root := reflect.TypeOf(v)
	for root.Kind() == reflect.Pointer {
		root = root.Elem()
	}
	ve := &ValidationError{Fields: make([]FieldError, 0, len(errs))}
	for _, fe := range errs {
		ve.Fields = append(ve.Fields, FieldError{
			Field:   fieldPath(fe),
			Message: fieldMessage(fe, root),
			Value:   echoValue(fe.Value()),
		})
	}
	sortMapKeys(ve.Fields)
	return ve
}

// validate is the catalogue's validator, built on first use. A
// *validator.Validate is safe for concurrent use once its validations are
// registered.
var validate = sync.OnceValue(func() *validator.Validate {
	v := validator.New(validator.WithRequiredStructEnabled())
	v.RegisterTagNameFunc(jsonName)
	// country: an ISO 3166-1 alpha-2 country code in capitals, such as DE.
	// It is the validator's own table (which also has XK, the code the EU
	// uses for Kosovo).
	v.RegisterAlias("country", "iso3166_1_alpha2")
	for tag, fn := range map[string]validator.Func{
		"language": isLanguage,
		"vat":      isVAT,
		"lei":      isLEI,
		"euid":     isEUID,
		"cpv":      isCPV,
		"slug":     isSlug,
		"fact":     isFactName,
		"notblank": validators.NotBlank,
		// The validator's own e164 makes the plus sign optional; the
		// database (vendors_contact_phone_check) and E.164 do not.
		"e164": isPhone,
	} {
		if err := v.RegisterValidation(tag, fn); err != nil {
			panic(err) // a bad tag name: a bug, caught by any test
		}
	}
	return v
})

// jsonName names a struct field by its JSON name so that error paths are
// JSON paths; a field without one keeps its Go name.
func jsonName(f reflect.StructField) string {
	name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
	if name == "-" {
		return ""
	}
	return name
}

// isLanguage reports whether the field is an ISO 639-1 two-letter language
// code in lower case, such as "en" or "de".
func isLanguage(fl validator.FieldLevel) bool { return IsLanguage(fl.Field().String()) }

// IsLanguage reports whether code is an ISO 639-1 two-letter language code
// in lower case, such as "en" or "de".
func IsLanguage(code string) bool {
	_, ok := languageCodes[code]
	return ok
}

// isVAT reports whether the field is a VAT identification number in compact
// form: the prefix of a Member State (EL for Greece), XI for Northern
// Ireland, or IS, LI or NO for the EEA states, then the national number in
// that state's format with its national check digits where the state defines
// them (validate_vat.go), such as DE812847601 or NL001241643B01.
func isVAT(fl validator.FieldLevel) bool { return ValidVAT(fl.Field().String()) }

// isLEI reports whether the field is an ISO 17442 Legal Entity Identifier:
// 18 digits or capital letters and 2 check digits that pass ISO 7064
// MOD 97-10, such as 5493001KJTIIGC8Y1R12.
func isLEI(fl validator.FieldLevel) bool { return validLEI(fl.Field().String()) }

func validLEI(s string) bool {
	if len(s) != 20 {
		return false
	}
	rem := 0
	for i := range len(s) {
		switch c := s[i]; {
		case '0' <= c && c <= '9':
			rem = (rem*10 + int(c-'0')) % 97
		case 'A' <= c && c <= 'Z' && i < 18:
			rem = (rem*100 + int(c-'A') + 10) % 97
		default:
			return false
		}
	}
	return rem == 1
}

// euidPattern is the structure of a European Unique Identifier: a country
// code, the identifier of the business register, a dot and the registration
// number, which may hold slashes, dots or hyphens (ROONRC.J40/12487/1998).
var euidPattern = regexp.MustCompile(`^([A-Z]{2})[A-Z0-9]{1,20}\.[A-Z0-9](?:[A-Z0-9./-]*[A-Z0-9])?$`)

// isEUID reports whether the field is a European Unique Identifier of the
// business registers interconnection system (Implementing Regulation (EU)
// 2021/1042): the country code (EL for Greece), the code of the register, a
// dot and the registration number, such as DEK1101R.HRB116737,
// NLNHR.12345678 or BEKBOBCE.0656727414. Registers choose their own codes and
// number formats, so only that structure is checked.
func isEUID(fl validator.FieldLevel) bool {
	s := fl.Field().String()
	if len(s) > 60 { // vendors_euid_check
		return false
	}
	m := euidPattern.FindStringSubmatch(s)
	if m == nil {
		return false
	}
	_, ok := euidCountries[m[1]]
	return ok
}

// cpvPattern is the written form of a CPV code: 8 digits, a hyphen and the
// check digit.
var cpvPattern = regexp.MustCompile(`^[0-9]{8}-[0-9]$`)

// isCPV reports whether the field is a code of the Common Procurement
// Vocabulary (CPV 2008) written with its check digit, such as 72212730-5.
// Since the published check-digit formula does not give the digits actually
// assigned, the code is looked up in the full vocabulary.
func isCPV(fl validator.FieldLevel) bool {
	s := fl.Field().String()
	if !cpvPattern.MatchString(s) {
		return false
	}
	d, ok := cpvCheckDigit(s[:8])
	return ok && d == s[9]
}

// phonePattern is an international number in E.164 form: a plus sign, a
// country code not starting with 0, at most 15 digits in all.
var phonePattern = regexp.MustCompile(`^\+[1-9][0-9]{1,14}$`)

// isPhone reports whether the field is a phone number in E.164 form, such
// as +4930123456789.
func isPhone(fl validator.FieldLevel) bool { return phonePattern.MatchString(fl.Field().String()) }

// factPattern is a tender-context fact as a project states it: a name in
// lower-case words joined by underscores, on, or off after a '-'.
var factPattern = regexp.MustCompile(`^-?[a-z0-9]+(?:_[a-z0-9]+)*$`)

// isFactName reports whether the field is written as a tender-context fact,
// such as health_data_hosted or -security_sensitive.
func isFactName(fl validator.FieldLevel) bool { return factPattern.MatchString(fl.Field().String()) }

var slugPattern = regexp.MustCompile(`^[a-z0-9]+(?:-[a-z0-9]+)*$`)

// isSlug reports whether the field is a slug: lower-case letters and digits
// in words joined by single hyphens, such as iso-iec-27001.
func isSlug(fl validator.FieldLevel) bool { return slugPattern.MatchString(fl.Field().String()) }

// fieldPath is the JSON path of the rejected value without the leading type
// name: "Vendor.contact.email" becomes "contact.email".
func fieldPath(fe validator.FieldError) string {
	if _, path, ok := strings.Cut(fe.Namespace(), "."); ok {
		return path
	}
	return fe.Field()
}

// maxEcho is the longest string echoed back in FieldError.Value.
const maxEcho = 200

// echoValue returns the rejected value when it is a short string or a number, and
// nil otherwise (long texts, lists, maps, dates).
func echoValue(v any) any {
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.String:
		if s := rv.String(); len(s) <= maxEcho {
			return s // a plain string, also for named types such as SizeClass
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return v
	}
	return nil
}

// sortMapKeys puts the errors of each map field in key order (and keeps list
// indexes in numeric order): the validator walks maps in Go's random order,
// and the same input should give the same answer every time.
func sortMapKeys(fields []FieldError) {
	for i := 0; i < len(fields); {
		base, _, indexed := strings.Cut(fields[i].Field, "[")
		j := i + 1
		for indexed && j < len(fields) && strings.HasPrefix(fields[j].Field, base+"[") {
			j++
		}
		slices.SortStableFunc(fields[i:j], func(a, b FieldError) int {
			return compareKeys(firstKey(a.Field), firstKey(b.Field))
		})
		i = j
	}
}

// firstKey returns what is between the first pair of brackets of a path.
func firstKey(path string) string {
	_, rest, _ := strings.Cut(path, "[")
	key, _, _ := strings.Cut(rest, "]")
	return key
}

// compareKeys compares list indexes as numbers and map keys as strings.
func compareKeys(a, b string) int {
	if allDigits(a) && allDigits(b) && len(a) != len(b) {
		return len(a) - len(b)
	}
	return strings.Compare(a, b)
}

func allDigits(s string) bool {
	return s != "" && strings.Trim(s, "0123456789") == ""
}

// genericMessage is the message of a rule without its own; a test makes sure
// every rule in use has one.
const genericMessage = "is not valid"

// fieldMessage explains a rejected value to a person. root is the validated
// struct type, used to name the other field of a cross-field rule.
func fieldMessage(fe validator.FieldError, root reflect.Type) string {
	if m, ok := fixedMessages[fe.Tag()]; ok {
		return m
	}
	param := fe.Param()
	switch fe.Tag() {
	case "required":
		return requiredMessage(fe.Kind())
	case "min", "max":
		return sizeMessage(fe.Tag(), fe.Kind(), param)
	case "oneof":
		return "must be one of: " + strings.Join(strings.Fields(param), ", ")
	case "gtfield":
		return "must be after " + siblingName(root, fe.StructNamespace(), param)
	case "vat":
		return vatMessage(fmt.Sprint(fe.Value()))
	case "cpv":
		return cpvMessage(fmt.Sprint(fe.Value()))
	}
	return genericMessage
}

// fixedMessages are the messages of rules that say the same whatever the
// value or parameter.
var fixedMessages = map[string]string{
	"unique":   "must not list the same value twice",
	"http_url": "must be a web address starting with https:// or http://, for example https://www.example.eu",
	"email":    "must be an e-mail address, for example security@example.eu",
	"e164": "must be an international phone number: a plus sign, the country code and the number " +
		"without spaces, for example +4930123456789",
	"sha256":   "must be the SHA-256 checksum of the document: 64 characters 0-9 and a-f",
	"notblank": "must not be blank",
	"slug":     "must be lower-case letters and digits, words joined by single hyphens, for example iso-iec-27001",
	"fact":     "must be a tender-context fact: lower-case words joined by underscores, '-' before it to state it off, for example health_data_hosted",
	"country":  "must be a two-letter ISO 3166-1 country code in capitals, for example DE or FR",
	"language": "must be a two-letter ISO 639-1 language code in lower case, for example en, de or fr",
	"lei": "must be a Legal Entity Identifier (LEI, ISO 17442): 20 letters and digits " +
		"ending in 2 check digits, for example 5493001KJTIIGC8Y1R12",
	"euid": "must be a European Unique Identifier (EUID) from the business register: the country code, " +
		"the register's code, a dot and the registration number, for example DEK1101R.HRB116737 or NLNHR.12345678",
}

// requiredMessage says what a missing value of the given kind lacks.
func requiredMessage(kind reflect.Kind) string {
	switch kind {
	case reflect.Slice, reflect.Array:
		return "must list at least one value"
	case reflect.Map:
		return "must have at least one entry"
	}
	return "is required"
}

// sizeMessage explains a min or max rule for the given kind of value.
func sizeMessage(tag string, kind reflect.Kind, param string) string {
	least := "at least"
	if tag == "max" {
		least = "at most"
	}
	switch kind {
	case reflect.String:
		return fmt.Sprintf("must be %s %s characters long", least, param)
	case reflect.Slice, reflect.Array:
		return fmt.Sprintf("must list %s %s", least, countOf(param, "value", "values"))
	case reflect.Map:
		return fmt.Sprintf("must have %s %s", least, countOf(param, "entry", "entries"))
	}
	return fmt.Sprintf("must be %s %s", least, param)
}

func countOf(n, one, many string) string {
	if n == "1" {
		return n + " " + one
	}
	return n + " " + many
}

// vatMessage explains what is wrong with VAT number s: the prefix, the
// format of its country, or its check digits.
func vatMessage(s string) string {
	switch checkVAT(s) {
	case vatGreekPrefix:
		return "must use the prefix EL for Greece, not GR: EL followed by 9 digits"
	case vatBadCheck:
		f := vatFormats[s[:2]]
		return fmt.Sprintf("is not a valid %s VAT number: the check digit does not match; "+
			"check the number for typing errors", f.country)
	}
	if len(s) >= 2 {
		if f, ok := vatFormats[s[:2]]; ok {
			return fmt.Sprintf("is not a valid %s VAT number: expected %s", f.country, f.format)
		}
	}
	return "must be an EU or EEA VAT number: the country prefix (EL for Greece, XI for Northern Ireland) " +
		"followed by the national number without spaces, for example DE812847601"
}

// cpvMessage explains what is wrong with CPV code s, giving the right check
// digit when only that is wrong.
func cpvMessage(s string) string {
	if cpvPattern.MatchString(s) {
		if d, ok := cpvCheckDigit(s[:8]); ok {
			return fmt.Sprintf("has the wrong check digit: the CPV code %s is written %s-%c", s[:8], s[:8], d)
		}
	}
	return "must be a code of the Common Procurement Vocabulary (CPV 2008) with its check digit, " +
		"for example 72212730-5 (security software development services)"
}

// siblingName returns the JSON name of the field called goName in the struct
// that holds the field at structNS (a Go path such as
// "Certification.ValidUntil"), or goName when it cannot be found.
func siblingName(root reflect.Type, structNS, goName string) string {
	t := root
	parts := strings.Split(structNS, ".")
	for _, p := range parts[1 : len(parts)-1] {
		p, _, _ = strings.Cut(p, "[")
		f, ok := structType(t).FieldByName(p)
		if !ok {
			return goName
		}
		t = f.Type
	}
	if f, ok := structType(t).FieldByName(goName); ok {
		if name := jsonName(f); name != "" {
			return name
		}
	}
	return goName
}

// structType returns the struct type under pointers, lists and maps, or an empty
// struct type when there is none.
func structType(t reflect.Type) reflect.Type {
	for {
		switch t.Kind() {
		case reflect.Pointer, reflect.Slice, reflect.Array, reflect.Map:
			t = t.Elem()
		case reflect.Struct:
			return t
		default:
			return reflect.TypeFor[struct{}]()
		}
	}
}
