package web_test

import (
	"context"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// Browser tests drive Debian's chromium, headless, through chromedp: one
// browser for the package, a fresh browser context (cookies apart) per test.
// axe-core checks every page visited; serious and critical violations fail.
// Screenshots of key pages go to web/screenshots/ (git-ignored).

// axe-core, vendored unmodified from npm (npm pack axe-core@4.11.1;
// package/axe.min.js), injected into pages by the tests only.
//
//go:embed testdata/axe.min.js
var axeSource string

const axeSHA256 = "7dbfabdfc6062936d79c873ddbb5f811a1219fca3928bd8cc9dd81f1e65f4720"

var (
	browserOnce   sync.Once
	browserCtx    context.Context
	browserCancel context.CancelFunc
	browserErr    error
	browserSkip   string
)

// chromiumPath finds the browser: $CHROMIUM, else chromium on the PATH.
func chromiumPath() string {
	if p := os.Getenv("CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// newTab returns a tab of the package's browser in a browser context of its
// own, closed when t ends. Without chromium the test skips, unless CI is set.
func newTab(t *testing.T) context.Context {
	t.Helper()
	browserOnce.Do(startBrowser)
	switch {
	case browserSkip != "" && os.Getenv("CI") != "":
		t.Fatalf("%s; CI must run the browser tests (deploy/local/test.sh installs chromium)", browserSkip)
	case browserSkip != "":
		t.Skip(browserSkip)
	case browserErr != nil:
		t.Fatalf("starting chromium: %v", browserErr)
	}
	ctx, cancel := chromedp.NewContext(browserCtx, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, cdppage.SetBypassCSP, cdppage.SetBypassCSPParams{Enabled: true}) // to inject axe
		return err
	})); err != nil {
		t.Fatal(err)
	}
	return ctx
}

func startBrowser() {
	path := chromiumPath()
	if path == "" {
		browserSkip = "chromium not found (set CHROMIUM or install Debian's chromium)"
		return
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(path), chromedp.NoSandbox,
		chromedp.DisableGPU, chromedp.WindowSize(1280, 900))
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(alloc)
	if err := chromedp.Do(ctx); err != nil {
		browserErr = err
	}
	browserCtx, browserCancel = ctx, func() { cancel(); cancelAlloc() }
}

func stopBrowser() {
	if browserCancel != nil {
		browserCancel()
	}
}

// TestBrowser_AxeFindsViolations shows the check can fail: a page with an
// unlabelled field and an image without text has serious violations.
func TestBrowser_AxeFindsViolations(t *testing.T) {
	t.Parallel()
	ctx := newTab(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprint(w, `<!doctype html><html lang="en"><title>bad</title><main><img src="x.png"><input type="text"></main></html>`)
	}))
	defer srv.Close()
	run(t, ctx, "open bad page", chromedp.Navigate(srv.URL), chromedp.WaitVisible(chromedp.CSS("main")))
	ids := map[string]bool{}
	for _, v := range axeFindings(t, ctx) {
		ids[v.ID] = true
	}
	if !ids["image-alt"] || !ids["label"] {
		t.Errorf("axe found %v on a page without alt text and labels", ids)
	}
}

func TestAxeIsPinned(t *testing.T) {
	sum := sha256.Sum256([]byte(axeSource))
	if got := hex.EncodeToString(sum[:]); got != axeSHA256 {
		t.Errorf("testdata/axe.min.js sha256 %s, recorded %s", got, axeSHA256)
	}
}

// run runs steps in the tab with a time limit, failing t on error.
func run(t *testing.T, ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	c, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(c, steps...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// eval evaluates a JavaScript expression in the tab.
func eval[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	c, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	v, err := chromedp.Run(c, chromedp.Evaluate[T](js, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("eval %s: %v", js, err)
	}
	return v
}

// axeViolation is a serious or critical finding of axe-core.
type axeViolation struct {
	ID     string   `json:"id"`
	Impact string   `json:"impact"`
	Help   string   `json:"help"`
	Nodes  []string `json:"nodes"`
}

// checkA11y runs axe-core (WCAG 2.0-2.2 A and AA rules) on the page in the
// tab and fails t on serious or critical violations.
func checkA11y(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	for _, v := range axeFindings(t, ctx) {
		t.Errorf("axe on %s: %s (%s): %s at %s", name, v.ID, v.Impact, v.Help, strings.Join(v.Nodes, ", "))
	}
}

// axeFindings runs axe-core on the page in the tab and returns its serious
// and critical violations.
func axeFindings(t *testing.T, ctx context.Context) []axeViolation {
	t.Helper()
	if !eval[bool](t, ctx, "typeof window.axe !== 'undefined'") {
		eval[any](t, ctx, axeSource+";true")
	}
	found := eval[[]axeViolation](t, ctx, `axe.run(document, {runOnly: {type: 'tag',
		values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']}}).then(r => r.violations
		.filter(v => v.impact === 'serious' || v.impact === 'critical')
		.map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map(n => n.target.join(' '))})))`)
	return found
}

// screenshot saves a full-page PNG of the tab as web/screenshots/name.png.
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	c, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	png, err := chromedp.Run(c, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.MkdirAll("screenshots", 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join("screenshots", name+".png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// visit opens url, waits for main, and checks the page with axe.
func visit(t *testing.T, ctx context.Context, url, name string) {
	t.Helper()
	run(t, ctx, "open "+url, chromedp.Navigate(url), chromedp.WaitVisible(chromedp.CSS("main")))
	checkA11y(t, ctx, name)
}

// text is the text of the page's main element.
func mainText(t *testing.T, ctx context.Context) string {
	t.Helper()
	return eval[string](t, ctx, "document.querySelector('main').innerText")
}

// tabTo presses Tab until the element matching css has the focus, as a
// keyboard user moves through the page; it fails after 80 presses.
func tabTo(t *testing.T, ctx context.Context, css string) {
	t.Helper()
	for range 80 {
		run(t, ctx, "Tab", chromedp.KeyEvent("\t"))
		if eval[bool](t, ctx, fmt.Sprintf("document.activeElement !== null && document.activeElement.matches(%q)", css)) {
			// Focus must be visible: an outline on the focused element.
			if style := eval[string](t, ctx, "getComputedStyle(document.activeElement).outlineStyle"); style == "none" {
				t.Errorf("focus on %s is not visible (outline-style none)", css)
			}
			return
		}
	}
	t.Fatalf("Tab never reached %s", css)
}

// waitText waits until the main element contains s, across navigations.
func waitText(t *testing.T, ctx context.Context, s string) {
	t.Helper()
	waitFor(t, ctx, fmt.Sprintf("document.querySelector('main') !== null && document.querySelector('main').innerText.includes(%q)", s))
}

// waitFor waits until the JavaScript condition holds, across navigations
// (an evaluation during one fails and is tried again).
func waitFor(t *testing.T, ctx context.Context, cond string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		c, cancel := context.WithTimeout(ctx, 5*time.Second)
		ok, err := chromedp.Run(c, chromedp.Evaluate[bool](cond))
		cancel()
		if err == nil && ok {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("timed out waiting for %s; page:\n%s", cond, eval[string](t, ctx, "document.body ? document.body.innerText : ''"))
}
