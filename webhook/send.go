package webhook

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strconv"
	"time"
)

// Sender makes delivery attempts. Retries are the caller's: a Worker
// schedules them in the database (see Backoff), so they survive restarts.
type Sender struct {
	// Client sends the requests; use Dialer.Client.
	Client *http.Client
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

// Attempt posts body (JSON) to url once as message id, signed with secret
// and stamped with the current time. The receiver's 2xx answer is a
// success; anything else, a redirect included, is a failure.
func (s Sender) Attempt(ctx context.Context, url string, secret Secret, id string, body []byte) Attempt {
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

// Backoff is the wait after the failures-th failure in a row: base, doubled
// after each further failure, at most limit.
func Backoff(failures int, base, limit time.Duration) time.Duration {
	d := base
	for i := 1; i < failures && d < limit; i++ {
		d *= 2
	}
	return min(d, limit)
}
