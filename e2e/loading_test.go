//go:build !js

package e2e

import (
	"net/http"
	"testing"

	"github.com/authfetch/authfetch/internal/browsertest"
	"github.com/stretchr/testify/require"
)

// Loading, options and the client's methods.

func TestCreatingTwoClientsLoadsTheModuleOnceAndBothWork(t *testing.T) {
	t.Parallel()
	s := newSessionWithAPI(t)
	s.clientNamed("api2", `{}`)

	got := s.settleAll(`[api.fetch('/api/me?client=1'), api2.fetch('/api/me?client=2')]`)
	for i, o := range got {
		require.Equal(t, http.StatusOK, o.Status, "client %d: %+v", i+1, o)
	}
	require.Equal(t, "Bearer a1", requestTo(t, s.api, "/api/me?client=1").Auth)
	require.Equal(t, "Bearer a1", requestTo(t, s.api, "/api/me?client=2").Auth)
	require.Len(t, s.api.Requests("/js/authfetch.wasm"), 1, "the .wasm is fetched once per page")
	require.Len(t, s.api.Requests("/js/wasm_exec.js"), 1, "wasm_exec.js is loaded once per page")
}

func TestClientsWithTheSameKeysShareOneRefreshAndItsEvents(t *testing.T) {
	t.Parallel()
	s := newSessionWithAPI(t)
	s.clientNamed("api2", `{}`)
	s.api.RevokeAccess()

	got := s.settleAll(`[...Array.from({ length: 20 }, (_, i) => api.fetch('/api/item?c=1&i=' + i)),
		...Array.from({ length: 20 }, (_, i) => api2.fetch('/api/item?c=2&i=' + i))]`)
	require.Len(t, got, 40)
	for i, o := range got {
		require.Equal(t, http.StatusOK, o.Status, "request %d: %+v", i, o)
	}
	require.Equal(t, 1, s.api.RefreshCalls())
	for _, name := range []string{"api", "api2"} {
		refreshed := s.events(name, "refresh")
		require.Len(t, refreshed, 1, "%s's refresh events", name)
		require.Equal(t, "a2", refreshed[0].Detail["accessToken"])
		st := s.stats(name)
		require.Equal(t, 20, st.Requests, name)
		require.Equal(t, 1, st.Refreshes, "%s: refreshes count for the session", name)
		require.Equal(t, ptr("a2"), s.accessToken(name))
	}
}

func TestClientsWithDifferentKeysAreIndependent(t *testing.T) {
	t.Parallel()
	s := newSession(t, stored{"accessToken": "a1", "refreshToken": "r1", "bAT": "b-token"})
	s.client(`{}`)
	s.clientNamed("apiB", `{ accessTokenKey: 'bAT', refreshTokenKey: 'bRT' }`)
	s.api.RevokeAccess()

	o := s.settle(`apiB.fetch('/api/b')`)
	require.Equal(t, http.StatusUnauthorized, o.Status, "B has no refresh token")
	require.Equal(t, []string{"Bearer b-token"}, s.api.Auths("/api/b"))
	require.Zero(t, s.api.RefreshCalls())

	o = s.settle(`api.fetch('/api/a')`)
	require.Equal(t, http.StatusOK, o.Status)
	require.Equal(t, 1, s.api.RefreshCalls())
	require.Equal(t, ptr("b-token"), s.accessToken("apiB"))
	require.Empty(t, s.events("apiB", "refresh"))
	require.Len(t, s.events("api", "refresh"), 1)
	require.Equal(t, clientStats{Requests: 1}, s.stats("apiB"))
}

func TestAFailedLoadRejectsWithAnErrorThatNamesTheURL(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ name, wasmURL string }{
		{"a missing file", "/nope/missing.wasm"},
		{"a file that is not WebAssembly", "/page.html"},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := newSession(t)
			s.requireCreateFails(`{ wasmURL: `+jsValue(c.wasmURL)+` }`, c.wasmURL)

			// The failure is not remembered: a correct load in the same page works.
			s.client(`{}`)
			require.Equal(t, http.StatusOK, s.settle(`api.fetch('/api/me')`).Status)
		})
	}
}

// requireCreateFails checks that createAuthFetch(opts) rejects with an
// Error whose message names want.
func (s *session) requireCreateFails(opts, want string) {
	s.t.Helper()
	got := eval[outcome](s.t, s.tab, `return await e2e.attempt(() => e2e.client(`+opts+`, 'bad'))`)
	require.False(s.t, got.Resolved, "createAuthFetch(%s) resolved", opts)
	require.True(s.t, got.IsError, "%+v", got)
	require.Contains(s.t, got.Message, want)
}

func TestInvalidOptionsRejectWithAnErrorThatNamesTheOption(t *testing.T) {
	t.Parallel()
	s := newSession(t)
	for _, c := range []struct{ option, opts string }{
		{"storage", `{ storage: 'disk' }`},
		{"refreshURL", `{ refreshURL: 42 }`},
		{"baseURL", `{ baseURL: 'http://[' }`},
		{"accessTokenKey", `{ accessTokenKey: 42 }`},
		{"refreshLeewaySeconds", `{ refreshLeewaySeconds: 'soon' }`},
		{"refreshTimeoutMs", `{ refreshTimeoutMs: 'later' }`},
		{"refreshOn", `{ refreshOn: '401' }`},
		{"allowedOrigins", `{ allowedOrigins: 42 }`},
	} {
		t.Run(c.option, func(t *testing.T) {
			s.on(t).requireCreateFails(c.opts, c.option)
		})
	}
	s.client(`{}`)
	require.Equal(t, http.StatusOK, s.settle(`api.fetch('/api/me')`).Status)
}

