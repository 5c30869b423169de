package openapi_test

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/cybermarket/cybermarket/compliance"
)

type assessment struct {
	Country          string `json:"country"`
	Buyer            string `json:"buyer"`
	Eligible         bool   `json:"eligible"`
	EligibleVerified bool   `json:"eligible_verified"`
	Requirements     []struct {
		ID      string `json:"id"`
		Binding bool   `json:"binding"`
		Status  string `json:"status"`
		MetBy   []struct {
			Scheme string `json:"scheme"`
		} `json:"met_by"`
	} `json:"requirements"`
	Gap struct {
		Schemes []struct {
			Scheme string   `json:"scheme"`
			Level  string   `json:"level"`
			Closes []string `json:"closes"`
		} `json:"schemes"`
		CostRangeEUR       *compliance.EURRange `json:"cost_range_eur"`
		TotalCostRangeEUR  *compliance.EURRange `json:"total_cost_range_eur"`
		UnknownCostSchemes []string             `json:"unknown_cost_schemes"`
	} `json:"gap"`
}

func (a assessment) status(id string) string {
	for _, r := range a.Requirements {
		if r.ID == id {
			return r.Status
		}
	}
	return "absent"
}

// germanCloud registers a German cloud-hosting vendor and returns its offering.
func germanCloud(c *client, vat string) (vendorID, offeringID string) {
	c.t.Helper()
	v := c.createVendor(vat)
	o := c.createOffering(v.ID, with(with(with(with(validOffering(), "category", "cloud-hosting"), "countries", []string{"DE"}),
		"data_locations", []string{"DE"}), "languages", []string{"de", "en"}))
	return v.ID, o.ID
}

func (c *client) assess(offering, query string) []assessment {
	c.t.Helper()
	var out struct {
		Assessments []assessment `json:"assessments"`
	}
	c.do(http.MethodGet, "/v1/offerings/"+offering+"/assessment?"+query, nil).want(http.StatusOK).decode(&out)
	return out.Assessments
}

