package search_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/meilisearch/meilisearch-go"

	"github.com/cybermarket/cybermarket/compliance"
	"github.com/cybermarket/cybermarket/search"
	"github.com/cybermarket/cybermarket/search/searchtest"
)

func TestSearch_IndexHoldsOnlyPublicOfferings(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.seed()
	diff := e.inSync()
	if diff.Documents != 5 {
		t.Errorf("%d documents, want 5", diff.Documents)
	}
	res := e.search(search.Query{Text: "penetration"})
	if got := names(res); !slices.Equal(got, []string{"Penetration testing for hospital networks"}) {
		t.Errorf("penetration: %v; drafts, withdrawn offerings and pending vendors must not be found", got)
	}
}

func TestSearch_TypoTolerance(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.seed()
	for _, q := range []string{"penetraton testing", "penetration tesitng", "incidnet respnse", "hosptal cloud", "Nordlict"} {
		if res := e.search(search.Query{Text: q}); res.Total == 0 {
			t.Errorf("%q finds nothing", q)
		}
	}
	// Short words and numbers stay exact: SOX is not SOC, 27002 not 27001.
	if res := e.search(search.Query{Text: "27002"}); res.Total != 0 {
		t.Errorf("27002 finds %v", names(res))
	}
}

func TestSearch_Synonyms(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.seed()
	for _, tc := range []struct {
		query string
		want  string
	}{
		{"pentest", c.pentest.Name},
		{"pen test", c.pentest.Name},
		{"Penetrationstest", c.pentest.Name},
		{"test d'intrusion", c.pentest.Name},
		{"prueba de penetración", c.pentest.Name},
		{"SOC", c.mdr.Name},
		{"MDR", c.mdr.Name},
		{"security operations centre", c.mdr.Name},
		{"IR", c.ir.Name},
		{"DFIR", c.ir.Name},
		{"réponse aux incidents", c.ir.Name},
		{"respuesta a incidentes", c.ir.Name},
		{"information security management system", c.audit.Name},
	} {
		res := e.search(search.Query{Text: tc.query})
		if got := names(res); !slices.Contains(got, tc.want) {
			t.Errorf("%q finds %v, want %q among them", tc.query, got, tc.want)
		}
	}
	// Incident response also reaches IR through the synonym the other way.
	if got := names(e.search(search.Query{Text: "incident response"})); !slices.Contains(got, c.ir.Name) {
		t.Errorf("incident response finds %v", got)
	}
}

func TestSearch_Filters(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.seed()
	all := []string{c.audit.Name, c.cloud.Name, c.ir.Name, c.mdr.Name, c.pentest.Name}
	for _, tc := range []struct {
		name string
		q    search.Query
		want []string
	}{
		{"nothing", search.Query{}, all},
		{"category", search.Query{Categories: []string{"incident-response", "cloud-hosting"}}, []string{c.cloud.Name, c.ir.Name}},
		{"scheme", search.Query{Schemes: []string{"hds"}}, []string{c.mdr.Name}},
		{"organisation-wide scheme", search.Query{Schemes: []string{"iso-iec-27001"}}, []string{c.audit.Name, c.pentest.Name}},
		{"language", search.Query{Languages: []string{"es"}}, []string{c.ir.Name}},
		{"country served", search.Query{Serves: []string{"AT", "BE"}}, []string{c.mdr.Name, c.pentest.Name}},
		{"vendor country", search.Query{VendorCountries: []string{"FR", "ES"}}, []string{c.ir.Name, c.mdr.Name}},
		{"delivery", search.Query{Delivery: []string{"hybrid"}}, []string{c.audit.Name, c.ir.Name}},
		{"SME size", search.Query{Sizes: []string{"micro", "medium"}}, []string{c.ir.Name, c.mdr.Name}},
		{"eligible in FR, public buyer", search.Query{EligibleIn: "FR", Categories: []string{"managed-detection-response", "cloud-hosting"}},
			[]string{c.mdr.Name}},
		{"eligible in DE, private buyer", search.Query{EligibleIn: "DE", Buyer: compliance.Private, Categories: []string{"cloud-hosting"}},
			[]string{c.cloud.Name}},
		{"eligible in ES, public buyer, on all evidence", search.Query{EligibleIn: "ES", Categories: []string{"incident-response"}},
			[]string{c.ir.Name}},
		// ENS is only self-declared.
		{"eligible in ES, public buyer, verified only", search.Query{EligibleIn: "ES", Verified: true, Categories: []string{"incident-response"}},
			[]string{}},
		{"filters combine", search.Query{Languages: []string{"en"}, VendorCountries: []string{"DE"}}, []string{c.cloud.Name, c.pentest.Name}},
		{"text and filter", search.Query{Text: "hospital", Delivery: []string{"remote"}}, []string{c.mdr.Name, c.cloud.Name}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			q := tc.q
			q.Sort = search.SortName
			res := e.search(q)
			want := slices.SortedFunc(slices.Values(tc.want), byName)
			if got := names(res); !slices.Equal(got, want) {
				t.Errorf("got %v, want %v", got, want)
			}
			if res.Total != int64(len(tc.want)) || !res.TotalExact {
				t.Errorf("total %d (exact %v), want %d", res.Total, res.TotalExact, len(tc.want))
			}
		})
	}
}

