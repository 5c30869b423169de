package openapi_test

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
)

type openMeta struct {
	Dataset          string `json:"dataset"`
	AsOf             string `json:"as_of"`
	ReferenceVersion string `json:"reference_version"`
	ChangePosition   int64  `json:"change_position"`
	Licence          string `json:"licence"`
	LicenceURL       string `json:"licence_url"`
	LicenceNote      string `json:"licence_note"`
	Rows             int    `json:"rows"`
}

// checkOpenHeaders checks the metadata headers of a download against meta.
func checkOpenHeaders(t *testing.T, r response, meta openMeta) {
	t.Helper()
	h := r.Header()
	if h.Get("X-Licence") != "CC-BY-4.0" || !strings.Contains(h.Get("Link"), `<https://creativecommons.org/licenses/by/4.0/>; rel="license"`) ||
		h.Get("X-Reference-Version") != meta.ReferenceVersion || h.Get("X-Change-Position") != strconv.FormatInt(meta.ChangePosition, 10) ||
		h.Get("X-Open-Data-As-Of") == "" || !strings.HasPrefix(h.Get("Content-Disposition"), "attachment") {
		t.Errorf("%s headers %v do not match the metadata %+v", meta.Dataset, h, meta)
	}
}

func readCSV(t *testing.T, r response) [][]string {
	t.Helper()
	if ct := r.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
		t.Fatalf("Content-Type %q", ct)
	}
	table, err := csv.NewReader(bytes.NewReader(r.Body.Bytes())).ReadAll()
	if err != nil || len(table) == 0 {
		t.Fatalf("CSV: %v", err)
	}
	return table
}

// column returns the values of the named column, by the header line.
func column(t *testing.T, table [][]string, name string) []string {
	t.Helper()
	i := slices.Index(table[0], name)
	if i < 0 {
		t.Fatalf("no column %q in %v", name, table[0])
	}
	var out []string
	for _, row := range table[1:] {
		out = append(out, row[i])
	}
	return out
}

func TestAPI_OpenDataFiles(t *testing.T) {
	t.Parallel()
	c := newClient(t)
	vendor, offering := germanCloud(c, "DE600000107")
	soc2 := with(with(validCertification(offering), "scheme", "soc-2"), "level", "type-2")
	c.do(http.MethodPost, "/v1/vendors/"+vendor+"/certifications", soc2).want(http.StatusCreated)
	germanCloud(c, "DE600000203")
	var feed struct {
		NextAfter int64 `json:"next_after"`
	}
	c.do(http.MethodGet, "/v1/changes?after=0&limit=1000", nil).want(http.StatusOK).decode(&feed)
	anon := c.anonymous()

	for _, tc := range []struct {
		dataset, key, id string
		rows             int // at least
	}{
		{"requirements", "id", "de-c5-sgbv-393", 100},
		{"schemes", "id", "bsi-c5", 60},
		{"barriers", "country", "IS", 600},
	} {
		t.Run(tc.dataset, func(t *testing.T) {
			var file struct {
				Metadata openMeta         `json:"metadata"`
				Rows     []map[string]any `json:"rows"`
			}
			r := anon.do(http.MethodGet, "/v1/open-data/"+tc.dataset, nil).want(http.StatusOK)
			r.decode(&file)
			m := file.Metadata
			if m.Dataset != tc.dataset || m.Licence != "CC-BY-4.0" || m.LicenceNote == "" || m.ReferenceVersion == "" ||
				m.ChangePosition != feed.NextAfter || m.Rows != len(file.Rows) || len(file.Rows) < tc.rows {
				t.Errorf("metadata %+v with %d rows; feed head %d", m, len(file.Rows), feed.NextAfter)
			}
			checkOpenHeaders(t, r, m)
			r = anon.do(http.MethodGet, "/v1/open-data/"+tc.dataset+"?format=csv", nil).want(http.StatusOK)
			checkOpenHeaders(t, r, m)
			table := readCSV(t, r)
			keys := column(t, table, tc.key)
			if len(keys) != len(file.Rows) || !slices.Contains(keys, tc.id) {
				t.Errorf("CSV: %d rows (JSON %d), %s among them: %v", len(keys), len(file.Rows), tc.id, slices.Contains(keys, tc.id))
			}
			for i, row := range file.Rows {
				if row[tc.key] != keys[i] {
					t.Fatalf("row %d: JSON %v, CSV %v", i, row[tc.key], keys[i])
				}
			}
		})
	}

	t.Run("barriers count the catalogue", func(t *testing.T) {
		table := readCSV(t, anon.do(http.MethodGet, "/v1/open-data/barriers?format=csv", nil).want(http.StatusOK))
		country, category, buyer := column(t, table, "country"), column(t, table, "category"), column(t, table, "buyer")
		offerings, coverage, low := column(t, table, "offerings"), column(t, table, "coverage"), column(t, table, "share_eligible_low")
		for i := range country {
			if country[i] == "DE" && category[i] == "cloud-hosting" && buyer[i] == "public" &&
				(offerings[i] != "2" || coverage[i] != "national-rules" || low[i] != "0") {
				t.Errorf("DE cloud-hosting public: offerings %s coverage %s low %s", offerings[i], coverage[i], low[i])
			}
		}
	})
	t.Run("schemes tell a free scheme from an unknown cost", func(t *testing.T) {
		table := readCSV(t, anon.do(http.MethodGet, "/v1/open-data/schemes?format=csv", nil).want(http.StatusOK))
		id, low, noFee, note := column(t, table, "id"), column(t, table, "cost_low_eur"), column(t, table, "cost_no_fee"), column(t, table, "cost_note")
		for i := range id {
			switch id[i] {
			case "khzg-authorised-it-provider": // the BAS training and test are free (BMG FAQ)
				if low[i] != "0" || noFee[i] != "true" {
					t.Errorf("%s: low %q no_fee %q", id[i], low[i], noFee[i])
				}
			case "cpstic": // unpriced: blank, never 0
				if low[i] != "" || noFee[i] != "" || note[i] == "" {
					t.Errorf("%s: low %q no_fee %q note %q", id[i], low[i], noFee[i], note[i])
				}
			}
		}
	})
	anon.do(http.MethodGet, "/v1/open-data/schemes?format=xml", nil).problem(http.StatusUnprocessableEntity)
}

