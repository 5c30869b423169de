package webhook

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"
)

// Sender delivers messages at least once: it retries with exponential
// backoff until the receiver answers 2xx.
type Sender struct {
	// Client sends the requests; use Dialer.Client.
	Client *http.Client
	// Attempts is how many times a message is tried; 8 when zero.
	Attempts int
	// Backoff is the wait before the second attempt, doubled before each
	// further one up to MaxBackoff; 1s and 1h when zero.
	Backoff, MaxBackoff time.Duration
	// Now is the clock of the timestamps; time.Now when nil.
	Now func() time.Time
}

// Attempt is one delivery attempt, as a delivery log records it.
type Attempt struct {
	At       time.Time
	Status   int    // the receiver's HTTP status; 0 when none came
	Error    string // why the attempt failed; "" on success
	Duration time.Duration
}

// Send posts body (JSON) to url as message id, signed with secret, until
// the receiver answers 2xx or the attempts run out, and returns the
// attempts made. Every attempt carries the same webhook-id (receivers
// deduplicate on it) and a fresh timestamp and signature. It returns an
// error when no attempt succeeded or ctx ended.
func (s Sender) Send(ctx context.Context, url string, secret Secret, id string, body []byte) ([]Attempt, error) {
	attempts, wait := s.Attempts, s.Backoff
	if attempts <= 0 {
		attempts = 8
	}
	if wait <= 0 {
		wait = time.Second
	}
	maxWait := s.MaxBackoff
	if maxWait <= 0 {
		maxWait = time.Hour
	}
	var log []Attempt
	for i := range attempts {
		if i > 0 {
			t := time.NewTimer(wait)
			select {
			case <-ctx.Done():
				t.Stop()
				return log, ctx.Err()
			case <-t.C:
			}
			wait = min(2*wait, maxWait)
		}
		a := s.attempt(ctx, url, secret, id, body)
		log = append(log, a)
		if a.Error == "" {
			return log, nil
		}
	}
	return log, fmt.Errorf("webhook: %d attempts failed, the last: %s", len(log), log[len(log)-1].Error)
}

// attempt makes one request.
func (s Sender) attempt(ctx context.Context, url string, secret Secret, id string, body []byte) Attempt {
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	a := Attempt{At: now()}
	start := time.Now()
	defer func() { a.Duration = time.Since(start) }()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		a.Error = err.Error()
		return a
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "cybermarket-webhooks")
	req.Header.Set("webhook-id", id)
	req.Header.Set("webhook-timestamp", strconv.FormatInt(a.At.Unix(), 10))
	req.Header.Set("webhook-signature", secret.Sign(id, a.At, body))
	resp, err := s.Client.Do(req)
	if err != nil {
		a.Error = err.Error()
		return a
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	a.Status = resp.StatusCode
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		a.Error = "the receiver answered " + resp.Status
	}
	return a
}