func TestAPI_Assessment(t *testing.T) {
	t.Parallel()
	c := newClient(t)
	vendor, offering := germanCloud(c, "DE400000000")

	t.Run("without C5 a German cloud host is not eligible and the gap names C5 type 2", func(t *testing.T) {
		as := c.assess(offering, "country=DE&buyer=public&date=2026-11-28")
		if len(as) != 1 {
			t.Fatalf("%d assessments, want 1", len(as))
		}
		a := as[0]
		if a.Eligible || a.status("de-c5-sgbv-393") != "unmet" {
			t.Fatalf("eligible %v, de-c5-sgbv-393 %s", a.Eligible, a.status("de-c5-sgbv-393"))
		}
		if len(a.Gap.Schemes) != 1 || a.Gap.Schemes[0].Scheme != "bsi-c5" || a.Gap.Schemes[0].Level != "type-2" {
			t.Errorf("gap %+v, want bsi-c5 type-2", a.Gap.Schemes)
		}
		// C5's sourced range (GovaGuard 2026, schemes.yaml) is the whole gap.
		want := &compliance.EURRange{LowEUR: 40000, HighEUR: 120000}
		if a.Gap.CostRangeEUR == nil || *a.Gap.CostRangeEUR != *want || a.Gap.TotalCostRangeEUR == nil || *a.Gap.TotalCostRangeEUR != *want ||
			len(a.Gap.UnknownCostSchemes) != 0 {
			t.Errorf("gap costs %+v / %+v (unknown %v), want C5's %v", a.Gap.CostRangeEUR, a.Gap.TotalCostRangeEUR, a.Gap.UnknownCostSchemes, *want)
		}
	})

	cert := with(validCertification(offering), "scheme", "bsi-c5")
	cert = with(with(with(cert, "level", "type-2"), "valid_from", "2025-06-01"), "valid_until", "2026-05-31")
	c.do(http.MethodPost, "/v1/vendors/"+vendor+"/certifications", cert).want(http.StatusCreated)

	t.Run("with a valid self-declared C5 type 2 it is eligible, not on verified evidence", func(t *testing.T) {
		a := c.assess(offering, "country=DE&buyer=public&date=2026-01-15")[0]
		if !a.Eligible || a.EligibleVerified || a.status("de-c5-sgbv-393") != "met" {
			t.Errorf("eligible %v verified %v c5 %s", a.Eligible, a.EligibleVerified, a.status("de-c5-sgbv-393"))
		}
	})

	t.Run("available: eligible, serves the country, speaks the buyer's language", func(t *testing.T) {
		for _, tc := range []struct {
			query string
			want  bool
		}{
			{"country=DE&buyer=public&date=2026-01-15", true},
			{"country=DE&buyer=public&date=2026-01-15&language=EN", true},
			{"country=DE&buyer=public&date=2026-01-15&language=fr", false},
			{"country=DE&buyer=public&date=2026-06-01", false}, // not eligible once C5 expired
		} {
			var out struct {
				Summary []struct {
					Available bool `json:"available"`
				} `json:"summary"`
			}
			c.do(http.MethodGet, "/v1/offerings/"+offering+"/assessment?"+tc.query, nil).want(http.StatusOK).decode(&out)
			if len(out.Summary) != 1 || out.Summary[0].Available != tc.want {
				t.Errorf("%s: %+v, want available %v", tc.query, out.Summary, tc.want)
			}
		}
	})

	t.Run("after the certificate expires it counts as absent", func(t *testing.T) {
		a := c.assess(offering, "country=DE&buyer=public&date=2026-06-01")[0]
		if a.Eligible || a.status("de-c5-sgbv-393") != "unmet" {
			t.Errorf("on 2026-06-01: eligible %v c5 %s", a.Eligible, a.status("de-c5-sgbv-393"))
		}
	})

	t.Run("all countries and both buyer kinds: compact by default, full on request", func(t *testing.T) {
		if as := c.assess(offering, "date=2026-01-15&detail=full"); len(as) != 60 {
			t.Errorf("%d assessments, want 30 countries x 2 buyers", len(as))
		}
		var out struct {
			Detail  string `json:"detail"`
			Summary []struct {
				Country   string `json:"country"`
				Buyer     string `json:"buyer"`
				Eligible  bool   `json:"eligible"`
				Available bool   `json:"available"`
				Blockers  []struct {
					Requirement, Kind, Action, Scheme string
				} `json:"blockers"`
			} `json:"summary"`
			Assessments []assessment `json:"assessments"`
		}
		c.do(http.MethodGet, "/v1/offerings/"+offering+"/assessment?date=2026-06-01", nil).want(http.StatusOK).decode(&out)
		if out.Detail != "compact" || len(out.Summary) != 60 || len(out.Assessments) != 0 {
			t.Fatalf("detail %s, %d summary rows, %d assessments; want compact, 60, 0", out.Detail, len(out.Summary), len(out.Assessments))
		}
		for _, m := range out.Summary {
			if m.Available && m.Country != "DE" {
				t.Errorf("available in %s, which the offering does not serve: %+v", m.Country, m)
			}
			if m.Country == "DE" && m.Buyer == "public" {
				// The C5 attestation expired on 2026-05-31.
				if m.Eligible || len(m.Blockers) == 0 || m.Blockers[0].Requirement != "de-c5-sgbv-393" ||
					m.Blockers[0].Kind != "obtain-scheme" || m.Blockers[0].Scheme != "bsi-c5" || m.Blockers[0].Action == "" {
					t.Errorf("DE public: %+v", m)
				}
			}
		}
	})

	t.Run("context: on premises, C5 for cloud processing does not apply, and the context is echoed", func(t *testing.T) {
		var out struct {
			Context struct {
				Stated string              `json:"stated"`
				Holds  map[string][]string `json:"holds"`
			} `json:"context"`
			Assessments []assessment `json:"assessments"`
		}
		c.do(http.MethodGet, "/v1/offerings/"+offering+"/assessment?country=DE&buyer=public&date=2026-06-01&context=-CLOUD_DELIVERED", nil).
			want(http.StatusOK).decode(&out)
		if got := out.Assessments[0].status("de-c5-sgbv-393"); got != "not-applicable" {
			t.Errorf("de-c5-sgbv-393 = %s, want not-applicable", got)
		}
		if out.Context.Stated != "-cloud_delivered" || slices.Contains(out.Context.Holds["cloud-hosting"], "cloud_delivered") ||
			!slices.Contains(out.Context.Holds["cloud-hosting"], "health_data_hosted") {
			t.Errorf("context echoed %+v", out.Context)
		}
	})

	for _, tc := range []struct{ query, location string }{
		{"context=clearance", "query.context"},
		{"country=US", "query.country"},
		{"country=uk", "query.country"},
		{"buyer=martian", "query.buyer"},
		{"date=yesterday", "query.date"},
	} {
		t.Run("bad "+tc.query, func(t *testing.T) {
			r := c.do(http.MethodGet, "/v1/offerings/"+offering+"/assessment?"+tc.query, nil)
			status := http.StatusUnprocessableEntity
			if tc.location == "query.country" {
				status = http.StatusNotFound
			}
			if p := r.problem(status); !p.names(tc.location) {
				t.Errorf("names %v, want %s", p.locations(), tc.location)
			}
		})
	}
	if p := c.do(http.MethodGet, "/v1/offerings/"+offering+"/assessment?country=uk", nil).problem(http.StatusNotFound); len(p.Errors) == 0 ||
		!strings.Contains(p.Errors[0].Message, "GB") {
		t.Errorf("country=uk: %+v, want a hint at GB", p.Errors)
	}
	c.do(http.MethodGet, "/v1/offerings/0192f1e0-7b1c-7c3e-9a4b-2f1d3c4b5a69/assessment", nil).problem(http.StatusNotFound)
}

