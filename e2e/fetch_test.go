//go:build !js

package e2e

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/authfetch/authfetch/internal/browsertest"
	"github.com/stretchr/testify/require"
)

// Fetch semantics: what api.fetch resolves and rejects with is what fetch would.

func TestAFinal401ResolvesWithTheResponse(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name   string
		seed   stored
		answer browsertest.Answer
	}{
		{"no refresh token", stored{"accessToken": "a1"}, browsertest.Rotated},
		{"the refresh rejected", loggedIn, browsertest.AnswerStatus(http.StatusUnauthorized)},
		{"the refresh failed", loggedIn, browsertest.NotJSON},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := newSession(t, c.seed)
			s.api.AnswerRefresh(c.answer)
			s.client(`{}`)
			s.api.RevokeAccess()

			o := s.settle(`api.fetch('/api/me')`)
			require.True(t, o.Resolved, "%+v", o)
			require.True(t, o.IsResponse)
			require.Equal(t, http.StatusUnauthorized, o.Status)
			require.JSONEq(t, `{"error":"unauthorized","uri":"/api/me"}`, o.Body)
		})
	}
}

func TestANetworkErrorRejectsWithATypeErrorAsFetchDoes(t *testing.T) {
	t.Parallel()
	s := newSession(t)
	closed := newOtherOrigin(t)
	closed.Close()
	refusing := refusingURL(t)
	s.client(`{ allowedOrigins: [location.origin, ` + jsValue(closed.URL) + `] }`)

	for _, c := range []struct{ name, url string }{
		{"an allowed origin that is down", closed.URL + "/api/me"},
		{"a port that refuses", refusing + "/x"},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := eval[map[string]outcome](t, s.tab, `
				const u = `+jsValue(c.url)+`;
				return { fetch: await e2e.settle(fetch(u)), api: await e2e.settle(api.fetch(u)) };`)
			plain, viaAPI := got["fetch"], got["api"]
			require.False(t, plain.Resolved, "fetch: %+v", plain)
			require.False(t, viaAPI.Resolved, "api.fetch resolved: %+v", viaAPI)
			require.True(t, viaAPI.IsTypeError, "%+v", viaAPI)
			require.Equal(t, plain.Name, viaAPI.Name)
		})
	}
	require.Zero(t, s.api.RefreshCalls())
	s.requireStored(ptr("a1"), ptr("r1"))
}

func TestTheResponseIsTheBrowsersOwnObject(t *testing.T) {
	t.Parallel()
	s := newSessionWithAPI(t)
	for i, c := range []struct {
		name   string
		revoke bool
	}{
		{"answered at once", false},
		{"answered after a refresh", true},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := s.on(t)
			if c.revoke {
				s.api.RevokeAccess()
			}
			type response struct {
				IsResponse, BodyUsedBefore, BodyUsedAfter bool
				Status                                    int
				URL, Header                               string
				JSON                                      map[string]string
			}
			uri := fmt.Sprintf("/api/me?case=%d", i)
			got := eval[response](t, s.tab, `
				const r = await api.fetch(`+jsValue(uri)+`);
				const out = { IsResponse: r instanceof Response, BodyUsedBefore: r.bodyUsed, Status: r.status, URL: r.url, Header: r.headers.get('X-Test') };
				out.JSON = await r.json();
				out.BodyUsedAfter = r.bodyUsed;
				return out;`)
			require.True(t, got.IsResponse)
			require.False(t, got.BodyUsedBefore, "authfetch must not read the body")
			require.True(t, got.BodyUsedAfter)
			require.Equal(t, http.StatusOK, got.Status)
			require.Equal(t, s.url+uri, got.URL)
			require.Equal(t, "yes", got.Header)
			cur, _ := s.api.Tokens()
			require.Equal(t, map[string]string{"uri": uri, "auth": "Bearer " + cur}, got.JSON)
		})
	}
	require.Equal(t, 1, s.api.RefreshCalls())
}
