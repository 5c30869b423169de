package eforms

import (
	"encoding/xml"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cybermarket/cybermarket/compliance"
)

// TestSelectionCriteria_Codelist checks the table against the eForms SDK's
// selection-criterion codelist: the same codes, the same English labels.
func TestSelectionCriteria_Codelist(t *testing.T) {
	data, err := os.ReadFile("testdata/selection-criterion.gc")
	if err != nil {
		t.Fatal(err)
	}
	var gc struct {
		Rows []struct {
			Values []struct {
				Column string `xml:"ColumnRef,attr"`
				Value  string `xml:"SimpleValue"`
			} `xml:"Value"`
		} `xml:"SimpleCodeList>Row"`
	}
	if err := xml.Unmarshal(data, &gc); err != nil {
		t.Fatal(err)
	}
	codelist := map[string]string{}
	for _, r := range gc.Rows {
		var code, label string
		for _, v := range r.Values {
			switch v.Column {
			case "code":
				code = strings.TrimSpace(v.Value)
			case "eng_label":
				label = strings.TrimSpace(v.Value)
			}
		}
		codelist[code] = label
	}
	got := map[string]string{}
	for code, c := range selectionCriteria {
		got[code] = c.label
	}
	if diff := cmp.Diff(codelist, got); diff != "" || len(got) != 32 {
		t.Errorf("table vs codelist (-codelist +table), %d codes:\n%s", len(got), diff)
	}
}

// TestSelectionCriteria_Mapping names, per code, what it maps to; every
// other code maps to nothing. The facts and schemes exist in the reference data.
func TestSelectionCriteria_Mapping(t *testing.T) {
	want := map[string]Mapping{
		"slc-sec-proc":           {Facts: []string{"classified_information"}},
		"slc-sec-inf":            {Facts: []string{"security_sensitive"}},
		"slc-sche-qu-cert-indep": {Schemes: []string{"iso-9001", "iso-iec-20000-1"}},
		"slc-abil-staff-qual":    {Schemes: []string{"cisa", "cissp", "iso-27001-lead-auditor", "oscp"}},
		"slc-abil-ref-services":  {Evidence: []string{"healthcare_references"}},
	}
	ref, err := compliance.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	mapped := 0
	for code, c := range selectionCriteria {
		if diff := cmp.Diff(want[code], c.Mapping); diff != "" {
			t.Errorf("%s (-want +got):\n%s", code, diff)
		}
		if c.Mapped() {
			mapped++
		}
		for _, f := range c.Facts {
			if !slices.Contains(compliance.FactNames(), f) {
				t.Errorf("%s: %s is not a tender-context fact", code, f)
			}
		}
		for _, s := range c.Schemes {
			if _, ok := ref.Scheme(s); !ok {
				t.Errorf("%s: %s is not a scheme of the reference data", code, s)
			}
		}
	}
	if mapped != len(want) {
		t.Errorf("%d codes map, want %d", mapped, len(want))
	}
}

// TestParse_SelectionCriteriaMapped parses the maximal example with two of
// LOT-0001's criteria changed to ones the catalogue knows.
func TestParse_SelectionCriteriaMapped(t *testing.T) {
	data, err := os.ReadFile("testdata/cn_24_maximal.xml")
	if err != nil {
		t.Fatal(err)
	}
	s := strings.Replace(string(data), ">slc-stand-other<", ">slc-sec-proc<", 1)
	s = strings.Replace(s, ">slc-abil-staff-tech-work<", ">slc-sche-qu-cert-indep<", 1)
	s = strings.Replace(s, ">slc-suit-reg-prof<", ">slc-made-up<", 1)
	n, err := Parse(strings.NewReader(s))
	if err != nil {
		t.Fatal(err)
	}
	const d = "Selection Criteria Description ---"
	want := append([]Criterion{
		{Lot: "LOT-0001", Code: "slc-made-up", Description: d},
		{Lot: "LOT-0001", Code: "slc-sec-proc", Label: "Security to process, store and transmit classified information",
			Description: d, Mapping: Mapping{Facts: []string{"classified_information"}}},
		{Lot: "LOT-0001", Code: "slc-sche-qu-cert-indep", Label: "Certificates by independent bodies about quality assurance standards",
			Description: d, Mapping: Mapping{Schemes: []string{"iso-9001", "iso-iec-20000-1"}}},
	}, sdkCriteria(d, "LOT-0002")...)
	if diff := cmp.Diff(want, n.Selection); diff != "" {
		t.Errorf("selection (-want +got):\n%s", diff)
	}
	if got := n.Facts(); !slices.Equal(got, []string{"classified_information"}) {
		t.Errorf("facts %v", got)
	}
}
