// Package eforms reads eForms contract notices (UBL XML as published on TED,
// eForms SDK 1.x) into the facts a procurement project starts from: title,
// CPV codes, place of performance and lots. It is pure: bytes in, values
// out. Hostile input (a DTD, entity tricks, deep nesting, a huge file) is
// refused before any of it is interpreted.
package eforms

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
)

// Limits on what Parse reads.
const (
	MaxBytes  = 512 << 10 // a notice with 100 lots is about 400 KiB
	MaxDepth  = 64
	MaxTokens = 200_000
)

// Notice is what a contract notice says about the procurement.
type Notice struct {
	// ID is the notice identifier (BT-701).
	ID string
	// Title is the procurement's title (BT-21), in English when the notice has it.
	Title string
	// CPVMain is the main CPV code (BT-262), eight digits without check digit.
	CPVMain string
	// CPVAdditional are the additional CPV codes (BT-263) of the procedure.
	CPVAdditional []string
	// Countries are the ISO 3166-1 alpha-2 codes of the places of
	// performance (BT-5141), in order of appearance, without repeats.
	Countries []string
	// NUTS are the NUTS codes of the places of performance (BT-5071).
	NUTS []string
	// Lots are the notice's lots (groups of lots are left out).
	Lots []Lot
	// Selection are the selection criteria of the lots (BT-809), in notice
	// order, each with what it means in the catalogue (selection.go).
	Selection []Criterion
}

// Lot is one lot of a notice.
type Lot struct {
	ID        string   // BT-137, such as LOT-0001
	Title     string   // BT-21 of the lot
	CPV       []string // main then additional CPV codes of the lot
	Countries []string // alpha-2 places of performance of the lot
}

// Error says why a notice was refused. Parse returns only *Error.
type Error struct{ Reason string }

func (e *Error) Error() string { return "eforms: " + e.Reason }

func refuse(format string, args ...any) error { return &Error{Reason: fmt.Sprintf(format, args...)} }

// Parse reads one contract notice. It refuses, with *Error, anything larger
// than MaxBytes, with a DTD or processing instruction other than the XML
// declaration, nested deeper than MaxDepth, malformed, or not a
// ContractNotice with a title and a main CPV code.
func Parse(r io.Reader) (Notice, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxBytes+1))
	if err != nil {
		return Notice{}, refuse("could not read the notice")
	}
	if len(data) > MaxBytes {
		return Notice{}, refuse("the notice is larger than %d KiB", MaxBytes>>10)
	}
	if err := screen(data); err != nil {
		return Notice{}, err
	}
	var doc xmlNotice
	if err := xml.Unmarshal(data, &doc); err != nil {
		return Notice{}, refuse("the notice is not well-formed XML")
	}
	return doc.notice()
}

// screen walks the tokens once, before any decoding into values: it refuses
// DTDs (and with them every entity definition: an eForms notice has none),
// processing instructions, deep nesting and floods of tokens.
func screen(data []byte) error {
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = true
	depth, tokens := 0, 0
	for {
		tok, err := d.RawToken()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return refuse("the notice is not well-formed XML")
		}
		if tokens++; tokens > MaxTokens {
			return refuse("the notice has more than %d XML tokens", MaxTokens)
		}
		switch t := tok.(type) {
		case xml.Directive:
			return refuse("the notice has a DTD or another directive (<!%s>), which eForms notices never have", firstWord(t))
		case xml.ProcInst:
			if t.Target != "xml" {
				return refuse("the notice has a processing instruction <?%s?>", t.Target)
			}
		case xml.StartElement:
			if depth++; depth > MaxDepth {
				return refuse("the notice nests elements deeper than %d", MaxDepth)
			}
		case xml.EndElement:
			depth--
		}
	}
	if depth != 0 {
		return refuse("the notice is not well-formed XML")
	}
	return nil
}

func firstWord(b []byte) string {
	w, _, _ := strings.Cut(strings.TrimSpace(string(b)), " ")
	if len(w) > 20 {
		w = w[:20]
	}
	return w
}

// The parts of the UBL notice Parse reads; encoding/xml matches local names.
type xmlNotice struct {
	XMLName xml.Name
	ID      string     `xml:"ID"`
	Project xmlProject `xml:"ProcurementProject"`
	Lots    []xmlLot   `xml:"ProcurementProjectLot"`
}

type xmlProject struct {
	Names      []xmlText     `xml:"Name"`
	Main       []string      `xml:"MainCommodityClassification>ItemClassificationCode"`
	Additional []string      `xml:"AdditionalCommodityClassification>ItemClassificationCode"`
	Locations  []xmlLocation `xml:"RealizedLocation"`
}

