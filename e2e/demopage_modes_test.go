//go:build !js

package e2e

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/authfetch/authfetch/internal/browsertest"
	"github.com/stretchr/testify/require"
)

// waitAcrossReload waits until cond holds in the page of tb, which is
// reloading: a wait that the navigation cuts short starts again in the new
// document. Give cond a mark the old document has and the new one lacks.
func waitAcrossReload(t *testing.T, tb *browsertest.Tab, cond string) {
	t.Helper()
	deadline := time.Now().Add(evalTimeout)
	for {
		err := tb.WaitFor(cond, time.Until(deadline))
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			require.NoError(t, errors.Join(errors.New("waiting across a reload"), err))
		}
	}
}

// The demo page's switches set the demo API's, and show what is in force; its
// cookie switch reloads the page with a client that keeps no refresh token,
// which still makes one refresh for a burst; its log shows authfetch's debug
// trace.
func TestTheDemoPageSwitchesTheServerAndCookieMode(t *testing.T) {
	const burst = 10
	site := newDemoPageSite(t)
	tb := openTab(t, site.URL+"/")
	waitInPage(t, tb, `!document.querySelector('#login-form button').disabled`)

	do(t, tb, `document.querySelector('[data-grace="on"]').click(); document.querySelector('[data-delay="1500"]').click()`)
	waitInPage(t, tb, `document.querySelector('[data-grace="on"]').getAttribute('aria-pressed') === 'true'
		&& document.querySelector('[data-delay="1500"]').getAttribute('aria-pressed') === 'true'
		&& document.querySelector('#grace-length').textContent === '30 s'`)
	server := eval[struct{ GraceWindowMs, RefreshDelayMs int }](t, tb, `return await (await fetch('/demo/stats')).json()`)
	require.Equal(t, 30000, server.GraceWindowMs)
	require.Equal(t, 1500, server.RefreshDelayMs)
	do(t, tb, `document.querySelector('[data-delay="0"]').click()`)
	waitInPage(t, tb, `document.querySelector('[data-delay="0"]').getAttribute('aria-pressed') === 'true'`)

	do(t, tb, `window.beforeTheSwitch = true; document.querySelector('[data-cookie="on"]').click()`)
	waitAcrossReload(t, tb, `!window.beforeTheSwitch
		&& document.querySelector('#module-state').textContent.includes('cookie mode')
		&& !document.querySelector('#login-form button').disabled`)

	do(t, tb, `document.querySelector('#login-form button').click()`)
	waitInPage(t, tb, `!document.querySelector('#signed-in').hidden`)
	site.revoke(t)
	do(t, tb, `document.querySelector('#burst-size').value = '`+jsValue(burst)+`'; document.querySelector('#burst').click()`)
	waitInPage(t, tb, `document.querySelector('#burst-summary').textContent.startsWith('Last burst')`)
	require.Contains(t, eval[string](t, tb, `return document.querySelector('#burst-summary').textContent`), jsValue(burst)+"× 200")
	require.Equal(t, 1, site.stats(t).RefreshCalls, "one refresh for the burst")
	refreshes := refreshCalls(site.authCalls())
	require.Len(t, refreshes, 1)
	require.Contains(t, refreshes[0].Cookie, "refresh_token=", "the refresh carried the cookie")
	require.Equal(t, "{}", refreshes[0].Body)

	page := eval[struct {
		Stored      []string
		DebugLines  int
		DebugShown  bool
		RefreshLine bool
	}](t, tb, `
		const lines = [...document.querySelectorAll('#log li')];
		const debug = lines.filter(li => li.classList.contains('debug'));
		return {
			Stored: Object.keys(localStorage),
			DebugLines: debug.length,
			DebugShown: debug.length > 0 && debug[0].offsetParent !== null,
			RefreshLine: debug.some(li => li.textContent.includes('debug refresh')),
		};`)
	require.NotContains(t, page.Stored, "refreshToken")
	require.Contains(t, page.Stored, "accessToken")
	require.Positive(t, page.DebugLines, "the log shows the debug trace")
	require.True(t, page.DebugShown)
	require.True(t, page.RefreshLine, "the trace names the refresh")
	do(t, tb, `document.querySelector('#show-debug').click()`)
	require.False(t, eval[bool](t, tb, `return document.querySelector('#log li.debug').offsetParent !== null`), "the checkbox hides the trace")
}

// The demo page's DPoP switch reloads it with dpop: true; signed in, the
// thief's replay of the stored token, without the key, is refused, while the
// page's own request, with a proof, succeeds.
func TestTheDemoPageShowsAStolenDPoPTokenRefused(t *testing.T) {
	site := newDemoPageSite(t)
	tb := openTab(t, site.URL+"/")
	waitInPage(t, tb, `!document.querySelector('#login-form button').disabled`)

	do(t, tb, `window.beforeTheSwitch = true; document.querySelector('[data-dpop="on"]').click()`)
	waitAcrossReload(t, tb, `!window.beforeTheSwitch
		&& document.querySelector('#module-state').textContent.includes('DPoP')
		&& !document.querySelector('#login-form button').disabled`)
	do(t, tb, `document.querySelector('#login-form button').click()`)
	waitInPage(t, tb, `!document.querySelector('#signed-in').hidden`)

	do(t, tb, `document.querySelector('#steal').click()`)
	waitInPage(t, tb, `[...document.querySelectorAll('#log li')].some(li => li.textContent.includes("the page's own GET /api/me"))`)
	lines := eval[[]string](t, tb, `return [...document.querySelectorAll('#log li')].map(li => li.textContent)`)
	require.True(t, containsLine(lines, "replayed it without the key: /api/me → 401"), "%q", lines)
	require.True(t, containsLine(lines, "the page's own GET /api/me, with its key's proof → 200"), "%q", lines)
}

// containsLine reports whether a log line contains part.
func containsLine(lines []string, part string) bool {
	for _, l := range lines {
		if strings.Contains(l, part) {
			return true
		}
	}
	return false
}
