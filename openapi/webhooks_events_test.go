package openapi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/netip"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/cybermarket/cybermarket/catalog"
	"github.com/cybermarket/cybermarket/openapi"
	"github.com/cybermarket/cybermarket/webhook"
)

// subscribe creates a webhook of as's key to a new receiver that verifies
// every signature, and returns the receiver.
func subscribe(t *testing.T, as *client) *receiver {
	t.Helper()
	rcv := newReceiver(t)
	var h hook
	as.do(http.MethodPost, "/v1/webhooks", obj{"url": rcv.srv.URL + "/hook"}).want(http.StatusCreated).decode(&h)
	secret, err := webhook.ParseSecret(h.Secret)
	if err != nil {
		t.Fatal(err)
	}
	rcv.secret = secret
	return rcv
}

// deliverAll runs w until no webhook is due.
func deliverAll(t *testing.T, w *webhook.Worker) {
	t.Helper()
	for range 200 {
		did, err := w.Step(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if !did {
			return
		}
	}
	t.Fatal("webhooks still due after 200 steps")
}

// eventsOf returns the events rcv accepted, each once (deliveries are at
// least once), in order.
func eventsOf(rcv *receiver) []webhookEvent {
	rcv.mu.Lock()
	defer rcv.mu.Unlock()
	var out []webhookEvent
	seen := map[int64]bool{}
	for _, e := range rcv.events {
		if !seen[e.Position] {
			seen[e.Position] = true
			out = append(out, e)
		}
	}
	return out
}

// TestAPI_WebhooksDeliverVendorAndBuyerEvents: a vendor's webhook gets its
// certificate's expiry warnings (30 then 7 days, once each whatever the
// reruns), its expiry, the verification decision and the eligibility
// change a new reference data version brings; a buyer's webhook gets the
// changes of the offering on its shortlist; a key of neither gets none.
// Every message's signature verifies (the receiver checks), and a message
// answered with 500 comes again under the same id.
func TestAPI_WebhooksDeliverVendorAndBuyerEvents(t *testing.T) {
	t.Parallel()
	c := webhookClient(t)
	ctx := catalog.WithActor(context.Background(), catalog.Actor{ID: "test", Role: "system"})
	today := time.Now().UTC().Truncate(24 * time.Hour)
	v := c.createVendor("DE811907980").ID
	o := c.createOffering(v, validOffering()).ID
	var cert created
	c.do(http.MethodPost, "/v1/vendors/"+v+"/certifications",
		with(validCertification(o), "valid_until", today.AddDate(0, 0, 20).Format(time.DateOnly))).want(http.StatusCreated).decode(&cert)
	_, buyer := c.admittedBuyer("DE811907980", "DE")
	var p projectView
	buyer.do(http.MethodPost, "/v1/projects", validProject()).want(http.StatusCreated).decode(&p)
	buyer.do(http.MethodPut, "/v1/projects/"+p.ID+"/shortlist/"+o, obj{"decision": "included"}).want(http.StatusOK)
	recorded := func(version string, want bool) {
		t.Helper()
		if got, err := c.store.EligibilityRecorded(ctx, version); err != nil || got != want {
			t.Errorf("eligibility recorded under %s: %v, %v; want %v", version, got, err, want)
		}
	}
	recorded("v1", false) // nothing recorded yet: a start must compare
	if _, err := c.store.RecordEligibility(ctx, "v1", func(catalog.IndexEntry) (json.RawMessage, error) {
		return json.RawMessage(`{"public": ["DE"]}`), nil
	}); err != nil {
		t.Fatal(err)
	}
	recorded("v1", true) // a restart under v1 skips the pass
	recorded("v2", false)

	vendorRcv := subscribe(t, c.as(c.key(catalog.RoleVendor, v)))
	buyerRcv := subscribe(t, buyer)
	otherRcv := subscribe(t, c.as(c.key(catalog.RoleVendor, c.createVendor("FR40303265045").ID)))
	w := webhook.NewWorker(webhook.WorkerConfig{Store: c.store, Render: openapi.RenderMessage,
		Sender:  webhook.Sender{Client: webhook.Dialer{Allow: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}}.Client(5 * time.Second)},
		Backoff: 50 * time.Millisecond})

	c.do(http.MethodPost, "/v1/certifications/"+cert.ID+"/verify", nil).want(http.StatusOK)
	notices(t, c.store, today, catalog.NoticeReport{Warnings: 1})
	notices(t, c.store, today, catalog.NoticeReport{}) // a rerun (a restart) sends nothing again
	// The vendor's receiver fails once: the message comes again, same id.
	vendorRcv.status.Store(http.StatusInternalServerError)
	deliverAll(t, w)
	vendorRcv.status.Store(http.StatusOK)
	time.Sleep(100 * time.Millisecond)
	deliverAll(t, w)
	if ids := vendorRcv.ids; len(ids) < 2 || len(slices.Compact(slices.Clone(ids))) != 1 {
		t.Errorf("vendor messages %v: want one message, delivered again after the 500", ids)
	}
	notices(t, c.store, today.AddDate(0, 0, 13), catalog.NoticeReport{Warnings: 1})
	notices(t, c.store, today.AddDate(0, 0, 21), catalog.NoticeReport{Expired: 1})
	notices(t, c.store, today.AddDate(0, 0, 21), catalog.NoticeReport{})
	if _, err := c.store.UpdateOffering(ctx, uuid.MustParse(o), 0, func(x *catalog.Offering) error { x.Name = "Renamed"; return nil }); err != nil {
		t.Fatal(err)
	}
	changed, err := c.store.RecordEligibility(ctx, "v2", func(catalog.IndexEntry) (json.RawMessage, error) {
		return json.RawMessage(`{"public": []}`), nil
	})
	if err != nil || changed != 1 {
		t.Fatalf("eligibility under v2: %d changed, %v; want 1", changed, err)
	}
	recorded("v2", true)
	recorded("v1", false)
	deliverAll(t, w)

	got := eventsOf(vendorRcv)
	want := []string{"certificate.verification verified", "certificate.expiring 30", "certificate.expiring 7",
		"certificate.expired " + cert.ID, "offering.eligibility v2"}
	if s := summary(got); !slices.Equal(s, want) {
		t.Errorf("vendor events %q, want %q", s, want)
	}
	var causes []string
	for _, e := range eventsOf(buyerRcv) {
		if e.Type != "shortlist.offering" || e.Subject != o || fmt.Sprint(e.Data["project_ids"]) != "["+p.ID+"]" {
			t.Errorf("buyer event %+v", e)
		}
		causes = append(causes, e.Data["cause"].(string))
	}
	for _, want := range []string{"certification verify", "certification expire", "offering update", "reference v2"} {
		if !slices.Contains(causes, want) {
			t.Errorf("buyer events' causes %q lack %q", causes, want)
		}
	}
	if e := eventsOf(otherRcv); len(e) != 0 {
		t.Errorf("another vendor's webhook got %+v", e)
	}
}

// notices runs the certificate job for day and checks what it did.
func notices(t *testing.T, store *catalog.Store, day time.Time, want catalog.NoticeReport) {
	t.Helper()
	if got, err := store.RunCertificateNotices(context.Background(), day); err != nil || got != want {
		t.Fatalf("certificate notices on %s: %+v, %v; want %+v", day.Format(time.DateOnly), got, err, want)
	}
}

// summary names each event by its type and its telling fact.
func summary(events []webhookEvent) []string {
	var out []string
	for _, e := range events {
		fact := e.Data["status"]
		switch e.Type {
		case "certificate.expiring":
			fact = e.Data["threshold_days"]
		case "certificate.expired":
			fact = e.Data["certification_id"]
		case "offering.eligibility":
			fact = e.Data["reference_version"]
		}
		out = append(out, fmt.Sprintf("%s %v", e.Type, fact))
	}
	return out
}
