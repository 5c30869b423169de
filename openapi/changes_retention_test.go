package openapi_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/cybermarket/cybermarket/catalog"
)

// TestAPI_ChangesAfterRetention: once the log is pruned, a reader resuming
// before a pruned removal gets 410 naming after and telling it to start
// from 0; a reader starting at 0 follows the Link through the pruned part
// and ends holding the public catalogue; a webhook cannot start behind.
func TestAPI_ChangesAfterRetention(t *testing.T) {
	t.Parallel()
	c := webhookClient(t)
	ctx := catalog.WithActor(context.Background(), catalog.Actor{ID: "test", Role: "system"})
	v := c.createVendor("DE811907980").ID
	o := c.createOffering(v, validOffering()).ID
	c.do(http.MethodPost, "/v1/vendors/"+v+"/certifications", validCertification(o)).want(http.StatusCreated)
	c.createOffering(v, with(validOffering(), "name", "Second"))
	gone := c.createVendor("FR40303265045").ID
	c.createOffering(gone, validOffering())
	if err := c.store.DeleteVendor(ctx, uuid.MustParse(gone), 0); err != nil {
		t.Fatal(err)
	}
	removal, err := c.store.HeadPosition(ctx)
	if err != nil {
		t.Fatal(err)
	}
	c.createVendor("NL123456782B01")
	if _, err := c.store.Pool().Exec(ctx, `UPDATE change_log SET at = at - interval '100 days' WHERE position <= $1`, removal); err != nil {
		t.Fatal(err)
	}
	if r, err := c.store.PruneChanges(ctx, time.Now().Add(-90*24*time.Hour)); err != nil || r.Through != removal || r.Changes == 0 {
		t.Fatalf("prune: %+v, %v", r, err)
	}

	p := c.anonymous().do(http.MethodGet, "/v1/changes?after=1", nil).problem(http.StatusGone)
	if !p.names("query.after") || !strings.Contains(p.Detail, "after=0") {
		t.Errorf("410 problem %+v", p)
	}
	c.do(http.MethodPost, "/v1/webhooks", obj{"url": "http://127.0.0.1:9/hook", "after": 1}).problem(http.StatusGone)

	// From 0 by the Link, two changes a page: through the pruned part.
	held := map[string]map[string]string{"vendor": {}, "offering": {}, "certification": {}}
	link, pages := "/v1/changes?after=0&limit=2", 0
	for ; pages < 100; pages++ {
		r := c.anonymous().do(http.MethodGet, link, nil).want(http.StatusOK)
		var page changePage
		r.decode(&page)
		if len(page.Changes) == 0 {
			break
		}
		for _, ch := range page.Changes {
			raw := map[string]json.RawMessage{"vendor": ch.Vendor, "offering": ch.Offering, "certification": ch.Certification}[ch.Kind]
			if ch.Op == "upsert" {
				held[ch.Kind][ch.ID] = canonical(t, raw)
			} else {
				delete(held[ch.Kind], ch.ID)
			}
		}
		m := nextLinkPattern.FindStringSubmatch(r.Header().Get("Link"))
		if m == nil {
			t.Fatalf("Link %q", r.Header().Get("Link"))
		}
		link = m[1]
	}
	sameCatalogue(t, "reader from 0 after pruning", held, publicCatalogue(t, c.anonymous()))
}
