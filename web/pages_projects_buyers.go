package web

import (
	"fmt"
	"net/http"
	"net/url"
)

// Buyer organisations register themselves (create-buyer without a key:
// pending, with a buyer key shown once), and staff admit them
// (approve-buyer). The API has no list of buyers: staff find registrations
// in the audit trail (list-audit-events of buyers created) and read each
// with get-buyer.

// buyerView is a buyer organisation (get-buyer).
type buyerView struct {
	ID         string `json:"id"`
	LegalName  string `json:"legal_name"`
	Country    string `json:"country"`
	Ownership  string `json:"ownership"`
	NIS2Entity string `json:"nis2_entity"`
	VATNumber  string `json:"vat_number"`
	LEI        string `json:"lei"`
	Status     string `json:"status"`
	Version    int64  `json:"version"`
	CreatedAt  string `json:"created_at"`
}

// buyerFields are the fields of the buyer registration form.
func buyerFields(v *view) []field {
	return []field{{Name: "legal_name", Label: v.T("Legal name")}, {Name: "country", Label: v.T("Country")},
		{Name: "ownership", Label: v.T("Public or private")}, {Name: "nis2_entity", Label: v.T("NIS2 classification")},
		{Name: "vat_number", Label: v.T("VAT number")}, {Name: "lei", Label: v.T("Legal Entity Identifier (LEI)")}}
}

// buyerSignUpForm shows the buyer registration form.
func (s *Server) buyerSignUpForm(q *request) error {
	return q.emptyForm("Buyer registration", "buyer_signup")
}

// buyerSignUp registers a buyer organisation through create-buyer without
// a key and keeps its buyer key in a new session, to show it once.
func (s *Server) buyerSignUp(q *request) error {
	if err := q.r.ParseForm(); err != nil {
		return errPage{http.StatusBadRequest}
	}
	f := q.r.PostForm
	body := map[string]any{"legal_name": f.Get("legal_name"), "country": f.Get("country"), "ownership": f.Get("ownership"),
		"nis2_entity": f.Get("nis2_entity"), "vat_number": f.Get("vat_number")}
	optional(body, "lei", f.Get("lei"))
	return s.selfRegister(q, "/v1/buyers", body, registrationForm{"buyer_signup", "Buyer registration", buyerFields}, "buyer", "/projects")
}

// ownBuyer is the buyer organisation of the session's buyer key.
func (q *request) ownBuyer() (buyerView, error) {
	var k struct {
		BuyerID string `json:"buyer_id"`
	}
	if err := q.api.get(q.r.Context(), "/v1/keys/current", nil, &k); err != nil {
		return buyerView{}, err
	}
	if k.BuyerID == "" {
		return buyerView{}, errPage{http.StatusForbidden}
	}
	return q.buyer(k.BuyerID)
}

// buyer reads buyer organisation id (get-buyer).
func (q *request) buyer(id string) (buyerView, error) {
	var b buyerView
	err := q.api.get(q.r.Context(), "/v1/buyers/"+pathEscape(id), nil, &b)
	return b, err
}

// buyersStaffData is the staff page of buyer registrations.
type buyersStaffData struct {
	Ref     *reference
	Pending []buyerView
	Done    string
}

// registrationsScanned bounds the buyer registrations the staff page reads.
const registrationsScanned = 100

// staffBuyers lists the buyer organisations waiting for admission.
func (s *Server) staffBuyers(q *request) error {
	if ok, err := q.requireStaff(); !ok {
		return err
	}
	ref, err := q.reference()
	if err != nil {
		return err
	}
	d := &buyersStaffData{Ref: ref, Done: q.r.URL.Query().Get("done")}
	var events listOf[auditEvent]
	query := url.Values{"entity": {"buyer"}, "action": {"create"}, "limit": {fmt.Sprint(registrationsScanned)}}
	if err := q.api.get(q.r.Context(), "/v1/audit", query, &events); err != nil {
		return err
	}
	for _, e := range events.Items {
		b, err := q.buyer(e.EntityID)
		if err != nil {
			return err
		}
		if b.Status == "pending" {
			d.Pending = append(d.Pending, b)
		}
	}
	v := q.view("Buyer registrations", d)
	v.Form = newForm(nil)
	return q.render(http.StatusOK, "buyers_staff", v)
}

// admitBuyer sends approve-buyer with the version staff saw.
func (s *Server) admitBuyer(q *request) error {
	if ok, err := q.requireStaff(); !ok {
		return err
	}
	if err := q.r.ParseForm(); err != nil {
		return errPage{http.StatusBadRequest}
	}
	path := "/v1/buyers/" + pathEscape(q.r.PathValue("id")) + "/approve"
	if err := q.api.callIf(q.r.Context(), http.MethodPost, path, q.r.PostForm.Get("version"), nil, nil); err != nil {
		return err
	}
	return q.redirect("/staff/buyers?done=admitted")
}

// OwnershipOptions are the choices of a buyer's ownership.
func (v *view) OwnershipOptions() []option {
	return []option{{"public", v.T("Public hospital")}, {"private", v.T("Private hospital")}}
}

// NIS2Options are the choices of a buyer's NIS2 classification.
func (v *view) NIS2Options() []option {
	return []option{{"essential", v.T("Essential entity")}, {"important", v.T("Important entity")}, {"none", v.T("Neither")}}
}
