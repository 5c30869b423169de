package openapi_test

import (
	"net/http"
	"strings"
	"testing"
)

// TestAPI_BuyerKeysAndSuspension walks a buyer organisation through minting
// keys for itself, being suspended (every key stops, the projects stay) and
// admitted again.
func TestAPI_BuyerKeysAndSuspension(t *testing.T) {
	t.Parallel()
	c := newClient(t)
	aID, a := c.admittedBuyer("DE811907980", "DE")
	bID, b := c.admittedBuyer("DE129273398", "DE")
	pendingID, pendingToken := c.registerBuyer("FR40303265045", "FR")
	type key struct {
		ID, Role, Token string
		BuyerID         string `json:"buyer_id"`
	}

	var second key
	t.Run("a buyer mints a key for its own organisation", func(t *testing.T) {
		a.do(http.MethodPost, "/v1/keys", obj{"name": "Colleague", "role": "buyer"}).want(http.StatusCreated).decode(&second)
		if second.Role != "buyer" || second.BuyerID != aID || second.Token == "" {
			t.Fatalf("new key %+v", second)
		}
		c.as(second.Token).do(http.MethodPost, "/v1/projects", validProject()).want(http.StatusCreated)
	})
	t.Run("and no other", func(t *testing.T) {
		a.do(http.MethodPost, "/v1/keys", obj{"name": "x", "role": "vendor"}).problem(http.StatusForbidden)
		a.do(http.MethodPost, "/v1/keys", obj{"name": "x", "role": "admin"}).problem(http.StatusForbidden)
		a.do(http.MethodPost, "/v1/keys", obj{"name": "x", "role": "buyer", "buyer_id": bID}).problem(http.StatusForbidden)
		c.as(pendingToken).do(http.MethodPost, "/v1/keys", obj{"name": "x", "role": "buyer"}).problem(http.StatusForbidden)
		_ = pendingID
	})
	t.Run("sees and revokes its own keys only", func(t *testing.T) {
		var list struct{ Items []key }
		a.do(http.MethodGet, "/v1/keys", nil).want(http.StatusOK).decode(&list)
		if len(list.Items) != 2 {
			t.Errorf("A lists %d keys, want its 2", len(list.Items))
		}
		for _, k := range list.Items {
			if k.BuyerID != aID {
				t.Errorf("A lists %+v", k)
			}
		}
		b.do(http.MethodGet, "/v1/keys/"+second.ID, nil).problem(http.StatusNotFound)
		b.do(http.MethodPost, "/v1/keys/"+second.ID+"/revoke", nil).problem(http.StatusNotFound)
		b.do(http.MethodGet, "/v1/keys?buyer_id="+aID, nil).want(http.StatusOK).decode(&list)
		for _, k := range list.Items {
			if k.BuyerID != bID {
				t.Errorf("B lists A's key %+v", k)
			}
		}
	})

	var project struct{ ID string }
	a.do(http.MethodPost, "/v1/projects", validProject()).want(http.StatusCreated).decode(&project)
	t.Run("suspended: every key of the buyer stops, its projects stay", func(t *testing.T) {
		b.do(http.MethodPost, "/v1/buyers/"+aID+"/suspend", nil).problem(http.StatusForbidden)
		c.do(http.MethodPost, "/v1/buyers/"+aID+"/suspend", nil).want(http.StatusOK)
		for _, k := range []*client{a, c.as(second.Token)} {
			p := k.do(http.MethodGet, "/v1/keys/current", nil).problem(http.StatusUnauthorized)
			if !strings.Contains(p.Detail, "suspended") {
				t.Errorf("detail %q does not say suspended", p.Detail)
			}
		}
		c.do(http.MethodGet, "/v1/projects/"+project.ID, nil).want(http.StatusOK)
		b.do(http.MethodGet, "/v1/keys/current", nil).want(http.StatusOK) // another buyer's keys work
	})
	t.Run("admitted again: the keys work again", func(t *testing.T) {
		c.do(http.MethodPost, "/v1/buyers/"+aID+"/approve", nil).want(http.StatusOK)
		a.do(http.MethodGet, "/v1/projects/"+project.ID, nil).want(http.StatusOK)
	})
}
