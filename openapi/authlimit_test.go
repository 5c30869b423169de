package openapi_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/cybermarket/cybermarket/catalog"
	"github.com/cybermarket/cybermarket/openapi"
)

// TestAPI_FailedKeysCannotLockOutValidKeys: failures are counted per key id
// where one is given and per address only for malformed keys, so a valid
// key is served whatever others sent from its address or with its id.
func TestAPI_FailedKeysCannotLockOutValidKeys(t *testing.T) {
	t.Parallel()
	c := newClientWith(t, openapi.Limits{AuthFailure: openapi.Rate{Per: time.Hour, Burst: 3},
		Address: openapi.Unlimited, Key: openapi.Unlimited, Registration: openapi.Unlimited})
	valid := c.key(catalog.RoleAnalyst, "")
	// The same secret length and alphabet as a real key, under another id or the valid key's id.
	wrongSecret := valid[:len(valid)-4] + "AAAA"
	if wrongSecret == valid {
		wrongSecret = valid[:len(valid)-4] + "BBBB"
	}
	unknownID := "cm_" + strings.Repeat("c", 32) + valid[len(valid)-44:]
	for _, bad := range []string{"not-a-key", unknownID, wrongSecret} {
		for range 10 {
			r := c.as(bad).do(http.MethodGet, "/v1/vendors", nil)
			if r.Code != http.StatusUnauthorized && r.Code != http.StatusTooManyRequests {
				t.Fatalf("bad key %q: %d", bad, r.Code)
			}
		}
		r := c.as(bad).do(http.MethodGet, "/v1/vendors", nil)
		r.problem(http.StatusTooManyRequests)
		c.as(valid).do(http.MethodGet, "/v1/vendors", nil).want(http.StatusOK)
	}
}
