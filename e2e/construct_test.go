//go:build !js

package e2e

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
)

// new AuthFetch(): a client at once, calls that wait for the module, and
// ready's AuthFetchError. Each test opens a fresh page, where the first
// client is the one that starts the module: in the tick it is made, the
// module cannot be running yet.

// newClientNow is the start of each page script here: a client made in the
// script's own tick, as window.api.
const newClientNow = `
	const { AuthFetch, AuthFetchError } = await import('/js/authfetch.js');
	const api = window.api = new AuthFetch(`

func TestARequestMadeInTheSameTickAsNewAuthFetchGoesOutWithTheToken(t *testing.T) {
	t.Parallel()
	s := newSession(t)
	got := eval[struct {
		Before  *string
		Outcome outcome
	}](t, s.tab, newClientNow+`{});
		const sent = api.fetch('/api/me');
		const before = api.getAccessToken();
		return { before, outcome: await e2e.settle(sent) };`)
	require.Equal(t, ptr("a1"), got.Before, "getAccessToken reads the storage before the module runs")
	require.Equal(t, http.StatusOK, got.Outcome.Status, "%+v", got.Outcome)
	require.Equal(t, "Bearer a1", requestTo(t, s.api, "/api/me").Auth)
	require.Len(t, s.api.Requests("/js/authfetch.wasm"), 1)
	do(t, s.tab, `await api.ready`)
}

func TestCallsMadeBeforeTheModuleRunsWaitForIt(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name   string
		seed   stored
		script string // defines got, after new AuthFetch({}) in the same tick
		want   string // got, as JSON
		check  func(t *testing.T, s *session)
	}{
		{
			name:   "setTokens is stored before the waiting request goes out",
			seed:   stored{},
			script: `api.setTokens({ accessToken: 'a1', refreshToken: 'r1' }); const token = api.getAccessToken(); const got = { token, status: (await api.fetch('/api/me')).status };`,
			want:   `{"token": "a1", "status": 200}`,
			check: func(t *testing.T, s *session) {
				require.Equal(t, "Bearer a1", requestTo(t, s.api, "/api/me").Auth)
				s.requireStored(ptr("a1"), ptr("r1"))
			},
		},
		{
			name:   "clearTokens is applied before the waiting request goes out",
			script: `api.clearTokens(); const token = api.getAccessToken(); const got = { token, status: (await api.fetch('/api/me')).status };`,
			want:   `{"token": null, "status": 401}`,
			check: func(t *testing.T, s *session) {
				require.Empty(t, requestTo(t, s.api, "/api/me").Auth)
				require.Zero(t, s.api.RefreshCalls())
				s.requireStored(nil, nil)
			},
		},
		{
			name:   "refresh waits for the module and refreshes once",
			script: `const got = await Promise.all([api.refresh(), api.refresh()]);`,
			want:   `[true, true]`,
			check:  func(t *testing.T, s *session) { require.Equal(t, 1, s.api.RefreshCalls()) },
		},
		{
			name:   "getValidAccessToken waits for the module",
			script: `const got = await api.getValidAccessToken();`,
			want:   `"a1"`,
		},
		{
			name: "an abort while the module loads rejects as fetch does, and nothing is sent",
			script: `const c = new AbortController(); const p = api.fetch('/api/aborted', { signal: c.signal }); c.abort();
				const got = await e2e.settle(p).then(o => [o.resolved, o.name]);`,
			want:  `[false, "AbortError"]`,
			check: func(t *testing.T, s *session) { require.Empty(t, s.api.Requests("/api/aborted")) },
		},
		{
			name: "close rejects the waiting calls and ready with closed",
			script: `const p = api.fetch('/api/closed'); api.close();
				const got = [(await e2e.settle(p)).code, (await e2e.attempt(() => api.ready)).code, (await e2e.settle(api.fetch('/api/later'))).code];`,
			want: `["closed", "closed", "closed"]`,
			check: func(t *testing.T, s *session) {
				require.Empty(t, s.api.Requests("/api/closed"))
				require.Empty(t, s.api.Requests("/api/later"))
			},
		},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			seed := loggedIn
			if c.seed != nil {
				seed = c.seed
			}
			s := newSession(t, seed)
			got := eval[any](t, s.tab, newClientNow+`{});
				`+c.script+`
				return got;`)
			require.JSONEq(t, c.want, jsValue(got))
			if c.check != nil {
				c.check(t, s)
			}
		})
	}
}

