package openapi_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/xuri/excelize/v2"

	"github.com/cybermarket/cybermarket/catalog"
)

func validBuyer(vat, country string) obj {
	return obj{"legal_name": "Klinikum Nordstadt gGmbH (fictional)", "country": country, "ownership": "public",
		"nis2_entity": "essential", "vat_number": vat}
}

// registerBuyer self-registers a buyer and returns its id and buyer key.
func (c *client) registerBuyer(vat, country string) (id, token string) {
	c.t.Helper()
	var r registration
	c.anonymous().do(http.MethodPost, "/v1/buyers", validBuyer(vat, country)).want(http.StatusCreated).decode(&r)
	if r.Status != "pending" || r.APIKey == nil || r.APIKey.Token == "" || r.APIKey.Role != "buyer" {
		c.t.Fatalf("buyer self-registration returned %+v", r)
	}
	return r.ID, r.APIKey.Token
}

// admittedBuyer registers a buyer, has staff approve it, and returns a
// client acting with its key.
func (c *client) admittedBuyer(vat, country string) (string, *client) {
	c.t.Helper()
	id, token := c.registerBuyer(vat, country)
	c.do(http.MethodPost, "/v1/buyers/"+id+"/approve", nil).want(http.StatusOK)
	return id, c.as(token)
}

type projectView struct {
	ID        string   `json:"id"`
	Version   int64    `json:"version"`
	Title     string   `json:"title"`
	CPVCodes  []string `json:"cpv_codes"`
	Context   []string `json:"context"`
	BuyerKind string   `json:"buyer_kind"`
	LockedAt  string   `json:"locked_at"`
	SHA256    string   `json:"sha256"`
	Searches  []struct {
		Query   string            `json:"query"`
		Filters map[string]string `json:"filters"`
	} `json:"searches"`
	Shortlist []struct {
		OfferingID string `json:"offering_id"`
		Decision   string `json:"decision"`
		Note       string `json:"note"`
	} `json:"shortlist"`
	Outcome *struct {
		Awarded    bool   `json:"awarded"`
		OfferingID string `json:"offering_id"`
	} `json:"outcome"`
}

func validProject() obj {
	return obj{"title": "Incident response for the Nordstadt hospitals", "category": "incident-response",
		"cpv_codes": []string{"72212730-5"}, "country": "DE", "context": []string{"health_data_processed"},
		"lots": []obj{{"id": "LOT-0001", "title": "Retainer"}}}
}

// catalogue makes an active vendor with three published offerings, one
// covered by a certification, and returns the offering ids.
func (c *client) catalogue(vat string) []string {
	c.t.Helper()
	v := c.createVendor(vat)
	var ids []string
	for _, name := range []string{"Retainer A", "Retainer B", "Retainer C"} {
		ids = append(ids, c.createOffering(v.ID, with(validOffering(), "name", name)).ID)
	}
	c.do(http.MethodPost, "/v1/vendors/"+v.ID+"/certifications", validCertification(ids[0])).want(http.StatusCreated)
	return ids
}

