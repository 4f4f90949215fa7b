//go:build !js

package e2e

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// refreshCookieValues returns the values of the refresh_token cookies that
// calls set, in order, leaving out the one that drops it.
func refreshCookieValues(calls []authCall) []string {
	var out []string
	for _, c := range calls {
		for _, h := range c.SetCookies {
			value, ok := strings.CutPrefix(h, "refresh_token=")
			if value, _, _ = strings.Cut(value, ";"); ok && value != "" {
				out = append(out, value)
			}
		}
	}
	return out
}

// In cookie mode the page never holds a refresh token: the demo API sets it
// as an HttpOnly cookie on /auth, and the client, created with
// refreshTokenKey: null and credentials 'include', refreshes with the cookie
// alone. A burst of 10 requests with a revoked access token still makes one
// refresh, which rotates the cookie; no refresh token is ever written to
// localStorage (every write is watched from before the client exists) or sent
// in a request body.
func TestCookieModeRefreshesOnceAndKeepsTheRefreshTokenOutOfThePage(t *testing.T) {
	const burst = 10
	d := newDemoSite(t, harness.Files())
	d.flip(t, "/demo/refresh-cookie", `{"on":true}`)
	s := &session{t: t, tab: openTab(t, d.URL+"/page.html")}
	do(t, s.tab, prelude+`
		window.storageWrites = [];
		const setItem = Storage.prototype.setItem;
		Storage.prototype.setItem = function (key, value) {
			storageWrites.push([key, String(value)]);
			return setItem.call(this, key, value);
		};`)
	s.client(`{ refreshTokenKey: null, refreshInit: { credentials: 'include' } }`)
	do(t, s.tab, `
		const res = await fetch('/auth/login', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email: 'ada@example.com', password: 'demo' }) });
		const body = await res.json();
		if (!res.ok || !body.accessToken || 'refreshToken' in body) throw new Error('cookie-mode login answered ' + res.status + ' ' + JSON.stringify(body));
		api.setTokens({ accessToken: body.accessToken });`)

	d.revoke(t)
	outcomes := s.settleAll(`Array.from({ length: ` + jsValue(burst) + ` }, (_, i) => api.fetch('/api/items?i=' + i))`)
	for i, o := range outcomes {
		require.Equal(t, http.StatusOK, o.Status, "request %d: %s", i, o.Body)
	}
	st := d.stats(t)
	require.Equal(t, 1, st.RefreshCalls, "one refresh for the burst")
	require.Zero(t, st.ReuseDetections)

	calls := d.authCalls()
	issued := refreshCookieValues(calls)
	require.Len(t, issued, 2, "the login's refresh token and its rotation, each in a cookie")
	require.NotEqual(t, issued[0], issued[1], "the refresh rotated the cookie")
	refreshes := refreshCalls(calls)
	require.Len(t, refreshes, 1)
	require.Contains(t, refreshes[0].Cookie, "refresh_token="+issued[0], "the refresh sent the login's cookie")
	require.Equal(t, "{}", refreshes[0].Body, "the refresh body holds no token")
	for _, c := range calls {
		for _, token := range issued {
			require.NotContains(t, c.Body, token, "the body of %s", c.Path)
		}
	}

	page := eval[struct {
		Writes  [][2]string
		Storage map[string]string
		Cookie  string
	}](t, s.tab, `return { Writes: storageWrites, Storage: { ...localStorage }, Cookie: document.cookie }`)
	require.NotEmpty(t, page.Writes, "the client stored the access tokens")
	require.NotContains(t, page.Storage, "refreshToken")
	for _, token := range issued {
		for _, w := range page.Writes {
			require.NotContains(t, w[1], token, "localStorage.setItem(%q, …)", w[0])
		}
		require.NotContains(t, page.Cookie, token, "document.cookie: the cookie is HttpOnly")
	}
}