func TestAPI_OpenDataOfferings(t *testing.T) {
	t.Parallel()
	c := newClient(t)
	vendor, offering := germanCloud(c, "DE600000300")
	soc2 := with(with(validCertification(offering), "scheme", "soc-2"), "level", "type-2")
	c.do(http.MethodPost, "/v1/vendors/"+vendor+"/certifications", soc2).want(http.StatusCreated)
	_, other := germanCloud(c, "DE600000406")
	var feed struct {
		NextAfter int64 `json:"next_after"`
	}
	c.do(http.MethodGet, "/v1/changes?after=0&limit=1000", nil).want(http.StatusOK).decode(&feed)

	r := c.anonymous().do(http.MethodGet, "/v1/open-data/offerings", nil).want(http.StatusOK)
	if ct := r.Header().Get("Content-Type"); ct != "application/x-ndjson" {
		t.Fatalf("Content-Type %q", ct)
	}
	type line struct {
		Type string `json:"type"`
		openMeta
		Offering *struct {
			ID   string `json:"id"`
			Name string `json:"name"`
		} `json:"offering"`
		Vendor *struct {
			ID string `json:"id"`
		} `json:"vendor"`
		Certifications []struct {
			Scheme, Status, Covers string
		} `json:"certifications"`
		End *struct {
			Rows int `json:"rows"`
		} `json:"end"`
	}
	var lines []line
	sc := bufio.NewScanner(bytes.NewReader(r.Body.Bytes()))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var l line
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatalf("line %d: %v: %s", len(lines)+1, err, sc.Text())
		}
		lines = append(lines, l)
	}
	if len(lines) != 4 || lines[0].Type != "metadata" || lines[3].Type != "end" || lines[3].End == nil || lines[3].End.Rows != 2 {
		t.Fatalf("want metadata, 2 offerings, end; got %+v", lines)
	}
	m := lines[0].openMeta
	if m.Dataset != "offerings" || m.ChangePosition != feed.NextAfter || m.Licence != "CC-BY-4.0" {
		t.Errorf("metadata %+v, feed head %d", m, feed.NextAfter)
	}
	checkOpenHeaders(t, r, m)
	ids := []string{lines[1].Offering.ID, lines[2].Offering.ID}
	want := []string{offering, other}
	slices.Sort(want)
	if !slices.Equal(ids, want) {
		t.Errorf("offerings %v, want %v in id order", ids, want)
	}
	for _, l := range lines[1:3] {
		n := len(l.Certifications)
		if l.Vendor == nil || l.Offering.Name == "" || (l.Offering.ID == offering) != (n == 1) {
			t.Errorf("line %+v", l)
		}
		if n == 1 && (l.Certifications[0].Scheme != "soc-2" || l.Certifications[0].Covers != "offerings") {
			t.Errorf("certification %+v", l.Certifications[0])
		}
	}
}
