package openapi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
)

// constraintCase is an input that breaks one CHECK constraint: the column
// values the database would refuse, and the request carrying them, which
// the API must refuse first with 422 naming location. Constraints no request
// can reach name the reason instead.
type constraintCase struct {
	columns  map[string]any // column -> violating value, as the database would get it
	method   string
	path     string        // {vendor}, {cert}, {req}, {project} and {offering} are filled in
	body     func() string // the request body
	buyer    bool          // sent with the fixture buyer's key, not the admin's
	location string        // what the 422 must name
	internal string        // why no request can reach the constraint
}

// constraintCases has a case for every CHECK constraint of the migrations;
// TestAPI_ValidationAgreesWithConstraints fails when one is missing.
func constraintCases() map[string]constraintCase {
	vendor := func(field, value string) func() string {
		return func() string { return setJSON(checkVendor, field, value) }
	}
	offering := func(field, value string) func() string {
		return func() string { return setJSON(checkOffering, field, value) }
	}
	cert := func(field, value string) func() string {
		return func() string { return setJSON(checkCertification, field, value) }
	}
	buyer := func(field, value string) func() string {
		return func() string { return setJSON(checkBuyer, field, value) }
	}
	project := func(field, value string) func() string {
		return func() string { return setJSON(checkProject, field, value) }
	}
	raw := func(body string) func() string { return func() string { return body } }
	long := func(n int) string { return strings.Repeat("é", n) } // characters, not bytes
	version := "only the store writes versions, starting at 1 and adding 1"
	seeded := "reference data: written only by cybermarket migrate from the embedded, tested data set"
	return map[string]constraintCase{
		"vendors_legal_name_check":              {columns: map[string]any{"legal_name": long(201)}, method: "POST", path: "/v1/vendors", body: vendor("legal_name", long(201)), location: "body.legal_name"},
		"vendors_trading_name_check":            {columns: map[string]any{"trading_name": long(201)}, method: "POST", path: "/v1/vendors", body: vendor("trading_name", long(201)), location: "body.trading_name"},
		"vendors_vat_number_check":              {columns: map[string]any{"vat_number": "DE1"}, method: "POST", path: "/v1/vendors", body: vendor("vat_number", "DE1"), location: "body.vat_number"},
		"vendors_lei_check":                     {columns: map[string]any{"lei": "5493001KJTIIGC8Y1RAB"}, method: "POST", path: "/v1/vendors", body: vendor("lei", "5493001KJTIIGC8Y1RAB"), location: "body.lei"},
		"vendors_euid_check":                    {columns: map[string]any{"euid": "DEK1101R.HRB" + strings.Repeat("1", 50)}, method: "POST", path: "/v1/vendors", body: vendor("euid", "DEK1101R.HRB"+strings.Repeat("1", 50)), location: "body.euid"},
		"vendors_country_check":                 {columns: map[string]any{"country": "D1"}, method: "POST", path: "/v1/vendors", body: vendor("country", "D1"), location: "body.country"},
		"vendors_check":                         {columns: map[string]any{"country": "DE", "established_in": []string{"AT"}}, internal: "Clean always adds the head-office country to established_in"},
		"vendors_size_check":                    {columns: map[string]any{"size": "huge"}, method: "POST", path: "/v1/vendors", body: vendor("size", "huge"), location: "body.size"},
		"vendors_website_check":                 {columns: map[string]any{"website": "https://example.eu/" + strings.Repeat("a", 290)}, method: "POST", path: "/v1/vendors", body: vendor("website", "https://example.eu/"+strings.Repeat("a", 290)), location: "body.website"},
		"vendors_contact_name_check":            {columns: map[string]any{"contact_name": long(201)}, method: "POST", path: "/v1/vendors", body: vendor("contact.name", long(201)), location: "body.contact.name"},
		"vendors_contact_email_check":           {columns: map[string]any{"contact_email": "no-at-sign"}, method: "POST", path: "/v1/vendors", body: vendor("contact.email", "no-at-sign"), location: "body.contact.email"},
		"vendors_contact_phone_check":           {columns: map[string]any{"contact_phone": "49301234"}, method: "POST", path: "/v1/vendors", body: vendor("contact.phone", "49301234"), location: "body.contact.phone"},
		"vendors_version_check":                 {columns: map[string]any{"version": 0}, internal: version},
		"vendors_status_check":                  {columns: map[string]any{"status": "deleted"}, internal: "status changes only through approve and suspend, which set valid states"},
		"vendors_status_reason_check":           {columns: map[string]any{"status_reason": long(1001)}, method: "POST", path: "/v1/vendors/{vendor}/suspend", body: func() string { return setJSON(`{}`, "reason", long(1001)) }, location: "body.reason"},
		"offerings_name_check":                  {columns: map[string]any{"name": " "}, method: "POST", path: "/v1/vendors/{vendor}/offerings", body: offering("name", " "), location: "body.name"},
		"offerings_summary_check":               {columns: map[string]any{"summary": map[string]string{}}, method: "POST", path: "/v1/vendors/{vendor}/offerings", body: func() string { return setRaw(checkOffering, "summary", `{}`) }, location: "body.summary"},
		"offerings_description_check":           {columns: map[string]any{"description": []string{}}, method: "POST", path: "/v1/vendors/{vendor}/offerings", body: func() string { return setRaw(checkOffering, "description", `[]`) }, location: "body.description"},
		"offerings_delivery_check":              {columns: map[string]any{"delivery": "teleport"}, method: "POST", path: "/v1/vendors/{vendor}/offerings", body: offering("delivery", "teleport"), location: "body.delivery"},
		"offerings_countries_check":             {columns: map[string]any{"countries": []string{}}, method: "POST", path: "/v1/vendors/{vendor}/offerings", body: func() string { return setRaw(checkOffering, "countries", `[]`) }, location: "body.countries"},
		"offerings_languages_check":             {columns: map[string]any{"languages": []string{}}, method: "POST", path: "/v1/vendors/{vendor}/offerings", body: func() string { return setRaw(checkOffering, "languages", `[]`) }, location: "body.languages"},
		"offerings_healthcare_references_check": {columns: map[string]any{"healthcare_references": map[string]string{}}, method: "POST", path: "/v1/vendors/{vendor}/offerings", body: func() string { return setRaw(checkOffering, "healthcare_references", `{}`) }, location: "body.healthcare_references"},
		"offerings_status_check":                {columns: map[string]any{"status": "gone"}, method: "POST", path: "/v1/vendors/{vendor}/offerings", body: offering("status", "gone"), location: "body.status"},
		"offerings_version_check":               {columns: map[string]any{"version": 0}, internal: version},
		"certifications_number_check":           {columns: map[string]any{"number": " "}, method: "POST", path: "/v1/vendors/{vendor}/certifications", body: cert("number", " "), location: "body.number"},
		"certifications_issuer_check":           {columns: map[string]any{"issuer": long(201)}, method: "POST", path: "/v1/vendors/{vendor}/certifications", body: cert("issuer", long(201)), location: "body.issuer"},
		"certifications_scope_check":            {columns: map[string]any{"scope": long(2001)}, method: "POST", path: "/v1/vendors/{vendor}/certifications", body: cert("scope", long(2001)), location: "body.scope"},
		"certifications_evidence_url_check":     {columns: map[string]any{"evidence_url": "https://example.eu/" + strings.Repeat("a", 490)}, method: "POST", path: "/v1/vendors/{vendor}/certifications", body: cert("evidence_url", "https://example.eu/"+strings.Repeat("a", 490)), location: "body.evidence_url"},
		"certifications_evidence_sha256_check":  {columns: map[string]any{"evidence_sha256": "ABC"}, method: "POST", path: "/v1/vendors/{vendor}/certifications", body: cert("evidence_sha256", "ABC"), location: "body.evidence_sha256"},
		"certifications_status_check":           {columns: map[string]any{"status": "approved"}, internal: "status changes only through verify, reject, suspend and withdraw, which set valid states"},
		"certifications_verified_by_check":      {columns: map[string]any{"verified_by": long(201)}, internal: "verified_by is the name of the staff key (at most 100 characters, api_keys_name_check)"},
		"certifications_version_check":          {columns: map[string]any{"version": 0}, internal: version},
		"certifications_validity_check":         {columns: map[string]any{"valid_from": "2025-03-01", "valid_until": "2025-03-01"}, method: "POST", path: "/v1/vendors/{vendor}/certifications", body: cert("valid_until", "2025-03-01"), location: "body.valid_until"},
		"certifications_status_reason_check":    {columns: map[string]any{"status_reason": long(1001)}, method: "POST", path: "/v1/certifications/{cert}/reject", body: func() string { return setJSON(`{}`, "reason", long(1001)) }, location: "body.reason"},
		"api_keys_name_check":                   {columns: map[string]any{"name": long(101)}, method: "POST", path: "/v1/keys", body: func() string { return setJSON(`{"role":"analyst"}`, "name", long(101)) }, location: "body.name"},
		"api_keys_role_check":                   {columns: map[string]any{"role": "root"}, method: "POST", path: "/v1/keys", body: func() string { return `{"name":"k","role":"root"}` }, location: "body.role"},
		"api_keys_secret_hash_check":            {columns: map[string]any{"secret_hash": []byte{1}}, internal: "the store writes a SHA-256 it computes"},
		"api_keys_vendor_check": {columns: map[string]any{"role": "analyst", "vendor_id": "0192f1e0-7b1c-7c3e-9a4b-2f1d3c4b5a69"}, method: "POST", path: "/v1/keys", body: func() string {
			return `{"name":"k","role":"analyst","vendor_id":"0192f1e0-7b1c-7c3e-9a4b-2f1d3c4b5a69"}`
		}, location: "body.vendor_id"},
		"audit_events_entity_check":          {columns: map[string]any{"entity": "planet"}, internal: "the store names the entity of each audit event from a fixed set"},
		"categories_slug_check":              {columns: map[string]any{"slug": "Not A Slug"}, internal: seeded},
		"categories_name_check":              {columns: map[string]any{"name": ""}, internal: seeded},
		"schemes_id_check":                   {columns: map[string]any{"id": "Not A Slug"}, internal: seeded},
		"schemes_name_check":                 {columns: map[string]any{"name": ""}, internal: seeded},
		"schemes_version_check":              {columns: map[string]any{"version": 0}, internal: version},
		"scheme_levels_level_check":          {columns: map[string]any{"level": ""}, internal: seeded},
		"categories_version_check":           {columns: map[string]any{"version": 0}, internal: version},
		"countries_code_check":               {columns: map[string]any{"code": "D"}, internal: seeded},
		"countries_name_check":               {columns: map[string]any{"name": ""}, internal: seeded},
		"countries_version_check":            {columns: map[string]any{"version": 0}, internal: version},
		"requirements_id_check":              {columns: map[string]any{"id": "Bad Id"}, internal: seeded + "; edits keep the id of the path"},
		"requirements_country_check":         {columns: map[string]any{"country": "d"}, method: "PUT", path: "/v1/requirements/{req}", body: nil, location: "body.country"},
		"requirements_version_check":         {columns: map[string]any{"version": 0}, internal: version},
		"reference_revision_singleton_check": {columns: map[string]any{"singleton": false}, internal: "one row, written by migrate"},
		"change_counter_single_check":        {columns: map[string]any{"single": false}, internal: "one row, written by the migration and moved only by the store"},
		"change_log_entity_check":            {columns: map[string]any{"entity": "planet"}, internal: "the store names the entity of each change from a fixed set"},
		"change_log_horizon_single_check":    {columns: map[string]any{"single": false}, internal: "one row, written by the migration and moved only by the store"},
		"webhook_event_counter_single_check": {columns: map[string]any{"single": false}, internal: "one row, written by the migration and moved only by the store"},
		"webhook_events_type_check":          {columns: map[string]any{"type": "planet.landed"}, internal: "the store names each event's type from a fixed set"},
		"webhook_events_check":               {columns: map[string]any{"vendor_id": nil, "buyer_id": nil}, internal: "the store addresses each event to its vendor or its buyer"},
		"certificate_notices_kind_check":     {columns: map[string]any{"kind": "expires-1"}, internal: "the certificate job names each notice from a fixed set"},
		"buyers_legal_name_check":            {columns: map[string]any{"legal_name": long(201)}, method: "POST", path: "/v1/buyers", body: buyer("legal_name", long(201)), location: "body.legal_name"},
		"buyers_country_check":               {columns: map[string]any{"country": "D1"}, method: "POST", path: "/v1/buyers", body: buyer("country", "D1"), location: "body.country"},
		"buyers_ownership_check":             {columns: map[string]any{"ownership": "state"}, method: "POST", path: "/v1/buyers", body: buyer("ownership", "state"), location: "body.ownership"},
		"buyers_nis2_entity_check":           {columns: map[string]any{"nis2_entity": "vital"}, method: "POST", path: "/v1/buyers", body: buyer("nis2_entity", "vital"), location: "body.nis2_entity"},
		"buyers_vat_number_check":            {columns: map[string]any{"vat_number": "DE1"}, method: "POST", path: "/v1/buyers", body: buyer("vat_number", "DE1"), location: "body.vat_number"},
		"buyers_lei_check":                   {columns: map[string]any{"lei": "5493001KJTIIGC8Y1RAB"}, method: "POST", path: "/v1/buyers", body: buyer("lei", "5493001KJTIIGC8Y1RAB"), location: "body.lei"},
		"buyers_status_check":                {columns: map[string]any{"status": "deleted"}, internal: "status changes only through register and approve, which set valid states"},
		"buyers_version_check":               {columns: map[string]any{"version": 0}, internal: version},
		"api_keys_buyer_check":               {columns: map[string]any{"role": "analyst", "buyer_id": "0192f1e0-7b1c-7c3e-9a4b-2f1d3c4b5a80"}, method: "POST", path: "/v1/keys", body: raw(`{"name":"k","role":"analyst","buyer_id":"0192f1e0-7b1c-7c3e-9a4b-2f1d3c4b5a80"}`), location: "body.buyer_id"},
		"projects_title_check":               {columns: map[string]any{"title": long(301)}, method: "POST", path: "/v1/projects", body: project("title", long(301)), buyer: true, location: "body.title"},
		"projects_country_check":             {columns: map[string]any{"country": "D1"}, method: "POST", path: "/v1/projects", body: project("country", "D1"), buyer: true, location: "body.country"},
		"projects_buyer_kind_check":          {columns: map[string]any{"buyer_kind": "state"}, method: "POST", path: "/v1/projects", body: project("buyer_kind", "state"), buyer: true, location: "body.buyer_kind"},
		"projects_seed_check":                {columns: map[string]any{"seed": []byte{1}}, internal: "the store writes 16 bytes it reads from crypto/rand"},
		"projects_version_check":             {columns: map[string]any{"version": 0}, internal: version},
		"project_searches_query_check":       {columns: map[string]any{"query": long(501)}, method: "POST", path: "/v1/projects/{project}/searches", body: func() string { return setJSON(`{}`, "query", long(501)) }, buyer: true, location: "body.query"},
		"project_shortlist_decision_check":   {columns: map[string]any{"decision": "maybe"}, method: "PUT", path: "/v1/projects/{project}/shortlist/{offering}", body: raw(`{"decision":"maybe"}`), buyer: true, location: "body.decision"},
		"project_shortlist_note_check":       {columns: map[string]any{"note": long(2001)}, method: "PUT", path: "/v1/projects/{project}/shortlist/{offering}", body: func() string { return setJSON(`{"decision":"included"}`, "note", long(2001)) }, buyer: true, location: "body.note"},
		"project_shortlist_check":            {columns: map[string]any{"decision": "excluded", "note": " "}, method: "PUT", path: "/v1/projects/{project}/shortlist/{offering}", body: raw(`{"decision":"excluded","note":" "}`), buyer: true, location: "body.note"},
		"project_snapshots_sha256_check":     {columns: map[string]any{"sha256": "ABC"}, internal: "the store writes the hex SHA-256 it computes of the snapshot body"},
		"project_snapshots_check":            {columns: map[string]any{"body": []byte("{}"), "sha256": strings.Repeat("0", 64)}, internal: "the store writes the SHA-256 it computes of the very body it writes"},
		"project_outcomes_value_eur_check":   {columns: map[string]any{"value_eur": -1}, method: "POST", path: "/v1/projects/{project}/outcome", body: raw(`{"awarded":false,"reason":"none fit","value_eur":-1}`), buyer: true, location: "body.value_eur"},
		"project_outcomes_reason_check":      {columns: map[string]any{"reason": long(2001)}, method: "POST", path: "/v1/projects/{project}/outcome", body: func() string { return setJSON(`{"awarded":false}`, "reason", long(2001)) }, buyer: true, location: "body.reason"},
		"project_outcomes_check":             {columns: map[string]any{"awarded": false, "reason": " "}, method: "POST", path: "/v1/projects/{project}/outcome", body: raw(`{"awarded":false,"reason":" "}`), buyer: true, location: "body.reason"},
		"project_outcomes_check1":            {columns: map[string]any{"starts_on": "2027-01-02", "ends_on": "2027-01-01"}, method: "POST", path: "/v1/projects/{project}/outcome", body: raw(`{"awarded":false,"reason":"none fit","starts_on":"2027-01-02","ends_on":"2027-01-01"}`), buyer: true, location: "body.ends_on"},
		"webhook_subscriptions_url_check": {columns: map[string]any{"url": "https://hooks.example.org/" + strings.Repeat("a", 1990)}, method: "POST", path: "/v1/webhooks",
			body: func() string { return setJSON(`{}`, "url", "https://hooks.example.org/"+strings.Repeat("a", 1990)) }, location: "body.url"},
	}
}

