package web

import (
	"net/http"
	"net/url"
	"strings"
)

// home answers the home page: what the catalogue is, for whom.
func (s *Server) home(q *request) error {
	return q.render(http.StatusOK, "home", q.view("Cybersecurity services for hospitals", nil))
}

// dashboardData is the dashboard's data.
type dashboardData struct {
	*vendorData
	// NewKey is the vendor key of a fresh sign-up, shown this once.
	NewKey string
	Staff  bool
	// Done is the change just made: saved or withdrawn.
	Done string
}

// requireSession sends a visitor without a session to sign in.
func (q *request) requireSession() bool {
	if q.sess == nil {
		_ = q.redirect("/signin")
		return false
	}
	return true
}

// dashboard answers the signed-in user's home: for a vendor, its company,
// offerings and certificates, with the forms to add more.
func (s *Server) dashboard(q *request) error {
	if !q.requireSession() {
		return nil
	}
	if q.sess.role == "buyer" {
		return q.redirect("/projects") // a buyer's home is its projects
	}
	ref, err := q.reference()
	if err != nil {
		return err
	}
	d := &dashboardData{Staff: q.sess.IsStaff(), Done: q.r.URL.Query().Get("done")}
	if q.sess.vendor != "" {
		if d.vendorData, err = q.vendorData(ref, q.sess.vendor); err != nil {
			return err
		}
	} else {
		d.vendorData = &vendorData{Ref: ref}
	}
	if d.NewKey, err = s.sessions.takeNewKey(q.r.Context(), q.sess); err != nil {
		return err
	}
	return q.render(http.StatusOK, "dashboard", q.view("Dashboard", d))
}

// requireVendor allows only a vendor's session; others get 403 (or sign in).
func (q *request) requireVendor() (bool, error) {
	if !q.requireSession() {
		return false, nil
	}
	if q.sess.vendor == "" {
		return false, errPage{http.StatusForbidden}
	}
	return true, nil
}

// requireVendorPost is requireVendor for a form post: it also parses the
// form (400 when it cannot).
func (q *request) requireVendorPost() (bool, error) {
	if ok, err := q.requireVendor(); !ok {
		return false, err
	}
	if err := q.r.ParseForm(); err != nil {
		return false, errPage{http.StatusBadRequest}
	}
	return true, nil
}

// offeringFields are the fields of the offering form, as the API names them.
func offeringFields(v *view) []field {
	return []field{
		{Name: "name", Label: v.T("Name of the service")}, {Name: "category", Label: v.T("Category")},
		{Name: "summary", Label: v.T("Summary")}, {Name: "description", Label: v.T("Description")},
		{Name: "delivery", Label: v.T("Delivery")}, {Name: "countries", Label: v.T("Countries served")},
		{Name: "languages", Label: v.T("Support languages")}, {Name: "data_locations", Label: v.T("Where customer data is kept")},
		{Name: "status", Label: v.T("Publication")},
	}
}

// offeringFormData is the offering form's data: a new offering's, or an
// existing one's to edit (ID set).
type offeringFormData struct {
	Ref *reference
	ID  string
}

// Action is where the form is sent.
func (d offeringFormData) Action() string {
	if d.ID == "" {
		return "/dashboard/offerings"
	}
	return "/dashboard/offerings/" + d.ID
}

// newOfferingForm shows the form to add an offering.
func (s *Server) newOfferingForm(q *request) error {
	if ok, err := q.requireVendor(); !ok {
		return err
	}
	ref, err := q.reference()
	if err != nil {
		return err
	}
	v := q.view("Add a service", offeringFormData{Ref: ref})
	v.Form = newForm(nil)
	v.Form.Values.Set("text_lang", q.lang.String())
	return q.render(http.StatusOK, "offering_form", v)
}

// createOffering sends the form to create-offering for the session's vendor.
func (s *Server) createOffering(q *request) error {
	if ok, err := q.requireVendorPost(); !ok {
		return err
	}
	ref, err := q.reference()
	if err != nil {
		return err
	}
	body := offeringBody(q.r.PostForm)
	var out offeringView
	if err := q.api.call(q.r.Context(), http.MethodPost, "/v1/vendors/"+pathEscape(q.sess.vendor)+"/offerings", body, &out); err != nil {
		return q.formFailed(err, "offering_form", "Add a service", offeringFormData{Ref: ref}, offeringFields)
	}
	return q.redirect("/dashboard")
}

