//go:build !js

package e2e

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/authfetch/authfetch/internal/browsertest"
	"github.com/stretchr/testify/require"
)

// Attach: the token goes to allowed origins only, and never over a header
// the caller set or with skipAuth.

func TestTokenIsAttachedToSameOriginRequests(t *testing.T) {
	t.Parallel()
	s := newSessionWithAPI(t)
	for _, c := range []struct{ name, input, uri string }{
		{"a path", `'/api/me?case=path'`, "/api/me?case=path"},
		{"an absolute URL", `location.origin + '/api/me?case=absolute'`, "/api/me?case=absolute"},
		{"a URL object", `new URL('/api/me?case=url', location.href)`, "/api/me?case=url"},
		{"a Request", `new Request('/api/me?case=request')`, "/api/me?case=request"},
		{"a POST with a body", `'/api/echo?case=post', { method: 'POST', body: 'x' }`, "/api/echo?case=post"},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := s.on(t)
			o := s.settle(`api.fetch(` + c.input + `)`)
			require.Equal(t, http.StatusOK, o.Status, o.Body)
			require.Equal(t, "Bearer a1", requestTo(t, s.api, c.uri).Auth)
		})
	}
	require.Zero(t, s.api.RefreshCalls())
}

func TestTokenIsNeverSentToAnotherOrigin(t *testing.T) {
	t.Parallel()
	other := newOtherOrigin(t)
	s := newSessionWithAPI(t)
	for _, c := range []struct {
		name, call string
		status     int
	}{
		{"a GET", `api.fetch(o + '/get')`, http.StatusOK},
		{"a GET of a URL object", `api.fetch(new URL('/url', o))`, http.StatusOK},
		{"a Request", `api.fetch(new Request(o + '/request'))`, http.StatusOK},
		{"a JSON POST (preflighted)", `api.fetch(o + '/post', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' })`, http.StatusOK},
		{"a GET with a custom header (preflighted)", `api.fetch(o + '/custom', { headers: { 'X-Custom': 'yes' } })`, http.StatusOK},
		{"a GET that gets a 401", `api.fetch(o + '/401')`, http.StatusUnauthorized},
	} {
		t.Run(c.name, func(t *testing.T) {
			o := s.on(t).settle(`(() => { const o = ` + jsValue(other.URL) + `; return ` + c.call + ` })()`)
			require.True(t, o.Resolved, "%+v", o)
			require.Equal(t, c.status, o.Status, o.Body)
		})
	}

	got := other.Requests()
	require.Len(t, got, 6, "requests that reached the other origin")
	for _, r := range got {
		require.Empty(t, r.Auth, "Authorization sent to the other origin with %s %s", r.Method, r.URI)
	}
	preflights := other.Preflights()
	require.Len(t, preflights, 2, "preflights: the JSON POST and the custom header")
	for _, h := range preflights {
		require.NotContains(t, strings.ToLower(h), "authorization", "a preflight asked to send Authorization")
	}
	require.Zero(t, s.api.RefreshCalls(), "a 401 from another origin must not refresh")

	// The control: the other origin does record an Authorization header when one is sent.
	o := s.settle(`api.fetch(` + jsValue(other.URL+"/control") + `, { headers: { Authorization: 'Bearer mine' } })`)
	require.Equal(t, http.StatusOK, o.Status)
	got = other.Requests()
	require.Equal(t, "Bearer mine", got[len(got)-1].Auth)
}

func TestARequestWithItsOwnAuthorizationHeaderIsSentUntouched(t *testing.T) {
	t.Parallel()
	s := newSessionWithAPI(t)
	for i, c := range []struct{ name, call string }{
		{"a header object", `api.fetch(u, { headers: { Authorization: 'Bearer mine' } })`},
		{"a Headers", `api.fetch(u, { headers: new Headers({ authorization: 'Bearer mine' }) })`},
		{"header pairs", `api.fetch(u, { headers: [['Authorization', 'Bearer mine']] })`},
		{"a Request with the header", `api.fetch(new Request(u, { headers: { Authorization: 'Bearer mine' } }))`},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := s.on(t)
			uri := fmt.Sprintf("/api/me?case=%d", i)
			o := s.settle(`(() => { const u = ` + jsValue(uri) + `; return ` + c.call + ` })()`)
			require.Equal(t, http.StatusUnauthorized, o.Status, "the server only accepts a1")
			require.Equal(t, "Bearer mine", requestTo(t, s.api, uri).Auth)
		})
	}
	require.Zero(t, s.api.RefreshCalls(), "a 401 to a request without our token must not refresh")
	s.requireStored(ptr("a1"), ptr("r1"))
}

func TestSkipAuthSendsNoTokenAndNeverRefreshes(t *testing.T) {
	t.Parallel()
	s := newSession(t, stored{})
	s.client(`{}`)
	for i, c := range []struct {
		name   string
		stored stored // what the page writes before the request
		revoke bool
	}{
		{"logged in", loggedIn, false},
		{"the access token revoked", loggedIn, true},
		{"only a refresh token stored", stored{"refreshToken": "r1"}, false},
		{"an access token about to expire", stored{"accessToken": browsertest.UnsignedJWT(timeIn(5), "soon"), "refreshToken": "r1"}, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := s.on(t)
			do(t, s.tab, `localStorage.clear(); for (const [k, v] of Object.entries(`+jsValue(c.stored)+`)) localStorage.setItem(k, v);`)
			if c.revoke {
				s.api.RevokeAccess()
			}
			uri := fmt.Sprintf("/api/me?case=%d", i)
			o := s.settle(`api.fetch(` + jsValue(uri) + `, { skipAuth: true })`)
			require.True(t, o.Resolved, "%+v", o)
			require.Equal(t, http.StatusUnauthorized, o.Status)
			require.Empty(t, requestTo(t, s.api, uri).Auth)
			require.Zero(t, s.api.RefreshCalls())
		})
	}
}
