package openapi

import (
	"context"
	"net/http"
	"net/url"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/google/uuid"

	"github.com/cybermarket/cybermarket/catalog"
)

// dateLayout is the layout of calendar dates in the API (RFC 3339 full-date).
const dateLayout = time.DateOnly

// CertificateFields are the facts of a certificate as a vendor states them.
type CertificateFields struct {
	Scheme         string `json:"scheme" maxLength:"64" doc:"Scheme identifier from the reference data (GET /v1/schemes)." example:"iso-iec-27001"`
	Level          string `json:"level,omitempty" maxLength:"64" doc:"Scheme level, for schemes that have levels (see the scheme's levels); empty otherwise." example:""`
	Number         string `json:"number" maxLength:"100" doc:"Certificate or report number as printed." example:"ISMS-2025-0042"`
	Issuer         string `json:"issuer" maxLength:"200" doc:"Certification body that issued it." example:"Example Certification Body GmbH (fictional)"`
	Scope          string `json:"scope,omitempty" maxLength:"2000" doc:"Certified scope as written on the certificate." example:"Incident response and SOC services delivered from Berlin"`
	ValidFrom      string `json:"valid_from" format:"date" doc:"First day of validity (YYYY-MM-DD)." example:"2025-03-01"`
	ValidUntil     string `json:"valid_until" format:"date" doc:"Last day of validity (YYYY-MM-DD); after valid_from." example:"2028-02-29"`
	EvidenceURL    string `json:"evidence_url,omitempty" maxLength:"500" doc:"Where the certificate can be checked: the document or the issuer's public register." example:"https://certs.example/ISMS-2025-0042.pdf"`
	EvidenceSHA256 string `json:"evidence_sha256,omitempty" doc:"Hex SHA-256 of the evidence document." example:"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"`
}

// CertificationInput is what a vendor sends to claim or replace a certification.
type CertificationInput struct {
	CertificateFields
	OfferingIDs []uuid.UUID `json:"offering_ids,omitempty" maxItems:"200" doc:"The vendor's offerings the certification covers." example:"[\"0192f1e0-7b1c-7c3e-9a4b-2f1d3c4b5a70\"]"`
}

// Certification is a certification as the API shows it.
type Certification struct {
	ID       uuid.UUID `json:"id" doc:"Certification identifier (UUIDv7)." example:"0192f1e0-7b1c-7c3e-9a4b-2f1d3c4b5a71"`
	VendorID uuid.UUID `json:"vendor_id" doc:"The vendor holding the certification." example:"0192f1e0-7b1c-7c3e-9a4b-2f1d3c4b5a69"`
	CertificationInput
	Status       string     `json:"status" enum:"self-declared,verified,rejected,suspended,withdrawn" doc:"Verification state: claims start self-declared; staff verify or reject them." example:"self-declared"`
	VerifiedBy   string     `json:"verified_by,omitempty" doc:"Who verified or rejected the claim." example:""`
	VerifiedAt   *time.Time `json:"verified_at,omitempty" doc:"When it was verified or rejected (UTC)."`
	StatusReason string     `json:"status_reason,omitempty" doc:"The reason staff gave for the state: why a claim was rejected or suspended, or a note on its verification." example:""`
	Covers       string     `json:"covers" enum:"vendor,offerings" doc:"What it covers: vendor, the whole vendor (organisation-wide; offering_ids is empty); or offerings, the offerings in offering_ids (to those who do not own it, only the published ones: a certification covering none of those is not shown)." example:"offerings"`
	ValidToday   bool       `json:"valid_today" doc:"Whether it counts today: inside its validity dates and neither rejected, suspended nor withdrawn." example:"true"`
	Version      int64      `json:"version" doc:"Version number, incremented by every change; also the ETag." example:"1"`
	CreatedAt    time.Time  `json:"created_at" doc:"When the claim was made (UTC)." example:"2026-11-28T10:00:00Z"`
	UpdatedAt    time.Time  `json:"updated_at" doc:"When it last changed (UTC)." example:"2026-11-28T10:00:00Z"`
}

