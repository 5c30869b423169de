package openapi_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/cybermarket/cybermarket/catalog"
)

type obj = map[string]any

func validVendor(vat string) obj {
	return obj{
		"legal_name": "Nordlicht Cyber Defence GmbH (fictional)", "vat_number": vat, "country": "DE",
		"size": "small", "website": "https://nordlicht.example", "euid": "DEK1101R.HRB116737",
		"contact": obj{"name": "Tender desk", "email": "tenders@nordlicht.example", "phone": "+4930123456"},
	}
}

func validOffering() obj {
	return obj{
		"name": "Incident response retainer", "category": "incident-response", "cpv_codes": []string{"72212730-5"},
		"summary": obj{"en": "On-call DFIR team."}, "delivery": "hybrid", "countries": []string{"DE", "AT"},
		"languages": []string{"de", "en"}, "data_locations": []string{"DE"}, "cleared_in": []string{"DE"},
		"healthcare_references": []obj{{"customer": "Klinikum (fictional)", "country": "DE", "year": 2025}},
		"status":                "published",
	}
}

func validCertification(offerings ...string) obj {
	return obj{
		"scheme": "iso-iec-27001", "number": "ISMS-1", "issuer": "Example CB (fictional)",
		"valid_from": "2025-01-01", "valid_until": "2027-12-31", "offering_ids": offerings,
		"evidence_url":    "https://certs.example/ISMS-1.pdf",
		"evidence_sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
	}
}

// with returns a copy of o with the value at a dotted path set (or deleted
// when v is del).
func with(o obj, path string, v any) obj {
	data, _ := json.Marshal(o)
	var c obj
	_ = json.Unmarshal(data, &c)
	keys := strings.Split(path, ".")
	m := c
	for _, k := range keys[:len(keys)-1] {
		m = m[k].(obj)
	}
	if v == del {
		delete(m, keys[len(keys)-1])
	} else {
		m[keys[len(keys)-1]] = v
	}
	return c
}

var del = &struct{}{}

type created struct {
	ID      string `json:"id"`
	Version int64  `json:"version"`
}

func (c *client) createVendor(vat string) created {
	c.t.Helper()
	var v created
	c.do(http.MethodPost, "/v1/vendors", validVendor(vat)).want(http.StatusCreated).decode(&v)
	return v
}

func (c *client) createOffering(vendorID string, o obj) created {
	c.t.Helper()
	var v created
	c.do(http.MethodPost, "/v1/vendors/"+vendorID+"/offerings", o).want(http.StatusCreated).decode(&v)
	return v
}

func TestAPI_CreateAndReadBack(t *testing.T) {
	t.Parallel()
	c := newClient(t)
	res := c.do(http.MethodPost, "/v1/vendors", validVendor("DE811907980")).want(http.StatusCreated)
	var v struct {
		created
		VATNumber string `json:"vat_number"`
	}
	res.decode(&v)
	if res.Header().Get("ETag") != `"1"` || res.Header().Get("Location") != "/v1/vendors/"+v.ID {
		t.Errorf("ETag %q Location %q", res.Header().Get("ETag"), res.Header().Get("Location"))
	}
	o := c.createOffering(v.ID, validOffering())
	var cert struct {
		created
		Status      string   `json:"status"`
		ValidToday  bool     `json:"valid_today"`
		OfferingIDs []string `json:"offering_ids"`
	}
	c.do(http.MethodPost, "/v1/vendors/"+v.ID+"/certifications", validCertification(o.ID)).want(http.StatusCreated).decode(&cert)
	if cert.Status != "self-declared" || len(cert.OfferingIDs) != 1 || cert.OfferingIDs[0] != o.ID {
		t.Errorf("certification %+v", cert)
	}

	for _, path := range []string{"/v1/vendors/" + v.ID, "/v1/offerings/" + o.ID, "/v1/certifications/" + cert.ID} {
		var got created
		r := c.do(http.MethodGet, path, nil).want(http.StatusOK)
		r.decode(&got)
		if r.Header().Get("ETag") != `"1"` || got.Version != 1 {
			t.Errorf("GET %s: ETag %q version %d", path, r.Header().Get("ETag"), got.Version)
		}
	}
	var list struct {
		Items []created `json:"items"`
	}
	c.do(http.MethodGet, "/v1/offerings?vendor_id="+v.ID+"&category=incident-response&status=published&country=AT", nil).want(http.StatusOK).decode(&list)
	if len(list.Items) != 1 || list.Items[0].ID != o.ID {
		t.Errorf("filtered list %+v", list.Items)
	}
	c.do(http.MethodGet, "/v1/certifications?vendor_id="+v.ID+"&valid_on=2030-01-01", nil).want(http.StatusOK).decode(&list)
	if len(list.Items) != 0 {
		t.Errorf("a certification ending 2027-12-31 is listed as valid on 2030-01-01")
	}
}

