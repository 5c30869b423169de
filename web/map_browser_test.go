package web_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowser_PolicymakerMap: a policymaker opens the map, switches the
// category and measure with the keyboard alone, follows a country, and
// runs a what-if that shows the map before and after; axe checks each page.
func TestBrowser_PolicymakerMap(t *testing.T) {
	t.Parallel()
	ctx := newTab(t)
	s := newSite(t)
	seedBuyerCatalogue(s)

	visit(t, ctx, s.URL+"/policy/map?category=cloud-hosting&buyer=public", "map")
	screenshot(t, ctx, "map")
	tabTo(t, ctx, "#f-measure")
	run(t, ctx, "choose requirements", chromedp.KeyEvent("Bin"))
	tabTo(t, ctx, `form.row button[type=submit]`)
	run(t, ctx, "show", chromedp.KeyEvent("\r"))
	waitFor(t, ctx, `location.search.includes('measure=requirements')`)
	waitText(t, ctx, "Binding requirements")
	checkA11y(t, ctx, "map of requirements")
	screenshot(t, ctx, "map-requirements")
	// A country on the map is a link the keyboard reaches.
	tabTo(t, ctx, `svg a[href^="/countries/FR"]`)
	run(t, ctx, "open France", chromedp.KeyEvent("\r"))
	waitFor(t, ctx, `location.pathname === '/countries/FR'`)
	checkA11y(t, ctx, "country from the map")

	visit(t, ctx, s.URL+"/policy/what-if?country=CZ&requirement=cz-cloud-computing-catalogue&scheme=hds", "what-if map")
	waitText(t, ctx, "The map before and after")
	if n := eval[int](t, ctx, "document.querySelectorAll('svg.map-svg').length"); n != 2 {
		t.Errorf("%d maps on the what-if page, want 2", n)
	}
	if !strings.Contains(mainText(t, ctx), "Under the scenario") {
		t.Error("no after map")
	}
	screenshot(t, ctx, "whatif-map")
}