// CertificationPatch lists the certification fields to change; omitted
// fields keep their value.
type CertificationPatch struct {
	Scheme         *string     `json:"scheme,omitempty" maxLength:"64" doc:"Scheme identifier." example:"iso-iec-27001"`
	Level          *string     `json:"level,omitempty" maxLength:"64" doc:"Scheme level; empty to clear." example:""`
	Number         *string     `json:"number,omitempty" maxLength:"100" doc:"Certificate number." example:"ISMS-2025-0042"`
	Issuer         *string     `json:"issuer,omitempty" maxLength:"200" doc:"Certification body." example:"Example Certification Body GmbH (fictional)"`
	Scope          *string     `json:"scope,omitempty" maxLength:"2000" doc:"Certified scope." example:"SOC services"`
	OfferingIDs    []uuid.UUID `json:"offering_ids,omitempty" maxItems:"200" doc:"Covered offerings; replaces the list." example:"[\"0192f1e0-7b1c-7c3e-9a4b-2f1d3c4b5a70\"]"`
	ValidFrom      *string     `json:"valid_from,omitempty" format:"date" doc:"First day of validity." example:"2025-03-01"`
	ValidUntil     *string     `json:"valid_until,omitempty" format:"date" doc:"Last day of validity." example:"2028-02-29"`
	EvidenceURL    *string     `json:"evidence_url,omitempty" maxLength:"500" doc:"Evidence URL; empty to clear." example:"https://certs.example/ISMS-2025-0042.pdf"`
	EvidenceSHA256 *string     `json:"evidence_sha256,omitempty" doc:"Hex SHA-256 of the evidence; empty to clear." example:"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"`
}

// parseDate parses an API date; field names the body field for the problem.
func parseDate(field, s string) (time.Time, error) {
	t, err := time.Parse(dateLayout, s)
	if err != nil {
		return time.Time{}, catalog.Invalid(field, "must be a date in the form YYYY-MM-DD", s)
	}
	return t, nil
}

func (in CertificateFields) apply(c *catalog.Certification) error {
	from, err := parseDate("valid_from", in.ValidFrom)
	if err != nil {
		return err
	}
	until, err := parseDate("valid_until", in.ValidUntil)
	if err != nil {
		return err
	}
	c.Scheme, c.Level, c.Number, c.Issuer, c.Scope = in.Scheme, in.Level, in.Number, in.Issuer, in.Scope
	c.ValidFrom, c.ValidUntil = from, until
	c.EvidenceURL, c.EvidenceSHA256 = in.EvidenceURL, in.EvidenceSHA256
	return nil
}

func (in CertificationInput) apply(c *catalog.Certification) error {
	c.OfferingIDs = in.OfferingIDs
	return in.CertificateFields.apply(c)
}

func (p CertificationPatch) apply(c *catalog.Certification) error {
	for _, d := range []struct {
		field string
		src   *string
		dst   *time.Time
	}{{"valid_from", p.ValidFrom, &c.ValidFrom}, {"valid_until", p.ValidUntil, &c.ValidUntil}} {
		if d.src == nil {
			continue
		}
		t, err := parseDate(d.field, *d.src)
		if err != nil {
			return err
		}
		*d.dst = t
	}
	set(&c.Scheme, p.Scheme)
	set(&c.Level, p.Level)
	set(&c.Number, p.Number)
	set(&c.Issuer, p.Issuer)
	set(&c.Scope, p.Scope)
	if p.OfferingIDs != nil {
		c.OfferingIDs = p.OfferingIDs
	}
	set(&c.EvidenceURL, p.EvidenceURL)
	set(&c.EvidenceSHA256, p.EvidenceSHA256)
	return nil
}

