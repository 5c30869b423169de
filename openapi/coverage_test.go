package openapi_test

import (
	"net/http"
	"slices"
	"testing"

	"github.com/google/uuid"
)

// TestAPI_DraftCoverageDoesNotLeak: filtering certifications by an offering
// the caller cannot see answers as for an id that does not exist, and a
// public certification says explicitly what it covers, listing only public
// offerings.
func TestAPI_DraftCoverageDoesNotLeak(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	var draftOnly, mixed created
	w.a.do(http.MethodPost, "/v1/vendors/"+w.aID+"/certifications", with(validCertification(w.aDraft), "number", "D-1")).want(http.StatusCreated).decode(&draftOnly)
	w.a.do(http.MethodPost, "/v1/vendors/"+w.aID+"/certifications", with(validCertification(w.aDraft, w.aPublished), "number", "D-2")).want(http.StatusCreated).decode(&mixed)
	w.a.do(http.MethodPost, "/v1/vendors/"+w.aID+"/certifications", with(validCertification(), "number", "V-1")).want(http.StatusCreated)

	type cert struct {
		ID          string   `json:"id"`
		Covers      string   `json:"covers"`
		OfferingIDs []string `json:"offering_ids"`
	}
	list := func(c *client, query string) []cert {
		var page struct{ Items []cert }
		c.do(http.MethodGet, "/v1/certifications"+query, nil).want(http.StatusOK).decode(&page)
		return page.Items
	}
	for name, c := range map[string]*client{"anonymous": w.anon, "another vendor": w.b} {
		t.Run(name, func(t *testing.T) {
			if got, random := list(c, "?offering_id="+w.aDraft), list(c, "?offering_id="+uuid.NewString()); len(got) != len(random) || len(got) != 0 {
				t.Errorf("offering_id of a hidden draft lists %d certifications, a random id %d", len(got), len(random))
			}
			c.do(http.MethodGet, "/v1/certifications/"+draftOnly.ID, nil).problem(http.StatusNotFound)
			for _, x := range list(c, "?vendor_id="+w.aID) {
				if x.ID == draftOnly.ID {
					t.Error("a certification covering only a draft is listed")
				}
				if slices.Contains(x.OfferingIDs, w.aDraft) {
					t.Errorf("%s lists the draft", x.ID)
				}
				if want := map[bool]string{true: "vendor", false: "offerings"}[len(x.OfferingIDs) == 0]; x.Covers != want {
					t.Errorf("%s covers %q with offering_ids %v", x.ID, x.Covers, x.OfferingIDs)
				}
				if x.ID == mixed.ID && (x.Covers != "offerings" || !slices.Equal(x.OfferingIDs, []string{w.aPublished})) {
					t.Errorf("mixed certification: %+v, want only the published offering", x)
				}
			}
		})
	}
	t.Run("the owner sees its draft coverage", func(t *testing.T) {
		if got := list(w.a, "?offering_id="+w.aDraft); len(got) != 2 {
			t.Errorf("owner: %d certifications cover its draft, want 2", len(got))
		}
	})
}
