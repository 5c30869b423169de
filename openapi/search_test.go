package openapi_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cybermarket/cybermarket/catalog"
	"github.com/cybermarket/cybermarket/catalog/catalogtest"
	"github.com/cybermarket/cybermarket/compliance"
	"github.com/cybermarket/cybermarket/compliance/refstore"
	"github.com/cybermarket/cybermarket/openapi"
	"github.com/cybermarket/cybermarket/search"
	"github.com/cybermarket/cybermarket/search/searchtest"
)

// searchAPI is the API over a fresh database, with search as deps says.
type searchAPI struct {
	t     *testing.T
	h     http.Handler
	store *catalog.Store
}

func newSearchAPI(t *testing.T, deps openapi.SearchDeps) *searchAPI {
	t.Helper()
	store, _ := catalogtest.NewStore(t)
	live, err := compliance.OpenLive(context.Background(), refstore.New(store.Pool()))
	if err != nil {
		t.Fatal(err)
	}
	h := openapi.New(openapi.Deps{Catalog: store, Compliance: live, Search: deps,
		Checks: map[string]func(context.Context) error{"postgres": store.Ping}})
	return &searchAPI{t: t, h: h, store: store}
}

func (a *searchAPI) get(path string) *httptest.ResponseRecorder {
	a.t.Helper()
	r := httptest.NewRecorder()
	a.h.ServeHTTP(r, httptest.NewRequest(http.MethodGet, path, nil))
	return r
}

func decodeJSON(t *testing.T, r *httptest.ResponseRecorder, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body.Bytes(), v); err != nil {
		t.Fatalf("decode %s: %v", r.Body.String(), err)
	}
}

func TestSearchAPI_NotConfigured(t *testing.T) {
	t.Parallel()
	a := newSearchAPI(t, openapi.SearchDeps{})
	r := a.get("/v1/search/offerings?q=pentest")
	if r.Code != http.StatusServiceUnavailable || !strings.Contains(r.Header().Get("Content-Type"), "problem+json") {
		t.Fatalf("%d %s", r.Code, r.Body.String())
	}
	if r.Header().Get("Retry-After") != "" {
		t.Error("Retry-After without an index to come back")
	}
	if r := a.get("/v1/vendors"); r.Code != http.StatusOK {
		t.Errorf("vendors without search: %d", r.Code)
	}
	var st openapi.SearchStatus
	r = a.get("/v1/search/status")
	decodeJSON(t, r, &st)
	if r.Code != http.StatusOK || st.Enabled || st.Meilisearch != "not-configured" {
		t.Errorf("status %d %+v", r.Code, st)
	}
}

