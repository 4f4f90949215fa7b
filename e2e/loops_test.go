//go:build !js

package e2e

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/authfetch/authfetch/internal/browsertest"
	"github.com/stretchr/testify/require"
)

// No loops: the refresh request is never intercepted and never carries the
// access token, and the refresh token goes to refreshURL and nowhere else.

func TestTheRefreshRequestCarriesNoAuthorizationAndAJSONBody(t *testing.T) {
	t.Parallel()
	s := newRevokedSession(t)

	require.Equal(t, http.StatusOK, s.settle(`api.fetch('/api/me')`).Status)
	refreshes := s.api.Requests(browsertest.RefreshPath)
	require.Len(t, refreshes, 1)
	r := refreshes[0]
	require.Equal(t, http.MethodPost, r.Method)
	require.Empty(t, r.Auth, "the refresh request must not carry the access token")
	require.Contains(t, r.Header.Get("Content-Type"), "application/json")
	require.JSONEq(t, `{"refreshToken":"r1"}`, r.Body)
}

func TestA401FromTheRefreshEndpointIsNotItselfRefreshed(t *testing.T) {
	t.Parallel()
	s := newSessionWithAPI(t)
	s.api.AnswerRefresh(browsertest.AnswerStatus(http.StatusUnauthorized))
	s.api.RevokeAccess()

	o := s.settle(`api.fetch('/api/me')`)
	require.Equal(t, http.StatusUnauthorized, o.Status)
	require.Equal(t, 1, s.api.RefreshCalls(), "exactly one refresh call")
	require.Equal(t, []string{"Bearer a1"}, s.api.Auths("/api/me"))
	require.Empty(t, s.api.Requests(browsertest.RefreshPath)[0].Auth)
}

func TestThePagesOwnCallToTheRefreshURLIsNeitherAuthorizedNorRefreshed(t *testing.T) {
	t.Parallel()
	s := newSessionWithAPI(t)
	s.api.AnswerRefresh(browsertest.AnswerStatus(http.StatusUnauthorized))

	o := s.settle(`api.fetch('/auth/refresh-token?by=page', { method: 'POST', body: '{}' })`)
	require.Equal(t, http.StatusUnauthorized, o.Status)
	require.Equal(t, 1, s.api.RefreshCalls(), "the page's call, and no refresh of authfetch's behind it")
	require.Empty(t, s.api.Requests(browsertest.RefreshPath)[0].Auth)
	require.Equal(t, ptr("a1"), s.accessToken("api"), "the tokens are kept")
}

func TestTheRefreshTokenIsSentOnlyToTheRefreshURL(t *testing.T) {
	t.Parallel()
	other := newOtherOrigin(t)
	s := newSessionWithAPI(t)
	do(t, s.tab, `window.o = `+jsValue(other.URL))

	s.settle(`api.fetch('/api/me')`)
	s.settle(`api.fetch('/api/echo', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"x":1}' })`)
	s.settle(`api.fetch(o + '/get')`)
	s.settle(`api.fetch(o + '/post', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' })`)
	s.api.RevokeAccess()
	s.settle(`api.fetch('/api/me?after=revoke')`)
	s.api.RevokeAccess()
	s.settleAll(`[1, 2, 3, 4, 5].map(i => api.fetch('/api/item?i=' + i))`)
	s.settle(`api.fetch(o + '/401')`)
	s.settle(`api.fetch('/api/always401')`)
	s.settle(`api.fetch('/api/me', { skipAuth: true })`)
	s.settle(`api.fetch(o + '/after')`)

	refreshes := s.api.Requests(browsertest.RefreshPath)
	require.Len(t, refreshes, 3)
	_, last := s.api.Tokens()
	var issued []string // every refresh token of the session
	for _, r := range refreshes {
		tok := regexp.MustCompile(`r\d+`).FindString(r.Body)
		require.NotEmpty(t, tok, "a refresh without a refresh token: %q", r.Body)
		issued = append(issued, tok)
	}
	issued = append(issued, last)
	require.Equal(t, []string{"r1", "r2", "r3", "r4"}, issued)

	var elsewhere []browsertest.Record
	for _, r := range s.api.Requests("/") {
		if r.Path != browsertest.RefreshPath {
			elsewhere = append(elsewhere, r)
		}
	}
	elsewhere = append(elsewhere, other.Requests()...)
	require.Greater(t, len(elsewhere), 15)
	for _, r := range elsewhere {
		for _, tok := range issued {
			where := r.Method + " " + r.URI
			require.False(t, hasToken(r.URI, tok), "%s in the URL of %s", tok, where)
			require.False(t, hasToken(r.Body, tok), "%s in the body of %s", tok, where)
			for name, values := range r.Header {
				require.False(t, hasToken(strings.Join(values, ","), tok), "%s in the header %s of %s", tok, name, where)
			}
		}
	}
	for _, h := range other.Preflights() {
		require.NotContains(t, strings.ToLower(h), "authorization")
	}
}

// hasToken reports whether s holds tok as a whole word.
func hasToken(s, tok string) bool {
	return regexp.MustCompile(`(^|[^A-Za-z0-9_-])` + regexp.QuoteMeta(tok) + `($|[^A-Za-z0-9_-])`).MatchString(s)
}