func TestFetchWorksDetachedFromTheClient(t *testing.T) {
	t.Parallel()
	s := newSessionWithAPI(t)
	got := eval[[]int](t, s.tab, `
		const f = api.fetch;
		const viaWrapper = (fetchImpl) => (u) => fetchImpl(u);
		const rs = [
			await f('/api/me?via=detached'),
			await f.call(undefined, '/api/me?via=call'),
			await viaWrapper(api.fetch)('/api/me?via=wrapper'),
			await Reflect.apply(api.fetch, null, ['/api/me?via=apply']),
		];
		return rs.map(r => r.status);`)
	require.Equal(t, []int{200, 200, 200, 200}, got)
	for _, via := range []string{"detached", "call", "wrapper", "apply"} {
		require.Equal(t, "Bearer a1", requestTo(t, s.api, "/api/me?via="+via).Auth, via)
	}
}

func TestOnReturnsAnUnsubscribeThatWorks(t *testing.T) {
	t.Parallel()
	s := newSessionWithAPI(t)
	do(t, s.tab, `
		window.calls = { removed: 0, kept: 0 };
		const off = api.on('refresh', () => calls.removed++);
		api.on('refresh', () => calls.kept++);
		if (typeof off !== 'function') throw new Error('on() returned ' + typeof off);
		off();`)
	s.api.RevokeAccess()

	require.Equal(t, http.StatusOK, s.settle(`api.fetch('/api/me')`).Status)
	require.Equal(t, map[string]int{"removed": 0, "kept": 1}, eval[map[string]int](t, s.tab, `return calls`))
}

func TestCloseReleasesTheClientsListeners(t *testing.T) {
	t.Parallel()
	s := newSessionWithAPI(t)
	s.clientNamed("api2", `{}`)
	do(t, s.tab, `
		window.calls = { closed: 0, open: 0 };
		api.on('refresh', () => calls.closed++);
		api2.on('refresh', () => calls.open++);
		api.close();`)
	s.api.RevokeAccess()

	require.Equal(t, http.StatusOK, s.settle(`api2.fetch('/api/me')`).Status)
	require.Equal(t, map[string]int{"closed": 0, "open": 1}, eval[map[string]int](t, s.tab, `return calls`))
	require.Empty(t, s.events("api", "refresh"), "the closed client's listeners")
	require.Len(t, s.events("api2", "refresh"), 1)

	s.clientNamed("api3", `{}`)
	require.Equal(t, http.StatusOK, s.settle(`api3.fetch('/api/me?client=3')`).Status, "a client created after close()")
	require.Equal(t, "Bearer a2", requestTo(t, s.api, "/api/me?client=3").Auth)
}

func TestSetTokensAndClearTokensWriteStorageAndFireTokens(t *testing.T) {
	t.Parallel()
	s := newSession(t, stored{})
	s.client(`{}`)

	do(t, s.tab, `api.setTokens({ accessToken: 'a1', refreshToken: 'r1' })`)
	s.requireStored(ptr("a1"), ptr("r1"))
	require.Equal(t, ptr("a1"), s.accessToken("api"))
	require.Equal(t, http.StatusOK, s.settle(`api.fetch('/api/me?step=set')`).Status)
	require.Equal(t, "Bearer a1", requestTo(t, s.api, "/api/me?step=set").Auth)

	do(t, s.tab, `api.setTokens({ accessToken: 'a5' })`)
	s.requireStored(ptr("a5"), nil)

	do(t, s.tab, `api.setTokens({ accessToken: '' , refreshToken: 'r1' })`)
	require.Nil(t, s.accessToken("api"), "an empty string counts as no token")

	do(t, s.tab, `api.clearTokens()`)
	s.requireStored(nil, nil)
	require.Nil(t, s.accessToken("api"))
	require.Equal(t, http.StatusUnauthorized, s.settle(`api.fetch('/api/me?step=cleared')`).Status)
	require.Empty(t, requestTo(t, s.api, "/api/me?step=cleared").Auth)

	var seen []any
	for _, e := range s.events("api", "tokens") {
		seen = append(seen, e.Detail["accessToken"])
	}
	require.GreaterOrEqual(t, len(seen), 3, "tokens events: %v", seen)
	require.Equal(t, "a1", seen[0])
	require.Contains(t, seen, "a5")
	require.Nil(t, seen[len(seen)-1], "clearTokens fires tokens with null")
}

func TestRefreshSharesTheRefreshInFlightAndReportsTheOutcome(t *testing.T) {
	t.Parallel()
	s := newSessionWithAPI(t)
	release := s.holdRefreshes()

	s.start("forced", `Promise.all([api.refresh(), api.refresh(), api.refresh()])`)
	s.arrived(browsertest.RefreshPath, 1, "the refresh")
	release()
	require.Equal(t, []bool{true, true, true}, kept[[]bool](s, "forced"))
	require.Equal(t, 1, s.api.RefreshCalls())
	s.requireStored(ptr("a2"), ptr("r2"))

	s.api.AnswerRefresh(browsertest.AnswerStatus(http.StatusForbidden))
	require.False(t, eval[bool](t, s.tab, `return await api.refresh()`), "a rejected refresh")
	s.requireStored(nil, nil)
	require.False(t, eval[bool](t, s.tab, `return await api.refresh()`), "no refresh token stored")
	require.Equal(t, 2, s.api.RefreshCalls())
	require.JSONEq(t, `{"refreshToken":"r2"}`, s.api.Requests(browsertest.RefreshPath)[1].Body)
}
