package openapi

import (
	"context"
	"encoding/base64"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/google/uuid"

	"github.com/cybermarket/cybermarket/catalog"
	"github.com/cybermarket/cybermarket/compliance"
	"github.com/cybermarket/cybermarket/search"
)

// SearchDeps are what the search operations need. The zero value means the
// service runs without Meilisearch: searches answer 503, everything else works.
type SearchDeps struct {
	// Index is the live search index; nil when search is not configured.
	Index *search.Index
	// Worker is this replica's outbox worker, for the status; may be nil.
	Worker *search.Worker
}

// retryAfterSeconds is what a 503 of an unreachable index asks clients to
// wait: about the time the worker's backoff needs to notice the return.
const retryAfterSeconds = 10

// searchProblem maps the search errors to problems: 503 when Meilisearch does
// not answer (with Retry-After, see retryAfterOf) or is not configured.
func searchProblem(err error) *huma.ErrorModel {
	switch {
	case errors.Is(err, search.ErrUnavailable):
		return &huma.ErrorModel{
			Status: http.StatusServiceUnavailable,
			Title:  http.StatusText(http.StatusServiceUnavailable),
			Detail: "Search is temporarily unavailable: the search index does not answer. The rest of the API works; try again after Retry-After seconds.",
		}
	case errors.Is(err, search.ErrNotConfigured):
		return &huma.ErrorModel{
			Status: http.StatusServiceUnavailable,
			Title:  http.StatusText(http.StatusServiceUnavailable),
			Detail: "Search is not enabled on this server (no Meilisearch configured). Use GET /v1/offerings to list offerings.",
		}
	}
	return nil
}

// SearchOfferingsInput are the query parameters of a search.
type SearchOfferingsInput struct {
	Q             string   `query:"q" maxLength:"200" doc:"What to look for, in any EU language: names, vendors, summaries, descriptions, schemes, CPV codes. Typos are tolerated and synonyms understood (pentest = penetration test, SOC = MDR = managed detection, IR = DFIR = incident response, and their equivalents in the main EU languages). Empty lists every offering that matches the filters." example:"pentest"`
	Category      []string `query:"category" maxItems:"20" doc:"Only offerings in these service categories (comma-separated slugs, any of them)." example:"penetration-testing,incident-response"`
	EligibleIn    string   `query:"eligible_in" pattern:"^[A-Za-z]{2}$" doc:"Only offerings eligible in this country (ISO 3166-1 alpha-2, any case) for the buyer kind, under the burden engine's reading of its requirements today." example:"DE"`
	Buyer         string   `query:"buyer" enum:"public,private" default:"public" doc:"The kind of hospital that buys: eligible_in, gap costs and the eligible_in facet are for this buyer kind." example:"public"`
	Verified      bool     `query:"verified" doc:"With eligible_in: only offerings whose eligibility rests on verified certifications: verified certifications decide every certificate-decided binding requirement. Where no binding requirement is decided by a certificate, nothing is verified and no offering qualifies (use eligible_in alone)." example:"false"`
	Context       string   `query:"context" doc:"With eligible_in: the tender context eligibility is decided in (comma-separated facts, '-' before a fact states it off: health_data_hosted, health_data_processed, cloud_delivered, classified_information, security_sensitive, nis2_entity; unstated facts take their category defaults). The hits' eligibility lists follow the context; the eligible_in facet counts stay those of the default context." example:"security_sensitive"`
	Available     bool     `query:"available" doc:"With eligible_in: available to me - eligible, serving the country, and with support in the buyer's language: the language parameter when given, else one of the country's official languages." example:"true"`
	Scheme        []string `query:"scheme" maxItems:"20" doc:"Only offerings covered by a currently valid certification of one of these schemes (comma-separated scheme ids)." example:"iso-iec-27001"`
	Language      []string `query:"language" maxItems:"20" doc:"Only offerings with support in one of these languages (ISO 639-1, comma-separated)." example:"de,en"`
	Serves        []string `query:"serves" maxItems:"40" doc:"Only offerings serving one of these countries (ISO 3166-1 alpha-2, comma-separated)." example:"AT"`
	VendorCountry []string `query:"vendor_country" maxItems:"40" doc:"Only offerings of vendors headquartered in one of these countries (comma-separated)." example:"DE,AT"`
	Delivery      []string `query:"delivery" enum:"remote,on-site,hybrid" doc:"Only offerings delivered in one of these ways (comma-separated)." example:"on-site,hybrid"`
	Size          []string `query:"size" enum:"micro,small,medium,large" doc:"Only offerings of vendors of these SME size classes (Recommendation 2003/361/EC, comma-separated)." example:"micro,small"`
	Sort          string   `query:"sort" enum:"relevance,name,-name,gap_cost" default:"relevance" doc:"Order: relevance to q; name (A-Z) or -name (Z-A); or gap_cost, the low end of the typical cost range of the certifications that would make an offering eligible in gap_country, cheapest first (eligible ones cost 0; unknown costs come last)." example:"relevance"`
	GapCountry    string   `query:"gap_country" pattern:"^[A-Za-z]{2}$" doc:"Country of the gap cost (any case): required by sort=gap_cost; with it, every hit reports gap_cost_eur for this country and the buyer kind." example:"FR"`
	Limit         int      `query:"limit" minimum:"1" maximum:"100" default:"20" doc:"Hits per page." example:"20"`
	Offset        int      `query:"offset" minimum:"0" maximum:"10000" doc:"Number of hits to skip (offset pagination); ignored with cursor. Pages reach the first 10,000 hits." example:"0"`
	Cursor        string   `query:"cursor" maxLength:"100" doc:"Opaque cursor from next_cursor of the previous page (cursor pagination); send the same other parameters. Like offsets, cursors reach the first 10,000 hits." example:"bzoyMA"`
}

