package search

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	gojson "github.com/goccy/go-json"
	"github.com/meilisearch/meilisearch-go"

	"github.com/cybermarket/cybermarket/compliance"
)

// Query is a search of public offerings. Zero fields do not filter; values
// within one filter are alternatives (any of them), filters combine (all of
// them).
type Query struct {
	// Text is what the user typed; empty lists everything that matches the
	// filters.
	Text string

	Categories []string
	// EligibleIn keeps offerings eligible in this country (ISO code) for
	// Buyer; with Verified, on verified certifications only.
	EligibleIn string
	Buyer      compliance.Buyer // Public when empty
	Verified   bool
	// EligibleFilter, when set, replaces EligibleIn's filter (which is for
	// the default tender context): a filter from EligibilityFilter for
	// another context.
	EligibleFilter string
	// EligibleUnder, when set, decides each hit's Eligible from its category
	// and Met keys (ContextEligibility: the countries where the offering is
	// eligible in a tender context) instead of the documents' lists, which
	// are those of the default context.
	EligibleUnder func(category string, met, metVerified []string) []string
	// Schemes keeps offerings covered by a valid certification of one of
	// these schemes.
	Schemes []string
	// Languages are support languages; Serves countries served.
	Languages []string
	Serves    []string
	// VendorCountries are head-office countries; Sizes SME size classes.
	VendorCountries []string
	Delivery        []string
	Sizes           []string

	// Sort is relevance (empty), SortName, SortNameDesc or SortGapCost.
	Sort string
	// GapCountry is the country whose gap cost SortGapCost orders by (for
	// Buyer), and whose gap cost hits report.
	GapCountry string

	Offset, Limit int
}

// The sort orders.
const (
	SortRelevance = ""
	SortName      = "name"
	SortNameDesc  = "-name"
	// SortGapCost orders by the estimated cost of the certifications that
	// would make an offering eligible in GapCountry, cheapest first (0 for
	// eligible ones); unknown costs come last.
	SortGapCost = "gap_cost"
)

// FacetNames are the facets a Result counts, by their name in the API.
var FacetNames = []string{"category", "scheme", "language", "vendor_country", "delivery", "size", "eligible_in"}

// Result is one page of hits.
type Result struct {
	Hits []Hit
	// Total is the number of matching offerings. TotalExact is false when
	// it is Meilisearch's estimate or a lower bound (see countTotal).
	Total      int64
	TotalExact bool
	// Reachable is how many of them pages reach: Total, or at most the
	// index's MaxTotalHits.
	Reachable int64
	Offset    int
	Limit     int
	// Facets counts the matching offerings per value of each facet in
	// FacetNames (up to 100 values each, most common first).
	Facets map[string]map[string]int64
	// Took is Meilisearch's processing time.
	Took time.Duration
}

// Hit is one matching offering.
type Hit struct {
	// Document holds the attributes a hit carries: identity, name, category,
	// summaries, delivery, countries, languages, vendor, certifications and
	// AsOf; not descriptions, CPV codes, data locations or the eligibility
	// and gap costs of other buyer kinds and countries.
	Document
	// Eligible are the countries where the offering is eligible for the
	// query's buyer kind: on all valid certifications, or with Verified on
	// verified ones only; in the query's tender context with EligibleUnder.
	Eligible []string
	// Highlighted holds name, vendor name and summaries with the matched
	// words between <mark> and </mark>; nil without query text.
	Highlighted *Highlighted
	// GapCostEUR is the gap cost in GapCountry for the buyer kind: 0 when
	// eligible, nil when unknown or without GapCountry.
	GapCostEUR *int
}

// Highlighted are the highlighted texts of a hit.
type Highlighted struct {
	Name       string            `json:"name"`
	VendorName string            `json:"vendor_name"`
	Summary    map[string]string `json:"summary"`
}

// retrieved are the attributes every hit carries; retrieve adds those of
// the buyer kind and gap country. Hits stay small: a search answer is
// decoded and encoded again on every request, and the offering itself is
// one GET away.
var retrieved = []string{
	"id", "version", "name", "category", "category_name", "summary", "delivery", "countries", "languages",
	"vendor_id", "vendor_name", "vendor_trading_name", "vendor_country", "vendor_size", "certifications", "as_of",
}