// TestAPI_ProcurementProject walks a buyer from registration to an
// exported, locked project with an outcome.
func TestAPI_ProcurementProject(t *testing.T) {
	t.Parallel()
	c := newClient(t)
	offerings := c.catalogue("DE700000001")
	vendorID := c.catalogue("FR40303265045")
	_ = vendorID

	buyerID, token := c.registerBuyer("DE811907980", "DE")
	buyer := c.as(token)
	var vendors struct {
		Items []struct {
			Contact *struct{ Email string } `json:"contact"`
		} `json:"items"`
	}
	t.Run("pending: its own organisation, no projects, no tender contacts", func(t *testing.T) {
		buyer.do(http.MethodGet, "/v1/buyers/"+buyerID, nil).want(http.StatusOK)
		buyer.do(http.MethodPost, "/v1/projects", validProject()).problem(http.StatusForbidden)
		buyer.do(http.MethodGet, "/v1/vendors", nil).want(http.StatusOK).decode(&vendors)
		if len(vendors.Items) == 0 || vendors.Items[0].Contact != nil {
			t.Errorf("a pending buyer sees contacts: %+v", vendors.Items)
		}
	})
	c.as(c.key("verifier", "")).do(http.MethodPost, "/v1/buyers/"+buyerID+"/approve", nil).want(http.StatusOK)
	t.Run("admitted: sees the vendors' tender contacts", func(t *testing.T) {
		buyer.do(http.MethodGet, "/v1/vendors", nil).want(http.StatusOK).decode(&vendors)
		for _, v := range vendors.Items {
			if v.Contact == nil || v.Contact.Email == "" {
				t.Errorf("an admitted buyer does not see a tender contact: %+v", vendors.Items)
			}
		}
		var public struct {
			Items []struct {
				Contact *struct{ Email string } `json:"contact"`
			} `json:"items"`
		}
		c.anonymous().do(http.MethodGet, "/v1/vendors", nil).want(http.StatusOK).decode(&public)
		if public.Items[0].Contact != nil {
			t.Error("the public sees a tender contact")
		}
	})

	var p projectView
	r := buyer.do(http.MethodPost, "/v1/projects", validProject()).want(http.StatusCreated)
	r.decode(&p)
	if p.BuyerKind != "public" || !slices.Equal(p.Context, []string{"health_data_processed"}) || r.Header().Get("Location") != "/v1/projects/"+p.ID {
		t.Fatalf("created %+v", p)
	}
	path := "/v1/projects/" + p.ID
	buyer.do(http.MethodPost, path+"/searches", obj{"query": "24/7 incident response", "filters": obj{"country": "DE", "eligible": "verified"}}).want(http.StatusCreated)
	buyer.do(http.MethodPut, path+"/shortlist/"+offerings[0], obj{"decision": "included", "note": "Verified ISO 27001"}).want(http.StatusOK)
	buyer.do(http.MethodPut, path+"/shortlist/"+offerings[1], obj{"decision": "included"}).want(http.StatusOK)
	if pr := buyer.do(http.MethodPut, path+"/shortlist/"+offerings[2], obj{"decision": "excluded"}).problem(http.StatusUnprocessableEntity); !pr.names("body.note") {
		t.Errorf("an exclusion without a reason: %v", pr.locations())
	}
	buyer.do(http.MethodPut, path+"/shortlist/"+offerings[2], obj{"decision": "excluded", "note": "No German data centre \u2028 <&>"}).want(http.StatusOK)
	buyer.do(http.MethodPost, path+"/outcome", obj{"awarded": false, "reason": "too early"}).problem(http.StatusConflict)
	buyer.do(http.MethodGet, path+"/export?format=csv", nil).problem(http.StatusConflict)

	buyer.do(http.MethodPost, path+"/lock", nil).want(http.StatusOK).decode(&p)
	if p.LockedAt == "" || len(p.SHA256) != 64 || len(p.Shortlist) != 3 || len(p.Searches) != 1 {
		t.Fatalf("locked project %+v", p)
	}

	t.Run("a locked project does not change", func(t *testing.T) {
		buyer.do(http.MethodPut, path+"/shortlist/"+offerings[1], obj{"decision": "excluded", "note": "late"}).problem(http.StatusConflict)
		buyer.do(http.MethodDelete, path+"/shortlist/"+offerings[0], nil).problem(http.StatusConflict)
		buyer.do(http.MethodPost, path+"/searches", obj{"query": "late"}).problem(http.StatusConflict)
		buyer.do(http.MethodPost, path+"/lock", nil).problem(http.StatusConflict)
		var again projectView
		buyer.do(http.MethodGet, path, nil).want(http.StatusOK).decode(&again)
		if again.SHA256 != p.SHA256 || again.Version != p.Version {
			t.Errorf("changed after the lock: %+v", again)
		}
	})

	t.Run("every export states the project's digest, and the JSON's snapshot hashes to it", func(t *testing.T) {
		var export struct {
			SHA256   string          `json:"sha256"`
			Summary  string          `json:"summary"`
			Snapshot json.RawMessage `json:"snapshot"`
		}
		r := buyer.do(http.MethodGet, path+"/export?format=json", nil).want(http.StatusOK)
		r.decode(&export)
		sum := sha256.Sum256(export.Snapshot)
		if got := hex.EncodeToString(sum[:]); got != p.SHA256 || export.SHA256 != p.SHA256 || r.Header().Get("X-Snapshot-SHA256") != p.SHA256 {
			t.Errorf("snapshot hashes to %s, export says %s, project %s", got, export.SHA256, p.SHA256)
		}
		checkSnapshot(t, export.Snapshot, offerings)
		r = buyer.do(http.MethodGet, path+"/export?format=snapshot", nil).want(http.StatusOK)
		if sum := sha256.Sum256(r.Body.Bytes()); hex.EncodeToString(sum[:]) != p.SHA256 || !bytes.Equal(r.Body.Bytes(), export.Snapshot) {
			t.Errorf("the snapshot alone hashes to %x, want %s", sum, p.SHA256)
		}
		if !strings.Contains(export.Summary, `"24/7 incident response" (country=DE, eligible=verified)`) {
			t.Errorf("summary %q", export.Summary)
		}

		r = buyer.do(http.MethodGet, path+"/export?format=csv", nil).want(http.StatusOK)
		cr := csv.NewReader(bytes.NewReader(r.Body.Bytes()))
		cr.FieldsPerRecord = -1 // a summary block of pairs, then the table
		rows, err := cr.ReadAll()
		if err != nil || !strings.HasPrefix(r.Header().Get("Content-Type"), "text/csv") {
			t.Fatalf("csv: %v, %s", err, r.Header().Get("Content-Type"))
		}
		checkTable(t, "csv", rows, p.SHA256, offerings)

		r = buyer.do(http.MethodGet, path+"/export?format=xlsx", nil).want(http.StatusOK)
		f, err := excelize.OpenReader(bytes.NewReader(r.Body.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		rows, err = f.GetRows("Project")
		if err != nil {
			t.Fatal(err)
		}
		checkTable(t, "xlsx", rows, p.SHA256, offerings)
	})

	t.Run("outcome: an award to an included offering, once; public only in aggregate", func(t *testing.T) {
		if pr := buyer.do(http.MethodPost, path+"/outcome", obj{"awarded": true, "offering_id": offerings[2]}).problem(http.StatusUnprocessableEntity); !pr.names("body.offering_id") {
			t.Errorf("award to an excluded offering: %v", pr.locations())
		}
		buyer.do(http.MethodPost, path+"/outcome", obj{"awarded": true, "offering_id": offerings[0], "value_eur": 480000,
			"starts_on": "2027-01-01", "ends_on": "2029-12-31"}).want(http.StatusOK).decode(&p)
		if p.Outcome == nil || !p.Outcome.Awarded || p.Outcome.OfferingID != offerings[0] {
			t.Fatalf("outcome %+v", p.Outcome)
		}
		buyer.do(http.MethodPost, path+"/outcome", obj{"awarded": false, "reason": "again"}).problem(http.StatusConflict)
		var digest projectView
		buyer.do(http.MethodGet, path, nil).want(http.StatusOK).decode(&digest)
		if digest.SHA256 != p.SHA256 {
			t.Error("recording the outcome changed the snapshot digest")
		}

		// A second buyer, in another country, awards the same offering.
		_, other := c.admittedBuyer("FR40303265045", "FR")
		var q projectView
		other.do(http.MethodPost, "/v1/projects", with(validProject(), "country", "FR")).want(http.StatusCreated).decode(&q)
		other.do(http.MethodPut, "/v1/projects/"+q.ID+"/shortlist/"+offerings[0], obj{"decision": "included"}).want(http.StatusOK)
		other.do(http.MethodPost, "/v1/projects/"+q.ID+"/lock", nil).want(http.StatusOK)
		other.do(http.MethodPost, "/v1/projects/"+q.ID+"/outcome", obj{"awarded": true, "offering_id": offerings[0]}).want(http.StatusOK)

		var awards map[string]any
		c.anonymous().do(http.MethodGet, "/v1/offerings/"+offerings[0]+"/awards", nil).want(http.StatusOK).decode(&awards)
		if awards["buyers"] != 2.0 || awards["countries"] != 2.0 || len(awards) != 3 {
			t.Errorf("awards %v, want 2 buyers in 2 countries and nothing else", awards)
		}
	})

	t.Run("every project action is in the audit trail", func(t *testing.T) {
		var page struct {
			Items []struct {
				Action string `json:"action"`
				Actor  string `json:"actor"`
			} `json:"items"`
		}
		c.do(http.MethodGet, "/v1/audit?order=oldest&entity=project&entity_id="+p.ID, nil).want(http.StatusOK).decode(&page)
		var actions []string
		for _, e := range page.Items {
			actions = append(actions, e.Action)
		}
		want := []string{"create", "save-search", "shortlist", "shortlist", "shortlist", "lock", "record-outcome"}
		if !slices.Equal(actions, want) {
			t.Errorf("project events %v, want %v", actions, want)
		}
	})
}

// checkSnapshot checks the snapshot's contents: the time, the reference
// version, every result ranked with its eligibility explanation and note.
func checkSnapshot(t *testing.T, raw []byte, offerings []string) {
	t.Helper()
	var s struct {
		LockedAt  string `json:"locked_at"`
		Reference string `json:"reference_version"`
		Project   struct {
			Context []string `json:"context"`
		} `json:"project"`
		Searches []struct{ Query string } `json:"searches"`
		Results  []struct {
			Rank           int    `json:"rank"`
			OfferingID     string `json:"offering_id"`
			Decision       string `json:"decision"`
			Note           string `json:"note"`
			TieBreak       string `json:"tie_break"`
			Contact        struct{ Email string }
			Requirements   []struct{ ID, Status string } `json:"requirements"`
			Certifications []struct {
				Status     string `json:"status"`
				ValidUntil string `json:"valid_until"`
			} `json:"certifications"`
		} `json:"results"`
	}
	if err := json.Unmarshal(raw, &s); err != nil {
		t.Fatal(err)
	}
	if s.LockedAt == "" || s.Reference == "" || len(s.Searches) != 1 || len(s.Results) != 3 || len(s.Project.Context) != 1 {
		t.Fatalf("snapshot %s", raw)
	}
	for i, r := range s.Results {
		if r.Rank != i+1 || len(r.TieBreak) != 64 || len(r.Requirements) == 0 || r.Contact.Email == "" {
			t.Errorf("result %d: %+v", i, r)
		}
	}
	if last := s.Results[2]; last.OfferingID != offerings[2] || last.Decision != "excluded" || last.Note != "No German data centre \u2028 <&>" {
		t.Errorf("the excluded offering is not last with its reason: %+v", last)
	}
	for _, r := range s.Results {
		if r.OfferingID == offerings[0] && (len(r.Certifications) != 1 || r.Certifications[0].Status != "self-declared" || r.Certifications[0].ValidUntil != "2027-12-31") {
			t.Errorf("the certified offering's certificates: %+v", r.Certifications)
		}
	}
}

// checkTable checks a tabular export: the summary block with the digest,
// then one row per result.
func checkTable(t *testing.T, format string, rows [][]string, digest string, offerings []string) {
	t.Helper()
	fields := map[string]string{}
	header := -1
	for i, row := range rows {
		if len(row) >= 2 {
			fields[row[0]] = row[1]
		}
		if len(row) > 0 && row[0] == "rank" {
			header = i
			break
		}
	}
	if fields["snapshot_sha256"] != digest || fields["reference_version"] == "" || fields["locked_at"] == "" ||
		!strings.Contains(fields["search_summary"], "24/7 incident response") {
		t.Errorf("%s summary block %v", format, fields)
	}
	if header < 0 || len(rows)-header-1 != len(offerings) {
		t.Fatalf("%s: %d rows after the header at %d", format, len(rows)-header-1, header)
	}
	if last := rows[len(rows)-1]; last[1] != offerings[2] || last[6] != "excluded" {
		t.Errorf("%s last row %v", format, last)
	}
}

// TestAPI_ProjectsAreTheBuyersOnly: a second buyer and every vendor key get
// 404 on a project, whatever they try; staff read it but do not change it.
func TestAPI_ProjectsAreTheBuyersOnly(t *testing.T) {
	t.Parallel()
	c := newClient(t)
	offering := c.catalogue("DE700000001")[0]
	vendorID, vendorToken := c.register("DE600000004")
	_ = vendorID
	_, owner := c.admittedBuyer("DE811907980", "DE")
	_, other := c.admittedBuyer("FR40303265045", "FR")
	var p, locked projectView
	owner.do(http.MethodPost, "/v1/projects", validProject()).want(http.StatusCreated).decode(&p)
	owner.do(http.MethodPost, "/v1/projects", validProject()).want(http.StatusCreated).decode(&locked)
	owner.do(http.MethodPut, "/v1/projects/"+locked.ID+"/shortlist/"+offering, obj{"decision": "included"}).want(http.StatusOK)
	owner.do(http.MethodPost, "/v1/projects/"+locked.ID+"/lock", nil).want(http.StatusOK)

	attempts := func(id string) [][3]any {
		path := "/v1/projects/" + id
		return [][3]any{
			{"GET", path, nil},
			{"POST", path + "/searches", obj{"query": "x"}},
			{"PUT", path + "/shortlist/" + offering, obj{"decision": "included"}},
			{"DELETE", path + "/shortlist/" + offering, nil},
			{"POST", path + "/lock", nil},
			{"GET", path + "/export?format=csv", nil},
			{"POST", path + "/outcome", obj{"awarded": false, "reason": "x"}},
		}
	}
	analyst := c.as(c.key("analyst", ""))
	before := c.auditCount()
	for who, k := range map[string]*client{"another buyer": other, "a vendor key": c.as(vendorToken), "an analyst": analyst} {
		for _, id := range []string{p.ID, locked.ID} {
			for _, a := range attempts(id) {
				if r := k.do(a[0].(string), a[1].(string), a[2]); r.Code != http.StatusNotFound {
					t.Errorf("%s: %s %s: %d, want 404", who, a[0], a[1], r.Code)
				}
			}
		}
		var list struct{ Items []projectView }
		k.do(http.MethodGet, "/v1/projects", nil).want(http.StatusOK).decode(&list)
		if len(list.Items) != 0 {
			t.Errorf("%s lists %d projects", who, len(list.Items))
		}
	}
	if c.auditCount() != before {
		t.Error("a refused call wrote something")
	}
	t.Run("staff read, but only the buyer writes", func(t *testing.T) {
		c.do(http.MethodGet, "/v1/projects/"+p.ID, nil).want(http.StatusOK)
		c.do(http.MethodGet, "/v1/projects/"+locked.ID+"/export?format=json", nil).want(http.StatusOK)
		c.do(http.MethodPost, "/v1/projects/"+p.ID+"/searches", obj{"query": "x"}).problem(http.StatusForbidden)
		var list struct{ Items []projectView }
		owner.do(http.MethodGet, "/v1/projects", nil).want(http.StatusOK).decode(&list)
		if len(list.Items) != 2 {
			t.Errorf("the owner lists %d projects", len(list.Items))
		}
	})
	t.Run("a suspended buyer's keys stop; staff still read its projects", func(t *testing.T) {
		var me struct {
			BuyerID string `json:"buyer_id"`
		}
		owner.do(http.MethodGet, "/v1/keys/current", nil).want(http.StatusOK).decode(&me)
		ctx := catalog.WithActor(context.Background(), catalog.Actor{ID: "test", Role: "system"})
		if _, err := c.store.SetBuyerStatus(ctx, uuid.MustParse(me.BuyerID), 0, catalog.VendorSuspended); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _, _ = c.store.SetBuyerStatus(ctx, uuid.MustParse(me.BuyerID), 0, catalog.VendorActive) })
		owner.do(http.MethodGet, "/v1/projects/"+p.ID, nil).problem(http.StatusUnauthorized)
		owner.do(http.MethodPost, "/v1/projects/"+p.ID+"/searches", obj{"query": "x"}).problem(http.StatusUnauthorized)
		owner.do(http.MethodPost, "/v1/projects", validProject()).problem(http.StatusUnauthorized)
		c.do(http.MethodGet, "/v1/projects/"+p.ID, nil).want(http.StatusOK)
	})
	t.Run("buyers are not public, nor other buyers'", func(t *testing.T) {
		var me struct {
			BuyerID string `json:"buyer_id"`
		}
		owner.do(http.MethodGet, "/v1/keys/current", nil).want(http.StatusOK).decode(&me)
		c.anonymous().do(http.MethodGet, "/v1/buyers/"+me.BuyerID, nil).problem(http.StatusUnauthorized)
		other.do(http.MethodGet, "/v1/buyers/"+me.BuyerID, nil).problem(http.StatusNotFound)
		c.as(vendorToken).do(http.MethodGet, "/v1/buyers/"+me.BuyerID, nil).problem(http.StatusForbidden)
	})
}