// SearchOfferingsOutput is a page of hits.
type SearchOfferingsOutput struct {
	Link string `header:"Link" doc:"RFC 8288 link to the next page, when there is one."`
	Body SearchResults
}

// SearchResults is a page of search hits with totals and facet counts.
type SearchResults struct {
	Hits       []SearchHit `json:"hits" doc:"Matching offerings of this page, best first (or in the sort order)."`
	Total      int64       `json:"total" doc:"Number of matching offerings, all of them (also beyond the 10,000 that pages reach, see reachable)." example:"42"`
	TotalExact bool        `json:"total_exact" doc:"Whether total is exact. False only when total is an estimate or a lower bound: then at least total offerings match." example:"true"`
	Reachable  int64       `json:"reachable" doc:"How many of the matching offerings pages reach: total, but at most 10,000 (offset plus limit, cursors included). To see the others, narrow the search with q or filters." example:"42"`
	Offset     int         `json:"offset" doc:"Hits skipped before this page." example:"0"`
	Limit      int         `json:"limit" doc:"Page size." example:"20"`
	NextCursor string      `json:"next_cursor,omitempty" doc:"Cursor of the next page; absent on the last page that pages reach." example:"bzoyMA"`
	// Facets counts matching offerings per facet value.
	Facets           map[string]map[string]int64 `json:"facets" doc:"Number of matching offerings per value of each facet: category, scheme, language, vendor_country, delivery, size, and eligible_in (countries where they are eligible for the buyer kind). Up to 100 values per facet, most common first." example:"{\"category\":{\"penetration-testing\":12},\"eligible_in\":{\"DE\":9,\"AT\":11}}"`
	ProcessingTimeMs int64                       `json:"processing_time_ms" doc:"Time the search index took, in milliseconds." example:"2"`
}