const (
	checkVendor        = `{"legal_name":"Check GmbH","vat_number":"DE123456788","country":"DE","size":"small","contact":{"email":"a@example.eu"}}`
	checkOffering      = `{"name":"Pentest","category":"penetration-testing","summary":{"en":"Tests"},"delivery":"remote","countries":["DE"],"languages":["de"]}`
	checkBuyer         = `{"legal_name":"Check Klinikum","country":"DE","ownership":"public","nis2_entity":"essential","vat_number":"DE811907980"}`
	checkProject       = `{"title":"Check project","category":"incident-response","country":"DE"}`
	checkCertification = `{"scheme":"iso-iec-27001","number":"N-1","issuer":"Body","valid_from":"2025-03-01","valid_until":"2028-02-28"}`
)

// setJSON returns the JSON object doc with the string at dotted path field set to value.
func setJSON(doc, field, value string) string {
	v, _ := json.Marshal(value)
	return setRaw(doc, field, string(v))
}

// setRaw returns doc with the value at dotted path field replaced by raw JSON.
func setRaw(doc, field, raw string) string {
	var m map[string]any
	if err := json.Unmarshal([]byte(doc), &m); err != nil {
		panic(err)
	}
	parts := strings.Split(field, ".")
	cur := m
	for _, p := range parts[:len(parts)-1] {
		next, ok := cur[p].(map[string]any)
		if !ok {
			next = map[string]any{}
			cur[p] = next
		}
		cur = next
	}
	cur[parts[len(parts)-1]] = json.RawMessage(raw)
	out, _ := json.Marshal(m)
	return string(out)
}

