package openapi_test

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cybermarket/cybermarket/catalog"
	"github.com/cybermarket/cybermarket/catalog/catalogtest"
	"github.com/cybermarket/cybermarket/compliance"
	"github.com/cybermarket/cybermarket/compliance/refstore"
	"github.com/cybermarket/cybermarket/openapi"
	"github.com/cybermarket/cybermarket/webhook"
)

// receiver is a webhook receiver that verifies every message and answers
// with status.
type receiver struct {
	t      *testing.T
	srv    *httptest.Server
	secret webhook.Secret
	status atomic.Int64
	conns  atomic.Int64
	mu     sync.Mutex
	ids    []string
	pages  []changePage
	events []webhookEvent
}

// webhookEvent is an event as a receiver reads it.
type webhookEvent struct {
	Position int64          `json:"position"`
	Type     string         `json:"type"`
	Subject  string         `json:"subject"`
	Data     map[string]any `json:"data"`
}

func newReceiver(t *testing.T) *receiver {
	r := &receiver{t: t}
	r.status.Store(http.StatusOK)
	r.srv = httptest.NewUnstartedServer(http.HandlerFunc(r.serve))
	r.srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			r.conns.Add(1)
		}
	}
	r.srv.Start()
	t.Cleanup(r.srv.Close)
	return r
}

func (r *receiver) serve(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	r.mu.Lock()
	defer r.mu.Unlock()
	id := req.Header.Get("webhook-id")
	if err := r.secret.Verify(id, req.Header.Get("webhook-timestamp"), req.Header.Get("webhook-signature"), body, time.Now()); err != nil {
		r.t.Errorf("message %s: %v", id, err)
	}
	r.ids = append(r.ids, id)
	status := int(r.status.Load())
	if status == http.StatusOK {
		var p changePage
		var m struct{ Events []webhookEvent }
		if err := json.Unmarshal(body, &p); err != nil {
			r.t.Errorf("message %s: %v", id, err)
		}
		if err := json.Unmarshal(body, &m); err != nil {
			r.t.Errorf("message %s: %v", id, err)
		}
		r.pages, r.events = append(r.pages, p), append(r.events, m.Events...)
	}
	w.WriteHeader(status)
}

// webhookClient is newClient on a server that accepts http webhook URLs.
func webhookClient(t *testing.T) *client {
	t.Helper()
	store, _ := catalogtest.NewStore(t)
	live, err := compliance.OpenLive(context.Background(), refstore.New(store.Pool()))
	if err != nil {
		t.Fatal(err)
	}
	c := &client{t: t, store: store, h: openapi.New(openapi.Deps{Catalog: store, Compliance: live, Limits: noLimits, Webhooks: openapi.WebhookOptions{AllowHTTP: true}})}
	c.token = c.key(catalog.RoleAdmin, "")
	return c
}

type hook struct {
	ID         string `json:"id"`
	Secret     string `json:"secret"`
	Failures   int    `json:"failures"`
	DisabledAt string `json:"disabled_at"`
}