// SearchHit is one matching offering, as the search index holds it.
type SearchHit struct {
	ID           uuid.UUID         `json:"id" doc:"Offering identifier; GET /v1/offerings/{id} has every field." example:"0192f1e0-7b1c-7c3e-9a4b-2f1d3c4b5a70"`
	Version      int64             `json:"version" doc:"Version of the offering the hit shows." example:"3"`
	Name         string            `json:"name" doc:"Display name of the service." example:"Penetration testing for hospital networks"`
	Category     string            `json:"category" doc:"Service category slug." example:"penetration-testing"`
	CategoryName string            `json:"category_name" doc:"Service category name." example:"Penetration testing"`
	Summary      map[string]string `json:"summary" doc:"Summary per ISO 639-1 language." example:"{\"en\":\"Network and application penetration tests of clinical systems.\"}"`
	Delivery     string            `json:"delivery" doc:"How the service is delivered: remote, on-site or hybrid." example:"on-site"`
	Countries    []string          `json:"countries" doc:"Countries served." example:"[\"DE\",\"AT\"]"`
	Languages    []string          `json:"languages" doc:"Support languages." example:"[\"de\",\"en\"]"`
	Vendor       SearchVendor      `json:"vendor" doc:"The vendor selling the offering."`
	// Certifications valid today that cover the offering.
	Certifications []SearchCertification `json:"certifications" doc:"Certifications valid today that cover the offering (listing it, or organisation-wide)."`
	Eligibility    SearchEligibility     `json:"eligibility" doc:"Where the offering may serve hospitals of the buyer kind today."`
	GapCostEUR     *int                  `json:"gap_cost_eur" doc:"With gap_country: the low end of the typical cost range in euros of the cheapest certifications that would make the offering eligible there for the buyer kind (sort=gap_cost orders by it); 0 when eligible; null when unknown (a scheme's cost is unknown, or certifications alone cannot close the gap; such hits sort last) or without gap_country." example:"0"`
	Highlights     *SearchHighlights     `json:"highlights,omitempty" doc:"With q: name, vendor name and summaries with the matched words between <mark> and </mark>."`
}

// SearchVendor is the vendor of a hit.
type SearchVendor struct {
	ID          uuid.UUID `json:"id" doc:"Vendor identifier." example:"0192f1e0-7b1c-7c3e-9a4b-2f1d3c4b5a69"`
	Name        string    `json:"name" doc:"Legal name." example:"Nordlicht Cyber Defence GmbH (fictional)"`
	TradingName string    `json:"trading_name,omitempty" doc:"Trading name, when different." example:"Nordlicht"`
	Country     string    `json:"country" doc:"Head-office country." example:"DE"`
	Size        string    `json:"size" doc:"SME size class: micro, small, medium or large." example:"small"`
}

// SearchCertification is a valid certification of a hit.
type SearchCertification struct {
	Scheme     string `json:"scheme" doc:"Scheme identifier." example:"iso-iec-27001"`
	Level      string `json:"level,omitempty" doc:"Scheme level, where the scheme has levels." example:"high"`
	Verified   bool   `json:"verified" doc:"Verified by cybermarket staff; false when self-declared." example:"true"`
	ValidUntil string `json:"valid_until" doc:"Last valid day." example:"2027-12-31"`
}

// SearchEligibility lists the countries where an offering is eligible for
// the buyer kind of the search.
type SearchEligibility struct {
	Buyer    string `json:"buyer" enum:"public,private" doc:"The buyer kind of the search." example:"public"`
	Verified bool   `json:"verified" doc:"Whether only certifications cybermarket staff verified count (the verified parameter)." example:"false"`
	// Countries where it is eligible.
	Countries []string `json:"countries" doc:"Countries where it is eligible for the buyer kind: on all valid certifications (self-declared ones included), or with verified=true on verified ones only." example:"[\"AT\",\"DE\"]"`
	AsOf      string   `json:"as_of" doc:"The day (UTC) the eligibility was computed for; it is recomputed when a certification starts or expires and when requirements change." example:"2026-12-01"`
}

// SearchHighlights are the highlighted texts of a hit.
type SearchHighlights struct {
	Name       string            `json:"name" doc:"Name with matches marked." example:"<mark>Penetration testing</mark> for hospital networks"`
	VendorName string            `json:"vendor_name" doc:"Vendor name with matches marked." example:"Nordlicht Cyber Defence GmbH (fictional)"`
	Summary    map[string]string `json:"summary" doc:"Summaries with matches marked, per language." example:"{\"en\":\"Network and application <mark>penetration tests</mark> of clinical systems.\"}"`
}

// GetSearchStatusInput has no parameters.
type GetSearchStatusInput struct{}

// GetSearchStatusOutput wraps SearchStatus.
type GetSearchStatusOutput struct {
	Body SearchStatus
}

