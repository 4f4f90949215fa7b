//go:build !js

package e2e

import (
	"net/http"
	"strings"
	"testing"

	"github.com/authfetch/authfetch/internal/browsertest"
	"github.com/stretchr/testify/require"
)

// The extension points: a fetch, a refresh and a storage of the app's own,
// headers for the refresh request, a token for what does not go through
// fetch, and a trace of why.

// refreshThroughAPI is a refresh option that does the JSON refresh itself,
// as an app's own refresh would (a GraphQL mutation, a vendor SDK), and
// counts its calls in e2e.refreshes.
const refreshThroughAPI = `async ({ refreshToken, signal }) => {
	e2e.refreshes = (e2e.refreshes ?? 0) + 1;
	const res = await fetch('/auth/refresh-token', { method: 'POST', signal, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ refreshToken }) });
	return res.ok ? res.json() : null;
}`

func TestTheFetchOptionSendsEveryRequestAndTheRefresh(t *testing.T) {
	t.Parallel()
	s := newRevokedSession(t)
	s.client(`{ fetch: (input, init) => { e2e.sends = (e2e.sends ?? 0) + 1; return fetch(input, init) } }`)

	require.Equal(t, http.StatusOK, s.settle(`api.fetch('/api/me')`).Status)
	require.Equal(t, 3, eval[int](t, s.tab, `return e2e.sends`), "the 401, the refresh, the retry")
}

func TestAFetchReplacedAfterTheClientWasMadeIsTheOneUsed(t *testing.T) {
	t.Parallel()
	s := newRevokedSession(t)
	do(t, s.tab, `const real = window.fetch;
		window.fetch = (input, init) => { e2e.wrapped = (e2e.wrapped ?? 0) + 1; return real(input, init) }`)

	require.Equal(t, http.StatusOK, s.settle(`api.fetch('/api/me')`).Status)
	require.Equal(t, 3, eval[int](t, s.tab, `return e2e.wrapped`), "the 401, the refresh, the retry")
}

// A refresh of the app's own: its tokens are a success, null a rejection
// (tokens removed, 'authfailure' once), a throw a transient failure.
func TestARefreshOfTheAppsOwnHasTheThreeOutcomes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		refresh    string
		wantStatus int
		wantEvents []string
		wantStored *string
	}{
		{"tokens", refreshThroughAPI, http.StatusOK, []string{"refresh", "tokens"}, ptr("a2")},
		{"null", `async () => null`, http.StatusUnauthorized, []string{"authfailure", "tokens"}, nil},
		{"a throw", `async () => { throw new Error('GraphQL: unavailable') }`, http.StatusUnauthorized, []string{"refresherror"}, ptr("a1")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newRevokedSession(t)
			s.client(`{ refresh: ` + tt.refresh + ` }`)
			require.Equal(t, tt.wantStatus, s.settle(`api.fetch('/api/me')`).Status)
			var types []string
			for _, e := range s.events("api") {
				types = append(types, e.Type)
			}
			require.Equal(t, tt.wantEvents, types)
			require.Equal(t, tt.wantStored, s.stored("accessToken"))
		})
	}
}

func TestABurstOfRevokedRequestsMakesOneCallOfTheAppsRefresh(t *testing.T) {
	t.Parallel()
	s := newRevokedSession(t)
	s.client(`{ refresh: ` + refreshThroughAPI + ` }`)

	for i, o := range s.settleAll(`Array.from({ length: 10 }, (_, i) => api.fetch('/api/item/' + i))`) {
		require.Equal(t, http.StatusOK, o.Status, "request %d", i)
	}
	require.Equal(t, 1, eval[int](t, s.tab, `return e2e.refreshes`))
	require.Equal(t, 1, s.api.RefreshCalls())
}

// A storage object of the app's holds the tokens; localStorage stays empty.
func TestAStorageObjectHoldsTheTokens(t *testing.T) {
	t.Parallel()
	s := newSession(t, stored{})
	s.api.RevokeAccess()
	do(t, s.tab, `const mem = new Map([['accessToken', 'a1'], ['refreshToken', 'r1']]);
		e2e.mem = mem;
		e2e.store = { getItem: (k) => mem.get(k) ?? null, setItem: (k, v) => mem.set(k, v), removeItem: (k) => mem.delete(k) }`)
	s.client(`{ storage: e2e.store }`)

	require.Equal(t, http.StatusOK, s.settle(`api.fetch('/api/me')`).Status)
	require.Equal(t, map[string]string{"accessToken": "a2", "refreshToken": "r2"},
		eval[map[string]string](t, s.tab, `return Object.fromEntries(e2e.mem)`))
	require.Zero(t, eval[int](t, s.tab, `return localStorage.length`))
}

