//go:build !js

package e2e

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"
)

// timelineRow is what a row of the demo page's timeline says about one api.fetch call.
type timelineRow struct {
	State       string `json:"state"`
	Attempts    string `json:"attempts"`
	Retried     string `json:"retried"`
	Status      string `json:"status"`
	FirstStatus string `json:"firstStatus"`
}

// newDemoPageSite serves the demo page as go run ./web does: web/static, js/,
// wasm_exec.js and the demo API, on one origin.
func newDemoPageSite(t *testing.T) *demoSite {
	t.Helper()
	static := filepath.Join(harness.Root, "web", "static")
	files := http.NewServeMux()
	files.Handle("/", appFiles(static))
	files.Handle("GET /static/", http.StripPrefix("/static/", http.FileServer(http.Dir(static))))
	for _, path := range []string{"GET /js/", "GET /wasm_exec.js"} {
		files.Handle(path, harness.Files())
	}
	return newDemoSite(t, files)
}

// TestTheDemoTimelineShowsOneRefreshForAStorm serves the demo page as go run
// ./web does (web/static, js/, wasm_exec.js and the demo API), signs in,
// revokes the access token, fires a storm of 20 requests, takes a screenshot,
// and reads the timeline: 20 rows settled with 200, one refresh band, and
// every request that got a 401 retried once.
func TestTheDemoTimelineShowsOneRefreshForAStorm(t *testing.T) {
	t.Parallel()
	const storm = 20
	site := newDemoPageSite(t)
	tb := openTab(t, site.URL+"/")
	require.NoError(t, chromedp.Do(tb.Context(), chromedp.EmulateViewport(1280, 1200)))
	waitInPage(t, tb, `!document.querySelector('#login-form button').disabled`)

	do(t, tb, `document.querySelector('#login-form button').click()`)
	waitInPage(t, tb, `!document.querySelector('#signed-in').hidden`)
	site.revoke(t)
	do(t, tb, `
		document.querySelector('#burst-size').value = String(`+jsValue(storm)+`);
		document.querySelector('#burst').click();`)
	waitInPage(t, tb, `document.querySelector('#timeline').dataset.settled === '`+jsValue(storm)+`'
		&& document.querySelector('#burst-summary').textContent.startsWith('Last burst')`)
	// The page draws on animation frames: wait for the one after the settle.
	do(t, tb, `await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))`)

	png, err := chromedp.Run(tb.Context(), chromedp.FullScreenshot(100))
	require.NoError(t, err)
	dir, err := os.MkdirTemp("", "authfetch-demo-")
	require.NoError(t, err)
	shot := filepath.Join(dir, "timeline.png")
	require.NoError(t, os.WriteFile(shot, png, 0o644))
	t.Logf("screenshot of the demo page after the storm: %s", shot)

	rows := eval[[]timelineRow](t, tb, `return [...document.querySelectorAll('#timeline [data-request]')].map(li => ({ ...li.dataset }))`)
	require.Len(t, rows, storm, "one row per request of the storm")
	retried, got401 := 0, 0
	for i, r := range rows {
		require.Equal(t, "settled", r.State, "row %d", i+1)
		require.Equal(t, "200", r.Status, "row %d", i+1)
		if r.Retried == "true" {
			retried++
			require.Equal(t, "2", r.Attempts, "row %d: a retried request is sent twice", i+1)
			require.Contains(t, []string{"401", "called-off"}, r.FirstStatus, "row %d: retried after a 401, or called off by another's", i+1)
			if r.FirstStatus == "401" {
				got401++
			}
		} else {
			require.Equal(t, "1", r.Attempts, "row %d", i+1)
			require.Equal(t, "200", r.FirstStatus, "row %d: a request sent once waited for the refresh", i+1)
		}
	}
	require.GreaterOrEqual(t, retried, 1, "the storm after the revocation got 401s")

	bands := eval[[]map[string]string](t, tb, `return [...document.querySelectorAll('#timeline [data-refresh]')].map(b => ({ ...b.dataset }))`)
	require.Len(t, bands, 1, "one refresh band")
	require.Equal(t, "ok", bands[0]["outcome"])
	require.Equal(t, "200", bands[0]["status"])
	require.Equal(t, demoStats{Logins: 1, RefreshCalls: 1}, site.stats(t), "the server saw one refresh")

	// A request called off on the wire may have had its 401 from the server.
	api401s := eval[int](t, tb, `return (await (await fetch('/demo/stats')).json()).api401s`)
	require.GreaterOrEqual(t, api401s, got401, "the timeline's 401 rows are 401s the server answered")
	require.LessOrEqual(t, api401s, retried, "every 401 the server answered is a retried row")
	summary := eval[string](t, tb, `return document.querySelector('#timeline-summary').textContent`)
	require.Contains(t, summary, "1 refresh: ok in ")
	require.Contains(t, summary, fmt.Sprintf("settled %d × 200", storm))
	// The log is still there, and names the tab that refreshed.
	require.Regexp(t, `refresh: tab \w{4} refreshed`, eval[string](t, tb, `return document.querySelector('#log').textContent`))
}