// SearchStatus is the state of search sync.
type SearchStatus struct {
	Enabled     bool              `json:"enabled" doc:"Whether this server is configured with Meilisearch." example:"true"`
	Meilisearch string            `json:"meilisearch" enum:"ok,unavailable,not-configured" doc:"Whether Meilisearch answers." example:"ok"`
	Index       *SearchIndexState `json:"index,omitempty" doc:"The live index, when Meilisearch answers."`
	// PublicOfferings is what the index holds once the outbox is empty.
	PublicOfferings int64         `json:"public_offerings" doc:"Public offerings in the database (published, of active vendors): what the index holds once the outbox is empty." example:"1204"`
	Outbox          SearchOutbox  `json:"outbox" doc:"Catalogue changes waiting to reach the index."`
	Worker          *SearchWorker `json:"worker,omitempty" doc:"This replica's outbox worker."`
}

// SearchIndexState is the live index's state.
type SearchIndexState struct {
	UID        string `json:"uid" doc:"Index uid." example:"offerings"`
	Documents  int64  `json:"documents" doc:"Documents in the index." example:"1204"`
	IsIndexing bool   `json:"is_indexing" doc:"Whether Meilisearch is indexing right now." example:"false"`
}

// SearchOutbox is the backlog of the search outbox.
type SearchOutbox struct {
	Rows             int64   `json:"rows" doc:"Changes waiting, including those waiting for a retry." example:"0"`
	Retrying         int64   `json:"retrying" doc:"Changes whose documents the index rejected, waiting for their next attempt." example:"0"`
	OldestAgeSeconds float64 `json:"oldest_age_seconds" doc:"How long the oldest waiting change has waited, in seconds; 0 when none waits." example:"0.4"`
}

// SearchWorker is the state of an outbox worker.
type SearchWorker struct {
	Failures    int        `json:"failures" doc:"Consecutive failed attempts to reach the index." example:"0"`
	LastError   string     `json:"last_error,omitempty" doc:"Why the last attempt failed." example:"search batch: add documents: search index unavailable"`
	LastSuccess *time.Time `json:"last_success,omitempty" doc:"When a batch last reached the index." example:"2026-12-01T09:30:00Z"`
}

// SearchReadiness is the search part of the readiness answer.
type SearchReadiness struct {
	OutboxRows             int64   `json:"outbox_rows" doc:"Catalogue changes waiting to reach the search index." example:"0"`
	OutboxOldestAgeSeconds float64 `json:"outbox_oldest_age_seconds" doc:"Age of the oldest waiting change, in seconds." example:"0"`
}

// searchReadiness adds search to a readiness answer: whether Meilisearch
// answers, and the outbox backlog. Search never makes the service unready:
// every replica shares one Meilisearch, so taking replicas out of the load
// balancer would turn a search outage into an outage of the whole API.
func (h *handlers) searchReadiness(ctx context.Context, out *Health) {
	if h.Search.Index == nil {
		out.Checks["meilisearch"] = "not configured: search answers 503"
	} else if err := h.Search.Index.Ping(ctx); err != nil {
		loggerFrom(ctx).WarnContext(ctx, "search index unavailable", "error", err)
		out.Checks["meilisearch"] = "unavailable: search answers 503, the rest of the API is ready"
	} else {
		out.Checks["meilisearch"] = "ok"
	}
	if h.Catalog == nil {
		return
	}
	if b, err := search.ReadBacklog(ctx, h.Catalog); err == nil {
		out.Search = &SearchReadiness{OutboxRows: b.Rows, OutboxOldestAgeSeconds: b.OldestAge.Seconds()}
	}
}

func (h *handlers) registerSearch(api huma.API) {
	huma.Register(api, huma.Operation{
		OperationID: "search-offerings", Method: http.MethodGet, Path: "/v1/search/offerings",
		Summary: "Search offerings",
		Description: "Full-text search over public offerings (published, of admitted vendors) with filters, facet counts, " +
			"highlighting, sorting and pagination. Filters combine (all must hold); the values of one filter are " +
			"alternatives. Eligibility filters and gap costs come from the burden engine and follow certification " +
			"dates and requirement changes. Results reflect catalogue changes within about a second. When the search " +
			"index does not answer, the answer is 503 with Retry-After while the rest of the API keeps working. " +
			"Pages (offsets and cursors) reach the first 10,000 hits; total counts every match.",
		Tags: []string{"Search"}, Errors: []int{422, 503},
	}, h.searchOfferings)
	huma.Register(api, huma.Operation{
		OperationID: "get-search-status", Method: http.MethodGet, Path: "/v1/search/status",
		Summary: "Search sync status",
		Description: "How far the search index is behind the catalogue: the outbox backlog and the age of its oldest " +
			"change, whether Meilisearch answers, the index's document count beside the number of public offerings, " +
			"and this replica's outbox worker.",
		Tags: []string{"Search"},
	}, h.getSearchStatus)
}

