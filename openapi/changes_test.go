package openapi_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"
)

// follower applies the change feed to a copy of the public catalogue.
type follower struct {
	after   int64
	objects map[string]map[string]string // kind -> id -> canonical JSON
	pages   int
}

func newFollower() *follower {
	return &follower{objects: map[string]map[string]string{"vendor": {}, "offering": {}, "certification": {}}}
}

type changePage struct {
	Changes []struct {
		Position      int64           `json:"position"`
		Kind          string          `json:"kind"`
		ID            string          `json:"id"`
		Op            string          `json:"op"`
		Vendor        json.RawMessage `json:"vendor"`
		Offering      json.RawMessage `json:"offering"`
		Certification json.RawMessage `json:"certification"`
	} `json:"changes"`
	NextAfter int64 `json:"next_after"`
}

var nextLinkPattern = regexp.MustCompile(`^<(/v1/changes\?[^>]+)>; rel="next"$`)

// step reads one page of at most limit changes by the Link of the previous
// page, applies it and reports whether it held any.
func (f *follower) step(t *testing.T, c *client, limit int) bool {
	t.Helper()
	path := fmt.Sprintf("/v1/changes?after=%d&limit=%d", f.after, limit)
	r := c.do(http.MethodGet, path, nil).want(http.StatusOK)
	var p changePage
	r.decode(&p)
	m := nextLinkPattern.FindStringSubmatch(r.Header().Get("Link"))
	if m == nil || m[1] != fmt.Sprintf("/v1/changes?after=%d&limit=%d", p.NextAfter, limit) {
		t.Fatalf("Link %q for next_after %d", r.Header().Get("Link"), p.NextAfter)
	}
	f.apply(t, p)
	if p.NextAfter != f.after {
		t.Fatalf("next_after %d, last position %d", p.NextAfter, f.after)
	}
	f.pages++
	return len(p.Changes) > 0
}

// apply applies a page of changes, which must follow the last applied.
func (f *follower) apply(t *testing.T, p changePage) {
	t.Helper()
	for _, ch := range p.Changes {
		if ch.Position != f.after+1 {
			t.Fatalf("position %d after %d", ch.Position, f.after)
		}
		f.after = ch.Position
		raw := map[string]json.RawMessage{"vendor": ch.Vendor, "offering": ch.Offering, "certification": ch.Certification}[ch.Kind]
		switch ch.Op {
		case "upsert":
			f.objects[ch.Kind][ch.ID] = canonical(t, raw)
		case "remove":
			if len(raw) != 0 {
				t.Fatalf("a removal carries an object: %s", raw)
			}
			delete(f.objects[ch.Kind], ch.ID)
		default:
			t.Fatalf("op %q", ch.Op)
		}
	}
}

// catchUp reads until the feed is exhausted.
func (f *follower) catchUp(t *testing.T, c *client, limit int) {
	t.Helper()
	for f.step(t, c, limit) {
	}
}

// publicCatalogue reads the public list operations to their end.
func publicCatalogue(t *testing.T, c *client) map[string]map[string]string {
	t.Helper()
	out := map[string]map[string]string{}
	for kind, path := range map[string]string{"vendor": "/v1/vendors", "offering": "/v1/offerings", "certification": "/v1/certifications"} {
		out[kind] = map[string]string{}
		cursor := ""
		for {
			var page struct {
				Items      []json.RawMessage `json:"items"`
				NextCursor string            `json:"next_cursor"`
			}
			c.do(http.MethodGet, path+"?limit=200&cursor="+cursor, nil).want(http.StatusOK).decode(&page)
			for _, raw := range page.Items {
				var id struct{ ID string }
				_ = json.Unmarshal(raw, &id)
				out[kind][id.ID] = canonical(t, raw)
			}
			if cursor = page.NextCursor; cursor == "" {
				break
			}
		}
	}
	return out
}

func sameCatalogue(t *testing.T, what string, got, want map[string]map[string]string) {
	t.Helper()
	if reflect.DeepEqual(got, want) {
		return
	}
	for kind := range want {
		for id, w := range want[kind] {
			if g, ok := got[kind][id]; !ok {
				t.Errorf("%s: %s %s missing", what, kind, id)
			} else if g != w {
				t.Errorf("%s: %s %s is\n%s\nwant\n%s", what, kind, id, g, w)
			}
		}
		for id := range got[kind] {
			if _, ok := want[kind][id]; !ok {
				t.Errorf("%s: %s %s is not public", what, kind, id)
			}
		}
	}
}

