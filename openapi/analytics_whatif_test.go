package openapi_test

import (
	"net/http"
	"slices"
	"testing"
)

// A what-if names the offerings it changes and warns of recognitions that
// cannot change anything (issue 9 item 6).
func TestAPI_WhatIfNamesChanges(t *testing.T) {
	t.Parallel()
	c := newClient(t)
	vendor, offering := germanCloud(c, "DE600000502")
	soc2 := with(with(validCertification(offering), "scheme", "soc-2"), "level", "type-2")
	c.do(http.MethodPost, "/v1/vendors/"+vendor+"/certifications", soc2).want(http.StatusCreated)
	germanCloud(c, "DE600000609") // no certification: unchanged

	type market struct{ Country, Buyer string }
	var out struct {
		Changed []struct {
			Offering, Name, Vendor string
			Opened, Closed         []market
		} `json:"changed"`
		ChangedTotal int `json:"changed_total"`
		Warnings     []struct {
			Location, Code, Message string
		} `json:"warnings"`
	}
	body := obj{"date": "2026-11-28", "recognitions": []obj{
		{"country": "DE", "scheme": "bsi-c5", "level": "type-2", "requirement": "de-c5-sgbv-393"},
		{"country": "DE", "scheme": "soc-2", "level": "type-2", "requirement": "de-c5-sgbv-393"},
	}}
	c.do(http.MethodPost, "/v1/analytics/what-if", body).want(http.StatusOK).decode(&out)
	if out.ChangedTotal != 1 || len(out.Changed) != 1 || out.Changed[0].Offering != offering || out.Changed[0].Name == "" ||
		out.Changed[0].Vendor == "" || !slices.Contains(out.Changed[0].Opened, market{"DE", "public"}) || len(out.Changed[0].Closed) != 0 {
		t.Errorf("changed %+v (total %d), want the SOC 2 offering opened in DE", out.Changed, out.ChangedTotal)
	}
	if len(out.Warnings) != 1 || out.Warnings[0].Location != "body.recognitions[0]" || out.Warnings[0].Code != "already-accepted" {
		t.Errorf("warnings %+v, want C5 already accepted", out.Warnings)
	}

	body["changed_limit"] = 0
	c.do(http.MethodPost, "/v1/analytics/what-if", body).want(http.StatusOK).decode(&out)
	if out.ChangedTotal != 1 || len(out.Changed) != 0 {
		t.Errorf("changed_limit 0: %d named of %d", len(out.Changed), out.ChangedTotal)
	}
	body["changed_limit"] = 1001
	if p := c.do(http.MethodPost, "/v1/analytics/what-if", body).problem(http.StatusUnprocessableEntity); !p.names("body.changed_limit") {
		t.Errorf("changed_limit 1001: names %v", p.locations())
	}
}
