package openapi

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/cybermarket/cybermarket/catalog"
)

// Bundle is a vendor with its offerings and certifications, registered in
// one transaction. It is also the line format of bulk import (NDJSON).
type Bundle struct {
	Vendor         VendorInput           `json:"vendor" doc:"The vendor to register."`
	Offerings      []OfferingInput       `json:"offerings,omitempty" maxItems:"200" doc:"Its offerings."`
	Certifications []BundleCertification `json:"certifications,omitempty" maxItems:"200" doc:"Its certifications."`
}

// BundleCertification is a certification of a bundle; it names the offerings
// it covers by their position in the bundle's offerings.
type BundleCertification struct {
	CertificateFields
	Covers []int `json:"covers,omitempty" maxItems:"200" doc:"Zero-based positions in offerings of the offerings the certification covers." example:"[0]"`
}

// Domain converts the bundle to the catalogue's form. New certifications
// start self-declared.
func (b Bundle) Domain() (catalog.Bundle, error) {
	out := catalog.Bundle{Vendor: b.Vendor.domain()}
	for _, o := range b.Offerings {
		var d catalog.Offering
		o.apply(&d)
		out.Offerings = append(out.Offerings, d)
	}
	for i, c := range b.Certifications {
		d := catalog.BundleCertification{Certification: catalog.Certification{Status: catalog.SelfDeclared}, Covers: c.Covers}
		if err := c.apply(&d.Certification); err != nil {
			var verr *catalog.ValidationError
			if errors.As(err, &verr) && len(verr.Fields) == 1 {
				f := verr.Fields[0]
				return catalog.Bundle{}, catalog.Invalid(fmt.Sprintf("certifications[%d].%s", i, f.Field), f.Message, f.Value)
			}
			return catalog.Bundle{}, err
		}
		out.Certifications = append(out.Certifications, d)
	}
	return out, nil
}

// BundleOutput is the registered bundle.
type BundleOutput struct {
	Location string `header:"Location" doc:"URL of the registered vendor."`
	Body     struct {
		Vendor         Vendor          `json:"vendor" doc:"The registered vendor."`
		Offerings      []Offering      `json:"offerings" doc:"Its offerings, in the order sent."`
		Certifications []Certification `json:"certifications" doc:"Its certifications, in the order sent."`
		APIKey         *NewAPIKey      `json:"api_key,omitempty" doc:"The vendor key of a self-registration (a registration without a key). Its token is shown only here, once: store it now."`
	}
}

// CreateBundleInput is the bundle to register.
type CreateBundleInput struct {
	Body Bundle
}

func (h *handlers) registerBundles(api huma.API) {
	huma.Register(api, huma.Operation{
		OperationID: "create-bundle", Method: http.MethodPost, Path: "/v1/bundles", DefaultStatus: http.StatusCreated,
		Summary:     "Register a vendor with its offerings and certifications",
		Description: "Registers a vendor, its offerings and its certifications in one transaction: all are stored, or on any rejected value none is, and the problem names the value by its path (such as body.offerings[1].category). Each line of a bulk import file has this shape. Without a key this is self-registration, as for POST /v1/vendors: the vendor is pending and the response carries its vendor key, once. With an admin key the vendor is active at once.",
		Tags:        []string{"Vendors"}, Errors: []int{401, 403, 409, 422, 429}, MaxBodyBytes: MaxBodyBytes,
		Metadata: allow(selfRegistration),
	}, h.createBundle)
}

func (h *handlers) createBundle(ctx context.Context, in *CreateBundleInput) (*BundleOutput, error) {
	b, err := in.Body.Domain()
	if err != nil {
		return nil, err
	}
	created, key, token, err := h.register(ctx, b, false)
	if err != nil {
		return nil, err
	}
	out := &BundleOutput{Location: "/v1/vendors/" + created.Vendor.ID.String()}
	if token != "" {
		out.Body.APIKey = newAPIKeyWithToken(key, token)
	}
	out.Body.Vendor = newVendor(created.Vendor)
	out.Body.Offerings = make([]Offering, len(created.Offerings))
	for i, o := range created.Offerings {
		out.Body.Offerings[i] = newOffering(o)
	}
	out.Body.Certifications = make([]Certification, len(created.Certifications))
	for i, c := range created.Certifications {
		out.Body.Certifications[i] = newCertification(c.Certification, time.Now())
	}
	return out, nil
}