func TestAPI_ValidationNamesTheField(t *testing.T) {
	t.Parallel()
	c := newClient(t)
	other := c.createVendor("FR40303265045")
	foreign := c.createOffering(other.ID, validOffering())
	vendor := c.createVendor("NL123456782B01")

	for _, tc := range []struct {
		name, path string
		body       obj
		location   string
	}{
		{"VAT format", "/v1/vendors", validVendor("DE12345"), "body.vat_number"},
		{"VAT country", "/v1/vendors", validVendor("US123456789"), "body.vat_number"},
		{"LEI ok", "/v1/vendors", with(validVendor("DE100000104"), "lei", "5299000J2N45DDNE4Y28"), ""},
		{"LEI check digits", "/v1/vendors", with(validVendor("DE100000016"), "lei", "5299000J2N45DDNE4Y29"), "body.lei"},
		{"EUID", "/v1/vendors", with(validVendor("DE100000024"), "euid", "not an euid"), "body.euid"},
		{"country", "/v1/vendors", with(validVendor("DE100000032"), "country", "ZZ"), "body.country"},
		{"established_in", "/v1/vendors", with(validVendor("DE100000049"), "established_in", []string{"XX"}), "body.established_in[0]"},
		{"size", "/v1/vendors", with(validVendor("DE100000057"), "size", "huge"), "body.size"},
		{"website", "/v1/vendors", with(validVendor("DE100000065"), "website", "ftp://x.example"), "body.website"},
		{"legal_name blank", "/v1/vendors", with(validVendor("DE100000073"), "legal_name", "   "), "body.legal_name"},
		{"legal_name too long", "/v1/vendors", with(validVendor("DE100000008"), "legal_name", strings.Repeat("a", 201)), "body.legal_name"},
		{"contact email", "/v1/vendors", with(validVendor("DE100000090"), "contact.email", "not-an-email"), "body.contact.email"},
		{"contact phone", "/v1/vendors", with(validVendor("DE100000207"), "contact.phone", "0301234"), "body.contact.phone"},
		{"missing legal_name", "/v1/vendors", with(validVendor("DE100000112"), "legal_name", del), "body.legal_name"},

		{"unknown category", "/v1/vendors/" + vendor.ID + "/offerings", with(validOffering(), "category", "astrology"), "body.category"},
		{"CPV check digit", "/v1/vendors/" + vendor.ID + "/offerings", with(validOffering(), "cpv_codes", []string{"72212730-4"}), "body.cpv_codes[0]"},
		{"summary language", "/v1/vendors/" + vendor.ID + "/offerings", with(validOffering(), "summary", obj{"xx": "text"}), "body.summary[xx]"},
		{"no summary", "/v1/vendors/" + vendor.ID + "/offerings", with(validOffering(), "summary", obj{}), "body.summary"},
		{"delivery", "/v1/vendors/" + vendor.ID + "/offerings", with(validOffering(), "delivery", "by pigeon"), "body.delivery"},
		{"countries served", "/v1/vendors/" + vendor.ID + "/offerings", with(validOffering(), "countries", []string{"DE", "QQ"}), "body.countries[1]"},
		{"no countries", "/v1/vendors/" + vendor.ID + "/offerings", with(validOffering(), "countries", []string{}), "body.countries"},
		{"support language", "/v1/vendors/" + vendor.ID + "/offerings", with(validOffering(), "languages", []string{"english"}), "body.languages[0]"},
		{"data location", "/v1/vendors/" + vendor.ID + "/offerings", with(validOffering(), "data_locations", []string{"EU"}), "body.data_locations[0]"},
		{"cleared in", "/v1/vendors/" + vendor.ID + "/offerings", with(validOffering(), "cleared_in", []string{"de-"}), "body.cleared_in[0]"},
		{"reference country", "/v1/vendors/" + vendor.ID + "/offerings", with(validOffering(), "healthcare_references", []obj{{"customer": "X", "country": "XX"}}), "body.healthcare_references[0].country"},
		{"reference year", "/v1/vendors/" + vendor.ID + "/offerings", with(validOffering(), "healthcare_references", []obj{{"customer": "X", "country": "DE", "year": 1066}}), "body.healthcare_references[0].year"},

		{"unknown scheme", "/v1/vendors/" + vendor.ID + "/certifications", with(validCertification(), "scheme", "iso-9999"), "body.scheme"},
		{"unknown level", "/v1/vendors/" + vendor.ID + "/certifications", with(validCertification(), "level", "platinum"), "body.level"},
		{"number blank", "/v1/vendors/" + vendor.ID + "/certifications", with(validCertification(), "number", " "), "body.number"},
		{"issuer missing", "/v1/vendors/" + vendor.ID + "/certifications", with(validCertification(), "issuer", del), "body.issuer"},
		{"valid_until before valid_from", "/v1/vendors/" + vendor.ID + "/certifications", with(validCertification(), "valid_until", "2024-12-31"), "body.valid_until"},
		{"valid_from not a date", "/v1/vendors/" + vendor.ID + "/certifications", with(validCertification(), "valid_from", "01/02/2025"), "body.valid_from"},
		{"evidence URL", "/v1/vendors/" + vendor.ID + "/certifications", with(validCertification(), "evidence_url", "not a url"), "body.evidence_url"},
		{"evidence hash", "/v1/vendors/" + vendor.ID + "/certifications", with(validCertification(), "evidence_sha256", "abc"), "body.evidence_sha256"},
		{"another vendor's offering", "/v1/vendors/" + vendor.ID + "/certifications", validCertification(foreign.ID), "body.offering_ids"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.location == "" {
				c.do(http.MethodPost, tc.path, tc.body).want(http.StatusCreated)
				return
			}
			p := c.do(http.MethodPost, tc.path, tc.body).problem(http.StatusUnprocessableEntity)
			if !p.names(tc.location) {
				t.Errorf("problem names %v, want %s", p.locations(), tc.location)
			}
		})
	}
}

