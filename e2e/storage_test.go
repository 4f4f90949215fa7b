//go:build !js

package e2e

import (
	"net/http"
	"testing"

	"github.com/authfetch/authfetch/internal/browsertest"
	"github.com/stretchr/testify/require"
)

// Read where the login page wrote; fall back to memory when storage fails.

func TestATokenThatPageCodeWritesAfterCreateIsUsed(t *testing.T) {
	t.Parallel()
	s := newSession(t, stored{})
	s.client(`{}`)

	o := s.settle(`api.fetch('/api/me?step=logged-out')`)
	require.Equal(t, http.StatusUnauthorized, o.Status)
	require.Empty(t, requestTo(t, s.api, "/api/me?step=logged-out").Auth)

	do(t, s.tab, `localStorage.setItem('accessToken', 'a1'); localStorage.setItem('refreshToken', 'r1')`)
	o = s.settle(`api.fetch('/api/me?step=login')`)
	require.Equal(t, http.StatusOK, o.Status)
	require.Equal(t, "Bearer a1", requestTo(t, s.api, "/api/me?step=login").Auth)

	s.api.SetTokens("a9", "r9")
	do(t, s.tab, `localStorage.setItem('accessToken', 'a9'); localStorage.setItem('refreshToken', 'r9')`)
	o = s.settle(`api.fetch('/api/me?step=login-again')`)
	require.Equal(t, http.StatusOK, o.Status)
	require.Equal(t, "Bearer a9", requestTo(t, s.api, "/api/me?step=login-again").Auth)
	require.Zero(t, s.api.RefreshCalls())
}

func TestCustomStorageKeysAreReadAndWritten(t *testing.T) {
	t.Parallel()
	s := newSession(t, stored{"accessToken": "wrong-a", "refreshToken": "wrong-r", "myAT": "a1", "myRT": "r1"})
	s.client(`{ accessTokenKey: 'myAT', refreshTokenKey: 'myRT' }`)

	o := s.settle(`api.fetch('/api/me?step=read')`)
	require.Equal(t, http.StatusOK, o.Status)
	require.Equal(t, "Bearer a1", requestTo(t, s.api, "/api/me?step=read").Auth)

	s.api.RevokeAccess()
	o = s.settle(`api.fetch('/api/me?step=refresh')`)
	require.Equal(t, http.StatusOK, o.Status)
	refreshes := s.api.Requests(browsertest.RefreshPath)
	require.Len(t, refreshes, 1)
	require.JSONEq(t, `{"refreshToken":"r1"}`, refreshes[0].Body)
	require.Equal(t, ptr("a2"), s.stored("myAT"))
	require.Equal(t, ptr("r2"), s.stored("myRT"))
	s.requireStored(ptr("wrong-a"), ptr("wrong-r"))
}

func TestMemoryStorageNeitherReadsNorWritesWebStorage(t *testing.T) {
	t.Parallel()
	s := newSession(t)
	do(t, s.tab, `
		window.storageCalls = [];
		for (const m of ['getItem', 'setItem', 'removeItem', 'clear', 'key']) {
			const orig = Storage.prototype[m];
			Storage.prototype[m] = function (...args) { storageCalls.push(m + ' ' + args[0]); return orig.apply(this, args); };
		}`)
	s.client(`{ storage: 'memory' }`)

	o := s.settle(`api.fetch('/api/me?step=before-setTokens')`)
	require.Equal(t, http.StatusUnauthorized, o.Status)
	require.Empty(t, requestTo(t, s.api, "/api/me?step=before-setTokens").Auth, "the token in localStorage must not be read")
	require.Zero(t, s.api.RefreshCalls(), "the refresh token in localStorage must not be read")

	do(t, s.tab, `api.setTokens({ accessToken: 'a1', refreshToken: 'r1' })`)
	o = s.settle(`api.fetch('/api/me?step=after-setTokens')`)
	require.Equal(t, http.StatusOK, o.Status)
	require.Equal(t, "Bearer a1", requestTo(t, s.api, "/api/me?step=after-setTokens").Auth)

	s.api.RevokeAccess()
	o = s.settle(`api.fetch('/api/me?step=refresh')`)
	require.Equal(t, http.StatusOK, o.Status)
	require.Equal(t, ptr("a2"), s.accessToken("api"))

	require.Empty(t, eval[[]string](t, s.tab, `return storageCalls`), "Web Storage calls")
	require.Zero(t, eval[int](t, s.tab, `return sessionStorage.length`))
	s.requireStored(ptr("a1"), ptr("r1"))
}

func TestSessionStorageIsReadAndWritten(t *testing.T) {
	t.Parallel()
	s := newSession(t, stored{})
	do(t, s.tab, `sessionStorage.setItem('accessToken', 'a1'); sessionStorage.setItem('refreshToken', 'r1')`)
	s.client(`{ storage: 'session' }`)
	s.api.RevokeAccess()

	o := s.settle(`api.fetch('/api/me')`)
	require.Equal(t, http.StatusOK, o.Status)
	require.Equal(t, []string{"Bearer a1", "Bearer a2"}, s.api.Auths("/api/me"))
	require.Equal(t, []string{"a2", "r2"}, eval[[]string](t, s.tab, `return [sessionStorage.getItem('accessToken'), sessionStorage.getItem('refreshToken')]`))
	s.requireStored(nil, nil)
}

func TestStorageThatThrowsFallsBackToMemory(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ name, breakStorage string }{
		{"every call throws", `
			for (const m of ['getItem', 'setItem', 'removeItem']) {
				Storage.prototype[m] = () => { throw new DOMException('storage is disabled', 'SecurityError'); };
			}`},
		{"writes throw QuotaExceededError", `
			Storage.prototype.setItem = () => { throw new DOMException('quota', 'QuotaExceededError'); };`},
		{"localStorage itself throws", `
			Object.defineProperty(window, 'localStorage', { configurable: true, get() { throw new DOMException('denied', 'SecurityError'); } });`},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := newSession(t, stored{})
			do(t, s.tab, c.breakStorage)
			s.client(`{}`)

			res := eval[outcome](t, s.tab, `return await e2e.attempt(() => api.setTokens({ accessToken: 'a1', refreshToken: 'r1' }))`)
			require.True(t, res.Resolved, "setTokens threw: %+v", res)
			require.Equal(t, ptr("a1"), s.accessToken("api"))

			o := s.settle(`api.fetch('/api/me?step=memory')`)
			require.True(t, o.Resolved, "%+v", o)
			require.Equal(t, http.StatusOK, o.Status)
			require.Equal(t, "Bearer a1", requestTo(t, s.api, "/api/me?step=memory").Auth)

			s.api.RevokeAccess()
			o = s.settle(`api.fetch('/api/me?step=refresh')`)
			require.True(t, o.Resolved, "%+v", o)
			require.Equal(t, http.StatusOK, o.Status)
			refreshes := s.api.Requests(browsertest.RefreshPath)
			require.Len(t, refreshes, 1)
			require.JSONEq(t, `{"refreshToken":"r1"}`, refreshes[0].Body)
			require.Equal(t, ptr("a2"), s.accessToken("api"))
		})
	}
}
