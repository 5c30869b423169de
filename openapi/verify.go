package openapi

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"
	"github.com/google/uuid"

	"github.com/cybermarket/cybermarket/catalog"
)

// VerifyInput is a verifier's optional note on a verification.
type VerifyInput struct {
	Note string `json:"note,omitempty" maxLength:"1000" doc:"What was checked, such as the issuer's public register and the date." example:"Checked against the issuer's public register on 2026-11-28."`
}

// ReasonInput is why staff reject or suspend something.
type ReasonInput struct {
	Reason string `json:"reason" minLength:"1" maxLength:"1000" doc:"Why; shown to the vendor with the certification." example:"The certificate number is not in the issuer's public register."`
}

// verifiedBy is how a decision names the staff member who made it: the
// name of their key.
func verifiedBy(ctx context.Context) string {
	p := PrincipalFrom(ctx)
	return p.Name
}

// VerifyCertificationInput names the certification to verify, with an optional note.
type VerifyCertificationInput struct {
	CertificationPath
	IfMatch
	Body *VerifyInput
}

// RejectCertificationInput names the certification to reject, with the reason.
type RejectCertificationInput struct {
	CertificationPath
	IfMatch
	Body ReasonInput
}

// SuspendCertificationInput names the certification to suspend, with the reason.
type SuspendCertificationInput struct {
	CertificationPath
	IfMatch
	Body ReasonInput
}

// ApproveVendorInput names the vendor to admit.
type ApproveVendorInput struct {
	VendorPath
	IfMatch
}

// SuspendVendorInput names the vendor to suspend.
type SuspendVendorInput struct {
	VendorPath
	IfMatch
}

func (h *handlers) registerVerification(api huma.API) {
	tags := []string{"Verification"}
	huma.Register(api, huma.Operation{
		OperationID: "verify-certification", Method: http.MethodPost, Path: "/v1/certifications/{id}/verify",
		Summary:     "Verify a certification claim",
		Description: "Marks a claim verified after checking its evidence, recording who (the key's name) and when. Allowed from self-declared, rejected and suspended (and again from verified, to refresh the date); a withdrawn claim takes no decision (409). Only verified claims count for eligible_verified in assessments.",
		Tags:        tags, Errors: []int{401, 403, 404, 409, 412},
		Metadata: allow(staffOnly),
	}, h.verifyCertification)
	huma.Register(api, huma.Operation{
		OperationID: "reject-certification", Method: http.MethodPost, Path: "/v1/certifications/{id}/reject",
		Summary:     "Reject a certification claim",
		Description: "Marks a claim rejected, with the reason the vendor will see. A rejected claim no longer counts and is hidden from the public. Allowed from self-declared, verified and suspended (409 otherwise).",
		Tags:        tags, Errors: []int{401, 403, 404, 409, 412},
		Metadata: allow(staffOnly),
	}, h.rejectCertification)
	huma.Register(api, huma.Operation{
		OperationID: "suspend-certification", Method: http.MethodPost, Path: "/v1/certifications/{id}/suspend",
		Summary:     "Suspend a certification",
		Description: "Marks a certification suspended, as its certification body did, with the reason. A suspended certification no longer counts and is hidden from the public until staff verify it again. Allowed from self-declared and verified (409 otherwise).",
		Tags:        tags, Errors: []int{401, 403, 404, 409, 412},
		Metadata: allow(staffOnly),
	}, h.suspendCertification)
	huma.Register(api, huma.Operation{
		OperationID: "approve-vendor", Method: http.MethodPost, Path: "/v1/vendors/{id}/approve",
		Summary:     "Approve a vendor",
		Description: "Admits a pending vendor, or readmits a suspended one: it and its published offerings become public and searchable. Approving an active vendor changes nothing.",
		Tags:        tags, Errors: []int{401, 403, 404, 412},
		Metadata: allow(staffOnly),
	}, h.approveVendor)
	huma.Register(api, huma.Operation{
		OperationID: "suspend-vendor", Method: http.MethodPost, Path: "/v1/vendors/{id}/suspend",
		Summary:     "Suspend a vendor",
		Description: "Hides a vendor, its offerings and its certifications from the public and from search; its keys keep working so it can see and fix its data. Suspending a suspended vendor changes nothing.",
		Tags:        tags, Errors: []int{401, 403, 404, 412},
		Metadata: allow(staffOnly),
	}, h.suspendVendor)
}

func (h *handlers) verifyCertification(ctx context.Context, in *VerifyCertificationInput) (*CertificationOutput, error) {
	note := ""
	if in.Body != nil {
		note = in.Body.Note
	}
	return h.decide(ctx, in.ID, in.IfMatch, catalog.Verified, note)
}

func (h *handlers) rejectCertification(ctx context.Context, in *RejectCertificationInput) (*CertificationOutput, error) {
	return h.decide(ctx, in.ID, in.IfMatch, catalog.Rejected, in.Body.Reason)
}

func (h *handlers) suspendCertification(ctx context.Context, in *SuspendCertificationInput) (*CertificationOutput, error) {
	return h.decide(ctx, in.ID, in.IfMatch, catalog.Suspended, in.Body.Reason)
}

// decide records a staff decision on the certification id: its new state
// and the reason or note.
func (h *handlers) decide(ctx context.Context, id uuid.UUID, ifMatch IfMatch, status catalog.Verification, reason string) (*CertificationOutput, error) {
	version, err := ifMatch.version()
	if err != nil {
		return nil, err
	}
	c, err := h.Catalog.SetVerification(ctx, id, version, catalog.Decision{Status: status, By: verifiedBy(ctx), Reason: reason})
	if err != nil {
		return nil, err
	}
	return certificationOutput(c), nil
}

func (h *handlers) approveVendor(ctx context.Context, in *ApproveVendorInput) (*VendorOutput, error) {
	return h.setVendorStatus(ctx, in.ID, in.IfMatch, catalog.VendorActive)
}

func (h *handlers) suspendVendor(ctx context.Context, in *SuspendVendorInput) (*VendorOutput, error) {
	return h.setVendorStatus(ctx, in.ID, in.IfMatch, catalog.VendorSuspended)
}

// setVendorStatus admits or suspends the vendor id.
func (h *handlers) setVendorStatus(ctx context.Context, id uuid.UUID, ifMatch IfMatch, status catalog.VendorStatus) (*VendorOutput, error) {
	version, err := ifMatch.version()
	if err != nil {
		return nil, err
	}
	v, err := h.Catalog.SetVendorStatus(ctx, id, version, status)
	if err != nil {
		return nil, err
	}
	return vendorOutput(v), nil
}
