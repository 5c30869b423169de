// Package openapi is cybermarket's HTTP API: huma v2 operations under /v1,
// their input and output types, the mapping of domain errors to RFC 9457
// problems, request middleware, and the committed OpenAPI 3.1 spec.
//
// Every capability is an operation in the spec; API types are mapped
// explicitly to and from the domain types of package catalog.
//
// Where things go: one file per resource (vendors.go, offerings.go, ...).
// Its register function is a list of huma.Register calls, each a
// huma.Operation and a method value of handlers named after the
// operationId: operation get-vendor is served by h.getVendor, which takes a
// *GetVendorInput (operations_test.go checks this). Handlers return domain
// errors (catalog's, search's, denied, unready); newError in errors.go alone
// turns them into problems. Errors every operation may answer (401, 429)
// are declared once, in responses.go.
package openapi

import (
	"context"
	"io/fs"
	"log/slog"
	"net/http"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"

	"github.com/cybermarket/cybermarket/catalog"
	"github.com/cybermarket/cybermarket/compliance"
)

// Version is the API version published in the spec.
const Version = "0.1.0"

// Deps are what the operations need. Tests build them from real stores.
type Deps struct {
	Catalog *catalog.Store
	// Compliance is the reference data (countries, schemes, requirements) in use.
	Compliance *compliance.Live
	// Requirements reads the version of stored requirements and stores
	// administrators' edits (get-requirement, replace-requirement); cmd wires
	// a refstore.Store.
	Requirements RequirementStore
	Logger       *slog.Logger
	// Checks run by /readyz; each returns nil when its dependency answers.
	Checks map[string]func(context.Context) error
	// Search is the offering search index; its zero value answers 503.
	Search SearchDeps
	// Limits are the rate, time and proxy settings; zero fields take DefaultLimits.
	Limits Limits
	// Webhooks are the webhook settings.
	Webhooks WebhookOptions
}

// WebhookOptions are the settings of the webhook operations.
type WebhookOptions struct {
	// AllowHTTP accepts http:// webhook URLs and literal private addresses
	// (local development and tests); otherwise only https URLs. The
	// delivery's dialer checks addresses either way.
	AllowHTTP bool
}

// Config returns the huma configuration: title, description, servers, and
// the docs at /docs with the spec at /openapi.json and /openapi.yaml.
func Config() huma.Config {
	cfg := huma.DefaultConfig("cybermarket API", Version)
	cfg.Info.Description = description
	cfg.Info.License = &huma.License{Name: "Data: reference facts carry their own sources; sample catalogue is fictional"}
	// Paths are relative to where the spec is served, whatever the deployment's host.
	cfg.Servers = []*huma.Server{{URL: "/", Description: "The server that serves this document."}}
	// No $schema links in bodies: clients read the spec instead.
	cfg.CreateHooks = nil
	cfg.DocsPath = "" // served by registerDocs from vendored assets
	cfg.Transformers = append(cfg.Transformers, stampInstance)
	cfg.Tags = []*huma.Tag{
		{Name: "Vendors", Description: "Organisations that sell cybersecurity services."},
		{Name: "Offerings", Description: "Services a vendor sells, one service category each."},
		{Name: "Certifications", Description: "Credentials a vendor holds under a certification scheme."},
		{Name: "Reference data", Description: "Member State requirements, certification schemes and the service taxonomy, each fact with its source."},
		{Name: "Compliance", Description: "The burden engine: eligibility of an offering per country and buyer kind, and a vendor's certification roadmap."},
		{Name: "Analytics", Description: "For policymakers: market-entry barriers per Member State and what-if effects of mutual recognition."},
		{Name: "Verification", Description: "Staff decisions: admitting vendors, verifying, rejecting and suspending certification claims."},
		{Name: "Access", Description: "API keys and the audit trail of every write."},
		{Name: "Search", Description: "Full-text search of public offerings with eligibility filters and facets, and the state of its sync."},
		{Name: "Changes", Description: "The change feed: every change of the public catalogue, in order, for followers and integrators."},
		{Name: "Buyers", Description: "Hospitals and care providers that procure services, with buyer keys."},
		{Name: "Projects", Description: "A buyer's procurement projects: saved searches, a shortlist with notes, a locked and exportable record, and the outcome."},
		{Name: "Open data", Description: "Bulk downloads for researchers and policymakers: requirements, schemes, barriers and public offerings, each with its as-of time, reference version, change-log position and licence."},
		{Name: "Health", Description: "Liveness and readiness for load balancers and orchestrators."},
	}
	return cfg
}

