package compliance

import (
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

func TestCoverage_EmbeddedCoversEveryCell(t *testing.T) {
	r := mustEmbedded(t)
	for _, c := range r.Countries {
		cv, ok := r.Coverage(c.Code)
		if !ok {
			t.Fatalf("%s: no coverage", c.Code)
		}
		if len(cv.Cells) != len(r.Categories)*len(Buyers) {
			t.Errorf("%s: %d cells", c.Code, len(cv.Cells))
		}
		if n := cv.States[CoverageNotResearched]; n != 0 {
			t.Errorf("%s: %d cells not researched", c.Code, n)
		}
		if v := cv.Verified; v.Yes+v.Partial+v.No != cv.Requirements {
			t.Errorf("%s: verified %+v does not add up to %d requirements", c.Code, v, cv.Requirements)
		}
		if cv.LastChecked == "" || len(cv.Checked) == 0 {
			t.Errorf("%s: no research date", c.Code)
		}
		for _, cell := range cv.Cells {
			if cell.State == CoverageNoNationalRule && (cell.Conclusion == nil || len(cell.Conclusion.Sources) == 0) {
				t.Errorf("%s %s %s: no conclusion with sources", c.Code, cell.Category, cell.Buyer)
			}
		}
	}
}

// IS has only EU/EEA-wide rules that decide anything (issue 10): its cells
// must read "researched, no national rule", not look like an open market.
func TestCoverage_EEAOnlyCountryIsResearchedNotOpen(t *testing.T) {
	r := mustEmbedded(t)
	cv, _ := r.Coverage("is")
	if cv.Country != "IS" || cv.States[CoverageNoNationalRule] != len(cv.Cells) {
		t.Fatalf("IS states %v", cv.States)
	}
	if got := r.CellState("FR", "cloud-hosting", Public); got != CoverageNationalRules {
		t.Errorf("FR cloud-hosting public = %s, want national-rules (fr-hds)", got)
	}
	if got := r.CellState("XX", "cloud-hosting", Public); got != CoverageNotResearched {
		t.Errorf("unknown country = %s", got)
	}
}

// The counts come from the requirements, not from the research file.
func TestCoverage_ComputedFromRequirements(t *testing.T) {
	r, err := Load(fixture())
	if err != nil {
		t.Fatal(err)
	}
	cv, _ := r.Coverage("DE")
	if cv.Requirements != 1 || cv.Verified.Yes != 1 || cv.OldestAsOf != "2024-07-01" {
		t.Errorf("summary %+v", cv)
	}
	cell := cv.Cells[0]
	if cell.State != CoverageNationalRules || !slices.Equal(cell.NationalRules, []string{"de-c5"}) {
		t.Errorf("cell %+v", cell)
	}
	// Only partial evidence: the rule becomes a duty and the cell needs a conclusion.
	fsys := fixture()
	fsys["requirements/de.yaml"] = &fstest.MapFile{Data: []byte(strings.NewReplacer(
		"extent: full", "extent: partial", "conditions: [{kind: establishment, region: country}, {kind: language, languages: [de]}]", "conditions: []",
	).Replace(fixReq))}
	_, err = Load(fsys)
	if err == nil || !strings.Contains(err.Error(), "cell cloud-hosting x public has no national rule and no conclusion") {
		t.Fatalf("want an uncovered cell, got %v", err)
	}
	fsys["coverage.yaml"] = &fstest.MapFile{Data: []byte(fixCoverage + fixConclusion)}
	r, err = Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	cell = r.coverage["DE"].Cells[0]
	if cell.State != CoverageNoNationalRule || !slices.Equal(cell.NationalDuties, []string{"de-c5"}) || cell.Conclusion.AsOf != "2026-12-01" {
		t.Errorf("cell %+v", cell)
	}
}

const fixConclusion = `  conclusions:
  - categories: [cloud-hosting]
    buyers: [public, private]
    as_of: "2026-12-01"
    statement: Nothing national beyond NIS2 found.
    sources: [{url: "https://example.org/nis2", as_of: "2025-12", verified: yes}]
`

func TestCoverage_BrokenResearchIsRejected(t *testing.T) {
	cases := []struct {
		name, data string
		want       []string
	}{
		{"missing country", "research: []\n", []string{"coverage.yaml: country DE", "no research record"}},
		{"unknown country", fixCoverage + "- country: XX\n  checked: [{date: \"2026\", what: x}]\n  searched: []\n",
			[]string{"country XX", "not a country"}},
		{"duplicate country", fixCoverage + strings.TrimPrefix(fixCoverage, "research:\n"), []string{"duplicate research record"}},
		{"undated check", strings.Replace(fixCoverage, `date: "2026-12-01"`, `date: "soon"`, 1), []string{"checked[0].date"}},
		{"conclusion without sources", fixCoverage + strings.Replace(fixConclusion, `sources: [{url: "https://example.org/nis2", as_of: "2025-12", verified: yes}]`, "sources: []", 1),
			[]string{"conclusions[0].sources", "needs at least one source"}},
		{"conclusion on an unknown category", fixCoverage + strings.Replace(fixConclusion, "[cloud-hosting]", "[cloud]", 1),
			[]string{"conclusions[0].categories[0]"}},
		{"two conclusions for a cell", fixCoverage + fixConclusion + strings.TrimPrefix(fixConclusion, "  conclusions:\n"),
			[]string{"conclusions[1]", "already concluded"}},
		{"unknown field", strings.Replace(fixCoverage, "searched:", "serched:", 1), []string{"coverage.yaml", "serched"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fsys := fixture()
			fsys["coverage.yaml"] = &fstest.MapFile{Data: []byte(tc.data)}
			_, err := Load(fsys)
			if err == nil {
				t.Fatal("broken research was accepted")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error lacks %q:\n%v", w, err)
				}
			}
		})
	}
}