func TestAPI_DuplicateVAT(t *testing.T) {
	t.Parallel()
	c := newClient(t)
	c.createVendor("BE0123456749")
	p := c.do(http.MethodPost, "/v1/vendors", validVendor("BE 0123.456.749")).problem(http.StatusConflict)
	if !p.names("body.vat_number") {
		t.Errorf("409 names %v, want body.vat_number", p.locations())
	}
}

func TestAPI_NotFound(t *testing.T) {
	t.Parallel()
	c := newClient(t)
	for _, path := range []string{"/v1/vendors/0192f1e0-7b1c-7c3e-9a4b-2f1d3c4b5a69", "/v1/offerings/0192f1e0-7b1c-7c3e-9a4b-2f1d3c4b5a69", "/v1/certifications/0192f1e0-7b1c-7c3e-9a4b-2f1d3c4b5a69"} {
		c.do(http.MethodGet, path, nil).problem(http.StatusNotFound)
	}
	c.do(http.MethodPost, "/v1/vendors/0192f1e0-7b1c-7c3e-9a4b-2f1d3c4b5a69/offerings", validOffering()).problem(http.StatusNotFound)
	p := c.do(http.MethodGet, "/v1/vendors/not-a-uuid", nil).problem(http.StatusUnprocessableEntity)
	if !p.names("path.id") {
		t.Errorf("bad id: %v", p.locations())
	}
}

