package openapi

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/cybermarket/cybermarket/catalog"
	"github.com/cybermarket/cybermarket/compliance"
)

// Open data: bulk downloads for researchers and policymakers (issue 14).
// Every file states when it was read, the reference data version, the
// licence, and the change-log position it corresponds to: in a leading
// metadata object (JSON, NDJSON) and in response headers (every format).

// The licence of the open data.
const (
	openLicence     = "CC-BY-4.0"
	openLicenceURL  = "https://creativecommons.org/licenses/by/4.0/"
	openLicenceNote = "cybermarket's own data (the catalogue as its vendors publish it, the structure and readings of the " +
		"reference data, the computed analytics) is licensed under Creative Commons Attribution 4.0 International: credit " +
		"\"cybermarket open data\" with the as_of time. The laws, official journals, authorities' pages and other sources " +
		"the reference data cites keep their own terms; their URLs are given so that each fact can be checked at its source."
)

// The notes on what change_position means for a dataset.
const (
	positionOfSnapshot = "The rows were read in one database snapshot holding every change up to change_position and none " +
		"after: apply GET /v1/changes?after=change_position to follow on."
	positionOfReference = "Reference data is versioned by reference_version, not by the change log; change_position is the " +
		"catalogue's change-log head read just before this file was made, to pair it with the catalogue downloads."
)

// bulkPrefix is where the bulk downloads live; they get bulkTimeout and
// bulkResponseBytes instead of the per-request limits (middleware.go).
const (
	bulkPrefix        = "/v1/open-data/"
	bulkTimeout       = 10 * time.Minute
	bulkResponseBytes = 4 << 30
)

// bulkDownload reports whether path is a bulk download.
func bulkDownload(path string) bool { return strings.HasPrefix(path, bulkPrefix) }

// OpenDataMeta describes a bulk download.
type OpenDataMeta struct {
	Dataset            string    `json:"dataset" enum:"requirements,schemes,barriers,offerings" doc:"What the file holds." example:"requirements"`
	AsOf               time.Time `json:"as_of" doc:"When the data was read (UTC)." example:"2026-12-02T01:00:00Z"`
	ReferenceVersion   string    `json:"reference_version" doc:"Version of the reference data." example:"5cec871640c4+r3"`
	ChangePosition     int64     `json:"change_position" doc:"Change-log position the file corresponds to (see change_position_note)." example:"1042"`
	ChangePositionNote string    `json:"change_position_note" doc:"What change_position means for this dataset."`
	Day                string    `json:"day,omitempty" doc:"Barriers: the day eligibility was assessed for." example:"2026-12-02"`
	Licence            string    `json:"licence" doc:"SPDX identifier of the licence of cybermarket's own data." example:"CC-BY-4.0"`
	LicenceURL         string    `json:"licence_url" doc:"The licence text." example:"https://creativecommons.org/licenses/by/4.0/"`
	LicenceNote        string    `json:"licence_note" doc:"How to credit, and the terms of the cited sources."`
	Rows               int       `json:"rows" doc:"Rows in the file (NDJSON: in the trailing end record instead; 0 here)." example:"112"`
}

func openMeta(dataset, reference string, position int64, note string, asOf time.Time) OpenDataMeta {
	return OpenDataMeta{Dataset: dataset, AsOf: asOf.UTC().Truncate(time.Second), ReferenceVersion: reference,
		ChangePosition: position, ChangePositionNote: note,
		Licence: openLicence, LicenceURL: openLicenceURL, LicenceNote: openLicenceNote}
}

// OpenDataFormat picks the file format.
type OpenDataFormat struct {
	Format string `query:"format" enum:"json,csv" default:"json" doc:"json: a metadata object and the rows; csv: a header line and one line per row, the metadata in the response headers." example:"csv"`
}

