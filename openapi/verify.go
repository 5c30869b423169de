package openapi

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

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

func (h *handlers) registerVerification(api huma.API) {
	tags := []string{"Verification"}

	decide := func(ctx context.Context, in CertificationPath, ifMatch IfMatch, status catalog.Verification, reason string) (*CertificationOutput, error) {
		version, err := ifMatch.version()
		if err != nil {
			return nil, err
		}
		c, err := h.Catalog.SetVerification(ctx, in.ID, version, catalog.Decision{Status: status, By: verifiedBy(ctx), Reason: reason})
		if err != nil {
			return nil, err
		}
		return certificationOutput(c), nil
	}

	huma.Register(api, huma.Operation{
		OperationID: "verify-certification", Method: http.MethodPost, Path: "/v1/certifications/{id}/verify",
		Summary:     "Verify a certification claim",
		Description: "Marks a claim verified after checking its evidence, recording who (the key's name) and when. Allowed from self-declared, rejected and suspended (and again from verified, to refresh the date); a withdrawn claim takes no decision (409). Only verified claims count for eligible_verified in assessments.",
		Tags:        tags, Errors: []int{401, 403, 404, 409, 412},
		Metadata: allow(staffOnly),
	}, func(ctx context.Context, in *struct {
		CertificationPath
		IfMatch
		Body *VerifyInput
	}) (*CertificationOutput, error) {
		note := ""
		if in.Body != nil {
			note = in.Body.Note
		}
		return decide(ctx, in.CertificationPath, in.IfMatch, catalog.Verified, note)
	})

	huma.Register(api, huma.Operation{
		OperationID: "reject-certification", Method: http.MethodPost, Path: "/v1/certifications/{id}/reject",
		Summary:     "Reject a certification claim",
		Description: "Marks a claim rejected, with the reason the vendor will see. A rejected claim no longer counts and is hidden from the public. Allowed from self-declared, verified and suspended (409 otherwise).",
		Tags:        tags, Errors: []int{401, 403, 404, 409, 412},
		Metadata: allow(staffOnly),
	}, func(ctx context.Context, in *struct {
		CertificationPath
		IfMatch
		Body ReasonInput
	}) (*CertificationOutput, error) {
		return decide(ctx, in.CertificationPath, in.IfMatch, catalog.Rejected, in.Body.Reason)
	})

	huma.Register(api, huma.Operation{
		OperationID: "suspend-certification", Method: http.MethodPost, Path: "/v1/certifications/{id}/suspend",
		Summary:     "Suspend a certification",
		Description: "Marks a certification suspended, as its certification body did, with the reason. A suspended certification no longer counts and is hidden from the public until staff verify it again. Allowed from self-declared and verified (409 otherwise).",
		Tags:        tags, Errors: []int{401, 403, 404, 409, 412},
		Metadata: allow(staffOnly),
	}, func(ctx context.Context, in *struct {
		CertificationPath
		IfMatch
		Body ReasonInput
	}) (*CertificationOutput, error) {
		return decide(ctx, in.CertificationPath, in.IfMatch, catalog.Suspended, in.Body.Reason)
	})

	setStatus := func(ctx context.Context, in VendorPath, ifMatch IfMatch, status catalog.VendorStatus) (*VendorOutput, error) {
		version, err := ifMatch.version()
		if err != nil {
			return nil, err
		}
		v, err := h.Catalog.SetVendorStatus(ctx, in.ID, version, status)
		if err != nil {
			return nil, err
		}
		return vendorOutput(v), nil
	}

	huma.Register(api, huma.Operation{
		OperationID: "approve-vendor", Method: http.MethodPost, Path: "/v1/vendors/{id}/approve",
		Summary:     "Approve a vendor",
		Description: "Admits a pending vendor, or readmits a suspended one: it and its published offerings become public and searchable. Approving an active vendor changes nothing.",
		Tags:        tags, Errors: []int{401, 403, 404, 412},
		Metadata: allow(staffOnly),
	}, func(ctx context.Context, in *struct {
		VendorPath
		IfMatch
	}) (*VendorOutput, error) {
		return setStatus(ctx, in.VendorPath, in.IfMatch, catalog.VendorActive)
	})

	huma.Register(api, huma.Operation{
		OperationID: "suspend-vendor", Method: http.MethodPost, Path: "/v1/vendors/{id}/suspend",
		Summary:     "Suspend a vendor",
		Description: "Hides a vendor, its offerings and its certifications from the public and from search; its keys keep working so it can see and fix its data. Suspending a suspended vendor changes nothing.",
		Tags:        tags, Errors: []int{401, 403, 404, 412},
		Metadata: allow(staffOnly),
	}, func(ctx context.Context, in *struct {
		VendorPath
		IfMatch
	}) (*VendorOutput, error) {
		return setStatus(ctx, in.VendorPath, in.IfMatch, catalog.VendorSuspended)
	})
}