// TestAPI_ValidationAgreesWithConstraints walks every CHECK constraint of
// the migrated database: each case's values must break the constraint (the
// database evaluates its own expression on them) and the request carrying
// them must get 422 naming the field, never reach the database as a 500.
func TestAPI_ValidationAgreesWithConstraints(t *testing.T) {
	t.Parallel()
	c := newClient(t)
	ctx := context.Background()
	pool := c.store.Pool()
	rows, err := pool.Query(ctx, `
		SELECT conname, conrelid::regclass::text, pg_get_constraintdef(oid)
		FROM pg_constraint WHERE contype = 'c' AND connamespace = 'public'::regnamespace ORDER BY conname`)
	if err != nil {
		t.Fatal(err)
	}
	type check struct{ name, table, def string }
	var checks []check
	for rows.Next() {
		var k check
		if err := rows.Scan(&k.name, &k.table, &k.def); err != nil {
			t.Fatal(err)
		}
		checks = append(checks, k)
	}
	if rows.Err() != nil || len(checks) < 40 {
		t.Fatalf("%d CHECK constraints (%v)", len(checks), rows.Err())
	}
	ids := fixtures(t, c)
	cases := constraintCases()
	for _, k := range checks {
		t.Run(k.name, func(t *testing.T) {
			tc, ok := cases[k.name]
			if !ok {
				t.Fatalf("no case for %s on %s: %s", k.name, k.table, k.def)
			}
			if violates, err := evalCheck(ctx, pool, k.table, k.def, tc.columns); err != nil || !violates {
				t.Errorf("the values %v do not break %s (%v)", tc.columns, k.def, err)
			}
			if tc.internal != "" {
				return
			}
			path := strings.NewReplacer("{vendor}", ids.vendor, "{cert}", ids.cert, "{req}", ids.requirement,
				"{project}", ids.project, "{offering}", ids.offering).Replace(tc.path)
			body := ""
			if tc.body != nil {
				body = tc.body()
			} else {
				body = ids.requirementBody
			}
			c := *c
			c.t = t
			if tc.buyer {
				c.token = ids.buyerToken
			}
			p := c.do(tc.method, path, body, "If-Match", ids.etag).problem(http.StatusUnprocessableEntity)
			if !p.names(tc.location) {
				t.Errorf("names %v, want %s", p.locations(), tc.location)
			}
		})
	}
}

