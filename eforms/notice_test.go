package eforms

import (
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const opTitle = "Provision of IT Services Related to OP IT Systems (EUR-Lex, N-Lex, Search Layer, and Others)"

// The example notices of the eForms SDK (testdata/README.md), each field
// asserted against what the XML says.
func TestParse_SDKExamples(t *testing.T) {
	for file, want := range map[string]Notice{
		"cn_24_minimal.xml": {
			ID: "f42be27e-09cf-4f0e-a745-63ec689631e6", Title: opTitle,
			CPVMain: "72230000", CPVAdditional: []string{}, Countries: []string{"FR"}, NUTS: []string{"FRD22"},
			Lots: []Lot{{ID: "LOT-0000", Title: opTitle, CPV: []string{"72230000"}, Countries: []string{"FR"}}},
		},
		// Titles in 24 languages: the English one is taken, not the first (Bulgarian).
		"cn_24_multilingual.xml": {
			ID: "55aae64f-88a8-44a5-b2fb-8228e97fe6ee", Title: opTitle,
			CPVMain: "72230000", CPVAdditional: []string{"72260000"}, Countries: []string{"LU"}, NUTS: []string{"LU000"},
			Lots:      []Lot{{ID: "LOT-0000", Title: opTitle, CPV: []string{"72230000", "72260000"}, Countries: []string{"LU"}}},
			Selection: sdkCriteria(asStated, "LOT-0000"),
		},
		// Two lots and a group of lots (GLO-0001), which is not a lot.
		"cn_24_maximal.xml": {
			ID: "14549263-b47b-4e59-96a1-2d0d13e19343", Title: "Procurement Title ---",
			CPVMain: "79710000", CPVAdditional: []string{"79720000"}, Countries: []string{"LU"}, NUTS: []string{"LU000"},
			Lots: []Lot{
				{ID: "LOT-0001", Title: "Title ---", CPV: []string{"75121000"}, Countries: []string{"LU", "GB"}},
				{ID: "LOT-0002", Title: "Title Lot 2---", CPV: []string{"75121000"}, Countries: []string{"LU", "GB"}},
			},
			Selection: sdkCriteria("Selection Criteria Description ---", "LOT-0001", "LOT-0002"),
		},
	} {
		t.Run(file, func(t *testing.T) {
			f, err := os.Open("testdata/" + file)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			got, err := Parse(f)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("notice (-want +got):\n%s", diff)
			}
		})
	}
}

// asStated is the English description of the multilingual example's criteria.
const asStated = "As stated in the procurement documents."

// sdkCriteria are the three selection criteria each lot of the SDK examples
// has, none of which the catalogue records.
func sdkCriteria(description string, lots ...string) []Criterion {
	var out []Criterion
	for _, lot := range lots {
		out = append(out,
			Criterion{Lot: lot, Code: "slc-suit-reg-prof", Label: "Enrolment in a relevant professional register", Description: description},
			Criterion{Lot: lot, Code: "slc-stand-other", Label: "Other economic or financial requirements", Description: description},
			Criterion{Lot: lot, Code: "slc-abil-staff-tech-work", Label: "Technicians or technical bodies to carry out the work", Description: description})
	}
	return out
}

func minimal(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("testdata/cn_24_minimal.xml")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// Broken and hostile notices are refused with a reason, never half read.
func TestParse_Refuses(t *testing.T) {
	notice := minimal(t)
	body := notice[strings.Index(notice, "<ContractNotice"):]
	laughs := `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">` +
		`<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>`
	for name, tc := range map[string]struct{ xml, reason string }{
		"billion laughs": {laughs + strings.Replace(body, "<cbc:ID schemeName=\"notice-id\">", "<cbc:ID schemeName=\"notice-id\">&lol3;", 1), "DTD"},
		"external entity": {`<?xml version="1.0"?><!DOCTYPE n [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>` +
			strings.Replace(body, "<cbc:ID schemeName=\"notice-id\">", "<cbc:ID schemeName=\"notice-id\">&xxe;", 1), "DTD"},
		"undeclared entity":      {strings.Replace(notice, "f42be27e", "&boom;", 1), "well-formed"},
		"huge":                   {notice + "<!--" + strings.Repeat("x", MaxBytes) + "-->", "larger than"},
		"deep":                   {strings.Repeat("<a>", MaxDepth+1) + strings.Repeat("</a>", MaxDepth+1), "deeper"},
		"truncated":              {notice[:len(notice)/2], "well-formed"},
		"processing instruction": {strings.Replace(notice, "<ContractNotice", "<?php echo 1 ?><ContractNotice", 1), "processing instruction"},
		"not a contract notice":  {strings.ReplaceAll(notice, "ContractNotice", "PriorInformationNotice"), "not a ContractNotice"},
		"no main CPV":            {strings.ReplaceAll(notice, "MainCommodityClassification", "Other"), "main CPV"},
		"no title":               {strings.ReplaceAll(notice, `<cbc:Name languageID="ENG">`+opTitle+`</cbc:Name>`, ""), "title"},
		"bad CPV":                {strings.Replace(notice, ">72230000<", ">7223<", 1), "eight digits"},
		"empty":                  {"", "well-formed"},
		"not XML":                {`{"title": "json"}`, "well-formed"},
	} {
		t.Run(name, func(t *testing.T) {
			n, err := Parse(strings.NewReader(tc.xml))
			var e *Error
			if !errors.As(err, &e) || !strings.Contains(e.Reason, tc.reason) {
				t.Fatalf("got %v, want a refusal saying %q", err, tc.reason)
			}
			if n.Title != "" || n.Lots != nil {
				t.Errorf("a refused notice returned %+v", n)
			}
		})
	}
}