func TestAPI_Analytics(t *testing.T) {
	t.Parallel()
	c := newClient(t)
	soc2Vendor, soc2Offering := germanCloud(c, "DE400000026")
	soc2 := with(with(validCertification(soc2Offering), "scheme", "soc-2"), "level", "type-2")
	c.do(http.MethodPost, "/v1/vendors/"+soc2Vendor+"/certifications", soc2).want(http.StatusCreated)
	germanCloud(c, "DE400000034") // no certification at all

	t.Run("barriers matrix", func(t *testing.T) {
		var all struct {
			Rows []struct {
				Country, Category, Buyer string
				Offerings                int
				Eligible                 int
				TopBarrier               *struct{ Requirement string } `json:"top_barrier"`
			} `json:"rows"`
		}
		c.do(http.MethodGet, "/v1/analytics/barriers?date=2026-11-28", nil).want(http.StatusOK).decode(&all)
		if len(all.Rows) != 30*10*2 {
			t.Fatalf("%d rows, want 600", len(all.Rows))
		}
		c.do(http.MethodGet, "/v1/analytics/barriers?category=cloud-hosting&buyer=public&date=2026-11-28", nil).want(http.StatusOK).decode(&all)
		if len(all.Rows) != 30 {
			t.Fatalf("%d rows, want 30", len(all.Rows))
		}
		for _, r := range all.Rows {
			if r.Country != "DE" {
				continue
			}
			if r.Offerings != 2 || r.Eligible != 0 || r.TopBarrier == nil || r.TopBarrier.Requirement != "de-c5-sgbv-393" {
				t.Errorf("DE cloud hosting: %+v (top barrier %+v)", r, r.TopBarrier)
			}
		}
		p := c.do(http.MethodGet, "/v1/analytics/barriers?category=astrology", nil).problem(http.StatusUnprocessableEntity)
		if !p.names("query.category") {
			t.Errorf("names %v", p.locations())
		}
	})

	t.Run("what-if: Germany accepts SOC 2 type 2 for C5", func(t *testing.T) {
		var out struct {
			Rows []struct {
				Country, Category, Buyer string
				Before, After, Change    int
			} `json:"rows"`
		}
		body := obj{"date": "2026-11-28", "recognitions": []obj{{"country": "DE", "scheme": "soc-2", "level": "type-2", "requirement": "de-c5-sgbv-393"}}}
		c.do(http.MethodPost, "/v1/analytics/what-if", body).want(http.StatusOK).decode(&out)
		found := false
		for _, r := range out.Rows {
			if r.Country == "DE" && r.Category == "cloud-hosting" && r.Buyer == "public" {
				found = true
				if r.Before != 0 || r.After != 1 || r.Change != 1 {
					t.Errorf("DE cloud-hosting public: %+v, want 0 -> 1", r)
				}
			}
		}
		if !found {
			t.Error("no DE cloud-hosting public row")
		}
		for _, tc := range []struct {
			field, value, location string
		}{
			{"scheme", "iso-9999", "body.recognitions[0].scheme"},
			{"requirement", "no-such-rule", "body.recognitions[0].requirement"},
			{"country", "US", "body.recognitions[0].country"},
		} {
			bad := obj{"recognitions": []obj{{"country": "DE", "scheme": "soc-2", "requirement": "de-c5-sgbv-393", tc.field: tc.value}}}
			p := c.do(http.MethodPost, "/v1/analytics/what-if", bad).problem(http.StatusUnprocessableEntity)
			if !p.names(tc.location) {
				t.Errorf("unknown %s: names %v, want %s", tc.field, p.locations(), tc.location)
			}
		}
	})

	t.Run("roadmap budget=0 is a budget of zero, omitted is none", func(t *testing.T) {
		var r struct {
			Budget *int `json:"budget_eur"`
		}
		c.do(http.MethodGet, "/v1/vendors/"+soc2Vendor+"/roadmap?countries=DE&budget=0", nil).want(http.StatusOK).decode(&r)
		if r.Budget == nil || *r.Budget != 0 {
			t.Errorf("budget=0: budget_eur %v, want 0", r.Budget)
		}
		c.do(http.MethodGet, "/v1/vendors/"+soc2Vendor+"/roadmap?countries=DE", nil).want(http.StatusOK).decode(&r)
		if r.Budget != nil {
			t.Errorf("no budget: budget_eur %d, want null", *r.Budget)
		}
	})

	t.Run("roadmap lists schemes of unknown cost as unknown, never as free, and keeps them out of the plan", func(t *testing.T) {
		var r struct {
			Cells   int `json:"cells"`
			Options []struct {
				Schemes      []struct{ Scheme string } `json:"schemes"`
				CostRangeEUR *compliance.EURRange      `json:"cost_range_eur"`
			} `json:"options"`
			UnknownCost []struct {
				Schemes            []struct{ Scheme string } `json:"schemes"`
				CostRangeEUR       *compliance.EURRange      `json:"cost_range_eur"`
				UnknownCostSchemes []string                  `json:"unknown_cost_schemes"`
				Markets            int                       `json:"markets"`
			} `json:"unknown_cost"`
			Steps []struct{ Schemes []struct{ Scheme string } } `json:"steps"`
		}
		// DE wants C5 (EUR 40,000-120,000, sourced); the Italian and Czech
		// public clouds want qualifications whose cost no source gives.
		c.do(http.MethodGet, "/v1/vendors/"+soc2Vendor+"/roadmap?countries=DE,AT,IT,CZ&date=2026-11-28", nil).want(http.StatusOK).decode(&r)
		if r.Cells != 1*4*2 {
			t.Errorf("%d cells, want 1 offering x 4 countries x 2 buyers", r.Cells)
		}
		unknown := map[string]bool{}
		for _, o := range r.UnknownCost {
			if o.CostRangeEUR != nil || len(o.UnknownCostSchemes) == 0 {
				t.Errorf("unknown-cost option with a cost: %+v", o)
			}
			for _, s := range o.UnknownCostSchemes {
				unknown[s] = true
			}
		}
		if len(unknown) == 0 {
			t.Error("no option of unknown cost listed")
		}
		c5 := false
		for _, o := range r.Options {
			for _, s := range o.Schemes {
				if unknown[s.Scheme] {
					t.Errorf("%s, of unknown cost, is rated as an option of known cost", s.Scheme)
				}
				c5 = c5 || s.Scheme == "bsi-c5" && o.CostRangeEUR != nil && o.CostRangeEUR.LowEUR >= 40000
			}
		}
		if !c5 {
			t.Error("C5 is not among the options of known cost, at its sourced EUR 40,000 or more")
		}
		for _, s := range r.Steps {
			for _, x := range s.Schemes {
				if unknown[x.Scheme] {
					t.Errorf("%s, of unknown cost, is in the budgeted plan", x.Scheme)
				}
			}
		}
	})
}