func TestAPI_ChangeFeedFollowerEqualsPublicCatalogue(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	anon := w.anon
	resumed := newFollower()
	resumed.step(t, anon, 3)
	resumed.step(t, anon, 3) // stops mid-way

	// More writes of every kind while it is away, some hiding what it has.
	extra := w.b.createOffering(w.bID, validOffering()).ID
	w.b.do(http.MethodPatch, "/v1/offerings/"+extra, obj{"name": "Renamed retainer"}).want(http.StatusOK)
	w.verifier.do(http.MethodPost, "/v1/certifications/"+w.aCert+"/verify", nil).want(http.StatusOK)
	w.verifier.do(http.MethodPost, "/v1/certifications/"+w.aRejected+"/verify", nil).want(http.StatusOK)
	w.b.do(http.MethodPost, "/v1/vendors/"+w.bID+"/certifications", validCertification(extra)).want(http.StatusCreated)
	w.verifier.do(http.MethodPost, "/v1/vendors/"+w.pID+"/approve", nil).want(http.StatusOK)
	w.a.do(http.MethodPatch, "/v1/offerings/"+w.aDraft, obj{"status": "published"}).want(http.StatusOK)

	resumed.step(t, anon, 3)
	sameCatalogueLater := func(what string, f *follower) {
		f.catchUp(t, anon, 4)
		sameCatalogue(t, what, f.objects, publicCatalogue(t, anon))
	}
	sameCatalogueLater("resumed follower", resumed)

	// Withdrawing an offering changes what its certifications show.
	w.a.do(http.MethodPost, "/v1/offerings/"+w.aPublished+"/withdraw", nil).want(http.StatusOK)
	sameCatalogueLater("resumed follower after a withdrawal", resumed)
	w.verifier.do(http.MethodPost, "/v1/vendors/"+w.bID+"/suspend", obj{"reason": "sanctions check"}).want(http.StatusOK)
	w.p.do(http.MethodDelete, "/v1/vendors/"+w.pID, nil).want(http.StatusNoContent)
	sameCatalogueLater("resumed follower after a suspension and a deletion", resumed)
	// A keeps its draft-now-published offering and the formerly rejected
	// certification; the first certification covered only the withdrawn
	// offering, so it is hidden like it.
	if len(resumed.objects["vendor"]) != 1 || len(resumed.objects["offering"]) != 1 || len(resumed.objects["certification"]) != 1 {
		t.Errorf("the follower holds %d vendors, %d offerings, %d certifications; want A with 1 and 1",
			len(resumed.objects["vendor"]), len(resumed.objects["offering"]), len(resumed.objects["certification"]))
	}
	// Keys see only the public feed too, and contact details never appear.
	fresh := newFollower()
	fresh.catchUp(t, w.admin, 1000)
	sameCatalogue(t, "follower from 0 with an admin key", fresh.objects, publicCatalogue(t, anon))
	body := w.admin.do(http.MethodGet, "/v1/changes?limit=1000", nil).Body.String()
	if strings.Contains(body, "tenders@") || strings.Contains(body, "contact") {
		t.Error("the feed shows contact details")
	}
}

func TestAPI_ChangeFeedLongPollAndInput(t *testing.T) {
	t.Parallel()
	c := newClient(t)
	anon := c.anonymous()
	f := newFollower()
	f.catchUp(t, anon, 100)

	begin := time.Now()
	var p changePage
	anon.do(http.MethodGet, fmt.Sprintf("/v1/changes?after=%d&wait=1", f.after), nil).want(http.StatusOK).decode(&p)
	if len(p.Changes) != 0 || p.NextAfter != f.after || time.Since(begin) < 900*time.Millisecond {
		t.Errorf("an idle long poll answered %+v after %v", p, time.Since(begin))
	}

	done := make(chan changePage)
	go func() {
		var p changePage
		anon.do(http.MethodGet, fmt.Sprintf("/v1/changes?after=%d&wait=20", f.after), nil).want(http.StatusOK).decode(&p)
		done <- p
	}()
	time.Sleep(300 * time.Millisecond)
	begin = time.Now()
	c.do(http.MethodPost, "/v1/vendors", validVendor("DE811907980")).want(http.StatusCreated)
	select {
	case p := <-done:
		if len(p.Changes) != 1 || p.Changes[0].Kind != "vendor" || p.Changes[0].Op != "upsert" {
			t.Errorf("the long poll answered %+v", p)
		}
		if d := time.Since(begin); d > 2*time.Second {
			t.Errorf("the long poll answered %v after the write", d)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("the long poll did not answer a write")
	}

	for _, bad := range []struct{ query, location string }{
		{"after=-1", "query.after"}, {"limit=0", "query.limit"}, {"limit=1001", "query.limit"},
		{"wait=26", "query.wait"}, {"after=x", "query.after"},
	} {
		if p := anon.do(http.MethodGet, "/v1/changes?"+bad.query, nil).problem(http.StatusUnprocessableEntity); !p.names(bad.location) {
			t.Errorf("%s: problem names %v", bad.query, p.locations())
		}
	}
}