type fixtureIDs struct {
	vendor, cert, offering, requirement, requirementBody, etag string
	buyerToken, project                                        string
}

// fixtures makes the objects the cases write to: a vendor, one of its
// certifications and a published offering, an admitted buyer's key and a
// project of it, and a requirement with a scope the database refuses.
func fixtures(t *testing.T, c *client) fixtureIDs {
	t.Helper()
	var v, cert, off, project struct{ ID string }
	c.do("POST", "/v1/vendors", checkVendor).want(http.StatusCreated).decode(&v)
	c.do("POST", "/v1/vendors/"+v.ID+"/certifications", checkCertification).want(http.StatusCreated).decode(&cert)
	c.do("POST", "/v1/vendors/"+v.ID+"/offerings", setJSON(checkOffering, "status", "published")).want(http.StatusCreated).decode(&off)
	var b registration
	c.do("POST", "/v1/buyers", checkBuyer).want(http.StatusCreated).decode(&b)
	if b.Status != "active" || b.APIKey == nil || b.APIKey.Token == "" {
		t.Fatalf("buyer registered by an admin: %+v", b)
	}
	c.as(b.APIKey.Token).do("POST", "/v1/projects", checkProject).want(http.StatusCreated).decode(&project)
	var reqs []map[string]any
	c.do("GET", "/v1/countries/DE/requirements", nil).want(http.StatusOK).decode(&reqs)
	if len(reqs) == 0 {
		t.Fatal("no requirements")
	}
	id := fmt.Sprint(reqs[0]["id"])
	var r map[string]any
	got := c.do("GET", "/v1/requirements/"+id, nil).want(http.StatusOK)
	got.decode(&r)
	for _, k := range []string{"id", "binding", "duty", "version"} {
		delete(r, k)
	}
	r["scope"] = "d"
	body, _ := json.Marshal(r)
	return fixtureIDs{vendor: v.ID, cert: cert.ID, offering: off.ID, requirement: id, requirementBody: string(body),
		etag: got.Header().Get("ETag"), buyerToken: b.APIKey.Token, project: project.ID}
}