func (q Query) retrieve(buyer compliance.Buyer) []string {
	out := slices.Clip(retrieved)
	switch {
	case q.EligibleUnder == nil:
		out = append(out, eligibility(buyer, q.Verified))
	case q.Verified:
		out = append(out, "met", "met_verified")
	default:
		out = append(out, "met")
	}
	if q.GapCountry != "" {
		out = append(out, "gap_cost."+string(buyer)+"."+q.GapCountry)
	}
	return out
}

// facetAttributes maps FacetNames to attributes; eligible_in depends on the
// buyer kind and is filled per query.
var facetAttributes = map[string]string{
	"category": "category", "scheme": "schemes", "language": "languages", "vendor_country": "vendor_country",
	"delivery": "delivery", "size": "vendor_size",
}

// eligibility returns the attribute holding the countries where offerings
// are eligible for the buyer kind.
func eligibility(buyer compliance.Buyer, verified bool) string {
	if buyer == "" {
		buyer = compliance.Public
	}
	a := "eligible_" + string(buyer)
	if verified {
		a += "_verified"
	}
	return a
}

// request turns q into a Meilisearch search request.
func (q Query) request() *meilisearch.SearchRequest {
	buyer := q.Buyer
	if buyer == "" {
		buyer = compliance.Public
	}
	limit := q.Limit
	if limit <= 0 {
		limit = 20
	}
	req := &meilisearch.SearchRequest{
		Query:                q.Text,
		AttributesToRetrieve: q.retrieve(buyer),
		Facets: []string{"category", "schemes", "languages", "vendor_country", "delivery", "vendor_size",
			eligibility(buyer, q.Verified)},
		Filter: q.filter(buyer),
	}
	if q.Offset%limit == 0 {
		// Page mode counts the total exactly.
		hits := int64(limit)
		req.HitsPerPage, req.Page = &hits, int64(q.Offset/limit)+1
	} else {
		req.Offset, req.Limit = int64(q.Offset), int64(limit)
	}
	switch q.Sort {
	case SortName:
		req.Sort = []string{"name:asc"}
	case SortNameDesc:
		req.Sort = []string{"name:desc"}
	case SortGapCost:
		req.Sort = []string{"gap_cost." + string(buyer) + "." + q.GapCountry + ":asc", "name:asc"}
	}
	if strings.TrimSpace(q.Text) != "" {
		// Highlighting costs Meilisearch about 2 ms less than match
		// positions (which it computes for every attribute), although its
		// _formatted repeats the retrieved attributes.
		req.AttributesToHighlight = []string{"name", "vendor_name", "summary"}
		req.HighlightPreTag, req.HighlightPostTag = "<mark>", "</mark>"
	}
	return req
}

// filter returns the Meilisearch filter of q for the buyer kind; nil
// without filters.
func (q Query) filter(buyer compliance.Buyer) any {
	var filter []string
	in := func(attr string, values []string) {
		if len(values) == 0 {
			return
		}
		quoted := make([]string, len(values))
		for i, v := range values {
			quoted[i] = quote(v)
		}
		filter = append(filter, attr+" IN ["+strings.Join(quoted, ", ")+"]")
	}
	in("category", q.Categories)
	switch {
	case q.EligibleFilter != "":
		filter = append(filter, "("+q.EligibleFilter+")")
	case q.EligibleIn != "":
		in(eligibility(buyer, q.Verified), []string{q.EligibleIn})
	}
	in("schemes", q.Schemes)
	in("languages", q.Languages)
	in("countries", q.Serves)
	in("vendor_country", q.VendorCountries)
	in("delivery", q.Delivery)
	in("vendor_size", q.Sizes)
	if len(filter) == 0 {
		return nil
	}
	return strings.Join(filter, " AND ")
}

// response is Meilisearch's answer as we decode it.
type response struct {
	Hits               []responseHit               `json:"hits"`
	EstimatedTotalHits *int64                      `json:"estimatedTotalHits"`
	TotalHits          *int64                      `json:"totalHits"`
	FacetDistribution  map[string]map[string]int64 `json:"facetDistribution"`
	ProcessingTimeMs   int64                       `json:"processingTimeMs"`
}

// responseHit is a hit of Meilisearch's answer.
type responseHit struct {
	Document
	Formatted *Highlighted `json:"_formatted"`
}