func TestAPI_ConditionalUpdates(t *testing.T) {
	t.Parallel()
	c := newClient(t)
	v := c.createVendor("DK12345678")
	path := "/v1/vendors/" + v.ID
	replacement := with(validVendor("DK12345678"), "trading_name", "Renamed")

	t.Run("PUT without If-Match", func(t *testing.T) {
		p := c.do(http.MethodPut, path, replacement).problem(http.StatusPreconditionRequired)
		if !p.names("header.If-Match") {
			t.Errorf("428 names %v", p.locations())
		}
	})
	t.Run("PUT with the current ETag", func(t *testing.T) {
		r := c.do(http.MethodPut, path, replacement, "If-Match", `"1"`).want(http.StatusOK)
		if r.Header().Get("ETag") != `"2"` {
			t.Errorf("ETag after update %q", r.Header().Get("ETag"))
		}
	})
	t.Run("PUT with a stale ETag", func(t *testing.T) {
		c.do(http.MethodPut, path, replacement, "If-Match", `"1"`).problem(http.StatusPreconditionFailed)
	})
	t.Run("PATCH with a stale ETag", func(t *testing.T) {
		c.do(http.MethodPatch, path, obj{"trading_name": "X"}, "If-Match", `"1"`).problem(http.StatusPreconditionFailed)
	})
	t.Run("PATCH with a weak ETag never matches", func(t *testing.T) {
		c.do(http.MethodPatch, path, obj{"trading_name": "X"}, "If-Match", `W/"2"`).problem(http.StatusPreconditionFailed)
	})
	t.Run("PATCH keeps the other fields", func(t *testing.T) {
		var got struct {
			TradingName string `json:"trading_name"`
			Website     string `json:"website"`
			Version     int64  `json:"version"`
		}
		c.do(http.MethodPatch, path, obj{"trading_name": "Patched"}, "If-Match", `"2"`).want(http.StatusOK).decode(&got)
		if got.TradingName != "Patched" || got.Website != "https://nordlicht.example" || got.Version != 3 {
			t.Errorf("after PATCH: %+v", got)
		}
	})
	t.Run("PATCH with a bad value", func(t *testing.T) {
		p := c.do(http.MethodPatch, path, obj{"vat_number": "DK1"}).problem(http.StatusUnprocessableEntity)
		if !p.names("body.vat_number") {
			t.Errorf("names %v", p.locations())
		}
	})
	t.Run("DELETE with a stale ETag keeps the vendor", func(t *testing.T) {
		c.do(http.MethodDelete, path, nil, "If-Match", `"1"`).problem(http.StatusPreconditionFailed)
		c.do(http.MethodGet, path, nil).want(http.StatusOK)
	})
}

func TestAPI_ConcurrentUpdatesAreNotLost(t *testing.T) {
	t.Parallel()
	c := newClient(t)
	v := c.createVendor("SE123456789001")
	o := c.createOffering(v.ID, validOffering())
	path := "/v1/offerings/" + o.ID

	t.Run("same ETag: one wins, the others get 412", func(t *testing.T) {
		const n = 10
		codes := make(chan int, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				codes <- c.do(http.MethodPatch, path, obj{"name": fmt.Sprint("writer ", i)}, "If-Match", `"1"`).Code
			}()
		}
		wg.Wait()
		close(codes)
		count := map[int]int{}
		for code := range codes {
			count[code]++
		}
		if count[http.StatusOK] != 1 || count[http.StatusPreconditionFailed] != n-1 {
			t.Errorf("status counts %v, want one 200 and %d 412", count, n-1)
		}
	})

	t.Run("unconditional patches all apply", func(t *testing.T) {
		var before struct{ Version int64 }
		c.do(http.MethodGet, path, nil).want(http.StatusOK).decode(&before)
		langs := []string{"fr", "it", "es", "nl", "pl", "sv", "fi", "da"}
		var wg sync.WaitGroup
		for _, l := range langs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				c.do(http.MethodPatch, path, obj{"summary": obj{l: "summary in " + l}}).want(http.StatusOK)
			}()
		}
		wg.Wait()
		var after struct{ Version int64 }
		c.do(http.MethodGet, path, nil).want(http.StatusOK).decode(&after)
		if after.Version != before.Version+int64(len(langs)) {
			t.Errorf("version %d -> %d after %d patches", before.Version, after.Version, len(langs))
		}
	})
}