func TestSearch_Facets(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.seed()
	res := e.search(search.Query{})
	want := map[string]map[string]int64{
		"category": {"penetration-testing": 1, "security-audit": 1, "managed-detection-response": 1,
			"incident-response": 1, "cloud-hosting": 1},
		"scheme":         {"iso-iec-27001": 2, "hds": 1, "ens": 1, "bsi-c5": 1},
		"language":       {"de": 3, "en": 4, "fr": 1, "es": 1, "pt": 1},
		"vendor_country": {"DE": 3, "FR": 1, "ES": 1},
		"delivery":       {"on-site": 1, "hybrid": 2, "remote": 2},
		"size":           {"small": 2, "medium": 1, "micro": 1, "large": 1},
	}
	for facet, counts := range want {
		for value, n := range counts {
			if got := res.Facets[facet][value]; got != n {
				t.Errorf("facet %s=%s: %d, want %d (all: %v)", facet, value, got, n, res.Facets[facet])
			}
		}
	}
	// Counts follow the filters; eligible_in counts per country for the buyer.
	res = e.search(search.Query{Categories: []string{"managed-detection-response"}, Buyer: compliance.Private})
	if res.Facets["category"]["managed-detection-response"] != 1 || len(res.Facets["category"]) != 1 {
		t.Errorf("filtered category facet %v", res.Facets["category"])
	}
	if res.Facets["eligible_in"]["FR"] != 1 || res.Facets["eligible_in"]["DE"] != 0 {
		t.Errorf("eligible_in facet %v", res.Facets["eligible_in"])
	}
}

func TestSearch_SortPaginationHighlight(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.seed()
	asc := names(e.search(search.Query{Sort: search.SortName}))
	if !slices.IsSortedFunc(asc, byName) {
		t.Errorf("by name: %v", asc)
	}
	desc := names(e.search(search.Query{Sort: search.SortNameDesc}))
	if slices.Reverse(desc); !slices.Equal(desc, asc) {
		t.Errorf("by name descending: %v", desc)
	}
	// Gap cost in DE for private buyers: eligible ones (0) first, unknown
	// costs last, never as 0.
	res := e.search(search.Query{Sort: search.SortGapCost, GapCountry: "DE", Buyer: compliance.Private})
	var seenUnknown bool
	for _, h := range res.Hits {
		switch {
		case h.GapCostEUR == nil:
			seenUnknown = true
		case seenUnknown:
			t.Errorf("%s (cost %d) after an unknown cost", h.Name, *h.GapCostEUR)
		}
	}
	if res.Hits[0].GapCostEUR == nil || *res.Hits[0].GapCostEUR != 0 {
		t.Errorf("first hit %s cost %v", res.Hits[0].Name, res.Hits[0].GapCostEUR)
	}
	// Pages: offset and limit, totals on every page.
	var paged []string
	for offset := 0; offset < 5; offset += 2 {
		res := e.search(search.Query{Sort: search.SortName, Offset: offset, Limit: 2})
		if res.Total != 5 || !res.TotalExact {
			t.Errorf("page at %d: total %d exact %v", offset, res.Total, res.TotalExact)
		}
		paged = append(paged, names(res)...)
	}
	if !slices.Equal(paged, asc) {
		t.Errorf("pages %v, want %v", paged, asc)
	}
	if res := e.search(search.Query{Sort: search.SortName, Offset: 3, Limit: 2}); !slices.Equal(names(res), asc[3:5]) || res.Total != 5 {
		t.Errorf("offset 3: %v total %d", names(res), res.Total)
	}
	// Highlights mark the matched words, synonyms included.
	res = e.search(search.Query{Text: "pentest"})
	if len(res.Hits) == 0 || res.Hits[0].Highlighted == nil ||
		!strings.Contains(res.Hits[0].Highlighted.Name, "<mark>Penetration testing</mark>") {
		t.Errorf("highlight %+v", res.Hits[0].Highlighted)
	}
	if h := e.search(search.Query{Text: "Nordlicht"}).Hits; len(h) == 0 || !strings.Contains(h[0].Highlighted.VendorName, "<mark>Nordlicht</mark>") {
		t.Errorf("vendor highlight %+v", h)
	}
	if h := e.search(search.Query{}).Hits; h[0].Highlighted != nil {
		t.Error("highlights without query text")
	}
	_ = c
}

