package search_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/cybermarket/cybermarket/catalog"
	"github.com/cybermarket/cybermarket/catalog/catalogtest"
	"github.com/cybermarket/cybermarket/compliance/refstore/refstoretest"
	"github.com/cybermarket/cybermarket/search"
	"github.com/cybermarket/cybermarket/search/searchtest"
)

func TestMain(m *testing.M) {
	os.Exit(catalogtest.Main(m, refstoretest.Seed))
}

// env is a database and an index of a test's own, with a worker whose clock
// the test sets.
type env struct {
	t      *testing.T
	store  *catalog.Store
	pool   *pgxpool.Pool
	index  *search.Index
	cfg    search.Config
	rules  *search.Rules
	now    time.Time
	worker *search.Worker
}

func newEnv(t *testing.T) *env {
	t.Helper()
	ix, cfg := searchtest.NewIndex(t)
	return newEnvOn(t, ix, cfg)
}

func newEnvOn(t *testing.T, ix *search.Index, cfg search.Config) *env {
	t.Helper()
	store, _ := catalogtest.NewStore(t)
	e := &env{t: t, store: store, pool: store.Pool(), index: ix, cfg: cfg, now: day.Add(9 * time.Hour)}
	e.rules = search.NewRules(embedded(t), 0)
	e.worker = search.NewWorker(search.WorkerConfig{
		Catalog: e.store, Index: ix, Now: func() time.Time { return e.now },
		Rules: func(context.Context) (*search.Rules, error) { return e.rules, nil },
	})
	return e
}

func (e *env) ctx() context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	e.t.Cleanup(cancel)
	return ctx
}

// drain applies every queued change to the index.
func (e *env) drain() {
	e.t.Helper()
	if _, err := e.worker.Drain(e.ctx()); err != nil {
		e.t.Fatalf("drain: %v", err)
	}
}

// inSync fails the test unless the index equals the database.
func (e *env) inSync() search.Differences {
	e.t.Helper()
	diff, err := search.Verify(e.ctx(), e.store, e.index, e.rules, e.now)
	if err != nil {
		e.t.Fatalf("verify: %v", err)
	}
	if !diff.InSync() {
		e.t.Fatalf("index differs from the database: %s", diff)
	}
	return diff
}

func (e *env) search(q search.Query) search.Result {
	e.t.Helper()
	res, err := e.index.Search(e.ctx(), q)
	if err != nil {
		e.t.Fatalf("search %+v: %v", q, err)
	}
	return res
}

// names returns the offering names of res.
func names(res search.Result) []string {
	out := make([]string, len(res.Hits))
	for i, h := range res.Hits {
		out[i] = h.Name
	}
	return out
}

func (e *env) vendor(v catalog.Vendor) catalog.Vendor {
	e.t.Helper()
	created, err := e.store.CreateVendor(e.ctx(), v)
	if err != nil {
		e.t.Fatal(err)
	}
	return created
}

func (e *env) offering(o catalog.Offering) catalog.Offering {
	e.t.Helper()
	created, err := e.store.CreateOffering(e.ctx(), o)
	if err != nil {
		e.t.Fatal(err)
	}
	return created
}

func (e *env) certification(c catalog.Certification) catalog.Certification {
	e.t.Helper()
	created, err := e.store.CreateCertification(e.ctx(), c)
	if err != nil {
		e.t.Fatal(err)
	}
	return created
}

// catalogue is the fixture of the search tests: five public offerings of
// four vendors, and three that must not be found.
type catalogue struct {
	pentest, mdr, ir, cloud, audit catalog.Offering
	cloudVendor                    catalog.Vendor
	c5                             catalog.Certification
}

func vendorOf(name, vat, country string, size catalog.SizeClass, status catalog.VendorStatus) catalog.Vendor {
	return catalog.Vendor{LegalName: name, VATNumber: vat, Country: country, Size: size, Status: status,
		Contact: catalog.Contact{Email: "tenders@example.org"}}
}

func offeringOf(vendor uuid.UUID, name, category, summary string, delivery catalog.DeliveryMode, countries, languages []string) catalog.Offering {
	return catalog.Offering{VendorID: vendor, Name: name, Category: category, Summary: map[string]string{"en": summary},
		Delivery: delivery, Countries: countries, Languages: languages, Status: catalog.OfferingPublished}
}

func (e *env) seed() catalogue {
	e.t.Helper()
	c := e.seedOnly()
	e.drain()
	return c
}

