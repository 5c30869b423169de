package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestPages_StaffModeration(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	vendor := s.browser()
	vendor.post("/signup", vendorSignUp()).want(http.StatusOK, "pending")
	vendor.get("/staff").want(http.StatusForbidden)
	until := time.Now().AddDate(1, 0, 0).Format(time.DateOnly)
	for _, n := range []string{"ISMS-1", "ISMS-2"} {
		vendor.post("/dashboard/certifications", url.Values{"scheme": {"iso-iec-27001"}, "number": {n}, "issuer": {"CB (fictional)"},
			"valid_from": {"2025-01-01"}, "valid_until": {until}}).want(http.StatusOK, n)
	}

	staff := s.browser()
	staff.post("/signin", url.Values{"key": {s.admin}}).want(http.StatusOK, `href="/staff"`)
	p := staff.get("/staff").want(http.StatusOK, "Vendors waiting for approval", "Clinique Sûre SAS (fictional)", "ISMS-1", "ISMS-2",
		"No evidence link given.")
	ids := regexp.MustCompile(`action="/staff/certifications/([^/]+)/reject"`).FindAllStringSubmatch(p.Body, -1)
	vid := regexp.MustCompile(`action="/staff/vendors/([^/]+)/approve"`).FindStringSubmatch(p.Body)
	if len(ids) != 2 || vid == nil {
		t.Fatalf("forms: %v %v", ids, vid)
	}
	first, second := ids[0][1], ids[1][1]

	// A rejection needs a reason: the API's 422, shown beside the row's field.
	staff.post("/staff/certifications/"+first+"/reject", url.Values{"reason-" + first: {""}}).
		want(http.StatusUnprocessableEntity, `class="error-summary"`, `href="#f-reason-`+first+`"`, `id="f-reason-`+first+`-error"`)
	staff.post("/staff/certifications/"+first+"/reject", url.Values{"reason-" + first: {"Not in the issuer's register."}}).
		want(http.StatusOK, "Decision recorded.").lacks("ISMS-1")
	// A decision on a stale page is refused (If-Match).
	staff.post("/staff/certifications/"+second+"/verify", url.Values{"version": {"99"}}).want(http.StatusPreconditionFailed, `class="error-summary"`)
	staff.post("/staff/certifications/"+second+"/verify", url.Values{"note": {"Register checked."}}).
		want(http.StatusOK, "Decision recorded.", "No certificate is waiting.")
	staff.post("/staff/vendors/"+vid[1]+"/approve", url.Values{"version": {"1"}}).want(http.StatusOK, "No vendor is waiting.")
	staff.post("/staff/vendors/"+vid[1]+"/nonsense", nil).want(http.StatusNotFound)

	// The vendor sees the outcome.
	vendor.get("/dashboard").want(http.StatusOK, "active", "Not in the issuer&#39;s register.", "verified")

	// The audit trail: moderation links to each object's history; the
	// rejected certificate's shows its creation by the vendor and the
	// rejection by staff, with the status before and after.
	staff.get("/staff").want(http.StatusOK, `href="/staff/audit"`)
	h := staff.get("/staff/audit/certification/"+first).want(http.StatusOK, "Audit trail", "create", "reject", "(vendor)", "(admin)",
		"<strong>status</strong>: self-declared → rejected", "<strong>number</strong>: – → ISMS-1").lacks("<strong>level</strong>")
	if strings.Index(h.Body, ">create<") > strings.Index(h.Body, ">reject<") {
		t.Error("history not oldest first")
	}
	staff.get("/staff/audit/vendor/"+vid[1]).want(http.StatusOK, "approve", "<strong>status</strong>: pending → active")
	staff.get("/staff/audit?action=verify").want(http.StatusOK, "verify", `href="/staff/audit/certification/`+second+`"`).lacks(">reject<")
	staff.get("/staff/audit?lang=fr").want(http.StatusOK, "Journal d&#39;audit")
	staff.get("/staff/audit/nonsense/" + first).want(http.StatusNotFound)
	staff.get("/staff/audit/offering/not-a-uuid").want(http.StatusUnprocessableEntity)
	vendor.get("/staff/audit").want(http.StatusForbidden)
	vendor.get("/staff/audit/certification/" + first).want(http.StatusForbidden)
}

// The vendor list of the moderation page filters by status through
// list-vendors: pending by default, then active, suspended or all.
func TestPages_StaffVendorStatusFilter(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	s.browser().post("/signup", vendorSignUp()).want(http.StatusOK, "pending")
	var active, suspended struct {
		ID string `json:"id"`
	}
	s.apiCall(http.MethodPost, "/v1/vendors", s.admin, map[string]any{"legal_name": "Wolkenwerk GmbH (fictional)",
		"vat_number": "DE811907980", "country": "DE", "size": "medium", "contact": map[string]any{"email": "vertrieb@wolkenwerk.example"}}, http.StatusCreated, &active)
	s.apiCall(http.MethodPost, "/v1/vendors", s.admin, map[string]any{"legal_name": "Nuage Suspendu SARL (fictional)",
		"vat_number": "FR83404833048", "country": "FR", "size": "micro", "contact": map[string]any{"email": "contact@nuage.example"}}, http.StatusCreated, &suspended)
	s.apiCall(http.MethodPost, "/v1/vendors/"+suspended.ID+"/suspend", s.admin, map[string]any{"reason": "Register entry withdrawn."}, http.StatusOK, nil)

	staff := s.browser()
	staff.post("/signin", url.Values{"key": {s.admin}}).want(http.StatusOK)
	staff.get("/staff").want(http.StatusOK, "Vendors waiting for approval", `<option value="pending" selected>`, "Clinique Sûre SAS").
		lacks("Wolkenwerk", "Nuage Suspendu")
	staff.get("/staff?status=active").want(http.StatusOK, `<option value="active" selected>`, "Wolkenwerk").
		lacks("Clinique Sûre SAS", "Nuage Suspendu", "/approve")
	staff.get("/staff?status=suspended").want(http.StatusOK, "Nuage Suspendu", `<td class="vendor-status">suspended</td>`).
		lacks("Clinique Sûre SAS", "Wolkenwerk")
	staff.get("/staff?status=all").want(http.StatusOK, "Clinique Sûre SAS", "Wolkenwerk", "Nuage Suspendu")
	staff.get("/staff?status=nonsense").want(http.StatusOK, `<option value="pending" selected>`)
	staff.lang = "fr"
	staff.get("/staff?status=suspended").want(http.StatusOK, `<td class="vendor-status">suspendu</td>`, "Tous les statuts")
}