func TestSearchAPI_MeilisearchUnreachable(t *testing.T) {
	t.Parallel()
	ix, err := search.Open(search.Config{URL: "http://127.0.0.1:1", Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	a := newSearchAPI(t, openapi.SearchDeps{Index: ix})
	r := a.get("/v1/search/offerings?q=pentest&eligible_in=DE")
	if r.Code != http.StatusServiceUnavailable || r.Header().Get("Retry-After") != "10" {
		t.Fatalf("%d Retry-After %q: %s", r.Code, r.Header().Get("Retry-After"), r.Body.String())
	}
	if body := r.Body.String(); strings.Contains(body, "127.0.0.1") || strings.Contains(body, "dial") {
		t.Errorf("503 leaks the cause: %s", body)
	}
	// The rest of the API works, and the instance stays ready.
	if r := a.get("/v1/offerings"); r.Code != http.StatusOK {
		t.Errorf("offerings while search is down: %d", r.Code)
	}
	var h openapi.Health
	r = a.get("/readyz")
	decodeJSON(t, r, &h)
	if r.Code != http.StatusOK || !strings.HasPrefix(h.Checks["meilisearch"], "unavailable") || h.Search == nil {
		t.Errorf("readyz %d %+v", r.Code, h)
	}
	var st openapi.SearchStatus
	decodeJSON(t, a.get("/v1/search/status"), &st)
	if !st.Enabled || st.Meilisearch != "unavailable" || st.Index != nil {
		t.Errorf("status %+v", st)
	}
}

func TestSearchAPI_Search(t *testing.T) {
	t.Parallel()
	ix, _ := searchtest.NewIndex(t)
	a := newSearchAPI(t, openapi.SearchDeps{Index: ix})
	ctx := context.Background()
	rules := search.NewRules(mustEmbedded(t), 0)
	worker := search.NewWorker(search.WorkerConfig{Catalog: a.store, Index: ix,
		Rules: func(context.Context) (*search.Rules, error) { return rules, nil }})

	v, err := a.store.CreateVendor(ctx, catalog.Vendor{LegalName: "Nordlicht Cyber Defence GmbH (fictional)", VATNumber: "DE123456788",
		Country: "DE", Size: catalog.SizeSmall, Contact: catalog.Contact{Email: "tenders@nordlicht.example"}})
	if err != nil {
		t.Fatal(err)
	}
	for i, name := range []string{"Penetration testing for hospitals", "Web application pentest", "Red team exercise and penetration test"} {
		_, err := a.store.CreateOffering(ctx, catalog.Offering{VendorID: v.ID, Name: name, Category: "penetration-testing",
			Summary:  map[string]string{"en": "Testing of clinical systems, engagement " + string(rune('A'+i)) + "."},
			Delivery: catalog.DeliveryRemote, Countries: []string{"DE"}, Languages: []string{"de", "en"}, Status: catalog.OfferingPublished})
		if err != nil {
			t.Fatal(err)
		}
	}
	var st openapi.SearchStatus
	decodeJSON(t, a.get("/v1/search/status"), &st)
	if st.Outbox.Rows != 3 || st.Outbox.OldestAgeSeconds <= 0 || st.PublicOfferings != 3 {
		t.Errorf("status before sync %+v", st.Outbox)
	}
	if _, err := worker.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	decodeJSON(t, a.get("/v1/search/status"), &st)
	if st.Outbox.Rows != 0 || st.Meilisearch != "ok" || st.Index == nil || st.Index.Documents != 3 {
		t.Errorf("status after sync %+v %+v", st, st.Index)
	}

	// A page of two, then the cursor's page of one.
	r := a.get("/v1/search/offerings?q=pentest&limit=2&category=penetration-testing&eligible_in=DE&buyer=private&gap_country=DE")
	if r.Code != http.StatusOK {
		t.Fatalf("%d %s", r.Code, r.Body.String())
	}
	var res openapi.SearchResults
	decodeJSON(t, r, &res)
	if len(res.Hits) != 2 || res.Total != 3 || !res.TotalExact || res.NextCursor == "" {
		t.Fatalf("first page %+v", res)
	}
	h := res.Hits[0]
	if h.Vendor.Name != v.LegalName || h.Highlights == nil || !strings.Contains(h.Highlights.Name+h.Highlights.Summary["en"], "<mark>") ||
		h.GapCostEUR == nil || *h.GapCostEUR != 0 || h.Eligibility.AsOf == "" || h.Eligibility.Buyer != "private" ||
		!slices.Contains(h.Eligibility.Countries, "DE") {
		t.Errorf("hit %+v highlights %+v", h, h.Highlights)
	}
	if res.Facets["category"]["penetration-testing"] != 3 || res.Facets["eligible_in"]["DE"] != 3 || res.Facets["size"]["small"] != 3 {
		t.Errorf("facets %v", res.Facets)
	}
	link := r.Header().Get("Link")
	if !strings.Contains(link, "cursor="+res.NextCursor) || !strings.Contains(link, "buyer=private") || !strings.Contains(link, `rel="next"`) {
		t.Errorf("Link %q", link)
	}
	next := a.get("/v1/search/offerings?q=pentest&limit=2&category=penetration-testing&eligible_in=DE&buyer=private&cursor=" + url.QueryEscape(res.NextCursor))
	var page2 openapi.SearchResults
	decodeJSON(t, next, &page2)
	if len(page2.Hits) != 1 || page2.Offset != 2 || page2.NextCursor != "" || page2.Hits[0].ID == res.Hits[0].ID || page2.Hits[0].ID == res.Hits[1].ID {
		t.Errorf("second page %+v", page2)
	}
	// Offset pagination that is not a page boundary still counts.
	decodeJSON(t, a.get("/v1/search/offerings?sort=name&offset=1&limit=2"), &res)
	if len(res.Hits) != 2 || res.Total != 3 || res.Offset != 1 {
		t.Errorf("offset page %+v", res)
	}

	// A tender context goes through the met-requirements filter; "available"
	// adds the country served and the buyer's language.
	for _, tc := range []struct {
		query string
		want  int64
	}{
		{"eligible_in=DE&context=security_sensitive,-nis2_entity", 3},
		{"eligible_in=DE&buyer=private&context=classified_information&verified=true", 0}, // nothing certificate-decided binds
		{"eligible_in=DE&available=true", 3},
		{"eligible_in=AT&available=true", 0}, // does not serve AT
		{"eligible_in=DE&available=true&language=fr", 0},
	} {
		r := a.get("/v1/search/offerings?category=penetration-testing&" + tc.query)
		var got openapi.SearchResults
		decodeJSON(t, r, &got)
		if r.Code != http.StatusOK || got.Total != tc.want {
			t.Errorf("%s: %d, %d hits, want %d", tc.query, r.Code, got.Total, tc.want)
		}
	}

	// With a context the hits' eligibility lists follow it too: classified
	// work brings in clearance rules the uncleared vendor cannot meet, so
	// countries drop out of the lists the default context gives.
	var plain, classified openapi.SearchResults
	decodeJSON(t, a.get("/v1/search/offerings?category=penetration-testing&eligible_in=AT&sort=name"), &plain)
	decodeJSON(t, a.get("/v1/search/offerings?category=penetration-testing&eligible_in=AT&sort=name&context=classified_information"), &classified)
	if len(plain.Hits) != 3 || len(classified.Hits) != 3 {
		t.Fatalf("AT: %d hits by default, %d for classified work, want 3 and 3", len(plain.Hits), len(classified.Hits))
	}
	tc, err := compliance.ParseContext("classified_information")
	if err != nil {
		t.Fatal(err)
	}
	for i, h := range classified.Hits {
		o, err := a.store.FindOffering(ctx, h.ID)
		if err != nil {
			t.Fatal(err)
		}
		var want []string
		for _, as := range rules.Engine.WithContext(tc).AssessAll(compliance.ProfileOf(v, o, nil), time.Now()) {
			if as.Buyer == compliance.Public && as.Eligible {
				want = append(want, as.Country)
			}
		}
		slices.Sort(want)
		if got := h.Eligibility.Countries; !slices.Equal(got, want) || len(got) >= len(plain.Hits[i].Eligibility.Countries) {
			t.Errorf("%s for classified work: lists %v, engine says %v (default context: %v)", h.Name, got, want, plain.Hits[i].Eligibility.Countries)
		}
	}

	// One input rule: codes in any case; unknown values named, with a suggestion, all at once.
	for _, ok := range []string{"eligible_in=de", "serves=de&language=DE", "vendor_country=de&gap_country=de", "category=Penetration-Testing"} {
		if r := a.get("/v1/search/offerings?" + ok); r.Code != http.StatusOK {
			t.Errorf("%s: %d %s", ok, r.Code, r.Body.String())
		}
	}
	var lower openapi.SearchResults
	decodeJSON(t, a.get("/v1/search/offerings?eligible_in=de&category=penetration-testing"), &lower)
	if lower.Total != 3 {
		t.Errorf("eligible_in=de finds %d, want the 3 of eligible_in=DE", lower.Total)
	}
	for _, tc := range []struct{ query, want string }{
		{"eligible_in=UK", "(that is GB)"},
		{"eligible_in=EL", "did you mean GR"},
		{"scheme=iso27001", "iso-iec-27001"},
		{"category=soc", "managed-detection-response"},
		{"language=xx", "query.language"},
		{"category=soc&scheme=iso27001&serves=UK", "query.serves"},
	} {
		r := a.get("/v1/search/offerings?" + tc.query)
		if body := r.Body.String(); r.Code != http.StatusUnprocessableEntity || !strings.Contains(body, tc.want) {
			t.Errorf("%s: %d %s, want 422 mentioning %s", tc.query, r.Code, body, tc.want)
		}
		if strings.Count(tc.query, "=") == 3 && (!strings.Contains(r.Body.String(), "query.category") || !strings.Contains(r.Body.String(), "query.scheme")) {
			t.Errorf("%s: not every error reported: %s", tc.query, r.Body.String())
		}
	}

	for _, bad := range []string{"sort=gap_cost", "cursor=nonsense", "buyer=hospital", "eligible_in=germany", "delivery=teleport", "limit=1000",
		"eligible_in=DE&context=clearance", "context=security_sensitive", "available=true", "eligible_in=DE&context=security_sensitive&category=soc"} {
		if r := a.get("/v1/search/offerings?" + bad); r.Code != http.StatusUnprocessableEntity {
			t.Errorf("%s: %d %s", bad, r.Code, r.Body.String())
		}
	}
}

func mustEmbedded(t *testing.T) *compliance.Reference {
	t.Helper()
	ref, err := compliance.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	return ref
}

// Totals count every match; pages and cursors stop at the paging limit
// (lowered to 2 here), and the answer says how far they reach.
func TestSearchAPI_TotalBeyondThePagingLimit(t *testing.T) {
	t.Parallel()
	cfg := searchtest.Config(t)
	cfg.MaxTotalHits = 2
	ix, err := search.Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := ix.EnsureSettings(ctx); err != nil {
		t.Fatal(err)
	}
	a := newSearchAPI(t, openapi.SearchDeps{Index: ix})
	rules := search.NewRules(mustEmbedded(t), 0)
	worker := search.NewWorker(search.WorkerConfig{Catalog: a.store, Index: ix,
		Rules: func(context.Context) (*search.Rules, error) { return rules, nil }})
	v, err := a.store.CreateVendor(ctx, catalog.Vendor{LegalName: "Nordlicht Cyber Defence GmbH (fictional)", VATNumber: "DE123456788",
		Country: "DE", Size: catalog.SizeSmall, Contact: catalog.Contact{Email: "tenders@nordlicht.example"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"Pentest A", "Pentest B", "Pentest C"} {
		if _, err := a.store.CreateOffering(ctx, catalog.Offering{VendorID: v.ID, Name: name, Category: "penetration-testing",
			Summary: map[string]string{"en": "Tests of clinical systems."}, Delivery: catalog.DeliveryRemote, Countries: []string{"DE"}, Languages: []string{"de"}, Status: catalog.OfferingPublished}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := worker.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	var res openapi.SearchResults
	decodeJSON(t, a.get("/v1/search/offerings?sort=name&limit=1"), &res)
	if len(res.Hits) != 1 || res.Total != 3 || !res.TotalExact || res.Reachable != 2 || res.NextCursor == "" {
		t.Fatalf("first page %+v", res)
	}
	var last openapi.SearchResults
	decodeJSON(t, a.get("/v1/search/offerings?sort=name&limit=1&cursor="+url.QueryEscape(res.NextCursor)), &last)
	if len(last.Hits) != 1 || last.Total != 3 || last.NextCursor != "" {
		t.Errorf("last page that pages reach %+v", last)
	}
	// A cursor past the limit is refused like any invalid cursor.
	beyond := base64.RawURLEncoding.EncodeToString([]byte("o:3"))
	if r := a.get("/v1/search/offerings?sort=name&limit=1&cursor=" + beyond); r.Code != http.StatusUnprocessableEntity {
		t.Errorf("cursor past the limit: %d %s", r.Code, r.Body.String())
	}
}