// seedOnly writes the catalogue without indexing it.
func (e *env) seedOnly() catalogue {
	e.t.Helper()
	var c catalogue
	nord := e.vendor(vendorOf("Nordlicht Cyber Defence GmbH (fictional)", "DE123456788", "DE", catalog.SizeSmall, catalog.VendorActive))
	c.pentest = e.offering(offeringOf(nord.ID, "Penetration testing for hospital networks", "penetration-testing",
		"Network and application penetration tests of clinical systems.", catalog.DeliveryOnSite,
		[]string{"DE", "AT"}, []string{"de", "en"}))
	c.audit = e.offering(offeringOf(nord.ID, "ISMS audit for clinics", "security-audit",
		"Internal audits of an information security management system.", catalog.DeliveryHybrid,
		[]string{"DE"}, []string{"de"}))
	e.certification(catalog.Certification{VendorID: nord.ID, Scheme: "iso-iec-27001", Number: "ISMS-1", Issuer: "Example CB (fictional)",
		ValidFrom: day.AddDate(-1, 0, 0), ValidUntil: day.AddDate(2, 0, 0), Status: catalog.Verified})

	secu := e.vendor(vendorOf("Sécurité Hospitalière SAS (fictional)", "FRXX123456789", "FR", catalog.SizeMedium, catalog.VendorActive))
	c.mdr = e.offering(offeringOf(secu.ID, "Managed detection and response for clinics", "managed-detection-response",
		"Round-the-clock monitoring of hospital endpoints and networks.", catalog.DeliveryRemote,
		[]string{"FR", "BE"}, []string{"fr", "en"}))
	e.certification(catalog.Certification{VendorID: secu.ID, Scheme: "hds", Number: "HDS-1", Issuer: "Example CB (fictional)",
		ValidFrom: day.AddDate(-1, 0, 0), ValidUntil: day.AddDate(2, 0, 0), Status: catalog.Verified, OfferingIDs: []uuid.UUID{c.mdr.ID}})

	resp := e.vendor(vendorOf("Respuesta Rápida SL (fictional)", "ESB12345674", "ES", catalog.SizeMicro, catalog.VendorActive))
	c.ir = e.offering(offeringOf(resp.ID, "Incident response retainer", "incident-response",
		"Forensics and recovery team on call for hospitals.", catalog.DeliveryHybrid,
		[]string{"ES", "PT"}, []string{"es", "pt", "en"}))
	e.certification(catalog.Certification{VendorID: resp.ID, Scheme: "ens", Level: "media", Number: "ENS-1", Issuer: "Example CB (fictional)",
		ValidFrom: day.AddDate(-1, 0, 0), ValidUntil: day.AddDate(1, 0, 0), Status: catalog.SelfDeclared})

	c.cloudVendor = e.vendor(vendorOf("Wolke Sieben GmbH (fictional)", "DE987654328", "DE", catalog.SizeLarge, catalog.VendorActive))
	c.cloud = e.offering(offeringOf(c.cloudVendor.ID, "Sovereign hospital cloud", "cloud-hosting",
		"Hosting of clinical systems in German data centres.", catalog.DeliveryRemote,
		[]string{"DE"}, []string{"de", "en"}))
	// C5 expires at the end of the test's day.
	c.c5 = e.certification(catalog.Certification{VendorID: c.cloudVendor.ID, Scheme: "bsi-c5", Level: "type-2", Number: "C5-1",
		Issuer: "Example auditor (fictional)", ValidFrom: day.AddDate(-1, 0, 0), ValidUntil: day, Status: catalog.Verified,
		OfferingIDs: []uuid.UUID{c.cloud.ID}})

	// Not public: a draft, a withdrawn offering, a pending vendor's offering.
	draft := offeringOf(nord.ID, "Draft penetration testing offer", "penetration-testing", "Not yet published.",
		catalog.DeliveryRemote, []string{"DE"}, []string{"de"})
	draft.Status = catalog.OfferingDraft
	e.offering(draft)
	gone := e.offering(offeringOf(secu.ID, "Withdrawn penetration testing", "penetration-testing", "No longer offered.",
		catalog.DeliveryRemote, []string{"FR"}, []string{"fr"}))
	if _, err := e.store.WithdrawOffering(e.ctx(), gone.ID, 0); err != nil {
		e.t.Fatal(err)
	}
	pending := e.vendor(vendorOf("Pending Pentest Oy (fictional)", "FI12345678", "FI", catalog.SizeMicro, catalog.VendorPending))
	e.offering(offeringOf(pending.ID, "Penetration testing from a pending vendor", "penetration-testing", "Awaiting admission.",
		catalog.DeliveryRemote, []string{"FI"}, []string{"fi"}))
	return c
}
