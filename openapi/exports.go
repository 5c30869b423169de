package openapi

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/xuri/excelize/v2"

	"github.com/cybermarket/cybermarket/catalog"
)

// ExportProjectInput names the locked project and the file format.
type ExportProjectInput struct {
	ProjectPath
	Format string `query:"format" enum:"json,csv,xlsx,snapshot" default:"json" doc:"File format: json (the canonical snapshot with its digest and summary), csv, xlsx, or snapshot (the canonical snapshot alone, byte for byte: its SHA-256 is the project's digest)." example:"csv"`
}

// ExportProjectOutput is the exported file.
type ExportProjectOutput struct {
	ContentType        string `header:"Content-Type" doc:"application/json, text/csv or the XLSX media type."`
	ContentDisposition string `header:"Content-Disposition" doc:"attachment, with a file name."`
	Digest             string `header:"X-Snapshot-SHA256" doc:"SHA-256 (hex) of the canonical snapshot, as the project shows it."`
	Body               []byte
}

// ProjectExport is the JSON export: the canonical snapshot, byte for byte
// as hashed, with its digest and a summary.
type ProjectExport struct {
	SHA256   string          `json:"sha256" doc:"SHA-256 (hex) of snapshot, the bytes exactly as they appear here."`
	Summary  string          `json:"summary" doc:"The searches and the results in a sentence."`
	Snapshot json.RawMessage `json:"snapshot" doc:"The canonical snapshot."`
}

const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

func (h *handlers) registerExports(api huma.API) {
	export := api.OpenAPI().Components.Schemas.Schema(reflect.TypeFor[ProjectExport](), true, "ProjectExport")
	huma.Register(api, huma.Operation{
		OperationID: "export-project", Method: http.MethodGet, Path: "/v1/projects/{id}/export",
		Summary:     "Export a locked project",
		Description: "The locked project's record as a file: JSON (the canonical snapshot byte for byte, with its SHA-256), the snapshot alone (its SHA-256 is the project's digest: `sha256sum` checks it), CSV or XLSX (a summary block, then one row per ranked result). Every format states the search summary, the lock time, the reference data version and the snapshot's SHA-256, the same digest the project shows. 409 while the project is open.",
		Tags:        []string{"Projects"}, Errors: []int{401, 404, 409},
		Metadata: allow(projectAccess),
		Responses: map[string]*huma.Response{"200": {Description: "The exported file.", Content: map[string]*huma.MediaType{
			"application/json": {Schema: export},
			"text/csv":         {Schema: &huma.Schema{Type: "string"}},
			xlsxType:           {Schema: &huma.Schema{Type: "string", ContentEncoding: "binary"}},
		}}},
	}, h.exportProject)
}