func TestReadyRejectsWithAnAuthFetchErrorOfItsCodeAndNothingIsLeftUnhandled(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name, opts, code, says string
	}{
		{"an unknown option", `{ refreshUrl: '/x' }`, "option", "refreshUrl"},
		{"an option the module refuses", `{ storage: 'disk' }`, "option", "storage"},
		{"an unparsable baseURL", `{ baseURL: 'http://[' }`, "option", "baseURL"},
		{"an unparsable wasmURL", `{ wasmURL: 'http://[' }`, "option", "wasmURL"},
		{"a missing .wasm", `{ wasmURL: '/nope/missing.wasm' }`, "load", "/nope/missing.wasm"},
		{"a wasmModule that rejects", `{ wasmModule: Promise.reject(new Error('cache miss')) }`, "load", "cache miss"},
		{"a wasmModule that is not a module", `{ wasmModule: Promise.resolve(42) }`, "load", "wasmModule"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			s := newSession(t)
			got := eval[struct {
				Ready, Fetch, Refresh outcome
				IsAuthFetchError      bool
				Unhandled             []string
			}](t, s.tab, `
				const unhandled = [];
				addEventListener('unhandledrejection', (e) => unhandled.push(String(e.reason)));
				const { AuthFetch, AuthFetchError } = await import('/js/authfetch.js');
				const opts = `+c.opts+`;
				new AuthFetch(opts); // its ready is never looked at
				const api = new AuthFetch(opts);
				const got = {
					ready: await e2e.attempt(() => api.ready),
					fetch: await e2e.settle(api.fetch('/api/me')),
					refresh: await e2e.attempt(() => api.refresh()),
					isAuthFetchError: await api.ready.catch((err) => err instanceof AuthFetchError && err.name === 'AuthFetchError'),
				};
				await new Promise((resolve) => setTimeout(resolve, 100));
				return { ...got, unhandled };`)
			for what, o := range map[string]outcome{"ready": got.Ready, "fetch": got.Fetch, "refresh": got.Refresh} {
				require.False(t, o.Resolved, "%s: %+v", what, o)
				require.Equal(t, c.code, o.Code, "%s: %+v", what, o)
				require.Contains(t, o.Message, c.says, what)
			}
			require.True(t, got.IsAuthFetchError)
			require.Empty(t, got.Unhandled, "unhandled rejections")
			require.Empty(t, s.api.Requests("/api/me"))
		})
	}
}

func TestTheWasmModuleOptionRunsTheModuleItIsGiven(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ name, module string }{
		{"a Promise of a module", `WebAssembly.compileStreaming(fetch('/js/authfetch.wasm?given'))`},
		{"a compiled module", `await WebAssembly.compileStreaming(fetch('/js/authfetch.wasm?given'))`},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			s := newSession(t)
			o := eval[outcome](t, s.tab, `
				const { AuthFetch } = await import('/js/authfetch.js');
				const api = new AuthFetch({ wasmModule: `+c.module+` });
				return await e2e.settle(api.fetch('/api/me'));`)
			require.Equal(t, http.StatusOK, o.Status, "%+v", o)
			require.Equal(t, "Bearer a1", requestTo(t, s.api, "/api/me").Auth)
			loaded := s.api.Requests("/js/authfetch.wasm")
			require.Len(t, loaded, 1, "authfetch fetched no module of its own")
			require.Equal(t, "/js/authfetch.wasm?given", loaded[0].URI)
		})
	}
}

// TestAPageThatImportsGoJSFirstSeesTheGoInstanceAuthfetchRuns is the seam
// of the pages that observe the module (the soak, the bench): go.js is one
// module per page, so a wrapper of Go.prototype.run installed before the
// first client sees the instance authfetch runs, its memory and its JS
// values, while globalThis.Go stays unset.
func TestAPageThatImportsGoJSFirstSeesTheGoInstanceAuthfetchRuns(t *testing.T) {
	t.Parallel()
	s := newSession(t)
	got := eval[struct {
		Memory, Values int
		Global         bool
	}](t, s.tab, `
		const { Go } = await import('/js/go.js');
		let seen = null;
		const run = Go.prototype.run;
		Go.prototype.run = function (instance) { seen = this; return run.call(this, instance); };
		const { createAuthFetch } = await import('/js/authfetch.js');
		await createAuthFetch({});
		return { memory: seen._inst.exports.mem.buffer.byteLength, values: seen._values.length - seen._idPool.length, global: 'Go' in globalThis };`)
	require.Positive(t, got.Memory, "the module's linear memory")
	require.Positive(t, got.Values, "the JS values Go holds")
	require.False(t, got.Global)
}
