package web

import (
	"context"
	"sync"
	"time"
)

// reference is the reference data the forms and filters list: countries,
// service categories and certification schemes, read through the API.
type reference struct {
	Countries  []countryRef
	Categories []categoryRef
	Schemes    []schemeRef
	country    map[string]string
	category   map[string]string
	scheme     map[string]string
}

// CountryName is the English name of a country code, or the code.
func (r *reference) CountryName(code string) string { return orCode(r.country, code) }

// CategoryName is the name of a category slug, or the slug.
func (r *reference) CategoryName(slug string) string { return orCode(r.category, slug) }

// SchemeName is the name of a scheme id, or the id.
func (r *reference) SchemeName(id string) string { return orCode(r.scheme, id) }

func orCode(m map[string]string, code string) string {
	if n, ok := m[code]; ok {
		return n
	}
	return code
}

// referenceTTL is how long the reference lists are kept: administrators
// rarely change them, and a minute-old name is harmless.
const referenceTTL = time.Minute

// referenceCache keeps the reference lists for referenceTTL.
type referenceCache struct {
	mu     sync.Mutex
	ref    *reference
	loaded time.Time
}

func newReferenceCache() *referenceCache { return &referenceCache{} }

// get returns the reference lists, reading them through c when stale.
func (rc *referenceCache) get(ctx context.Context, c *apiClient) (*reference, error) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if rc.ref != nil && time.Since(rc.loaded) < referenceTTL {
		return rc.ref, nil
	}
	anon := &apiClient{api: c.api, from: c.from}
	r := &reference{country: map[string]string{}, category: map[string]string{}, scheme: map[string]string{}}
	if err := anon.get(ctx, "/v1/countries", nil, &r.Countries); err != nil {
		return nil, err
	}
	if err := anon.get(ctx, "/v1/categories", nil, &r.Categories); err != nil {
		return nil, err
	}
	if err := anon.get(ctx, "/v1/schemes", nil, &r.Schemes); err != nil {
		return nil, err
	}
	for _, c := range r.Countries {
		r.country[c.Code] = c.Name
	}
	for _, c := range r.Categories {
		r.category[c.Slug] = c.Name
	}
	for _, s := range r.Schemes {
		r.scheme[s.ID] = s.Name
	}
	rc.ref, rc.loaded = r, time.Now()
	return r, nil
}

// reference returns the reference lists for this request.
func (q *request) reference() (*reference, error) {
	return q.s.ref.get(q.r.Context(), q.api)
}
