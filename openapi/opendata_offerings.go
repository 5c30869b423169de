package openapi

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/google/uuid"

	"github.com/cybermarket/cybermarket/catalog"
)

// ndjsonType is the media type of newline-delimited JSON.
const ndjsonType = "application/x-ndjson"

// OpenOfferingRecord is one line of the offerings download: the metadata
// first, then one offering per line, then the end record.
type OpenOfferingRecord struct {
	Type string `json:"type" enum:"metadata,offering,end" doc:"metadata: the first line, with the metadata fields; offering: one public offering; end: the last line, with rows. A file without the end line was cut short."`
	*OpenDataMeta
	Offering       *Offering           `json:"offering,omitempty" doc:"The offering, as GET /v1/offerings/{id} and the change feed show it."`
	Vendor         *OpenVendor         `json:"vendor,omitempty" doc:"Its vendor."`
	Certifications []OpenCertification `json:"certifications,omitempty" doc:"The vendor's self-declared or verified certifications that cover the offering."`
	End            *OpenEnd            `json:"end,omitempty" doc:"On the end line."`
}

// OpenEnd closes the offerings download.
type OpenEnd struct {
	Rows int `json:"rows" doc:"Offering lines in the file."`
}

// OpenVendor is what the offerings download says of a vendor.
type OpenVendor struct {
	ID            uuid.UUID `json:"id" doc:"Vendor identifier."`
	LegalName     string    `json:"legal_name" doc:"Registered name."`
	TradingName   string    `json:"trading_name,omitempty" doc:"Trading name, if different."`
	Country       string    `json:"country" doc:"Head-office country."`
	EstablishedIn []string  `json:"established_in" doc:"Countries where it has an establishment."`
	Size          string    `json:"size" doc:"Size class."`
}

// OpenCertification is a certification as the offerings download shows it.
type OpenCertification struct {
	ID         uuid.UUID `json:"id" doc:"Certification identifier."`
	Scheme     string    `json:"scheme" doc:"Scheme."`
	Level      string    `json:"level,omitempty" doc:"Level held."`
	Status     string    `json:"status" enum:"self-declared,verified" doc:"Verification state."`
	ValidFrom  string    `json:"valid_from" doc:"First day of validity."`
	ValidUntil string    `json:"valid_until" doc:"Last day of validity."`
	Covers     string    `json:"covers" enum:"vendor,offerings" doc:"vendor: organisation-wide; offerings: named offerings, this one among them."`
}

// GetOpenOfferingsInput takes no parameters.
type GetOpenOfferingsInput struct{}

func (h *handlers) registerOpenOfferings(api huma.API, tags []string) {
	record := api.OpenAPI().Components.Schemas.Schema(reflect.TypeFor[OpenOfferingRecord](), true, "OpenOfferingRecord")
	huma.Register(api, huma.Operation{
		OperationID: "get-open-offerings", Method: http.MethodGet, Path: "/v1/open-data/offerings",
		Summary:     "Download every public offering",
		Description: "Every public offering with its vendor and the certifications that cover it, as newline-delimited JSON, streamed from one database snapshot: the first line is the metadata (type metadata: as_of, reference_version, change_position, licence), then one line per offering in id order, then an end line with the count (a file without it was cut short). change_position is exact: apply GET /v1/changes?after=change_position to follow on. The metadata is also in the X-Open-Data-As-Of, X-Reference-Version, X-Change-Position, X-Licence and Link headers. Licensed CC BY 4.0.",
		Tags:        tags,
		Responses: map[string]*huma.Response{"200": {Description: "One JSON object per line.", Content: map[string]*huma.MediaType{
			ndjsonType: {Schema: record},
		}}},
	}, h.getOpenOfferings)
}

func (h *handlers) getOpenOfferings(ctx context.Context, _ *GetOpenOfferingsInput) (*huma.StreamResponse, error) {
	return &huma.StreamResponse{Body: func(hctx huma.Context) {
		h.streamOfferings(hctx)
	}}, nil
}

// streamOfferings writes the offerings download to hctx. A failure before
// the first line answers a bare 500; after it the connection is cut, so
// that a short file never looks complete (it lacks the end line).
func (h *handlers) streamOfferings(hctx huma.Context) {
	ctx := hctx.Context()
	w := bufio.NewWriterSize(hctx.BodyWriter(), 64<<10)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	now, started, rows := time.Now(), false, 0
	start := func(pos int64) error {
		meta := openMeta("offerings", h.reference().Version, pos, positionOfSnapshot, now)
		hctx.SetHeader("Content-Type", ndjsonType)
		hctx.SetHeader("Content-Disposition", `attachment; filename="cybermarket-offerings.ndjson"`)
		hctx.SetHeader("X-Open-Data-As-Of", meta.AsOf.Format(time.RFC3339))
		hctx.SetHeader("X-Reference-Version", meta.ReferenceVersion)
		hctx.SetHeader("X-Change-Position", strconv.FormatInt(pos, 10))
		hctx.SetHeader("X-Licence", openLicence)
		hctx.SetHeader("Link", "<"+openLicenceURL+`>; rel="license"`)
		hctx.SetStatus(http.StatusOK)
		started = true
		return enc.Encode(OpenOfferingRecord{Type: "metadata", OpenDataMeta: &meta})
	}
	each := func(l catalog.Listing) error {
		rows++
		return enc.Encode(openOfferingLine(l))
	}
	err := h.Catalog.StreamPublicListings(ctx, start, each)
	if err == nil {
		err = enc.Encode(OpenOfferingRecord{Type: "end", End: &OpenEnd{Rows: rows}})
	}
	if err == nil {
		err = w.Flush()
	}
	switch {
	case err == nil:
	case !started:
		loggerFrom(ctx).ErrorContext(ctx, "request failed", "status", http.StatusInternalServerError, "error", err)
		p := problemStatus(http.StatusInternalServerError, "The server could not complete the request. Quote the instance (request id) when reporting it.")
		p.Instance = instance(ctx)
		body, _ := json.Marshal(p)
		hctx.SetHeader("Content-Type", "application/problem+json")
		hctx.SetStatus(http.StatusInternalServerError)
		_, _ = hctx.BodyWriter().Write(body)
	default:
		if !errors.Is(err, context.Canceled) {
			loggerFrom(ctx).WarnContext(ctx, "open-data offerings cut short", "rows", rows, "error", err)
		}
		panic(http.ErrAbortHandler) // cut the connection: the file must not look complete
	}
}

// openOfferingLine is the line of one listing.
func openOfferingLine(l catalog.Listing) OpenOfferingRecord {
	o := newOffering(l.Offering)
	v := l.Vendor
	rec := OpenOfferingRecord{Type: "offering", Offering: &o, Certifications: []OpenCertification{},
		Vendor: &OpenVendor{ID: v.ID, LegalName: v.LegalName, TradingName: v.TradingName, Country: v.Country,
			EstablishedIn: orEmpty(v.EstablishedIn), Size: string(v.Size)}}
	for _, c := range l.Certifications {
		if len(c.OfferingIDs) > 0 && !slices.Contains(c.OfferingIDs, l.Offering.ID) {
			continue
		}
		covers := "vendor"
		if len(c.OfferingIDs) > 0 {
			covers = "offerings"
		}
		rec.Certifications = append(rec.Certifications, OpenCertification{ID: c.ID, Scheme: c.Scheme, Level: c.Level,
			Status: string(c.Status), ValidFrom: c.ValidFrom.Format(dateLayout), ValidUntil: c.ValidUntil.Format(dateLayout), Covers: covers})
	}
	return rec
}