func TestAPI_BundleIsAllOrNothing(t *testing.T) {
	t.Parallel()
	c := newClient(t)
	bundle := obj{
		"vendor":         validVendor("PT123456789"),
		"offerings":      []obj{validOffering(), with(validOffering(), "category", "penetration-testing")},
		"certifications": []obj{with(with(validCertification(), "offering_ids", del), "covers", []int{0, 1})},
	}
	bad := with(bundle, "offerings", []obj{validOffering(), with(validOffering(), "category", "astrology")})
	p := c.do(http.MethodPost, "/v1/bundles", bad).problem(http.StatusUnprocessableEntity)
	if !p.names("body.offerings[1].category") {
		t.Errorf("names %v", p.locations())
	}
	var list struct{ Items []created }
	c.do(http.MethodGet, "/v1/vendors", nil).want(http.StatusOK).decode(&list)
	if len(list.Items) != 0 {
		t.Fatalf("a rejected bundle left %d vendors behind", len(list.Items))
	}

	var out struct {
		Vendor         created `json:"vendor"`
		Offerings      []created
		Certifications []struct {
			OfferingIDs []string `json:"offering_ids"`
		}
	}
	c.do(http.MethodPost, "/v1/bundles", bundle).want(http.StatusCreated).decode(&out)
	if len(out.Offerings) != 2 || len(out.Certifications) != 1 || len(out.Certifications[0].OfferingIDs) != 2 {
		t.Errorf("bundle %+v", out)
	}
}

func TestAPI_Pagination(t *testing.T) {
	t.Parallel()
	c := newClient(t)
	for i := range 5 {
		c.createVendor(catalog.WithVATCheckDigits(fmt.Sprintf("DE200000%02d0", i)))
	}
	seen := map[string]bool{}
	path := "/v1/vendors?limit=2"
	for pages := 0; path != ""; pages++ {
		if pages > 3 {
			t.Fatal("too many pages")
		}
		var page struct {
			Items      []created `json:"items"`
			NextCursor string    `json:"next_cursor"`
		}
		r := c.do(http.MethodGet, path, nil).want(http.StatusOK)
		r.decode(&page)
		for _, v := range page.Items {
			if seen[v.ID] {
				t.Errorf("vendor %s on two pages", v.ID)
			}
			seen[v.ID] = true
		}
		path = ""
		if link := r.Header().Get("Link"); link != "" {
			path = strings.TrimSuffix(strings.TrimPrefix(strings.Split(link, ";")[0], "<"), ">")
			if !strings.Contains(path, "cursor="+page.NextCursor) {
				t.Errorf("Link %q does not carry next_cursor %q", link, page.NextCursor)
			}
		}
	}
	if len(seen) != 5 {
		t.Errorf("saw %d vendors, want 5", len(seen))
	}
	p := c.do(http.MethodGet, "/v1/vendors?cursor=forged", nil).problem(http.StatusUnprocessableEntity)
	if !p.names("query.cursor") {
		t.Errorf("names %v", p.locations())
	}
}

func TestAPI_WithdrawOffering(t *testing.T) {
	t.Parallel()
	c := newClient(t)
	v := c.createVendor("AT U12345675")
	o := c.createOffering(v.ID, validOffering())
	var got struct {
		Status  string `json:"status"`
		Version int64  `json:"version"`
	}
	c.do(http.MethodPost, "/v1/offerings/"+o.ID+"/withdraw", nil, "If-Match", `"1"`).want(http.StatusOK).decode(&got)
	if got.Status != "withdrawn" || got.Version != 2 {
		t.Errorf("after withdraw: %+v", got)
	}
	var list struct{ Items []created }
	c.do(http.MethodGet, "/v1/offerings?status=published", nil).want(http.StatusOK).decode(&list)
	if len(list.Items) != 0 {
		t.Errorf("withdrawn offering listed as published")
	}
}