func TestRefreshInitAddsHeadersToTheRefreshRequest(t *testing.T) {
	t.Parallel()
	s := newRevokedSession(t)
	s.client(`{ refreshInit: { credentials: 'include', headers: { 'X-CSRF-Token': 'c1' } } }`)

	require.Equal(t, http.StatusOK, s.settle(`api.fetch('/api/me')`).Status)
	refreshes := s.api.Requests(browsertest.RefreshPath)
	require.Len(t, refreshes, 1)
	require.Equal(t, "c1", refreshes[0].Header.Get("X-CSRF-Token"))
	require.Equal(t, "application/json", refreshes[0].Header.Get("Content-Type"))
	require.Empty(t, s.api.Requests("/api/me")[0].Header.Get("X-CSRF-Token"), "only the refresh request")
}

// getValidAccessToken ×3 and fetch ×3, on a token that expires within the
// leeway, share one refresh.
func TestGetValidAccessTokenSharesTheOneRefresh(t *testing.T) {
	t.Parallel()
	soon := browsertest.UnsignedJWT(timeIn(10), "soon")
	s := newSession(t, stored{"accessToken": soon, "refreshToken": "r1"})
	s.api.SetTokens(soon, "r1")
	s.client(`{}`)

	tokens := eval[[]any](t, s.tab, `const all = await Promise.all([
			api.getValidAccessToken(), api.fetch('/api/1'), api.getValidAccessToken(),
			api.fetch('/api/2'), api.getValidAccessToken(), api.fetch('/api/3')]);
		return all.map((x) => typeof x === 'string' ? x : x.status)`)
	require.Equal(t, []any{"a2", 200.0, "a2", 200.0, "a2", 200.0}, tokens)
	require.Equal(t, 1, s.api.RefreshCalls())
	require.NotContains(t, s.api.Auths("/api/1"), "Bearer "+soon, "no request went out with the expiring token")
}

// setTokens' expiresIn gives an opaque token its life: 10 s, within the
// leeway, so the next request refreshes first instead of earning a 401.
func TestSetTokensExpiresInMakesAnOpaqueTokenRefreshAhead(t *testing.T) {
	t.Parallel()
	s := newSession(t, stored{})
	s.client(`{}`)
	do(t, s.tab, `api.setTokens({ accessToken: 'a1', refreshToken: 'r1', expiresIn: 10 })`)

	require.Equal(t, http.StatusOK, s.settle(`api.fetch('/api/me')`).Status)
	require.Equal(t, []string{"Bearer a2"}, s.api.Auths("/api/me"))
	require.Equal(t, 1, s.api.RefreshCalls())
}

// The debug trace says what was decided and why, and never holds a token.
func TestTheDebugTraceSaysWhy(t *testing.T) {
	t.Parallel()
	s := newRevokedSession(t)
	s.client(`{ debug: (entry) => (e2e.trace ??= []).push(entry) }`)

	require.Equal(t, http.StatusOK, s.settle(`api.fetch('/api/me')`).Status)
	require.Equal(t, http.StatusUnauthorized, s.settle(`api.fetch('/api/public', { skipAuth: true })`).Status)
	type entry struct{ Type, URL, Reason string }
	trace := eval[[]entry](t, s.tab, `return e2e.trace`)
	var got []string
	for _, e := range trace {
		got = append(got, e.Type+" "+strings.TrimPrefix(e.URL, s.url)+": "+e.Reason)
		for _, tok := range []string{"a1", "a2", "r1", "r2"} {
			require.NotContains(t, e.URL+e.Reason, tok, "an entry holds a token")
		}
	}
	require.Equal(t, []string{
		"attach /api/me: ",
		"refresh : a request got a refresh status",
		"retry /api/me: it got a refresh status",
		"skip /api/public: skipAuth",
	}, got)
}