// searchOfferings answers search-offerings.
func (h *handlers) searchOfferings(ctx context.Context, in *SearchOfferingsInput) (*SearchOfferingsOutput, error) {
	ix := h.Search.Index
	if ix == nil {
		return nil, search.ErrNotConfigured
	}
	if h.Compliance != nil {
		if err := checkFilters(h.Compliance.Current().Reference, in); err != nil {
			return nil, err
		}
	}
	q, err := in.query(ix.MaxTotalHits())
	if err != nil {
		return nil, err
	}
	if err := h.buyerFilters(in, &q); err != nil {
		return nil, err
	}
	res, err := ix.Search(ctx, q)
	if err != nil {
		return nil, err
	}
	out := &SearchOfferingsOutput{Body: newSearchResults(res, q.Buyer, q.Verified)}
	if end := res.Offset + len(res.Hits); len(res.Hits) > 0 && int64(end) < res.Reachable {
		out.Body.NextCursor = encodeSearchCursor(end)
		out.Link = nextLink("/v1/search/offerings", in.values(), out.Body.NextCursor)
	}
	return out, nil
}

// getSearchStatus answers get-search-status.
func (h *handlers) getSearchStatus(ctx context.Context, _ *GetSearchStatusInput) (*GetSearchStatusOutput, error) {
	st, err := search.ReadStatus(ctx, h.Catalog, h.Search.Index)
	if err != nil {
		return nil, err
	}
	out := &GetSearchStatusOutput{Body: newSearchStatus(st, h.Search.Index)}
	if h.Search.Worker != nil {
		out.Body.Worker = newSearchWorker(h.Search.Worker.Status())
	}
	return out, nil
}

// newSearchStatus maps the search status; ix is nil without Meilisearch.
func newSearchStatus(st search.Status, ix *search.Index) SearchStatus {
	out := SearchStatus{
		Enabled: ix != nil, Meilisearch: "not-configured", PublicOfferings: st.Public,
		Outbox: SearchOutbox{Rows: st.Backlog.Rows, Retrying: st.Backlog.Retrying, OldestAgeSeconds: st.Backlog.OldestAge.Seconds()},
	}
	if ix != nil {
		out.Meilisearch = "unavailable"
		if st.Reachable {
			out.Meilisearch = "ok"
			out.Index = &SearchIndexState{UID: ix.UID(), Documents: st.Index.Documents, IsIndexing: st.Index.IsIndexing}
		}
	}
	return out
}

func newSearchWorker(ws search.WorkerStatus) *SearchWorker {
	out := &SearchWorker{Failures: ws.Failures, LastError: ws.LastError}
	if !ws.LastSuccess.IsZero() {
		t := ws.LastSuccess.UTC()
		out.LastSuccess = &t
	}
	return out
}

// query turns the parameters into a search.Query, or a *catalog.ValidationError;
// cursors reach up to reachable hits.
func (in *SearchOfferingsInput) query(reachable int64) (search.Query, error) {
	buyer := compliance.Buyer(in.Buyer)
	if buyer == "" {
		buyer = compliance.Public
	}
	q := search.Query{
		Text: in.Q, Categories: in.Category, EligibleIn: in.EligibleIn, Buyer: buyer,
		Verified: in.Verified, Schemes: in.Scheme, Languages: in.Language, Serves: in.Serves,
		VendorCountries: in.VendorCountry, Delivery: in.Delivery, Sizes: in.Size,
		GapCountry: in.GapCountry, Offset: in.Offset, Limit: in.Limit,
	}
	if q.Limit == 0 {
		q.Limit = 20
	}
	switch in.Sort {
	case "name":
		q.Sort = search.SortName
	case "-name":
		q.Sort = search.SortNameDesc
	case "gap_cost":
		if in.GapCountry == "" {
			return q, catalog.Invalid("query.gap_country", "is required when sort is gap_cost", nil)
		}
		q.Sort = search.SortGapCost
	}
	if in.Cursor != "" {
		offset, ok := decodeSearchCursor(in.Cursor, reachable)
		if !ok {
			return q, catalog.ErrCursor
		}
		q.Offset = offset
	}
	return q, nil
}