func TestAPI_WebhooksDeliverTheFeedAtLeastOnce(t *testing.T) {
	t.Parallel()
	c := webhookClient(t)
	rcv := newReceiver(t)
	var h hook
	c.do(http.MethodPost, "/v1/webhooks", obj{"url": rcv.srv.URL + "/hook", "after": 0}).want(http.StatusCreated).decode(&h)
	secret, err := webhook.ParseSecret(h.Secret)
	if err != nil {
		t.Fatal(err)
	}
	rcv.secret = secret
	w := webhook.NewWorker(webhook.WorkerConfig{Store: c.store, Render: openapi.RenderMessage, BatchSize: 3,
		Sender: webhook.Sender{Client: webhook.Dialer{Allow: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}}.Client(5 * time.Second)},
		// One second, capped: long enough that "not due yet" holds on a
		// loaded machine, short enough for three failures in a row.
		Backoff: time.Second, MaxBackoff: time.Second, MaxFailures: 3})
	step := func(want bool) {
		t.Helper()
		if did, err := w.Step(context.Background()); err != nil || did != want {
			t.Fatalf("step: %v, %v; want %v", did, err, want)
		}
	}
	v := c.createVendor("DE811907980").ID
	c.createOffering(v, validOffering())

	// A 500 is retried after the backoff, as the same message.
	rcv.status.Store(http.StatusInternalServerError)
	step(true)
	step(false) // not due yet
	time.Sleep(1100 * time.Millisecond)
	rcv.status.Store(http.StatusOK)
	step(true)
	if len(rcv.ids) != 2 || rcv.ids[0] != rcv.ids[1] {
		t.Errorf("messages %v: want one, delivered twice", rcv.ids)
	}
	var log struct {
		Items []struct {
			Status int    `json:"status"`
			Error  string `json:"error"`
		} `json:"items"`
	}
	c.do(http.MethodGet, "/v1/webhooks/"+h.ID+"/deliveries", nil).want(http.StatusOK).decode(&log)
	if len(log.Items) != 2 || log.Items[0].Status != 200 || log.Items[1].Status != 500 || log.Items[1].Error == "" {
		t.Errorf("delivery log %+v", log.Items)
	}

	// Repeated failures disable the webhook; enabling it replays.
	rcv.status.Store(http.StatusServiceUnavailable)
	c.do(http.MethodPost, "/v1/vendors/"+v+"/offerings", validOffering()).want(http.StatusCreated)
	for range 3 {
		time.Sleep(1100 * time.Millisecond) // backoff 1 s each (capped)
		if _, err := w.Step(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	var hooks struct{ Items []hook }
	c.do(http.MethodGet, "/v1/webhooks", nil).want(http.StatusOK).decode(&hooks)
	if len(hooks.Items) != 1 || hooks.Items[0].DisabledAt == "" || hooks.Items[0].Failures != 3 {
		t.Fatalf("after three failures: %+v", hooks.Items)
	}
	step(false)
	rcv.status.Store(http.StatusOK)
	c.do(http.MethodPost, "/v1/webhooks/"+h.ID+"/enable", nil).want(http.StatusOK)
	for {
		did, err := w.Step(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if !did {
			break
		}
	}
	// What the receiver accepted is the public catalogue.
	f := newFollower()
	for _, p := range rcv.pages {
		f.apply(t, p)
	}
	sameCatalogue(t, "webhook receiver", f.objects, publicCatalogue(t, c.anonymous()))

	// Another key does not see it.
	other := c.as(c.key(catalog.RoleAnalyst, ""))
	other.do(http.MethodDelete, "/v1/webhooks/"+h.ID, nil).want(http.StatusNotFound)
	other.do(http.MethodGet, "/v1/webhooks/"+h.ID+"/deliveries", nil).want(http.StatusNotFound)
	c.do(http.MethodDelete, "/v1/webhooks/"+h.ID, nil).want(http.StatusNoContent)
}

// Without the allow-list a loopback receiver is never dialled; the
// delivery log says why.
func TestAPI_WebhooksNeverDialPrivateAddresses(t *testing.T) {
	t.Parallel()
	c := webhookClient(t)
	rcv := newReceiver(t)
	var h hook
	c.do(http.MethodPost, "/v1/webhooks", obj{"url": rcv.srv.URL, "after": 0}).want(http.StatusCreated).decode(&h)
	c.createVendor("DE811907980")
	w := webhook.NewWorker(webhook.WorkerConfig{Store: c.store, Render: openapi.RenderMessage,
		Sender: webhook.Sender{Client: webhook.Dialer{}.Client(5 * time.Second)}})
	if did, err := w.Step(context.Background()); !did || err != nil {
		t.Fatalf("step: %v %v", did, err)
	}
	if n := rcv.conns.Load(); n != 0 {
		t.Errorf("the loopback receiver saw %d connections", n)
	}
	body := c.do(http.MethodGet, "/v1/webhooks/"+h.ID+"/deliveries", nil).want(http.StatusOK).Body.String()
	if !strings.Contains(body, "not a public address") {
		t.Errorf("delivery log %s", body)
	}
}

func TestAPI_WebhookURLs(t *testing.T) {
	t.Parallel()
	c := newClient(t) // https only
	for _, bad := range []string{"ftp://hooks.example.org/", "http://hooks.example.org/", "https://10.0.0.1/hook",
		"https://[::1]/hook", "https://user:pw@hooks.example.org/", "hooks.example.org"} {
		if p := c.do(http.MethodPost, "/v1/webhooks", obj{"url": bad}).problem(http.StatusUnprocessableEntity); !p.names("body.url") {
			t.Errorf("%s: %v", bad, p.locations())
		}
	}
	c.do(http.MethodPost, "/v1/webhooks", obj{"url": "https://hooks.example.org/cybermarket"}).want(http.StatusCreated)
	c.anonymous().do(http.MethodPost, "/v1/webhooks", obj{"url": "https://hooks.example.org/cybermarket"}).problem(http.StatusUnauthorized)
}
