package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// Vendors edit a certificate's fields (number, issuer, level, scope, dates,
// evidence link, services covered) from the dashboard through
// update-certification (PATCH, If-Match the version the form was filled
// from). The API returns a verified certificate whose substance changes to
// self-declared.

// certificationEdit is get-certification with the scope the form shows.
type certificationEdit struct {
	certificationView
	Scope string `json:"scope"`
}

// editCertificationForm shows the certification form filled from get-certification.
func (s *Server) editCertificationForm(q *request) error {
	if ok, err := q.requireVendor(); !ok {
		return err
	}
	d, err := q.certificationFormData()
	if err != nil {
		return err
	}
	var c certificationEdit
	if err := q.api.get(q.r.Context(), "/v1/certifications/"+pathEscape(q.r.PathValue("id")), nil, &c); err != nil {
		return err
	}
	if c.VendorID != q.sess.vendor {
		return errPage{http.StatusNotFound}
	}
	d.ID = c.ID
	v := q.view("Change a certificate", d)
	v.Form = newForm(url.Values{"scheme": {c.Scheme}, "level": {c.Level}, "number": {c.Number}, "issuer": {c.Issuer},
		"scope": {c.Scope}, "valid_from": {c.ValidFrom}, "valid_until": {c.ValidUntil}, "evidence_url": {c.EvidenceURL},
		"offering_ids": c.OfferingIDs, "version": {strconv.FormatInt(c.Version, 10)}})
	return q.render(http.StatusOK, "certification_form", v)
}

// updateCertification sends the edited form to update-certification.
func (s *Server) updateCertification(q *request) error {
	if ok, err := q.requireVendorPost(); !ok {
		return err
	}
	d, err := q.certificationFormData()
	if err != nil {
		return err
	}
	d.ID = q.r.PathValue("id")
	f := q.r.PostForm
	body := map[string]any{}
	for _, k := range []string{"scheme", "level", "number", "issuer", "scope", "valid_from", "valid_until", "evidence_url"} {
		body[k] = strings.TrimSpace(f.Get(k))
	}
	// Dates and the scheme cannot be cleared: sent blank, the API names the
	// field. The ticked services replace the list (the form lists them all).
	if len(d.Offerings) > 0 {
		body["offering_ids"] = orEmptyList(nonEmpty(f["offering_ids"]))
	}
	path := "/v1/certifications/" + pathEscape(d.ID)
	if err := q.api.callIf(q.r.Context(), http.MethodPatch, path, f.Get("version"), body, nil); err != nil {
		return q.formFailed(err, "certification_form", "Change a certificate", d, certificationFields)
	}
	return q.redirect("/dashboard?done=saved")
}
