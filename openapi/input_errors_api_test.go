package openapi_test

import (
	"fmt"
	"net/http"
	"slices"
	"testing"
)

// errorsOf wants a 422 listing exactly the locations want, each error with
// its own value (never an object or a list: never the whole body).
func errorsOf(t *testing.T, r response, want map[string]any) {
	t.Helper()
	p := r.problem(http.StatusUnprocessableEntity)
	got := map[string]any{}
	seen := map[string]bool{}
	for _, e := range p.Errors {
		if key := fmt.Sprint(e.Location, "=", e.Value); seen[key] {
			t.Errorf("%s listed twice: %v", key, p.locations())
		} else {
			seen[key] = true
		}
		got[e.Location] = e.Value
		switch e.Value.(type) {
		case map[string]any, []any:
			t.Errorf("%s: value %v is not the field's own", e.Location, e.Value)
		}
	}
	for loc, value := range want {
		v, ok := got[loc]
		if !ok {
			t.Errorf("no error at %s; got %v", loc, p.locations())
			continue
		}
		if value != nil && v != value {
			t.Errorf("%s: value %v, want %v", loc, v, value)
		}
	}
	if len(got) != len(want) {
		t.Errorf("errors %v, want exactly %d locations", p.locations(), len(want))
	}
}

func TestAPI_EveryFaultOfABodyInOneProblem(t *testing.T) {
	t.Parallel()
	c := newClient(t)
	vendor := c.createVendor("DE811907980").ID
	offering := c.createOffering(vendor, validOffering()).ID
	_, buyer := c.admittedBuyer("DE129273398", "DE")

	for _, tc := range []struct {
		name         string
		client       *client
		method, path string
		body         any
		want         map[string]any
	}{
		{"vendor: schema and check digit", c, http.MethodPost, "/v1/vendors",
			with(with(validVendor("FR12345678901"), "size", "huge"), "contact.email", "nobody"),
			map[string]any{"body.size": "huge", "body.vat_number": "FR12345678901", "body.contact.email": "nobody"}},
		{"vendor: missing field and check digit", c, http.MethodPost, "/v1/vendors",
			with(validVendor("IT12345678901"), "legal_name", del),
			map[string]any{"body.legal_name": nil, "body.vat_number": "IT12345678901"}},
		{"offering: schema and domain", c, http.MethodPost, "/v1/vendors/" + vendor + "/offerings",
			with(with(validOffering(), "delivery", "teleport"), "cpv_codes", []string{"72212730-4"}),
			map[string]any{"body.delivery": "teleport", "body.cpv_codes[0]": "72212730-4"}},
		{"certification: two domain faults", c, http.MethodPost, "/v1/vendors/" + vendor + "/certifications",
			with(with(validCertification(offering), "valid_until", "2024-01-01"), "evidence_url", "ftp://x"),
			map[string]any{"body.valid_until": nil, "body.evidence_url": "ftp://x"}},
		{"buyer: schema and check digit", c.anonymous(), http.MethodPost, "/v1/buyers",
			with(with(validBuyer("PL1234567890", "PL"), "ownership", "mixed"), "lei", "5493001KJTIIGC8Y1R13"),
			map[string]any{"body.ownership": "mixed", "body.vat_number": "PL1234567890", "body.lei": "5493001KJTIIGC8Y1R13"}},
		{"project: unknown fact and country", buyer, http.MethodPost, "/v1/projects",
			with(with(validProject(), "context", []string{"hosts-health-data", "security_sensitive"}), "country", "US"),
			map[string]any{"body.context[0]": "hosts-health-data", "body.country": "US"}},
		{"project: schema and unknown fact", buyer, http.MethodPost, "/v1/projects",
			with(with(validProject(), "context", []string{"classified"}), "buyer_kind", "charity"),
			map[string]any{"body.context[0]": "classified", "body.buyer_kind": "charity"}},
		{"assessment: country and language", c, http.MethodGet, "/v1/offerings/" + offering + "/assessment?country=XX&language=xx", nil,
			map[string]any{"query.country": "XX", "query.language": "xx"}},
		{"assessment: buyer and context", c, http.MethodGet, "/v1/offerings/" + offering + "/assessment?buyer=hospital&context=bogus", nil,
			map[string]any{"query.buyer": "hospital", "query.context": "bogus"}},
		{"roadmap: two unknown countries", c, http.MethodGet, "/v1/vendors/" + vendor + "/roadmap?countries=DE,XX,UK", nil,
			map[string]any{"query.countries": nil}},
		{"barriers: date and context", c, http.MethodGet, "/v1/analytics/barriers?date=2026-13-01&context=bogus", nil,
			map[string]any{"query.date": "2026-13-01", "query.context": "bogus"}},
		{"what-if: context and two entries", c, http.MethodPost, "/v1/analytics/what-if",
			obj{"context": "bogus", "recognitions": []obj{
				{"country": "DE", "scheme": "soc-2", "requirement": "de-c5-sgbv-393"},
				{"country": "US", "scheme": "soc-2", "requirement": "de-c5-sgbv-393"},
				{"country": "DE", "scheme": "iso-9999", "requirement": "de-c5-sgbv-393"},
			}},
			map[string]any{"body.context": "bogus", "body.recognitions[1].country": "US", "body.recognitions[2].scheme": "iso-9999"}},
		{"what-if: date and an entry", c, http.MethodPost, "/v1/analytics/what-if",
			obj{"date": "2026-02-30", "recognitions": []obj{
				{"country": "DE", "scheme": "iso-9999", "requirement": "de-c5-sgbv-393"},
			}},
			map[string]any{"body.date": "2026-02-30", "body.recognitions[0].scheme": "iso-9999"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			errorsOf(t, tc.client.do(tc.method, tc.path, tc.body), tc.want)
		})
	}

	t.Run("roadmap names each unknown country", func(t *testing.T) {
		p := c.do(http.MethodGet, "/v1/vendors/"+vendor+"/roadmap?countries=DE,XX,UK", nil).problem(http.StatusUnprocessableEntity)
		var values []any
		for _, e := range p.Errors {
			values = append(values, e.Value)
		}
		if !slices.Equal(values, []any{"XX", "UK"}) {
			t.Errorf("values %v, want XX and UK", values)
		}
	})

	t.Run("malformed JSON is one 400, not a list of missing fields", func(t *testing.T) {
		p := c.do(http.MethodPost, "/v1/vendors", `{"legal_name": `).problem(http.StatusBadRequest)
		if len(p.Errors) != 1 {
			t.Errorf("errors %v, want the parse error alone", p.locations())
		}
	})
}