func TestAPI_EditRequirement(t *testing.T) {
	t.Parallel()
	c := newClient(t)
	_, offering := germanCloud(c, "DE400000042")
	soc2 := with(with(validCertification(offering), "scheme", "soc-2"), "level", "type-2")
	var o struct {
		VendorID string `json:"vendor_id"`
	}
	c.do(http.MethodGet, "/v1/offerings/"+offering, nil).want(http.StatusOK).decode(&o)
	c.do(http.MethodPost, "/v1/vendors/"+o.VendorID+"/certifications", soc2).want(http.StatusCreated)
	if a := c.assess(offering, "country=DE&buyer=public&date=2026-11-28")[0]; a.Eligible {
		t.Fatal("eligible on SOC 2 before the edit")
	}

	r := c.do(http.MethodGet, "/v1/requirements/de-c5-sgbv-393", nil).want(http.StatusOK)
	var req obj
	r.decode(&req)
	tag := r.Header().Get("ETag")
	for _, k := range []string{"id", "binding", "duty"} {
		delete(req, k)
	}
	sats := req["satisfied_by"].([]any)
	edited := with(req, "satisfied_by", append(sats, obj{"scheme": "soc-2", "min_level": "type-2", "extent": "full", "note": "test edit"}))

	t.Run("only administrators edit", func(t *testing.T) {
		c.as(c.key("verifier", "")).do(http.MethodPut, "/v1/requirements/de-c5-sgbv-393", edited, "If-Match", tag).problem(http.StatusForbidden)
		c.anonymous().do(http.MethodPut, "/v1/requirements/de-c5-sgbv-393", edited, "If-Match", tag).problem(http.StatusUnauthorized)
	})
	t.Run("an unknown scheme is rejected naming the field", func(t *testing.T) {
		bad := with(req, "satisfied_by", append(sats, obj{"scheme": "iso-9999", "extent": "full"}))
		p := c.do(http.MethodPut, "/v1/requirements/de-c5-sgbv-393", bad, "If-Match", tag).problem(http.StatusUnprocessableEntity)
		if len(p.Errors) == 0 || !strings.Contains(p.Errors[0].Location, "satisfied_by") {
			t.Errorf("names %v", p.locations())
		}
	})
	t.Run("the edit changes eligibility at once", func(t *testing.T) {
		c.do(http.MethodPut, "/v1/requirements/de-c5-sgbv-393", edited, "If-Match", tag).want(http.StatusOK)
		if a := c.assess(offering, "country=DE&buyer=public&date=2026-11-28")[0]; !a.Eligible || a.status("de-c5-sgbv-393") != "met" {
			t.Errorf("after accepting SOC 2: eligible %v, c5 %s", a.Eligible, a.status("de-c5-sgbv-393"))
		}
	})
	t.Run("the edit keeps the tender-context condition it was read with", func(t *testing.T) {
		var after struct {
			AppliesWhen *struct {
				AllOf []string `json:"all_of"`
			} `json:"applies_when"`
		}
		c.do(http.MethodGet, "/v1/requirements/de-c5-sgbv-393", nil).want(http.StatusOK).decode(&after)
		if after.AppliesWhen == nil || !slices.Equal(after.AppliesWhen.AllOf, []string{"health_data_processed", "cloud_delivered"}) {
			t.Errorf("applies_when after the edit: %+v", after.AppliesWhen)
		}
	})
	t.Run("an unknown fact is rejected naming the field", func(t *testing.T) {
		w := req["applies_when"].(map[string]any)
		bad := with(req, "applies_when", with(obj(w), "all_of", []string{"hosted_in_space"}))
		current := c.do(http.MethodGet, "/v1/requirements/de-c5-sgbv-393", nil).want(http.StatusOK).Header().Get("ETag")
		p := c.do(http.MethodPut, "/v1/requirements/de-c5-sgbv-393", bad, "If-Match", current).problem(http.StatusUnprocessableEntity)
		if len(p.Errors) == 0 || !strings.Contains(p.Errors[0].Location, "applies_when") {
			t.Errorf("names %v", p.locations())
		}
	})
	t.Run("a stale ETag is refused", func(t *testing.T) {
		c.do(http.MethodPut, "/v1/requirements/de-c5-sgbv-393", edited, "If-Match", tag).problem(http.StatusPreconditionFailed)
	})
	t.Run("the audit trail has the edit", func(t *testing.T) {
		var n int
		if err := c.store.Pool().QueryRow(context.Background(),
			`SELECT count(*) FROM audit_events WHERE entity = 'requirement' AND entity_id = 'de-c5-sgbv-393'`).Scan(&n); err != nil || n != 1 {
			t.Errorf("%d audit events (%v), want 1", n, err)
		}
	})
}
