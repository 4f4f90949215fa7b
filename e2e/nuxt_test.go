//go:build !js

package e2e

import (
	"io"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestTheNuxtExampleRendersOnTheServerThenRefreshesOnceInTheBrowser builds
// web/nuxt with Nuxt's own build (against this run's module), runs the Node
// server it outputs behind the demo API's origin, and drives it: the page
// arrives rendered by the server; after hydration the client-side plugin's
// client, mounted while its module is held back, signs in (the list waits
// for the module) and lists with the token; the server revokes the access
// token and Reload costs one refresh; sign out.
func TestTheNuxtExampleRendersOnTheServerThenRefreshesOnceInTheBrowser(t *testing.T) {
	t.Parallel()
	app, _ := stageExample(t, "nuxt", ".nuxt", ".output")
	runTool(t, 4*time.Minute, app, filepath.Join(app, "node_modules", ".bin", "nuxt"), "build")

	port := freePort(t)
	server := exec.Command("node", filepath.Join(app, ".output", "server", "index.mjs"))
	server.Dir = app
	server.Env = append(os.Environ(), "HOST=127.0.0.1", "PORT="+port, "NO_COLOR=1")
	nuxt, err := url.Parse(startServer(t, "the Nuxt server", "Listening on", server, port))
	require.NoError(t, err)
	hold := holdWasm(t, httputil.NewSingleHostReverseProxy(nuxt))
	site := newDemoSite(t, hold)

	// What the server rendered: the page, and the account's fallback in
	// place of the part that needs the browser's tokens.
	res, err := http.Get(site.URL + "/")
	require.NoError(t, err)
	page, err := io.ReadAll(res.Body)
	res.Body.Close()
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.Contains(t, string(page), "<h1>authfetch · Nuxt</h1>")
	require.Contains(t, string(page), `<p id="loading">Loading…</p>`)
	require.NotContains(t, string(page), `id="login"`)

	// Hydrated and mounted before the module arrived: the form is there,
	// and signing in works; the list's request waits for the module.
	tb := openTab(t, site.URL+"/")
	waitInPage(t, tb, `document.querySelector('#login button[type=submit]')`)
	waitFor(t, hold.asked, "the page asks for the module")
	require.Equal(t, "false", eval[string](t, tb, `return document.querySelector('#account').dataset.ready`))
	do(t, tb, `document.querySelector('#login button[type=submit]').click()`)
	waitInPage(t, tb, `document.querySelector('#items')`)
	require.Empty(t, site.apiAuths(), "no request went out before the module ran")
	hold.release()
	waitInPage(t, tb, `document.querySelectorAll('[data-item]').length === 4`)
	require.Equal(t, "true", eval[string](t, tb, `return document.querySelector('#account').dataset.ready`))
	first := eval[string](t, tb, `return localStorage.getItem('accessToken')`)
	require.NotEmpty(t, first, "login(tokens) stored the access token")
	require.Equal(t, []string{"Bearer " + first}, site.apiAuths(), "the list was fetched once, with the token")

	// The server revokes the token; Reload gets a 401, refreshes once, and retries.
	site.revoke(t)
	do(t, tb, `document.querySelector('#reload').click()`)
	waitInPage(t, tb, `document.querySelector('#items ul').dataset.loads === '2'`)
	require.False(t, eval[bool](t, tb, `return Boolean(document.querySelector('[role=alert]'))`), "no error shown")
	second := eval[string](t, tb, `return localStorage.getItem('accessToken')`)
	require.NotEqual(t, first, second, "the refresh stored a new access token")
	require.Equal(t, []string{"Bearer " + first, "Bearer " + first, "Bearer " + second}, site.apiAuths(),
		"the reload went out with the revoked token, got 401, and was retried once with the new one")
	require.Equal(t, demoStats{Logins: 1, RefreshCalls: 1}, site.stats(t), "one refresh")

	// Sign out: the form comes back, the tokens are gone.
	do(t, tb, `document.querySelector('#logout').click()`)
	waitInPage(t, tb, `document.querySelector('#login') && !document.querySelector('#items')`)
	require.Equal(t, []*string{nil, nil}, eval[[]*string](t, tb, `return [localStorage.getItem('accessToken'), localStorage.getItem('refreshToken')]`))
}
