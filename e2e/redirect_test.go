//go:build !js

package e2e

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/authfetch/authfetch/internal/browsertest"
	"github.com/stretchr/testify/require"
)

// Security (SECURITY.md): authfetch attaches the token to a request for an
// allowed origin; when that origin redirects elsewhere, the browser follows
// the redirect itself, and the Fetch standard has it drop Authorization when
// the redirect crosses origins (https://fetch.spec.whatwg.org/#http-redirect-fetch,
// step "If request's current URL's origin is not same origin with
// locationURL's origin, then for each headerName of CORS non-wildcard
// request-header name, delete headerName from request's header list").
// These tests prove it in Chromium, and that authfetch adds nothing back.

// redirectResult is what the page saw of a fetch that was redirected.
type redirectResult struct {
	Status     int    `json:"status"`
	Redirected bool   `json:"redirected"`
	URL        string `json:"url"`
	Body       string `json:"body"`
}

// fetchRedirected runs api.fetch(url, init) and reports the final response.
func (s *session) fetchRedirected(t *testing.T, url, init string) redirectResult {
	t.Helper()
	return eval[redirectResult](t, s.tab, `
		const r = await api.fetch(`+jsValue(url)+`, `+init+`);
		return { status: r.status, redirected: r.redirected, url: r.url, body: await r.text() };`)
}

// redirectTo is the path of the redirect endpoint that sends to target with code.
func redirectTo(target string, code int, tag string) string {
	return fmt.Sprintf("/redirect?code=%d&tag=%s&to=%s", code, tag, url.QueryEscape(target))
}

// requireNoToken checks that no record carries a token of the session: no
// Authorization header, and no access or refresh token anywhere in it.
func requireNoToken(t *testing.T, recs []browsertest.Record, tokens ...string) {
	t.Helper()
	for _, r := range recs {
		where := r.Method + " " + r.URI
		require.Empty(t, r.Auth, "%s carried Authorization", where)
		for _, tok := range tokens {
			require.False(t, hasToken(r.URI, tok), "%s in the URL of %s", tok, where)
			require.False(t, hasToken(r.Body, tok), "%s in the body of %s", tok, where)
			for name, values := range r.Header {
				require.False(t, hasToken(strings.Join(values, ","), tok), "%s in the header %s of %s", tok, name, where)
			}
		}
	}
}

func TestTheBrowserDropsAuthorizationOnACrossOriginRedirect(t *testing.T) {
	t.Parallel()
	second := newOtherOrigin(t) // the origin that must never see the token
	third := newOtherOrigin(t)  // an allowed API origin of its own
	s := newSession(t)
	s.client(`{ allowedOrigins: [location.origin, ` + jsValue(third.URL) + `] }`)

	for _, code := range []int{301, 302, 303, 307, 308} {
		t.Run(fmt.Sprintf("%d from the page's origin", code), func(t *testing.T) {
			tag := fmt.Sprint("same", code)
			got := s.fetchRedirected(t, redirectTo(second.URL+"/landing?tag="+tag, code, tag), `{}`)
			require.Equal(t, http.StatusOK, got.Status)
			require.True(t, got.Redirected)
			require.Equal(t, second.URL+"/landing?tag="+tag, got.URL)
			require.Equal(t, "Bearer a1", requestTo(t, s.api, redirectTo(second.URL+"/landing?tag="+tag, code, tag)).Auth,
				"the allowed origin gets the token: the test would see it if the browser forwarded it")
		})
	}

	t.Run("307 of a POST with a body, from the page's origin", func(t *testing.T) {
		got := s.fetchRedirected(t, redirectTo(second.URL+"/landing?tag=post", 307, "post"),
			`{ method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"x":1}' }`)
		require.Equal(t, http.StatusOK, got.Status)
		require.Equal(t, second.URL+"/landing?tag=post", got.URL)
	})

	t.Run("302 from another allowed origin", func(t *testing.T) {
		target := second.URL + "/landing?tag=allowed-api"
		got := s.fetchRedirected(t, third.URL+redirectTo(target, 302, "api"), `{}`)
		require.Equal(t, http.StatusOK, got.Status)
		require.Equal(t, target, got.URL)
		sent := third.Requests()
		require.Len(t, sent, 1)
		require.Equal(t, "Bearer a1", sent[0].Auth, "the allowed API origin gets the token")
	})

	landed := second.Requests()
	require.Len(t, landed, 7, "every redirect was followed to the second origin")
	requireNoToken(t, landed, "a1", "r1")
	for _, h := range second.Preflights() {
		require.NotContains(t, strings.ToLower(h), "authorization", "a preflight to the second origin announced Authorization")
	}

	t.Run("a same-origin redirect keeps the token", func(t *testing.T) {
		// The control: within the allowed origin the header survives, so
		// the cross-origin cases above would have seen a token if there were one.
		got := s.fetchRedirected(t, redirectTo("/api/me?tag=kept", 302, "kept"), `{}`)
		require.Equal(t, http.StatusOK, got.Status)
		require.JSONEq(t, `{"uri":"/api/me?tag=kept","auth":"Bearer a1"}`, got.Body)
	})
	require.Zero(t, s.api.RefreshCalls())
}

// TestA401AfterACrossOriginRedirectDoesNotSpendARefresh: the 401 comes from
// an origin that never saw the token (the browser dropped it), so a refresh
// cannot help, and a retry would only be redirected to the same 401. A
// refresh status triggers a refresh only on a response to a request that
// carried our token: the response's own URL (Response.url) tells where the
// 401 came from.
func TestA401AfterACrossOriginRedirectDoesNotSpendARefresh(t *testing.T) {
	t.Parallel()
	second := newOtherOrigin(t)
	s := newSessionWithAPI(t)

	path := redirectTo(second.URL+"/401", 302, "401")
	got := s.fetchRedirected(t, path, `{}`)
	require.Equal(t, http.StatusUnauthorized, got.Status)
	require.Equal(t, second.URL+"/401", got.URL)
	requireNoToken(t, second.Requests(), "a1", "r1", "a2", "r2")
	require.Zero(t, s.api.RefreshCalls(), "a 401 from an origin that got no token spent a refresh")
	require.Len(t, s.api.Requests("/redirect"), 1, "the request was retried")
	s.requireStored(ptr("a1"), ptr("r1"))
}