type xmlText struct {
	Language string `xml:"languageID,attr"`
	Text     string `xml:",chardata"`
}

type xmlLocation struct {
	NUTS    string `xml:"Address>CountrySubentityCode"`
	Country string `xml:"Address>Country>IdentificationCode"`
}

type xmlLot struct {
	ID        xmlID          `xml:"ID"`
	Project   xmlProject     `xml:"ProcurementProject"`
	Selection []xmlCriterion `xml:"TenderingTerms>UBLExtensions>UBLExtension>ExtensionContent>EformsExtension>SelectionCriteria"`
}

type xmlID struct {
	Scheme string `xml:"schemeName,attr"`
	Text   string `xml:",chardata"`
}

func (n xmlNotice) notice() (Notice, error) {
	if n.XMLName.Local != "ContractNotice" {
		return Notice{}, refuse("the document is a %s, not a ContractNotice", n.XMLName.Local)
	}
	out := Notice{ID: strings.TrimSpace(n.ID), Title: title(n.Project.Names)}
	if out.Title == "" {
		return Notice{}, refuse("the notice has no procurement title (BT-21)")
	}
	codes := n.Project.cpv()
	if len(n.Project.Main) == 0 || len(codes) == 0 {
		return Notice{}, refuse("the notice has no main CPV code (BT-262)")
	}
	out.CPVMain, out.CPVAdditional = codes[0], codes[1:]
	out.Countries, out.NUTS = n.Project.places()
	for _, l := range n.Lots {
		if !strings.EqualFold(strings.TrimSpace(l.ID.Scheme), "Lot") {
			continue // a group of lots
		}
		countries, _ := l.Project.places()
		out.Lots = append(out.Lots, Lot{ID: strings.TrimSpace(l.ID.Text), Title: title(l.Project.Names),
			CPV: l.Project.cpv(), Countries: countries})
		for _, c := range l.Selection {
			out.Selection = append(out.Selection, c.criterion(strings.TrimSpace(l.ID.Text)))
		}
	}
	for _, c := range slices.Concat([]string{out.CPVMain}, out.CPVAdditional) {
		if !isCPV(c) {
			return Notice{}, refuse("the CPV code %q is not eight digits", c)
		}
	}
	return out, nil
}

// cpv returns the main then the additional codes, trimmed, without repeats.
func (p xmlProject) cpv() []string {
	var out []string
	for _, c := range slices.Concat(p.Main, p.Additional) {
		if c = strings.TrimSpace(c); c != "" && !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	return out
}

// places returns the alpha-2 countries and the NUTS codes of the project's
// places of performance, without repeats. Unknown country codes are kept as
// they are, for the caller to refuse.
func (p xmlProject) places() (countries, nuts []string) {
	for _, l := range p.Locations {
		if c := strings.TrimSpace(l.Country); c != "" {
			if a2, ok := alpha2[c]; ok {
				c = a2
			}
			if !slices.Contains(countries, c) {
				countries = append(countries, c)
			}
		}
		if n := strings.TrimSpace(l.NUTS); n != "" && !slices.Contains(nuts, n) {
			nuts = append(nuts, n)
		}
	}
	return countries, nuts
}

// title picks the English text, else the first; whitespace is collapsed.
func title(names []xmlText) string {
	pick := ""
	for _, n := range names {
		if pick == "" || n.Language == "ENG" {
			pick = n.Text
			if n.Language == "ENG" {
				break
			}
		}
	}
	return strings.Join(strings.Fields(pick), " ")
}

func isCPV(s string) bool {
	if len(s) != 8 {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// alpha2 maps the ISO 3166-1 alpha-3 codes eForms uses to alpha-2, for the
// EU and EEA states and their neighbours in the catalogue's scope.
var alpha2 = map[string]string{
	"AUT": "AT", "BEL": "BE", "BGR": "BG", "HRV": "HR", "CYP": "CY", "CZE": "CZ", "DNK": "DK", "EST": "EE",
	"FIN": "FI", "FRA": "FR", "DEU": "DE", "GRC": "GR", "HUN": "HU", "IRL": "IE", "ITA": "IT", "LVA": "LV",
	"LTU": "LT", "LUX": "LU", "MLT": "MT", "NLD": "NL", "POL": "PL", "PRT": "PT", "ROU": "RO", "SVK": "SK",
	"SVN": "SI", "ESP": "ES", "SWE": "SE", "ISL": "IS", "LIE": "LI", "NOR": "NO", "CHE": "CH", "GBR": "GB",
}