const description = `cybermarket is a procurement catalogue of cybersecurity services for EU hospitals.
Vendors register their organisation, offerings and certifications; procurement officers find vendors
eligible in their Member State; policymakers see what keeps vendors out of each market.

Errors are RFC 9457 problem documents (application/problem+json). Rejected values are listed in
` + "`errors`" + `, each with the ` + "`location`" + ` of the field (such as ` + "`body.vat_number`" + `) and the reason.
The ` + "`instance`" + ` of a problem is the request id, also sent as the X-Request-Id header.

Updates use optimistic concurrency: every object carries a ` + "`version`" + `, sent as a strong ETag.
PUT requires If-Match with the ETag you read (428 without it, 412 when someone changed it since);
PATCH and withdrawals accept it. Lists are paged with an opaque cursor.

Reads of published data are public. Writes need an API key (Authorization: Bearer <key>) with a role:
admin, verifier, analyst, or vendor (bound to one vendor, which it alone may change). Registering a
vendor without a key creates a pending vendor and returns, once, its vendor key; staff approve it
before it becomes public. Each operation's security requirement lists the roles that may call it.
Requests are rate-limited per key and per client address (429 with Retry-After).`

// New returns the HTTP handler serving the API, its docs and its spec, wrapped
// in the request middleware (request ids, logs, panics, budgets, the input
// rule, problems for what the router refuses).
func New(d Deps) http.Handler {
	mux := http.NewServeMux()
	api := humago.New(mux, Config())
	Register(api, d)
	registerDocs(mux)
	return middleware(guard(edge(routed(mux)), d.Limits), d.Logger, d.Limits)
}

// Register adds every operation to api. humatest drives it in tests.
func Register(api huma.API, d Deps) {
	h := &handlers{Deps: d, limits: newLimiters(d.Limits)}
	if h.Logger == nil {
		h.Logger = slog.Default()
	}
	// First: middleware applies to the operations registered after it.
	api.UseMiddleware(checkParams(api), h.authenticate(api))
	defer declareSecurity(api)
	defer declareCommonErrors(api)
	h.registerHealth(api)
	h.registerVendors(api)
	h.registerOfferings(api)
	h.registerCertifications(api)
	h.registerBundles(api)
	h.registerReference(api)
	h.registerCoverage(api)
	h.registerSearch(api)
	h.registerAssessment(api)
	h.registerVerification(api)
	h.registerKeys(api)
	h.registerAudit(api)
	h.registerChanges(api)
	h.registerOpenData(api)
	h.registerWebhooks(api)
	h.registerBuyers(api)
	h.registerProjects(api)
}

// handlers carries the dependencies of the operations.
type handlers struct {
	Deps
	limits *limiters
}

// Spec returns the OpenAPI 3.1 document as YAML, as committed in
// openapi/openapi.yaml.
func Spec() ([]byte, error) {
	return document().YAML()
}

// document builds the OpenAPI document without serving anything.
func document() *huma.OpenAPI {
	api := humago.New(http.NewServeMux(), Config())
	Register(api, Deps{})
	return api.OpenAPI()
}

func mustSub(fsys fs.FS, dir string) fs.FS {
	sub, err := fs.Sub(fsys, dir)
	if err != nil {
		panic(err)
	}
	return sub
}