// evalCheck evaluates the constraint definition def of table on a row with
// columns set to the given values, and reports whether it fails (false; a
// NULL would pass).
func evalCheck(ctx context.Context, pool *pgxpool.Pool, table, def string, columns map[string]any) (bool, error) {
	expr, ok := strings.CutPrefix(def, "CHECK ")
	if !ok {
		return false, fmt.Errorf("not a check: %s", def)
	}
	var selects []string
	var args []any
	for col, v := range columns {
		var typ string
		if err := pool.QueryRow(ctx, `
			SELECT format_type(atttypid, atttypmod) FROM pg_attribute
			WHERE attrelid = $1::regclass AND attname = $2 AND NOT attisdropped`, table, col).Scan(&typ); err != nil {
			return false, fmt.Errorf("column %s.%s: %w", table, col, err)
		}
		if b, ok := v.(map[string]string); ok {
			data, _ := json.Marshal(b)
			v = string(data)
		}
		if b, ok := v.([]string); ok && typ == "jsonb" {
			data, _ := json.Marshal(b)
			v = string(data)
		}
		args = append(args, v)
		selects = append(selects, fmt.Sprintf("$%d::%s AS %s", len(args), typ, col))
	}
	var passes *bool
	err := pool.QueryRow(ctx, "SELECT "+expr+" FROM (SELECT "+strings.Join(selects, ", ")+") AS t", args...).Scan(&passes)
	return passes != nil && !*passes, err
}
