//go:build !js

package e2e

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestTheVueExampleSignsInListsRefreshesAndSignsOut builds web/vue with Vite
// (against this run's module), serves the built app with the demo API from
// one origin, and drives it: the app mounts while its module is held back,
// sign in then (the list waits for the module), the server revokes the
// access token, Reload refreshes once and shows the list again, sign out.
func TestTheVueExampleSignsInListsRefreshesAndSignsOut(t *testing.T) {
	t.Parallel()
	app, stage := stageExample(t, "vue", "dist")
	dist := filepath.Join(stage, "dist")
	runTool(t, 2*time.Minute, app, filepath.Join(app, "node_modules", ".bin", "vite"), "build", "--outDir", dist, "--emptyOutDir", "--logLevel", "warn")
	wasm, err := filepath.Glob(filepath.Join(dist, "assets", "authfetch-*.wasm"))
	require.NoError(t, err)
	require.Len(t, wasm, 1, "vite build emits the module as a hashed asset")

	hold := holdWasm(t, appFiles(dist))
	site := newDemoSite(t, hold)
	tb := openTab(t, site.URL+"/")

	// Mounted before the module arrived: the form is there, and signing in
	// (a plain fetch, then login(tokens)) works; the list's request waits.
	waitInPage(t, tb, `document.querySelector('#login button[type=submit]')`)
	waitFor(t, hold.asked, "the page asks for the module")
	require.Equal(t, "false", eval[string](t, tb, `return document.querySelector('main').dataset.ready`))
	do(t, tb, `document.querySelector('#login button[type=submit]').click()`)
	waitInPage(t, tb, `document.querySelector('#items')`)
	require.Empty(t, site.apiAuths(), "no request went out before the module ran")
	hold.release()
	waitInPage(t, tb, `document.querySelectorAll('[data-item]').length === 4`)
	require.Equal(t, "true", eval[string](t, tb, `return document.querySelector('main').dataset.ready`))
	require.Equal(t, []string{"Attach the bearer token", "Refresh once on 401", "Queue the requests that wait", "Retry them with the new token"},
		eval[[]string](t, tb, `return [...document.querySelectorAll('[data-item]')].map(li => li.textContent)`))
	first := eval[string](t, tb, `return localStorage.getItem('accessToken')`)
	require.NotEmpty(t, first, "login(tokens) stored the access token")
	require.Equal(t, []string{"Bearer " + first}, site.apiAuths(), "the list was fetched once, with the token")
	require.Equal(t, demoStats{Logins: 1}, site.stats(t))

	// The server revokes the token; Reload gets a 401, refreshes once, and retries.
	site.revoke(t)
	do(t, tb, `document.querySelector('#reload').click()`)
	waitInPage(t, tb, `document.querySelector('#items ul').dataset.loads === '2'`)
	require.Equal(t, 4, eval[int](t, tb, `return document.querySelectorAll('[data-item]').length`))
	require.False(t, eval[bool](t, tb, `return Boolean(document.querySelector('#error'))`), "no error shown")
	second := eval[string](t, tb, `return localStorage.getItem('accessToken')`)
	require.NotEqual(t, first, second, "the refresh stored a new access token")
	require.Equal(t, []string{"Bearer " + first, "Bearer " + first, "Bearer " + second}, site.apiAuths(),
		"the reload went out with the revoked token, got 401, and was retried once with the new one")
	require.Equal(t, demoStats{Logins: 1, RefreshCalls: 1}, site.stats(t), "one refresh")

	// Sign out: isAuthenticated turns false, the form comes back, the tokens are gone.
	do(t, tb, `document.querySelector('#logout').click()`)
	waitInPage(t, tb, `document.querySelector('#login') && !document.querySelector('#items')`)
	require.Equal(t, []*string{nil, nil}, eval[[]*string](t, tb, `return [localStorage.getItem('accessToken'), localStorage.getItem('refreshToken')]`))
	require.Len(t, site.apiAuths(), 3, "signing out sends no request")
}