func (h *handlers) exportProject(ctx context.Context, in *ExportProjectInput) (*ExportProjectOutput, error) {
	st, err := h.projectFor(ctx, in.ID, false)
	if err != nil {
		return nil, err
	}
	if !st.Project.Locked() {
		return nil, &catalog.ConflictError{Field: "project", Message: "lock the project before exporting it"}
	}
	sn, err := h.Catalog.FindSnapshot(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	var snap Snapshot
	if err := json.Unmarshal(sn.Body, &snap); err != nil {
		return nil, fmt.Errorf("snapshot of %s: %w", in.ID, err)
	}
	out := &ExportProjectOutput{Digest: sn.SHA256}
	name := "project-" + in.ID.String()
	switch in.Format {
	case "csv":
		out.ContentType, out.Body, err = "text/csv; charset=utf-8", exportCSV(snap, sn.SHA256), nil
		name += ".csv"
	case "xlsx":
		out.ContentType = xlsxType
		out.Body, err = exportXLSX(snap, sn.SHA256)
		name += ".xlsx"
	case "snapshot":
		out.ContentType, out.Body = "application/json", sn.Body
		name += ".snapshot.json"
	default:
		out.ContentType = "application/json"
		out.Body, err = exportJSON(ProjectExport{SHA256: sn.SHA256, Summary: summary(snap), Snapshot: sn.Body})
		name += ".json"
	}
	if err != nil {
		return nil, err
	}
	out.ContentDisposition = `attachment; filename="` + name + `"`
	return out, nil
}

// exportJSON encodes e without escaping HTML characters: json.Marshal
// would rewrite a < in the embedded snapshot as \u003c, and the bytes would
// no longer hash to the digest.
func exportJSON(e ProjectExport) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(e); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// summary says in a sentence what was searched and found.
func summary(s Snapshot) string {
	var searches []string
	for _, q := range s.Searches {
		var filters []string
		for k, v := range q.Filters {
			filters = append(filters, k+"="+v)
		}
		sort.Strings(filters)
		searches = append(searches, strconv.Quote(q.Query)+" ("+strings.Join(filters, ", ")+")")
	}
	included := 0
	for _, r := range s.Results {
		if r.Decision == string(catalog.Included) {
			included++
		}
	}
	return fmt.Sprintf("%d saved searches: %s. %d shortlisted offerings (%d included, %d excluded), assessed for %s buyers in %s on %s.",
		len(s.Searches), strings.Join(searches, "; "), len(s.Results), included, len(s.Results)-included,
		s.Project.BuyerKind, s.Project.Country, s.Day)
}

// header is the summary block every tabular export starts with.
func header(s Snapshot, digest string) [][]string {
	return [][]string{
		{"cybermarket procurement project", s.Project.Title},
		{"project_id", s.Project.ID.String()},
		{"locked_at", s.LockedAt.UTC().Format(time.RFC3339)},
		{"reference_version", s.Reference},
		{"snapshot_sha256", digest},
		{"search_summary", summary(s)},
		{},
	}
}

var resultColumns = []string{"rank", "offering_id", "offering", "vendor", "vendor_country", "contact_email",
	"decision", "note", "eligible", "eligible_verified", "requirements", "certifications", "tie_break"}

// row is one result as cells of resultColumns.
func row(r SnapshotResult) []string {
	var reqs, certs []string
	for _, q := range r.Requirements {
		var by []string
		for _, e := range q.MetBy {
			v := "self-declared"
			if e.Verified {
				v = "verified"
			}
			by = append(by, e.Scheme+" "+v)
		}
		reqs = append(reqs, q.ID+": "+q.Status+optional(" by ", strings.Join(by, ", ")))
	}
	for _, c := range r.Certifications {
		certs = append(certs, fmt.Sprintf("%s %s (%s, valid %s to %s)", c.Scheme, c.Number, c.Status, c.ValidFrom, c.ValidUntil))
	}
	return []string{strconv.Itoa(r.Rank), r.OfferingID.String(), r.Offering, r.Vendor, r.VendorCountry, r.Contact.Email,
		r.Decision, r.Note, strconv.FormatBool(r.Eligible), strconv.FormatBool(r.EligibleVerified),
		strings.Join(reqs, "; "), strings.Join(certs, "; "), r.TieBreak}
}

func optional(prefix, s string) string {
	if s == "" {
		return ""
	}
	return prefix + s
}

func exportCSV(s Snapshot, digest string) []byte {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	for _, rec := range header(s, digest) {
		_ = w.Write(safeCells(rec))
	}
	_ = w.Write(resultColumns)
	for _, r := range s.Results {
		_ = w.Write(safeCells(row(r)))
	}
	w.Flush()
	return buf.Bytes()
}

// safeCells defuses spreadsheet formulas in text a vendor or buyer wrote
// (CSV injection): a cell starting with = + - @ gets a leading apostrophe.
func safeCells(cells []string) []string {
	out := make([]string, len(cells))
	for i, c := range cells {
		if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) {
			c = "'" + c
		}
		out[i] = c
	}
	return out
}

func exportXLSX(s Snapshot, digest string) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "Project"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return nil, err
	}
	rows := append(header(s, digest), resultColumns)
	for _, r := range s.Results {
		rows = append(rows, row(r))
	}
	for i, cells := range rows {
		cell, err := excelize.CoordinatesToCellName(1, i+1)
		if err != nil {
			return nil, err
		}
		values := make([]any, len(cells))
		for j, c := range cells {
			values[j] = c // text cells: excelize writes strings as text, never as formulas
		}
		if err := f.SetSheetRow(sheet, cell, &values); err != nil {
			return nil, err
		}
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
