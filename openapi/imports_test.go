package openapi_test

import (
	"context"
	"net/http"
	"os"
	"slices"
	"strings"
	"testing"
)

func notice(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile("../eforms/testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// importing posts a notice as application/xml.
func (c *client) importing(query, body string) response {
	c.t.Helper()
	return c.do(http.MethodPost, "/v1/projects/import"+query, []byte(body), "Content-Type", "application/xml")
}

func (c *client) projectCount() int {
	c.t.Helper()
	var n int
	if err := c.store.Pool().QueryRow(context.Background(), `SELECT count(*) FROM projects`).Scan(&n); err != nil {
		c.t.Fatal(err)
	}
	return n
}

func TestAPI_ImportNotice(t *testing.T) {
	t.Parallel()
	c := newClient(t)
	_, buyer := c.admittedBuyer("DE811907980", "DE")
	const title = "Provision of IT Services Related to OP IT Systems (EUR-Lex, N-Lex, Search Layer, and Others)"

	type lot struct{ ID, Title string }
	var p struct {
		projectView
		Category string `json:"category"`
		Country  string `json:"country"`
		Lots     []lot  `json:"lots"`
	}
	for _, tc := range []struct {
		file, country string
		cpv           []string
		lots          []lot
	}{
		{"cn_24_minimal.xml", "FR", []string{"72230000-6"}, []lot{{"LOT-0000", title}}},
		{"cn_24_multilingual.xml", "LU", []string{"72230000-6", "72260000-5"}, []lot{{"LOT-0000", title}}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			r := buyer.importing("?category=incident-response", notice(t, tc.file)).want(http.StatusCreated)
			r.decode(&p)
			if p.Title != title || p.Category != "incident-response" || p.Country != tc.country || p.BuyerKind != "public" ||
				!slices.Equal(p.CPVCodes, tc.cpv) || !slices.Equal(p.Lots, tc.lots) || r.Header().Get("Location") != "/v1/projects/"+p.ID {
				t.Errorf("imported %+v", p)
			}
			buyer.do(http.MethodGet, "/v1/projects/"+p.ID, nil).want(http.StatusOK)
		})
	}

	minimal := notice(t, "cn_24_minimal.xml")
	body := minimal[strings.Index(minimal, "<ContractNotice"):]
	before := c.projectCount()
	for name, tc := range map[string]struct {
		query, xml string
		status     int
		location   string
	}{
		"billion laughs": {"?category=incident-response", `<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>` +
			strings.Replace(body, "f42be27e", "&b;", 1), 422, "body"},
		"external entity": {"?category=incident-response", `<!DOCTYPE n [<!ENTITY x SYSTEM "file:///etc/passwd">]>` + strings.Replace(body, "f42be27e", "&x;", 1), 422, "body"},
		"over 512 KiB":    {"?category=incident-response", minimal + "<!--" + strings.Repeat("x", 600<<10) + "-->", 422, "body"},
		"broken":          {"?category=incident-response", minimal[:len(minimal)/2], 422, "body"},
		"no category":     {"", minimal, 422, "query.category"},
		"country unknown": {"?category=incident-response&country=US", minimal, 422, "query.country"},
		"over 768 KiB":    {"?category=incident-response", minimal + "<!--" + strings.Repeat("x", 1<<20) + "-->", 413, ""},
	} {
		t.Run(name, func(t *testing.T) {
			r := buyer.importing(tc.query, tc.xml)
			if tc.status == http.StatusRequestEntityTooLarge {
				r.problem(tc.status)
				return
			}
			if p := r.problem(tc.status); !p.names(tc.location) {
				t.Errorf("problem names %v, want %s", p.locations(), tc.location)
			}
		})
	}
	if after := c.projectCount(); after != before {
		t.Errorf("refused notices left %d projects", after-before)
	}
	t.Run("only admitted buyers import", func(t *testing.T) {
		_, token := c.registerBuyer("FR40303265045", "FR")
		c.as(token).importing("?category=incident-response", minimal).problem(http.StatusForbidden)
		c.importing("?category=incident-response", minimal).problem(http.StatusForbidden)
	})
}