func newCertification(c catalog.Certification, today time.Time) Certification {
	return Certification{
		ID: c.ID, VendorID: c.VendorID,
		CertificationInput: CertificationInput{
			CertificateFields: CertificateFields{
				Scheme: c.Scheme, Level: c.Level, Number: c.Number, Issuer: c.Issuer, Scope: c.Scope,
				ValidFrom: c.ValidFrom.Format(dateLayout), ValidUntil: c.ValidUntil.Format(dateLayout),
				EvidenceURL: c.EvidenceURL, EvidenceSHA256: c.EvidenceSHA256,
			},
			OfferingIDs: orEmpty(c.OfferingIDs),
		},
		Covers: covers(c), Status: string(c.Status), VerifiedBy: c.VerifiedBy, VerifiedAt: c.VerifiedAt, StatusReason: c.StatusReason, ValidToday: c.ValidOn(today),
		Version: c.Version, CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt,
	}
}

// covers names what c covers: the vendor when it lists no offering.
func covers(c catalog.Certification) string {
	if len(c.OfferingIDs) == 0 {
		return "vendor"
	}
	return "offerings"
}

// CertificationOutput is one certification with its ETag.
type CertificationOutput struct {
	ETag     string `header:"ETag" doc:"Strong entity tag of the returned version; send it in If-Match to update."`
	Location string `header:"Location" doc:"URL of the created certification (on create)."`
	Body     Certification
}

func certificationOutput(c catalog.Certification) *CertificationOutput {
	return &CertificationOutput{ETag: etag(c.Version), Body: newCertification(c, time.Now())}
}

// CertificationPath names a certification in the path.
type CertificationPath struct {
	ID uuid.UUID `path:"id" doc:"Certification identifier." example:"0192f1e0-7b1c-7c3e-9a4b-2f1d3c4b5a71"`
}

// CertificationList is one page of certifications.
type CertificationList struct {
	Items      []Certification `json:"items" doc:"Certifications of this page, oldest first."`
	NextCursor string          `json:"next_cursor,omitempty" doc:"Cursor of the next page; absent on the last page." example:"0192f1e0-7b1c-7c3e-9a4b-2f1d3c4b5a71"`
}

// CertificationListOutput is a page of certifications with a link to the next.
type CertificationListOutput struct {
	Link string `header:"Link" doc:"RFC 8288 link to the next page, when there is one."`
	Body CertificationList
}

// CreateCertificationInput is the certification the vendor in the path claims.
type CreateCertificationInput struct {
	VendorPath
	Body CertificationInput
}

// GetCertificationInput names the certification to return.
type GetCertificationInput struct {
	CertificationPath
}

// ListCertificationsInput filters and pages the certification list.
type ListCertificationsInput struct {
	VendorID   uuid.UUID `query:"vendor_id" doc:"Only certifications of this vendor." example:"0192f1e0-7b1c-7c3e-9a4b-2f1d3c4b5a69"`
	OfferingID uuid.UUID `query:"offering_id" doc:"Only certifications covering this offering." example:"0192f1e0-7b1c-7c3e-9a4b-2f1d3c4b5a70"`
	Scheme     string    `query:"scheme" doc:"Only certifications under this scheme." example:"iso-iec-27001"`
	Status     string    `query:"status" enum:"self-declared,verified,rejected,suspended,withdrawn" doc:"Only certifications in this verification state." example:"verified"`
	ValidOn    string    `query:"valid_on" format:"date" doc:"Only certifications that count on this day: inside their validity dates and self-declared or verified." example:"2026-11-28"`
	PageParams
}

// filter is the catalogue filter the query asks for.
func (in *ListCertificationsInput) filter(ctx context.Context) (catalog.CertificationFilter, error) {
	f := catalog.CertificationFilter{
		VendorID: in.VendorID, OfferingID: in.OfferingID, Scheme: in.Scheme,
		Status: catalog.Verification(in.Status), Cursor: in.Cursor, Limit: in.Limit, Viewer: viewerFrom(ctx),
	}
	if in.ValidOn != "" {
		d, err := parseDate("query.valid_on", in.ValidOn)
		if err != nil {
			return f, err
		}
		f.ValidOn = d
	}
	return f, nil
}

