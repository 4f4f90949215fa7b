//go:build !js

package e2e

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/authfetch/authfetch/internal/browsertest"
	"github.com/stretchr/testify/require"
)

// Refresh on 401 (unless the caller opted out, or no refresh token is
// stored), and before sending when only a refresh token is stored or the
// access token expires within the leeway, so that no request goes out only
// to earn a 401.

func TestA401ToARequestThatCarriedTheTokenRefreshesAndRetriesWithTheNewToken(t *testing.T) {
	t.Parallel()
	s := newRevokedSession(t)

	o := s.settle(`api.fetch('/api/me')`)
	require.True(t, o.IsResponse, "%+v", o)
	require.Equal(t, http.StatusOK, o.Status, o.Body)
	require.JSONEq(t, `{"uri":"/api/me","auth":"Bearer a2"}`, o.Body)
	require.Equal(t, []string{"Bearer a1", "Bearer a2"}, s.api.Auths("/api/me"))
	require.Equal(t, 1, s.api.RefreshCalls())
	s.requireStored(ptr("a2"), ptr("r2"))
	require.Equal(t, ptr("a2"), s.accessToken("api"))
}

func TestA401WithoutAStoredRefreshTokenIsReturnedAsIs(t *testing.T) {
	t.Parallel()
	s := newSession(t, stored{"accessToken": "a1"})
	s.client(`{}`)
	s.api.RevokeAccess()

	o := s.settle(`api.fetch('/api/me')`)
	require.True(t, o.IsResponse, "%+v", o)
	require.Equal(t, http.StatusUnauthorized, o.Status)
	require.JSONEq(t, `{"error":"unauthorized","uri":"/api/me"}`, o.Body)
	require.Equal(t, []string{"Bearer a1"}, s.api.Auths("/api/me"))
	require.Zero(t, s.api.RefreshCalls())
}

func TestSkipAuthRefreshReturnsThe401WithoutRefreshing(t *testing.T) {
	t.Parallel()
	s := newRevokedSession(t)

	o := s.settle(`api.fetch('/api/me', { skipAuthRefresh: true })`)
	require.Equal(t, http.StatusUnauthorized, o.Status)
	require.Equal(t, []string{"Bearer a1"}, s.api.Auths("/api/me"), "the token is still attached")
	require.Zero(t, s.api.RefreshCalls())
	s.requireStored(ptr("a1"), ptr("r1"))
}

func TestOnlyARefreshTokenStoredRefreshesBeforeSending(t *testing.T) {
	t.Parallel()
	s := newSession(t, stored{})
	s.client(`{}`)
	for i, c := range []struct{ name, write string }{
		{"no access token key", `localStorage.removeItem('accessToken')`},
		{"an empty access token", `localStorage.setItem('accessToken', '')`},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := s.on(t)
			_, refresh := s.api.Tokens()
			s.api.RevokeAccess()
			do(t, s.tab, c.write+`; localStorage.setItem('refreshToken', `+jsValue(refresh)+`)`)

			uri := fmt.Sprintf("/api/me?case=%d", i)
			o := s.settle(`api.fetch(` + jsValue(uri) + `)`)
			require.Equal(t, http.StatusOK, o.Status, o.Body)
			require.Equal(t, i+1, s.api.RefreshCalls())
			access, refresh := s.api.Tokens()
			require.Equal(t, "Bearer "+access, requestTo(t, s.api, uri).Auth, "the API never sees the request without a token")
			s.requireStored(ptr(access), ptr(refresh))
		})
	}
}

func TestAnAccessTokenThatExpiresWithinTheLeewayIsRefreshedBeforeSending(t *testing.T) {
	t.Parallel()
	s := newSession(t, stored{})
	for i, c := range []struct {
		name      string
		expiresIn int // seconds
		opts      string
		refreshed bool
	}{
		{"expires in 10s, default leeway 30s", 10, `{}`, true},
		{"expired a minute ago", -60, `{}`, true},
		{"expires in 50s, leeway 60s", 50, `{ refreshLeewaySeconds: 60 }`, true},
		{"expires in an hour", 3600, `{}`, false},
		{"expires in 50s, default leeway 30s", 50, `{}`, false},
		{"expires in 10s, leeway 0", 10, `{ refreshLeewaySeconds: 0 }`, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := s.on(t)
			// Each case has its own client and a fresh token, which the server
			// still accepts: only its expiry can make authfetch refresh.
			jwt := browsertest.UnsignedJWT(timeIn(c.expiresIn), fmt.Sprint("case", i))
			_, refresh := s.api.Tokens()
			s.api.SetTokens(jwt, refresh)
			do(t, s.tab, `localStorage.setItem('accessToken', `+jsValue(jwt)+`); localStorage.setItem('refreshToken', `+jsValue(refresh)+`)`)
			name := fmt.Sprint("client", i)
			s.clientNamed(name, c.opts)
			before := s.api.RefreshCalls()

			uri := fmt.Sprintf("/api/me?case=%d", i)
			o := s.settle(name + `.fetch(` + jsValue(uri) + `)`)
			require.Equal(t, http.StatusOK, o.Status, o.Body)
			if c.refreshed {
				require.Equal(t, before+1, s.api.RefreshCalls())
				access, _ := s.api.Tokens()
				require.NotEqual(t, jwt, access)
				require.Equal(t, "Bearer "+access, requestTo(t, s.api, uri).Auth)
			} else {
				require.Equal(t, before, s.api.RefreshCalls())
				require.Equal(t, "Bearer "+jwt, requestTo(t, s.api, uri).Auth)
			}
		})
	}
}