// values returns the parameters for a next-page link.
func (in *SearchOfferingsInput) values() url.Values {
	v := url.Values{
		"q": {in.Q}, "category": {strings.Join(in.Category, ",")}, "eligible_in": {in.EligibleIn},
		"scheme": {strings.Join(in.Scheme, ",")}, "language": {strings.Join(in.Language, ",")},
		"serves": {strings.Join(in.Serves, ",")}, "vendor_country": {strings.Join(in.VendorCountry, ",")},
		"delivery": {strings.Join(in.Delivery, ",")}, "size": {strings.Join(in.Size, ",")},
		"gap_country": {in.GapCountry}, "limit": {itoa(in.Limit)},
	}
	if in.Buyer != "" && in.Buyer != "public" {
		v.Set("buyer", in.Buyer)
	}
	if in.Verified {
		v.Set("verified", "true")
	}
	if in.Context != "" {
		v.Set("context", in.Context)
	}
	if in.Available {
		v.Set("available", "true")
	}
	if in.Sort != "" && in.Sort != "relevance" {
		v.Set("sort", in.Sort)
	}
	return v
}

// Search cursors carry the offset of the next page: ranked results have no
// stable key to continue from, and a client can ask for any offset anyway.
func encodeSearchCursor(offset int) string {
	return base64.RawURLEncoding.EncodeToString([]byte("o:" + strconv.Itoa(offset)))
}

func decodeSearchCursor(c string, reachable int64) (int, bool) {
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil || !strings.HasPrefix(string(b), "o:") {
		return 0, false
	}
	n, err := strconv.Atoi(string(b[2:]))
	if err != nil || n < 0 || int64(n) > reachable {
		return 0, false
	}
	return n, true
}

func newSearchResults(res search.Result, buyer compliance.Buyer, verified bool) SearchResults {
	out := SearchResults{
		Hits: make([]SearchHit, len(res.Hits)), Total: res.Total, TotalExact: res.TotalExact, Reachable: res.Reachable,
		Offset: res.Offset, Limit: res.Limit, Facets: res.Facets, ProcessingTimeMs: res.Took.Milliseconds(),
	}
	for i := range res.Hits {
		out.Hits[i] = newSearchHit(&res.Hits[i], buyer, verified)
	}
	return out
}

func newSearchHit(h *search.Hit, buyer compliance.Buyer, verified bool) SearchHit {
	id, _ := uuid.Parse(h.ID)
	vendorID, _ := uuid.Parse(h.VendorID)
	hit := SearchHit{
		ID: id, Version: h.Version, Name: h.Name, Category: h.Category, CategoryName: h.CategoryName,
		Summary: h.Summary, Delivery: h.Delivery, Countries: orEmpty(h.Countries), Languages: orEmpty(h.Languages),
		Vendor: SearchVendor{ID: vendorID, Name: h.VendorName, TradingName: h.VendorTradingName,
			Country: h.VendorCountry, Size: h.VendorSize},
		Certifications: make([]SearchCertification, len(h.Certifications)),
		Eligibility:    SearchEligibility{Buyer: string(buyer), Verified: verified, Countries: orEmpty(h.Eligible), AsOf: h.AsOf},
		GapCostEUR:     h.GapCostEUR,
	}
	for j, c := range h.Certifications {
		hit.Certifications[j] = SearchCertification(c)
	}
	if h.Highlighted != nil {
		hit.Highlights = &SearchHighlights{Name: h.Highlighted.Name, VendorName: h.Highlighted.VendorName, Summary: h.Highlighted.Summary}
	}
	return hit
}