// OpenDataFileOutput is a bulk download with its metadata in headers.
type OpenDataFileOutput struct {
	ContentType        string `header:"Content-Type" doc:"application/json or text/csv."`
	ContentDisposition string `header:"Content-Disposition" doc:"attachment, with a file name."`
	AsOf               string `header:"X-Open-Data-As-Of" doc:"When the data was read (RFC 3339, UTC)."`
	Reference          string `header:"X-Reference-Version" doc:"Version of the reference data."`
	Position           string `header:"X-Change-Position" doc:"Change-log position the file corresponds to."`
	Licence            string `header:"X-Licence" doc:"SPDX identifier of the licence (CC-BY-4.0); the cited sources keep their own terms."`
	Link               string `header:"Link" doc:"The licence, as an RFC 8288 link with rel=license."`
	Body               []byte
}

// openFile builds the answer for a file of dataset in format: rows (JSON)
// or table (CSV, a header line first).
func openFile(meta OpenDataMeta, format string, rows any, table [][]string) (*OpenDataFileOutput, error) {
	out := &OpenDataFileOutput{
		AsOf: meta.AsOf.Format(time.RFC3339), Reference: meta.ReferenceVersion,
		Position: strconv.FormatInt(meta.ChangePosition, 10), Licence: meta.Licence,
		Link: "<" + meta.LicenceURL + `>; rel="license"`,
	}
	var err error
	if format == "csv" {
		out.ContentType = "text/csv; charset=utf-8"
		out.Body, err = csvBytes(table)
	} else {
		meta.Rows = max(len(table)-1, 0)
		out.ContentType = "application/json"
		out.Body, err = json.Marshal(struct {
			Metadata OpenDataMeta `json:"metadata"`
			Rows     any          `json:"rows"`
		}{meta, rows})
	}
	out.ContentDisposition = `attachment; filename="cybermarket-` + meta.Dataset + "." + format + `"`
	return out, err
}

// openFileResponses documents a JSON-or-CSV download whose JSON form is T.
func openFileResponses[T any](api huma.API, name string) map[string]*huma.Response {
	schema := api.OpenAPI().Components.Schemas.Schema(reflect.TypeFor[T](), true, name)
	return map[string]*huma.Response{"200": {Description: "The file.", Content: map[string]*huma.MediaType{
		"application/json": {Schema: schema},
		"text/csv":         {Schema: &huma.Schema{Type: "string"}},
	}}}
}

func (h *handlers) registerOpenData(api huma.API) {
	tags := []string{"Open data"}
	desc := " Licensed CC BY 4.0 (the cited sources keep their own terms). JSON: a metadata object (as_of, reference_version, " +
		"change_position, licence) and the rows; CSV: one line per row, the metadata in the X-Open-Data-As-Of, X-Reference-Version, " +
		"X-Change-Position, X-Licence and Link headers."
	huma.Register(api, huma.Operation{
		OperationID: "get-open-requirements", Method: http.MethodGet, Path: "/v1/open-data/requirements",
		Summary:     "Download every requirement",
		Description: "Every requirement of the reference data (national, EU- and EEA-wide) with its strength, satisfiers, conditions, tender-context condition and primary source." + desc,
		Tags:        tags, Responses: openFileResponses[OpenRequirements](api, "OpenRequirements"),
	}, h.getOpenRequirements)
	huma.Register(api, huma.Operation{
		OperationID: "get-open-schemes", Method: http.MethodGet, Path: "/v1/open-data/schemes",
		Summary:     "Download every certification scheme",
		Description: "Every certification scheme with its levels, validity, typical cost and lead time where a source states them, and sources." + desc,
		Tags:        tags, Responses: openFileResponses[OpenSchemes](api, "OpenSchemes"),
	}, h.getOpenSchemes)
	huma.Register(api, huma.Operation{
		OperationID: "get-open-barriers", Method: http.MethodGet, Path: "/v1/open-data/barriers",
		Summary:     "Download the market-entry barriers matrix",
		Description: "The barriers matrix (as GET /v1/analytics/barriers, default tender context, today) over the public catalogue read in one snapshot, every share with n and its 95% Wilson interval." + desc,
		Tags:        tags, Responses: openFileResponses[OpenBarriers](api, "OpenBarriers"),
	}, h.getOpenBarriers)
	h.registerOpenOfferings(api, tags)
}

