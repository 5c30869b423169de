package webhook_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"testing"
	"time"

	"github.com/cybermarket/cybermarket/webhook"
)

var loopback = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}

// An attempt is signed so that the receiver verifies it, and only 2xx
// counts as delivered.
func TestSender_Attempt(t *testing.T) {
	secret := webhook.NewSecret()
	body := []byte(`{"changes":[{"position":1}]}`)
	status := http.StatusInternalServerError
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got, _ := io.ReadAll(r.Body)
		if err := secret.Verify(r.Header.Get("webhook-id"), r.Header.Get("webhook-timestamp"), r.Header.Get("webhook-signature"), got, time.Now()); err != nil || r.Header.Get("webhook-id") != "msg_1" {
			t.Errorf("delivery: %v", err)
		}
		w.WriteHeader(status)
	}))
	defer srv.Close()
	s := webhook.Sender{Client: webhook.Dialer{Allow: loopback}.Client(5 * time.Second)}
	if a := s.Attempt(context.Background(), srv.URL, secret, "msg_1", body); a.Status != 500 || a.Error == "" {
		t.Errorf("a 500 answer: %+v", a)
	}
	status = http.StatusNoContent
	if a := s.Attempt(context.Background(), srv.URL, secret, "msg_1", body); a.Status != 204 || a.Error != "" {
		t.Errorf("a 204 answer: %+v", a)
	}
}

// Redirects are not followed: one could lead anywhere.
func TestSender_DoesNotFollowRedirects(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://169.254.169.254/latest/meta-data/", http.StatusFound)
	}))
	defer srv.Close()
	s := webhook.Sender{Client: webhook.Dialer{Allow: loopback}.Client(5 * time.Second)}
	if a := s.Attempt(context.Background(), srv.URL, webhook.NewSecret(), "msg_2", []byte(`{}`)); a.Status != http.StatusFound || a.Error == "" {
		t.Errorf("a redirect: %+v", a)
	}
}

func TestBackoff(t *testing.T) {
	for failures, want := range map[int]time.Duration{1: time.Second, 2: 2 * time.Second, 5: 16 * time.Second, 12: 2048 * time.Second, 13: time.Hour, 100: time.Hour} {
		if got := webhook.Backoff(failures, time.Second, time.Hour); got != want {
			t.Errorf("Backoff(%d) = %v, want %v", failures, got, want)
		}
	}
}
