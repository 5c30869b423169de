package openapi_test

import (
	"net/http"
	"testing"
)

func TestAPI_CountryCoverage(t *testing.T) {
	t.Parallel()
	c := newClient(t)

	type cell struct {
		Category      string   `json:"category"`
		Buyer         string   `json:"buyer"`
		Coverage      string   `json:"coverage"`
		NationalRules []string `json:"national_rules"`
		WideRules     []string `json:"wide_rules"`
		Conclusion    *struct {
			AsOf    string `json:"as_of"`
			Sources []struct {
				URL string `json:"url"`
			} `json:"sources"`
		} `json:"conclusion"`
	}
	var is struct {
		Country      string         `json:"country"`
		Requirements int            `json:"requirements"`
		LastChecked  string         `json:"last_checked"`
		States       map[string]int `json:"states"`
		Cells        []cell         `json:"cells"`
	}
	c.do(http.MethodGet, "/v1/countries/is/coverage", nil).want(http.StatusOK).decode(&is)
	if is.Country != "IS" || len(is.Cells) != 20 || is.States["researched-no-national-rule"] != 20 || is.LastChecked == "" {
		t.Fatalf("IS coverage: %+v", is)
	}
	for _, cl := range is.Cells {
		if cl.Coverage != "researched-no-national-rule" || cl.Conclusion == nil || len(cl.Conclusion.Sources) == 0 ||
			cl.Conclusion.Sources[0].URL == "" {
			t.Errorf("IS %s %s: %+v", cl.Category, cl.Buyer, cl)
		}
	}
	var fr struct {
		Cells []cell `json:"cells"`
	}
	c.do(http.MethodGet, "/v1/countries/FR/coverage", nil).want(http.StatusOK).decode(&fr)
	for _, cl := range fr.Cells {
		if cl.Coverage != "national-rules" || len(cl.NationalRules) == 0 || cl.Conclusion != nil {
			t.Errorf("FR %s %s: %+v", cl.Category, cl.Buyer, cl)
		}
	}
	c.do(http.MethodGet, "/v1/countries/XX/coverage", nil).problem(http.StatusNotFound)

	var barriers struct {
		Rows []struct {
			Country   string `json:"country"`
			Coverage  string `json:"coverage"`
			Intervals struct {
				ShareEligible struct {
					N      int      `json:"n"`
					Low    *float64 `json:"low"`
					SmallN bool     `json:"small_n"`
				} `json:"share_eligible"`
			} `json:"intervals"`
		} `json:"rows"`
	}
	c.do(http.MethodGet, "/v1/analytics/barriers?category=cloud-hosting&buyer=public", nil).want(http.StatusOK).decode(&barriers)
	for _, r := range barriers.Rows {
		want := map[string]string{"IS": "researched-no-national-rule", "FR": "national-rules"}[r.Country]
		if want != "" && r.Coverage != want {
			t.Errorf("%s: coverage %q, want %q", r.Country, r.Coverage, want)
		}
		if iv := r.Intervals.ShareEligible; iv.N != 0 || iv.Low != nil || !iv.SmallN {
			t.Errorf("%s: an empty catalogue gives %+v", r.Country, iv)
		}
	}
}