// OpenRequirements is the JSON download of the requirements.
type OpenRequirements struct {
	Metadata OpenDataMeta      `json:"metadata" doc:"What the file is."`
	Rows     []RequirementView `json:"rows" doc:"Every requirement."`
}

// OpenSchemes is the JSON download of the schemes.
type OpenSchemes struct {
	Metadata OpenDataMeta `json:"metadata" doc:"What the file is."`
	Rows     []SchemeView `json:"rows" doc:"Every scheme."`
}

// OpenBarriers is the JSON download of the barriers matrix.
type OpenBarriers struct {
	Metadata OpenDataMeta `json:"metadata" doc:"What the file is."`
	Rows     []BarrierRow `json:"rows" doc:"One row per country, category and buyer kind."`
}

// GetOpenRequirementsInput picks the format.
type GetOpenRequirementsInput struct{ OpenDataFormat }

func (h *handlers) getOpenRequirements(ctx context.Context, in *GetOpenRequirementsInput) (*OpenDataFileOutput, error) {
	return h.openReferenceFile(ctx, "requirements", in.Format, func(ref *compliance.Reference) (any, [][]string) {
		return orEmpty(mapSlice(ref.Requirements, requirementView)), requirementsTable(ref.Requirements)
	})
}

// GetOpenSchemesInput picks the format.
type GetOpenSchemesInput struct{ OpenDataFormat }

func (h *handlers) getOpenSchemes(ctx context.Context, in *GetOpenSchemesInput) (*OpenDataFileOutput, error) {
	return h.openReferenceFile(ctx, "schemes", in.Format, func(ref *compliance.Reference) (any, [][]string) {
		return orEmpty(mapSlice(ref.Schemes, schemeView)), schemesTable(ref.Schemes)
	})
}

// openReferenceFile is a download of the reference data in use: rows gives
// its JSON rows and CSV table; the change position is the feed's head.
func (h *handlers) openReferenceFile(ctx context.Context, dataset, format string,
	rows func(*compliance.Reference) (any, [][]string)) (*OpenDataFileOutput, error) {
	pos, err := h.Catalog.HeadPosition(ctx)
	if err != nil {
		return nil, err
	}
	ref := h.reference()
	data, table := rows(ref)
	return openFile(openMeta(dataset, ref.Version, pos, positionOfReference, time.Now()), format, data, table)
}

// GetOpenBarriersInput picks the format.
type GetOpenBarriersInput struct{ OpenDataFormat }

func (h *handlers) getOpenBarriers(ctx context.Context, in *GetOpenBarriersInput) (*OpenDataFileOutput, error) {
	snap := h.Compliance.Current()
	var profiles []compliance.Profile
	var pos int64
	asOf := time.Now()
	err := h.Catalog.StreamPublicListings(ctx, func(p int64) error { pos = p; return nil }, func(l catalog.Listing) error {
		profiles = append(profiles, compliance.ProfileOf(l.Vendor, l.Offering, l.Certifications))
		return nil
	})
	if err != nil {
		return nil, err
	}
	day := catalog.Day(time.Now())
	rows, err := snap.Engine.Barriers(profiles, day, compliance.BarrierFilter{})
	if err != nil {
		return nil, err
	}
	meta := openMeta("barriers", snap.Reference.Version, pos, positionOfSnapshot, asOf)
	meta.Day = day.Format(dateLayout)
	return openFile(meta, in.Format, orEmpty(mapSlice(rows, barrierRowView)), barriersTable(rows))
}

// csvBytes writes table as CSV, defusing spreadsheet formulas in text
// cells (numbers, negative ones included, stay as they are).
func csvBytes(table [][]string) ([]byte, error) {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	for _, rec := range table {
		for i, c := range rec {
			if _, err := strconv.ParseFloat(c, 64); err != nil {
				rec[i] = safeCells([]string{c})[0]
			}
		}
		if err := w.Write(rec); err != nil {
			return nil, err
		}
	}
	w.Flush()
	return buf.Bytes(), w.Error()
}