// Search runs q on the live index, or on its fallbacks when it does not
// answer (see WithFallbacks). It returns ErrUnavailable (wrapped) when no
// instance can answer.
func (ix *Index) Search(ctx context.Context, q Query) (Result, error) {
	if len(ix.fallbacks) == 0 {
		return ix.searchOne(ctx, q)
	}
	return ix.searchAny(ctx, q)
}

// searchOne runs q on this index alone.
func (ix *Index) searchOne(ctx context.Context, q Query) (Result, error) {
	req := q.request()
	ctx, cancel := context.WithTimeout(ctx, ix.timeout)
	defer cancel()
	raw, err := ix.ms.Index(ix.uid).SearchRaw(ctx, "", req)
	if err != nil {
		return Result{}, classify("search", err)
	}
	// Decoding the answer (some 40 kB for a page of 20 with highlights) is
	// most of what a search costs this process: goccy/go-json does it in
	// about half the time of encoding/json (BenchmarkDecodeResponse).
	var resp response
	if err := gojson.Unmarshal(*raw, &resp); err != nil {
		return Result{}, fmt.Errorf("search: decode: %w", err)
	}
	limit := q.Limit
	if limit <= 0 {
		limit = 20
	}
	res := Result{
		Hits: make([]Hit, len(resp.Hits)), Offset: q.Offset, Limit: limit,
		Took: time.Duration(resp.ProcessingTimeMs) * time.Millisecond,
	}
	res.Total, res.TotalExact = countTotal(&resp, ix.maxTotalHits)
	res.Reachable = min(res.Total, ix.maxTotalHits)
	buyer := q.Buyer
	if buyer == "" {
		buyer = compliance.Public
	}
	for i := range resp.Hits {
		res.Hits[i] = q.hit(&resp.Hits[i], buyer)
	}
	res.Facets = facetCounts(resp.FacetDistribution, eligibility(buyer, q.Verified))
	return res, nil
}

// countTotal returns the number of matching documents and whether it is
// exact. Meilisearch counts matches up to maxTotalHits only (and estimates
// them outside page mode), but its facet counts cover every match: since
// each document has exactly one category, the category counts add up to
// the exact total. Where they may be cut short (maxValuesPerFacet
// categories), Meilisearch's count is returned, exact only below the cap.
func countTotal(resp *response, maxTotalHits int64) (total int64, exact bool) {
	if cats := resp.FacetDistribution["category"]; len(cats) < maxValuesPerFacet {
		for _, n := range cats {
			total += n
		}
		return total, true
	}
	switch {
	case resp.TotalHits != nil:
		return *resp.TotalHits, *resp.TotalHits < maxTotalHits
	case resp.EstimatedTotalHits != nil:
		return *resp.EstimatedTotalHits, false
	}
	return 0, false
}

// hit turns a decoded hit into a Hit for q and the buyer kind.
func (q Query) hit(h *responseHit, buyer compliance.Buyer) Hit {
	hit := Hit{Document: h.Document}
	costs := h.GapCost.Public
	switch {
	case buyer == compliance.Private && q.Verified:
		costs, hit.Eligible = h.GapCost.Private, h.EligiblePrivateVerified
	case buyer == compliance.Private:
		costs, hit.Eligible = h.GapCost.Private, h.EligiblePrivate
	case q.Verified:
		hit.Eligible = h.EligiblePublicVerified
	default:
		hit.Eligible = h.EligiblePublic
	}
	if q.EligibleUnder != nil {
		hit.Eligible = q.EligibleUnder(h.Category, h.Met, h.MetVerified)
		hit.Met, hit.MetVerified = nil, nil
	}
	hit.Eligible = orEmpty(hit.Eligible)
	if c, ok := costs[q.GapCountry]; ok && q.GapCountry != "" {
		hit.GapCostEUR = &c
	}
	if strings.TrimSpace(q.Text) != "" {
		hit.Highlighted = h.Formatted
	}
	return hit
}

// facetCounts returns the counts of FacetNames from Meilisearch's facet
// distribution; eligibleIn is the attribute of the eligible_in facet.
func facetCounts(dist map[string]map[string]int64, eligibleIn string) map[string]map[string]int64 {
	out := make(map[string]map[string]int64, len(FacetNames))
	for _, name := range FacetNames {
		attr := facetAttributes[name]
		if name == "eligible_in" {
			attr = eligibleIn
		}
		counts := dist[attr]
		if counts == nil {
			counts = map[string]int64{}
		}
		out[name] = counts
	}
	return out
}
