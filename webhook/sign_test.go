package webhook_test

import (
	"errors"
	"testing"
	"time"

	"github.com/cybermarket/cybermarket/webhook"
)

// The Standard Webhooks specification's published test vector.
func TestSecret_SignMatchesTheSpecification(t *testing.T) {
	s, err := webhook.ParseSecret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
	if err != nil {
		t.Fatal(err)
	}
	got := s.Sign("msg_p5jXN8AQM9LWM0D4loKWxJek", time.Unix(1614265330, 0), []byte(`{"test": 2432232314}`))
	if want := "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="; got != want {
		t.Errorf("signature %s, want %s", got, want)
	}
}

func TestSecret_Verify(t *testing.T) {
	s := webhook.NewSecret()
	parsed, err := webhook.ParseSecret(s.String())
	if err != nil || string(parsed) != string(s) {
		t.Fatalf("round trip of %s: %v", s, err)
	}
	at := time.Unix(1_800_000_000, 0)
	body := []byte(`{"changes":[]}`)
	sig := s.Sign("msg_1", at, body)
	ts := "1800000000"
	for _, c := range []struct {
		name         string
		id, ts, sigs string
		body         []byte
		now          time.Time
		ok           bool
	}{
		{"as signed", "msg_1", ts, sig, body, at, true},
		{"among several signatures", "msg_1", ts, "v1,bm90IGl0 " + sig, body, at.Add(time.Minute), true},
		{"another body", "msg_1", ts, sig, []byte(`{"changes":[1]}`), at, false},
		{"another id", "msg_2", ts, sig, body, at, false},
		{"replayed late", "msg_1", ts, sig, body, at.Add(webhook.Tolerance + time.Second), false},
		{"from the future", "msg_1", ts, sig, body, at.Add(-webhook.Tolerance - time.Second), false},
		{"bad timestamp", "msg_1", "soon", sig, body, at, false},
		{"another secret", "msg_1", ts, webhook.NewSecret().Sign("msg_1", at, body), body, at, false},
	} {
		err := s.Verify(c.id, c.ts, c.sigs, c.body, c.now)
		if ok := err == nil; ok != c.ok || (!ok && !errors.Is(err, webhook.ErrSignature)) {
			t.Errorf("%s: %v", c.name, err)
		}
	}
	for _, bad := range []string{"whsec_", "whsec_c2hvcnQ=", "whsec_!!!"} {
		if _, err := webhook.ParseSecret(bad); err == nil {
			t.Errorf("ParseSecret(%q) accepted", bad)
		}
	}
}
