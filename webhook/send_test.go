package webhook_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"sync"
	"testing"
	"time"

	"github.com/cybermarket/cybermarket/webhook"
)

// A receiver that answers 500 twice, then 200, gets three deliveries of one
// message, each with the same id and a signature that verifies.
func TestSender_RetriesUntilTheReceiverAccepts(t *testing.T) {
	secret := webhook.NewSecret()
	body := []byte(`{"changes":[{"position":1}]}`)
	var mu sync.Mutex
	var ids []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got, _ := io.ReadAll(r.Body)
		mu.Lock()
		defer mu.Unlock()
		if err := secret.Verify(r.Header.Get("webhook-id"), r.Header.Get("webhook-timestamp"), r.Header.Get("webhook-signature"), got, time.Now()); err != nil {
			t.Errorf("delivery %d: %v", len(ids)+1, err)
		}
		ids = append(ids, r.Header.Get("webhook-id"))
		if len(ids) < 3 {
			w.WriteHeader(http.StatusInternalServerError)
		}
	}))
	defer srv.Close()
	s := webhook.Sender{
		Client:  webhook.Dialer{Allow: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}}.Client(5 * time.Second),
		Backoff: 20 * time.Millisecond,
	}
	begin := time.Now()
	log, err := s.Send(context.Background(), srv.URL, secret, "msg_1", body)
	if err != nil || len(log) != 3 || log[0].Status != 500 || log[2].Status != 200 || log[2].Error != "" {
		t.Fatalf("send: %v, attempts %+v", err, log)
	}
	if d := time.Since(begin); d < 60*time.Millisecond {
		t.Errorf("three attempts in %v: no backoff (20ms, then 40ms)", d)
	}
	if len(ids) != 3 || ids[0] != "msg_1" || ids[1] != "msg_1" || ids[2] != "msg_1" {
		t.Errorf("ids %v", ids)
	}
}

// Redirects are not followed, and a receiver that never accepts exhausts
// the attempts.
func TestSender_GivesUp(t *testing.T) {
	var hits int
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits++
		http.Redirect(w, r, "http://169.254.169.254/latest/meta-data/", http.StatusFound)
	}))
	defer srv.Close()
	s := webhook.Sender{
		Client:   webhook.Dialer{Allow: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}}.Client(5 * time.Second),
		Attempts: 3, Backoff: time.Millisecond,
	}
	log, err := s.Send(context.Background(), srv.URL, webhook.NewSecret(), "msg_2", []byte(`{}`))
	if err == nil || len(log) != 3 || hits != 3 || log[2].Status != http.StatusFound {
		t.Errorf("send: %v, %d hits, attempts %+v", err, hits, log)
	}
}