// byName orders names as Meilisearch sorts them: letter case does not count.
func byName(a, b string) int { return strings.Compare(strings.ToLower(a), strings.ToLower(b)) }

// Settings are applied once: a second EnsureSettings (another replica, a
// restart) makes Meilisearch do nothing.
func TestSettings_AppliedIdempotently(t *testing.T) {
	t.Parallel()
	ix, cfg := searchtest.NewIndex(t)
	ms := searchtest.Client(cfg)
	count := func() int64 {
		res, err := ms.GetTasks(context.Background(), &meilisearch.TasksQuery{IndexUIDS: []string{cfg.UID}, Types: []meilisearch.TaskType{meilisearch.TaskTypeSettingsUpdate}})
		if err != nil {
			t.Fatal(err)
		}
		return res.Total
	}
	before := count()
	if before != 2 { // the settings, then facet search off
		t.Errorf("%d settings tasks after the first EnsureSettings, want 2", before)
	}
	for range 2 {
		if err := ix.EnsureSettings(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	if after := count(); after != before {
		t.Errorf("EnsureSettings again made %d settings tasks", after-before)
	}
}

// Totals count every match although pages stop at the paging limit: with
// the limit lowered to 3, the five public offerings count 5 (exact), and
// pages reach the first 3.
func TestSearch_TotalBeyondThePagingLimit(t *testing.T) {
	t.Parallel()
	cfg := searchtest.Config(t)
	cfg.MaxTotalHits = 3
	ix, err := search.Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	e := newEnvOn(t, ix, cfg)
	if err := ix.EnsureSettings(e.ctx()); err != nil {
		t.Fatal(err)
	}
	e.seed()
	notCloud := []string{"penetration-testing", "security-audit", "managed-detection-response", "incident-response"}
	for _, q := range []search.Query{
		{}, {Sort: search.SortName, Limit: 2}, {Sort: search.SortName, Offset: 1, Limit: 2}, {Categories: notCloud},
	} {
		res := e.search(q)
		want := int64(5)
		if q.Categories != nil {
			want = 4
		}
		if res.Total != want || !res.TotalExact || res.Reachable != min(want, 3) {
			t.Errorf("%+v: total %d exact %v reachable %d, want %d exact, reachable %d",
				q, res.Total, res.TotalExact, res.Reachable, want, min(want, 3))
		}
	}
	all := names(e.search(search.Query{Sort: search.SortName}))
	if len(all) != 3 {
		t.Errorf("first page holds %d hits, want the 3 pages reach", len(all))
	}
	if got := names(e.search(search.Query{Sort: search.SortName, Offset: 2, Limit: 2})); !slices.Equal(got, all[2:3]) {
		t.Errorf("page at 2: %v, want %v", got, all[2:3])
	}
	if got := e.search(search.Query{Sort: search.SortName, Offset: 3, Limit: 2}); len(got.Hits) != 0 || got.Total != 5 {
		t.Errorf("beyond the limit: %v, total %d", names(got), got.Total)
	}
}