// values is the query of the list, for the link to the next page.
func (in *ListCertificationsInput) values() url.Values {
	q := url.Values{"scheme": {in.Scheme}, "status": {in.Status}, "valid_on": {in.ValidOn}, "limit": {itoa(in.Limit)}}
	if in.VendorID != uuid.Nil {
		q.Set("vendor_id", in.VendorID.String())
	}
	if in.OfferingID != uuid.Nil {
		q.Set("offering_id", in.OfferingID.String())
	}
	return q
}

// ReplaceCertificationInput is a certification's new fields, for the version the caller read.
type ReplaceCertificationInput struct {
	CertificationPath
	RequiredIfMatch
	Body CertificationInput
}

// UpdateCertificationInput is the certification fields to change.
type UpdateCertificationInput struct {
	CertificationPath
	IfMatch
	Body CertificationPatch
}

// WithdrawCertificationInput names the certification to withdraw.
type WithdrawCertificationInput struct {
	CertificationPath
	IfMatch
}

func (h *handlers) registerCertifications(api huma.API) {
	tags := []string{"Certifications"}
	huma.Register(api, huma.Operation{
		OperationID: "create-certification", Method: http.MethodPost, Path: "/v1/vendors/{id}/certifications", DefaultStatus: http.StatusCreated,
		Summary:     "Claim a certification for a vendor",
		Description: "Records a certification a vendor holds, and which of its offerings it covers, in one transaction. The claim starts self-declared. The scheme (and level) must exist in the reference data, the offerings must be the vendor's own, and a vendor cannot claim the same certificate number of a scheme twice (409).",
		Tags:        tags, Errors: []int{401, 403, 404, 409, 422},
		Metadata: allow(ownerOrAdmin),
	}, h.createCertification)
	huma.Register(api, huma.Operation{
		OperationID: "get-certification", Method: http.MethodGet, Path: "/v1/certifications/{id}",
		Summary:     "Get a certification",
		Description: "Returns one certification with its current version as ETag, and whether it counts today. The public sees the self-declared and verified certifications of active vendors; rejected, suspended and withdrawn ones are visible only to the vendor's own keys and to staff (404 for others).",
		Tags:        tags, Errors: []int{404},
	}, h.getCertification)
	huma.Register(api, huma.Operation{
		OperationID: "list-certifications", Method: http.MethodGet, Path: "/v1/certifications",
		Summary:     "List certifications",
		Description: "Lists certifications oldest first, filtered by vendor, offering, scheme, verification state and validity on a day, a page at a time. The public sees the self-declared and verified certifications of active vendors; a vendor key also every certification of its own vendor; staff every certification.",
		Tags:        tags,
	}, h.listCertifications)
	huma.Register(api, huma.Operation{
		OperationID: "replace-certification", Method: http.MethodPut, Path: "/v1/certifications/{id}",
		Summary:     "Replace a certification",
		Description: "Replaces every vendor-editable field of a certification and the offerings it covers, in one transaction. Requires If-Match with the ETag you read: 428 without it, 412 when it changed since. The verification state is not editable here; changing the substance of a verified claim (scheme, level, number, issuer, scope, dates, or adding covered offerings) returns it to self-declared.",
		Tags:        tags, Errors: []int{401, 403, 404, 409, 412, 422, 428},
		Metadata: allow(ownerOrAdmin),
	}, h.replaceCertification)
	huma.Register(api, huma.Operation{
		OperationID: "update-certification", Method: http.MethodPatch, Path: "/v1/certifications/{id}",
		Summary:     "Update some fields of a certification",
		Description: "Changes the fields present in the body and keeps the others, atomically; with If-Match only if that version is still current (412 otherwise). Changing the substance of a verified claim returns it to self-declared.",
		Tags:        tags, Errors: []int{401, 403, 404, 409, 412, 422},
		Metadata: allow(ownerOrAdmin),
	}, h.updateCertification)
	huma.Register(api, huma.Operation{
		OperationID: "withdraw-certification", Method: http.MethodPost, Path: "/v1/certifications/{id}/withdraw",
		Summary:     "Withdraw a certification",
		Description: "Marks a certification withdrawn: it no longer counts for eligibility but stays on record.",
		Tags:        tags, Errors: []int{401, 403, 404, 412},
		Metadata: allow(ownerOrAdmin),
	}, h.withdrawCertification)
}

