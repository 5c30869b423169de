package web

import (
	"net/http"
	"strings"
)

// signInForm shows the sign-in form.
func (s *Server) signInForm(q *request) error {
	v := q.view("Sign in", nil)
	v.Form = newForm(nil)
	return q.render(http.StatusOK, "signin", v)
}

// signIn checks the key with the API (get-current-key) and starts a session
// holding it.
func (s *Server) signIn(q *request) error {
	if err := q.r.ParseForm(); err != nil {
		return errPage{http.StatusBadRequest}
	}
	key := strings.TrimSpace(q.r.PostForm.Get("key"))
	v := q.view("Sign in", nil)
	v.Form = newForm(nil) // never echo the key
	if key == "" {
		v.Form.addProblem(&problem{Detail: v.T("Enter your API key."), Errors: []problemError{{Location: "key", Message: v.T("Enter your API key.")}}},
			[]field{{Name: "key", Label: v.T("API key")}})
		return q.render(http.StatusUnprocessableEntity, "signin", v)
	}
	var k keyView
	c := &apiClient{api: s.api, from: q.r, key: key}
	if err := c.get(q.r.Context(), "/v1/keys/current", nil, &k); err != nil {
		p, ok := asProblem(err)
		if !ok || p.Status >= 500 || p.Status == http.StatusTooManyRequests {
			return err
		}
		msg := v.T("This key was not accepted: it is unknown, revoked or expired.")
		v.Form.addProblem(&problem{Detail: msg, Errors: []problemError{{Location: "key", Message: msg}}},
			[]field{{Name: "key", Label: v.T("API key")}})
		return q.render(http.StatusUnauthorized, "signin", v)
	}
	if err := s.sessions.start(q.w, q.r, session{key: key, role: k.Role, name: k.Name, vendor: k.VendorID}); err != nil {
		return err
	}
	return q.redirect("/dashboard")
}

// signOut ends the session.
func (s *Server) signOut(q *request) error {
	s.sessions.end(q.w, q.r)
	return q.redirect("/")
}

// vendorFields are the fields of the sign-up form, as the API names them.
func vendorFields(v *view) []field {
	return []field{
		{Name: "legal_name", Label: v.T("Legal name")}, {Name: "trading_name", Label: v.T("Trading name")}, {Name: "vat_number", Label: v.T("VAT number")},
		{Name: "country", Label: v.T("Head-office country"), Choice: true}, {Name: "size", Label: v.T("Company size"), Choice: true}, {Name: "website", Label: v.T("Website")},
		{Name: "contact.name", Label: v.T("Contact name")}, {Name: "contact.email", Label: v.T("Contact e-mail")}, {Name: "contact.phone", Label: v.T("Contact phone")},
	}
}

// signUpData is the data of the registration pages (vendor and buyer):
// the reference data their choices come from.
type signUpData struct{ Ref *reference }

// signUpForm shows the vendor registration form.
func (s *Server) signUpForm(q *request) error { return q.emptyForm("Vendor sign-up", "signup") }

// emptyForm shows the registration form of template name, titled title,
// with the reference data's choices and nothing entered.
func (q *request) emptyForm(title, name string) error {
	ref, err := q.reference()
	if err != nil {
		return err
	}
	v := q.view(title, signUpData{ref})
	v.Form = newForm(nil)
	return q.render(http.StatusOK, name, v)
}

// signUp registers a vendor through create-vendor without a key (a
// self-registration: the vendor is pending until staff approve it) and
// keeps the vendor key it returns in a new session, to show it once.
func (s *Server) signUp(q *request) error {
	if err := q.r.ParseForm(); err != nil {
		return errPage{http.StatusBadRequest}
	}
	f := q.r.PostForm
	body := map[string]any{
		"legal_name": f.Get("legal_name"), "vat_number": f.Get("vat_number"), "country": f.Get("country"),
		"size": f.Get("size"), "contact": map[string]any{"email": f.Get("contact.email")},
	}
	optional(body, "trading_name", f.Get("trading_name"))
	optional(body, "website", f.Get("website"))
	contact := body["contact"].(map[string]any)
	optional(contact, "name", f.Get("contact.name"))
	optional(contact, "phone", f.Get("contact.phone"))
	return s.selfRegister(q, "/v1/vendors", body, registrationForm{"signup", "Vendor sign-up", vendorFields}, "vendor", "/dashboard")
}

// registrationForm is a self-registration page: its template, title and
// fields (for the API's field errors).
type registrationForm struct {
	template, title string
	fields          func(*view) []field
}

// selfRegister posts body to path without a key (a self-registration), keeps
// the key the API answers with in a new session of role, to show it once,
// and goes to next; a refusal shows form again with the API's field errors.
// A vendor session also keeps the new vendor's id.
func (s *Server) selfRegister(q *request, path string, body map[string]any, form registrationForm, role, next string) error {
	ref, err := q.reference()
	if err != nil {
		return err
	}
	var out struct {
		ID     string `json:"id"`
		APIKey *struct {
			Token string `json:"token"`
			keyView
		} `json:"api_key"`
	}
	anon := &apiClient{api: s.api, from: q.r}
	if err := anon.call(q.r.Context(), http.MethodPost, path, body, &out); err != nil {
		return q.formFailed(err, form.template, form.title, signUpData{ref}, form.fields)
	}
	if out.APIKey == nil {
		return errPage{http.StatusInternalServerError}
	}
	sess := session{key: out.APIKey.Token, role: role, name: out.APIKey.Name, showKey: true}
	if role == "vendor" {
		sess.vendor = out.ID
	}
	if err := s.sessions.start(q.w, q.r, sess); err != nil {
		return err
	}
	return q.redirect(next)
}

// optional sets m[k] when v is not blank: the API tells an absent optional
// field from an empty one.
func optional(m map[string]any, k, v string) {
	if strings.TrimSpace(v) != "" {
		m[k] = v
	}
}

// formFailed shows the form page name again with the API's problem beside
// its fields (422, 409 and the like); other errors become error pages.
func (q *request) formFailed(err error, name, title string, data any, fields func(*view) []field) error {
	p, ok := asProblem(err)
	if !ok || p.Status >= 500 || p.Status == http.StatusUnauthorized || p.Status == http.StatusTooManyRequests {
		return err
	}
	v := q.view(title, data)
	v.Form = newForm(q.r.PostForm)
	v.Form.addProblemIn(v, p, fields(v))
	return q.render(p.Status, name, v)
}
