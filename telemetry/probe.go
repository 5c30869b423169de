package telemetry

import (
	"context"
	"fmt"
	"net/http"
	"time"
)

// Probe asks url (an operator's, never a client's: the health endpoint of
// the server in the same container) and returns nil when it answers 2xx
// within timeout. It is the health check of images that have no shell or
// curl.
func Probe(ctx context.Context, url string, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	res.Body.Close()
	if res.StatusCode < 200 || res.StatusCode > 299 {
		return fmt.Errorf("%s answered %s", url, res.Status)
	}
	return nil
}
