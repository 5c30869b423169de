package web

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
)

// Staff moderation: vendors waiting for approval and self-declared
// certificates to verify or reject, each decision an API operation
// (approve-vendor, verify-certification, reject-certification) made with
// the staff member's key and the version they saw (If-Match).

// Bounds of the moderation page's reads.
const (
	// vendorScanPages bounds the pages of list-vendors (100 vendors each,
	// filtered by status) the moderation page reads.
	vendorScanPages = 20
	claimsPerPage   = 50
)

// staffData is the moderation page's data.
type staffData struct {
	Ref *reference
	// Status is the vendors' status shown (vendorStatuses; default
	// pending), Pending the vendors of that status.
	Status   string
	Statuses []option
	Pending  []vendorView
	Claims   []claim
	Partial  bool   // more vendors than were scanned
	Done     string // the decision just made
	VendorOf map[string]vendorView
}

// claim is a self-declared certificate with its vendor.
type claim struct {
	Cert   certificationView
	Vendor vendorView
}

// requireStaff allows staff sessions only.
func (q *request) requireStaff() (bool, error) {
	if !q.requireSession() {
		return false, nil
	}
	if !q.sess.IsStaff() {
		return false, errPage{http.StatusForbidden}
	}
	return true, nil
}

// staff answers the moderation queue.
func (s *Server) staff(q *request) error {
	if ok, err := q.requireStaff(); !ok {
		return err
	}
	d, err := q.staffData()
	if err != nil {
		return err
	}
	d.Done = q.r.URL.Query().Get("done")
	v := q.view("Moderation", d)
	v.Form = newForm(nil)
	return q.render(http.StatusOK, "staff", v)
}

func (q *request) staffData() (*staffData, error) {
	ref, err := q.reference()
	if err != nil {
		return nil, err
	}
	d := &staffData{Ref: ref, Status: q.r.URL.Query().Get("status")}
	if !slices.Contains(vendorStatuses, d.Status) {
		d.Status = "pending"
	}
	v := q.view("Moderation", nil)
	for _, st := range vendorStatuses {
		d.Statuses = append(d.Statuses, option{st, v.T(st)})
	}
	if d.Pending, d.Partial, err = q.vendorsWithStatus(d.Status); err != nil {
		return nil, err
	}
	var certs listOf[certificationView]
	if err := q.api.get(q.r.Context(), "/v1/certifications", url.Values{"status": {"self-declared"}, "limit": {fmt.Sprint(claimsPerPage)}}, &certs); err != nil {
		return nil, err
	}
	vendors := map[string]vendorView{}
	for _, c := range certs.Items {
		v, ok := vendors[c.VendorID]
		if !ok {
			if err := q.api.get(q.r.Context(), "/v1/vendors/"+pathEscape(c.VendorID), nil, &v); err != nil {
				return nil, err
			}
			vendors[c.VendorID] = v
		}
		d.Claims = append(d.Claims, claim{Cert: c, Vendor: v})
	}
	return d, nil
}

// vendorStatuses are the statuses of the staff page's vendor filter, in
// the API's words (the Vendor schema's status), and "all".
var vendorStatuses = []string{"pending", "active", "suspended", "all"}

// vendorsWithStatus pages through list-vendors (as staff, who see every
// vendor) with status as its filter ("all": none); partial is true when it
// stopped early.
func (q *request) vendorsWithStatus(status string) (found []vendorView, partial bool, err error) {
	cursor := ""
	for range vendorScanPages {
		var page listOf[vendorView]
		query := url.Values{"limit": {"100"}}
		if status != "all" {
			query.Set("status", status)
		}
		if cursor != "" {
			query.Set("cursor", cursor)
		}
		if err := q.api.get(q.r.Context(), "/v1/vendors", query, &page); err != nil {
			return nil, false, err
		}
		found = append(found, page.Items...)
		if cursor = page.NextCursor; cursor == "" {
			return found, false, nil
		}
	}
	return found, true, nil
}

// decide makes one staff decision from a form post: approve a vendor, or
// verify or reject a certificate. Problems (a reason missing, a stale
// version) come back on the moderation page with an error summary.
func (s *Server) decide(q *request) error {
	if ok, err := q.requireStaff(); !ok {
		return err
	}
	if err := q.r.ParseForm(); err != nil {
		return errPage{http.StatusBadRequest}
	}
	f := q.r.PostForm
	id, kind := q.r.PathValue("id"), q.r.PathValue("decision")
	var path string
	var body any
	switch kind {
	case "approve":
		path = "/v1/vendors/" + pathEscape(id) + "/approve"
	case "verify":
		path, body = "/v1/certifications/"+pathEscape(id)+"/verify", map[string]string{"note": f.Get("note")}
	case "reject":
		path, body = "/v1/certifications/"+pathEscape(id)+"/reject", map[string]string{"reason": f.Get("reason-" + id)}
	default:
		return errPage{http.StatusNotFound}
	}
	if err := q.api.callIf(q.r.Context(), http.MethodPost, path, f.Get("version"), body, nil); err != nil {
		d, derr := q.staffData()
		if derr != nil {
			return derr
		}
		return q.formFailed(err, "staff", "Moderation", d, func(v *view) []field {
			return []field{{Name: "reason-" + id, API: "reason", Label: v.T("Reason")}, {Name: "note", Label: v.T("Note")}}
		})
	}
	return q.redirect("/staff?done=" + url.QueryEscape(kind))
}
