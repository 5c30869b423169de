package web

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// The interface reads and writes only through the API's operations: every
// page builds requests to the API handler (in-process, no network) carrying
// the signed-in user's key, and decodes the JSON answers into the small view
// structs of views.go. Access rules, validation messages, visibility and
// errors are therefore the API's; the interface has no path to the database.

// apiClient calls the API handler in-process on behalf of one browser request.
type apiClient struct {
	api http.Handler
	// from is the browser's request: its address and request id travel with
	// every call, so the API's rate limits and logs see the real client.
	from *http.Request
	key  string
}

// problem is an RFC 9457 problem answer of the API.
type problem struct {
	Status int            `json:"status"`
	Title  string         `json:"title"`
	Detail string         `json:"detail"`
	Errors []problemError `json:"errors"`
}

// problemError is one rejected value of a problem.
type problemError struct {
	Location string `json:"location"`
	Message  string `json:"message"`
}

// Error makes a problem an error.
func (p *problem) Error() string {
	return fmt.Sprintf("API answered %d: %s", p.Status, p.Detail)
}

// asProblem returns the problem err carries, if any.
func asProblem(err error) (*problem, bool) {
	var p *problem
	ok := errors.As(err, &p)
	return p, ok
}

// answer is what the API handler wrote.
type answer struct {
	status int
	header http.Header
	body   bytes.Buffer
}

func (a *answer) Header() http.Header         { return a.header }
func (a *answer) Write(b []byte) (int, error) { return a.body.Write(b) }
func (a *answer) WriteHeader(status int) {
	if a.status == 0 {
		a.status = status
	}
}

// forwarded are the headers of the browser's request that the API sees too.
var forwarded = []string{"X-Request-Id", "X-Forwarded-For", "User-Agent"}

// call sends method path (with body as JSON when not nil) to the API and
// decodes a 2xx answer into out (when not nil). Other answers come back as
// a *problem error.
func (c *apiClient) call(ctx context.Context, method, path string, body, out any) error {
	return c.callIf(ctx, method, path, "", body, out)
}

// callIf is call with If-Match: the ETag of version ifVersion ("" for none),
// so a write made on a stale page fails with 412 instead of overwriting.
func (c *apiClient) callIf(ctx context.Context, method, path, ifVersion string, body, out any) error {
	a, err := c.send(ctx, method, path, ifVersion, body)
	if err != nil {
		return err
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(a.body.Bytes(), out); err != nil {
		return fmt.Errorf("decode %s %s: %w", method, path, err)
	}
	return nil
}

// send makes the request to the API and returns a 2xx answer as written
// (files such as exports are not JSON); other answers come back as a
// *problem error.
func (c *apiClient) send(ctx context.Context, method, path, ifVersion string, body any) (*answer, error) {
	var rd io.Reader
	if body != nil {
		data, err := json.Marshal(body)
		if err != nil {
			return nil, err
		}
		rd = bytes.NewReader(data)
	}
	req, err := http.NewRequestWithContext(ctx, method, path, rd)
	if err != nil {
		return nil, err
	}
	req.RemoteAddr = c.from.RemoteAddr
	for _, h := range forwarded {
		if v := c.from.Header.Values(h); len(v) > 0 {
			req.Header[h] = v
		}
	}
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.key != "" {
		req.Header.Set("Authorization", "Bearer "+c.key)
	}
	if ifVersion != "" {
		req.Header.Set("If-Match", `"`+ifVersion+`"`)
	}
	a := &answer{header: http.Header{}}
	c.api.ServeHTTP(a, req)
	if a.status == 0 {
		a.status = http.StatusOK
	}
	if a.status >= 300 {
		p := &problem{Status: a.status}
		if err := json.Unmarshal(a.body.Bytes(), p); err != nil || p.Status == 0 {
			p.Status, p.Title = a.status, http.StatusText(a.status)
		}
		return nil, p
	}
	return a, nil
}

// get is call with GET and a query.
func (c *apiClient) get(ctx context.Context, path string, q url.Values, out any) error {
	if len(q) > 0 {
		path += "?" + q.Encode()
	}
	return c.call(ctx, http.MethodGet, path, nil, out)
}

// pathEscape escapes one path segment taken from the browser.
func pathEscape(s string) string {
	return url.PathEscape(strings.TrimSpace(s))
}
