package web_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
)

func TestPages_PolicyMap(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	seedBuyerCatalogue(s)
	b := s.browser()
	p := b.get("/policy/map?category=cloud-hosting&buyer=public&measure=share").want(http.StatusOK,
		"<svg", `<title id="map-title">`, `href="/countries/FR?buyer=public&amp;category=cloud-hosting"`, "<title>France: ",
		"Legend", "no data", "<caption>")
	// Every EU/EEA country is drawn and listed in the table beside the map.
	if n := strings.Count(p.Body, `class="area `); n != 30 {
		t.Errorf("%d countries drawn, want 30", n)
	}
	if n := len(regexp.MustCompile(`<th scope="row"><a href="/countries/`).FindAllString(p.Body, -1)); n != 30 {
		t.Errorf("%d countries in the table, want 30", n)
	}
	// Small countries get a dot one can click.
	if n := strings.Count(p.Body, "<circle"); n < 2 {
		t.Errorf("%d dots, want Liechtenstein and Malta", n)
	}
	// The colour follows the measure: the map's France and the table's
	// France say the same; a share gets a percentage, a gap cost euros.
	// A share comes with its interval and n; France's 1 of 2 is flagged.
	fr := regexp.MustCompile(`class="area (m\d|nodata)" aria-label="France: ([^"(]+) \(([^"]+)\)"`).FindStringSubmatch(p.Body)
	if fr == nil || !strings.Contains(p.Body, `>France</a></th><td>`+fr[2]+` <small>(`+fr[3]+`)</small></td>`) {
		t.Errorf("France on the map %v does not match the table", fr)
	} else if fr[3] != "95% interval 9–91 %, n = 2; few offerings" {
		t.Errorf("France's share detail %q", fr[3])
	}
	if !strings.HasSuffix(fr[2], "%") {
		t.Errorf("share shown as %q", fr[2])
	}
	b.get("/policy/map?category=cloud-hosting&buyer=private&measure=requirements").want(http.StatusOK, "Binding requirements", `value="requirements" selected`)
	b.get("/policy/map?category=cloud-hosting&buyer=public&measure=gap").want(http.StatusOK, "Median gap cost (EUR)")
	// An unknown measure falls back to the share; an unknown category is the API's 422.
	b.get("/policy/map?category=cloud-hosting&measure=nonsense").want(http.StatusOK, `value="share" selected`)
	b.get("/policy/map?category=no-such-category").want(http.StatusUnprocessableEntity)
	b.get("/policy/map?lang=fr").want(http.StatusOK, "Carte des obstacles", "Légende")
	b.get("/policy/map?lang=de").want(http.StatusOK, "Karte der Markteintrittshürden", "Legende")
}

func TestPages_WhatIfMapBeforeAndAfter(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	seedBuyerCatalogue(s)
	p := s.browser().get("/policy/what-if?country=CZ&requirement=cz-cloud-computing-catalogue&scheme=hds").
		want(http.StatusOK, "The map before and after", `<title id="before-title">`, `<title id="after-title">`)
	before := regexp.MustCompile(`(?s)id="before-caption".*?aria-label="Czechia: ([^"]+)"`).FindStringSubmatch(p.Body)
	after := regexp.MustCompile(`(?s)id="after-caption".*?aria-label="Czechia: ([^"]+)"`).FindStringSubmatch(p.Body)
	if before == nil || after == nil || before[1] == after[1] {
		t.Errorf("Czechia before %v and after %v should differ", before, after)
	}
}