func (h *handlers) createCertification(ctx context.Context, in *CreateCertificationInput) (*CertificationOutput, error) {
	if err := h.mayChangeVendor(ctx, in.ID); err != nil {
		return nil, err
	}
	c := catalog.Certification{VendorID: in.ID, Status: catalog.SelfDeclared}
	if err := in.Body.apply(&c); err != nil {
		return nil, err
	}
	created, err := h.Catalog.CreateCertification(ctx, c)
	if err != nil {
		return nil, err
	}
	out := certificationOutput(created)
	out.Location = "/v1/certifications/" + created.ID.String()
	return out, nil
}

func (h *handlers) getCertification(ctx context.Context, in *GetCertificationInput) (*CertificationOutput, error) {
	c, err := h.Catalog.VisibleCertification(ctx, in.ID, viewerFrom(ctx))
	if err != nil {
		return nil, err
	}
	return certificationOutput(c), nil
}

func (h *handlers) listCertifications(ctx context.Context, in *ListCertificationsInput) (*CertificationListOutput, error) {
	f, err := in.filter(ctx)
	if err != nil {
		return nil, err
	}
	page, err := h.Catalog.ListCertifications(ctx, f)
	if err != nil {
		return nil, err
	}
	now := time.Now()
	out := &CertificationListOutput{}
	out.Body.Items = make([]Certification, len(page.Items))
	for i, c := range page.Items {
		out.Body.Items[i] = newCertification(c, now)
	}
	out.Body.NextCursor = page.Next
	out.Link = nextLink("/v1/certifications", in.values(), page.Next)
	return out, nil
}

func (h *handlers) replaceCertification(ctx context.Context, in *ReplaceCertificationInput) (*CertificationOutput, error) {
	version, err := in.RequiredIfMatch.version()
	if err != nil {
		return nil, err
	}
	return h.changeCertification(ctx, in.ID, version, in.Body.apply)
}

func (h *handlers) updateCertification(ctx context.Context, in *UpdateCertificationInput) (*CertificationOutput, error) {
	version, err := in.IfMatch.version()
	if err != nil {
		return nil, err
	}
	return h.changeCertification(ctx, in.ID, version, in.Body.apply)
}

// changeCertification applies change to the certification id at version
// (0: the current one), if the caller may change it.
func (h *handlers) changeCertification(ctx context.Context, id uuid.UUID, version int64, change func(*catalog.Certification) error) (*CertificationOutput, error) {
	if err := h.mayChangeCertification(ctx, id); err != nil {
		return nil, err
	}
	c, err := h.Catalog.UpdateCertification(ctx, id, version, change)
	if err != nil {
		return nil, err
	}
	return certificationOutput(c), nil
}

func (h *handlers) withdrawCertification(ctx context.Context, in *WithdrawCertificationInput) (*CertificationOutput, error) {
	version, err := in.IfMatch.version()
	if err != nil {
		return nil, err
	}
	if err := h.mayChangeCertification(ctx, in.ID); err != nil {
		return nil, err
	}
	c, err := h.Catalog.WithdrawCertification(ctx, in.ID, version)
	if err != nil {
		return nil, err
	}
	return certificationOutput(c), nil
}
