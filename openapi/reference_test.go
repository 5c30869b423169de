package openapi_test

import (
	"net/http"
	"testing"
)

func TestAPI_ReferenceData(t *testing.T) {
	t.Parallel()
	c := newClient(t)

	var countries []struct {
		Code      string   `json:"code"`
		Languages []string `json:"languages"`
	}
	c.do(http.MethodGet, "/v1/countries", nil).want(http.StatusOK).decode(&countries)
	if len(countries) != 30 {
		t.Errorf("%d countries, want 30 (EU-27 + NO, IS, LI)", len(countries))
	}

	var de struct {
		Code string `json:"code"`
		NIS2 struct {
			Status string `json:"status"`
		} `json:"nis2"`
	}
	c.do(http.MethodGet, "/v1/countries/de", nil).want(http.StatusOK).decode(&de)
	if de.Code != "DE" || de.NIS2.Status == "" {
		t.Errorf("DE: %+v", de)
	}

	var reqs []struct {
		ID      string `json:"id"`
		Scope   string `json:"scope"`
		Binding *bool  `json:"binding"`
		Source  struct {
			URL string `json:"url"`
		} `json:"source"`
	}
	c.do(http.MethodGet, "/v1/countries/DE/requirements?category=cloud-hosting&buyer=public", nil).want(http.StatusOK).decode(&reqs)
	found := false
	for _, r := range reqs {
		if r.Source.URL == "" || r.Binding == nil {
			t.Errorf("requirement %s lacks a source URL or binding", r.ID)
		}
		if r.ID == "de-c5-sgbv-393" {
			found = *r.Binding
		}
	}
	if !found {
		t.Errorf("DE cloud hosting for public buyers lacks binding de-c5-sgbv-393: %+v", reqs)
	}

	var scheme struct {
		ID      string   `json:"id"`
		Levels  []string `json:"levels"`
		CostEUR *int     `json:"cost_eur"`
	}
	c.do(http.MethodGet, "/v1/schemes/bsi-c5", nil).want(http.StatusOK).decode(&scheme)
	if len(scheme.Levels) != 2 {
		t.Errorf("bsi-c5 levels %v", scheme.Levels)
	}
	var cats []struct{ Slug string }
	c.do(http.MethodGet, "/v1/categories", nil).want(http.StatusOK).decode(&cats)
	if len(cats) != 10 {
		t.Errorf("%d categories, want 10", len(cats))
	}

	for _, tc := range []struct {
		path, location string
		status         int
	}{
		{"/v1/countries/US", "path.code", http.StatusNotFound},
		{"/v1/countries/US/requirements", "path.code", http.StatusNotFound},
		{"/v1/countries/DE/requirements?category=astrology", "query.category", http.StatusUnprocessableEntity},
		{"/v1/countries/DE/requirements?buyer=martian", "query.buyer", http.StatusUnprocessableEntity},
		{"/v1/schemes/iso-9999", "path.id", http.StatusNotFound},
		{"/v1/requirements/no-such-rule", "path.id", http.StatusNotFound},
	} {
		p := c.do(http.MethodGet, tc.path, nil).problem(tc.status)
		if !p.names(tc.location) {
			t.Errorf("%s: problem names %v, want %s", tc.path, p.locations(), tc.location)
		}
	}
}