// offeringBody is the offering form as the API's offering: texts in the
// form's language.
func offeringBody(f url.Values) map[string]any {
	lang := f.Get("text_lang")
	body := map[string]any{
		"name": f.Get("name"), "category": f.Get("category"), "delivery": f.Get("delivery"),
		"countries": orEmptyList(nonEmpty(f["countries"])), "languages": orEmptyList(nonEmpty(f["languages"])),
		"summary": map[string]string{}, "status": f.Get("status"),
	}
	if t := strings.TrimSpace(f.Get("summary")); t != "" {
		body["summary"] = map[string]string{lang: t}
	}
	if dl := nonEmpty(f["data_locations"]); len(dl) > 0 {
		body["data_locations"] = dl
	}
	if t := strings.TrimSpace(f.Get("description")); t != "" {
		body["description"] = map[string]string{lang: t}
	}
	return body
}

func orEmptyList(l []string) []string {
	if l == nil {
		return []string{}
	}
	return l
}

// certificationFields are the fields of the certification form.
func certificationFields(v *view) []field {
	return []field{
		{Name: "scheme", Label: v.T("Scheme")}, {Name: "level", Label: v.T("Level")}, {Name: "number", Label: v.T("Certificate number")},
		{Name: "issuer", Label: v.T("Issued by")}, {Name: "scope", Label: v.T("Scope")}, {Name: "valid_from", Label: v.T("Valid from")},
		{Name: "valid_until", Label: v.T("Valid until")}, {Name: "evidence_url", Label: v.T("Evidence link")},
		{Name: "offering_ids", Label: v.T("Services covered")},
	}
}

// certificationFormData is the certification form's data: a new
// certification's, or an existing one's to edit (ID set).
type certificationFormData struct {
	Ref       *reference
	Offerings []offeringView
	ID        string
}

// Action is where the form is sent.
func (d certificationFormData) Action() string {
	if d.ID == "" {
		return "/dashboard/certifications"
	}
	return "/dashboard/certifications/" + d.ID
}

func (q *request) certificationFormData() (certificationFormData, error) {
	ref, err := q.reference()
	if err != nil {
		return certificationFormData{}, err
	}
	d, err := q.vendorData(ref, q.sess.vendor)
	if err != nil {
		return certificationFormData{}, err
	}
	return certificationFormData{Ref: ref, Offerings: d.Offerings}, nil
}

// newCertificationForm shows the form to declare a certification.
func (s *Server) newCertificationForm(q *request) error {
	if ok, err := q.requireVendor(); !ok {
		return err
	}
	d, err := q.certificationFormData()
	if err != nil {
		return err
	}
	v := q.view("Declare a certificate", d)
	v.Form = newForm(nil)
	return q.render(http.StatusOK, "certification_form", v)
}

// createCertification sends the form to create-certification: a
// self-declared claim until staff verify it.
func (s *Server) createCertification(q *request) error {
	if ok, err := q.requireVendorPost(); !ok {
		return err
	}
	d, err := q.certificationFormData()
	if err != nil {
		return err
	}
	f := q.r.PostForm
	body := map[string]any{
		"scheme": f.Get("scheme"), "number": f.Get("number"), "issuer": f.Get("issuer"),
		"valid_from": f.Get("valid_from"), "valid_until": f.Get("valid_until"),
	}
	for _, k := range []string{"level", "scope", "evidence_url"} {
		optional(body, k, f.Get(k))
	}
	if ids := nonEmpty(f["offering_ids"]); len(ids) > 0 {
		body["offering_ids"] = ids
	}
	if err := q.api.call(q.r.Context(), http.MethodPost, "/v1/vendors/"+pathEscape(q.sess.vendor)+"/certifications", body, nil); err != nil {
		return q.formFailed(err, "certification_form", "Declare a certificate", d, certificationFields)
	}
	return q.redirect("/dashboard")
}
