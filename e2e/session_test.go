//go:build !js

package e2e

import (
	"net/http"
	"testing"
	"time"

	"github.com/authfetch/authfetch/internal/browsertest"
	"github.com/stretchr/testify/require"
)

// session is one test's page: the fake token API (its own origin, so a fresh
// localStorage) and a tab open at its /page.html with the test helpers.
type session struct {
	t   *testing.T
	api *browsertest.FakeAPI
	url string // the API's origin, which is the page's
	tab *browsertest.Tab
}

// stored is what the login page wrote to localStorage before the test runs.
type stored map[string]string

// loggedIn is the default storage: the tokens that the fake API starts with.
var loggedIn = stored{"accessToken": "a1", "refreshToken": "r1"}

// newSession starts the fake API, opens a tab at its /page.html, installs
// the helpers of prelude and writes seed to localStorage (loggedIn when no
// seed is given).
func newSession(t *testing.T, seed ...stored) *session {
	t.Helper()
	return newSessionServing(t, harness.Files(), seed...)
}

// newSessionServing is newSession whose API serves files for the paths it
// does not route (the page and the module).
func newSessionServing(t *testing.T, files http.Handler, seed ...stored) *session {
	t.Helper()
	s := &session{t: t}
	s.api, s.url = newFakeAPI(t, files)
	s.tab = openTab(t, s.url+"/page.html")
	kv := loggedIn
	if len(seed) > 0 {
		kv = seed[0]
	}
	do(t, s.tab, prelude+`
		localStorage.clear();
		for (const [k, v] of Object.entries(`+jsValue(kv)+`)) localStorage.setItem(k, v);`)
	return s
}

// newSessionWithAPI is newSession with window.api, a client with the
// default options.
func newSessionWithAPI(t *testing.T, seed ...stored) *session {
	t.Helper()
	s := newSession(t, seed...)
	s.client(`{}`)
	return s
}

// newRevokedSession is newSessionWithAPI once the fake API revoked a1: the
// next request with it gets a 401 and refreshes.
func newRevokedSession(t *testing.T) *session {
	t.Helper()
	s := newSessionWithAPI(t)
	s.api.RevokeAccess()
	return s
}

// holdRefreshes makes the fake API's refreshes wait until release, which
// the end of the test calls too.
func (s *session) holdRefreshes() (release func()) {
	release = s.api.HoldRefreshes()
	s.t.Cleanup(release)
	return release
}

// prelude defines window.e2e, the page side of the helpers below. It only
// drives the page and reports what happened; the Go side asserts.
const prelude = `
window.e2e = {
	events: {},
	// client creates a client as window[name] and logs its events in e2e.events[name].
	async client(opts, name) {
		const { createAuthFetch } = await import('/js/authfetch.js');
		const c = await createAuthFetch(opts);
		window[name] = c;
		const log = this.events[name] = [];
		for (const type of ['refresh', 'authfailure', 'refresherror', 'tokens']) {
			c.on(type, detail => log.push({ type, detail }));
		}
		return c;
	},
	// describe turns a rejection into plain data.
	describe(e) {
		return {
			resolved: false,
			name: String(e?.name ?? ''),
			message: String(e?.message ?? e),
			isError: e instanceof Error,
			code: String(e?.code ?? ''),
			isTypeError: e instanceof TypeError,
			isDOMException: e instanceof DOMException,
		};
	},
	// settle waits for a fetch and reports its Response (reading its body) or its rejection.
	async settle(p) {
		let r;
		try { r = await p; } catch (e) { return this.describe(e); }
		const out = { resolved: true, isResponse: r instanceof Response, status: r.status, bodyUsed: r.bodyUsed };
		out.body = await r.text();
		return out;
	},
	// within is settle that gives up after ms, reporting pending.
	within(p, ms) {
		return Promise.race([this.settle(p), new Promise(r => setTimeout(() => r({ pending: true }), ms))]);
	},
	// attempt runs fn and reports whether it threw.
	async attempt(fn) {
		try { await fn(); return { resolved: true }; } catch (e) { return this.describe(e); }
	},
	// watchSends wraps the page's fetch to count the sends to each path; call
	// it before the first client, since the module looks fetch up once, when
	// it starts. Then sent(path, n) resolves once n sends to path went out.
	watchSends() {
		const realFetch = window.fetch, sends = {}, waiting = [];
		window.fetch = (input, init) => {
			const path = new URL(input instanceof Request ? input.url : String(input), location.href).pathname;
			sends[path] = (sends[path] ?? 0) + 1;
			for (const w of waiting.splice(0)) {
				if ((sends[w.path] ?? 0) >= w.n) w.resolve(); else waiting.push(w);
			}
			return realFetch(input, init);
		};
		this.sent = (path, n) => (sends[path] ?? 0) >= n ? Promise.resolve()
			: new Promise(resolve => waiting.push({ path, n, resolve }));
	},
};
`

// outcome is what became of a fetch (or another promise) in the page.
type outcome struct {
	Pending        bool   `json:"pending"`
	Resolved       bool   `json:"resolved"`
	IsResponse     bool   `json:"isResponse"`
	Status         int    `json:"status"`
	BodyUsed       bool   `json:"bodyUsed"`
	Body           string `json:"body"`
	Name           string `json:"name"`
	Message        string `json:"message"`
	IsError        bool   `json:"isError"`
	Code           string `json:"code"` // an AuthFetchError's
	IsTypeError    bool   `json:"isTypeError"`
	IsDOMException bool   `json:"isDOMException"`
}

// event is one event that a client's listener received.
type event struct {
	Type   string         `json:"type"`
	Detail map[string]any `json:"detail"`
}

// clientStats is what api.stats() returns.
type clientStats struct {
	Requests      int `json:"requests"`
	Retries       int `json:"retries"`
	Refreshes     int `json:"refreshes"`
	RefreshErrors int `json:"refreshErrors"`
	AuthFailures  int `json:"authFailures"`
}

// on returns the session for the subtest t.
func (s *session) on(t *testing.T) *session {
	c := *s
	c.t = t
	return &c
}

// client creates window.api with the options opts (a JS expression).
func (s *session) client(opts string) { s.clientNamed("api", opts) }

// clientNamed creates window[name] with the options opts (a JS expression).
func (s *session) clientNamed(name, opts string) {
	s.t.Helper()
	do(s.t, s.tab, `await e2e.client(`+opts+`, `+jsValue(name)+`)`)
}

// settle runs the JS expression promise (usually an api.fetch call) and reports its outcome.
func (s *session) settle(promise string) outcome {
	s.t.Helper()
	return eval[outcome](s.t, s.tab, `return await e2e.settle(`+promise+`)`)
}

// settleAll runs the JS expression promises (an array of promises) and reports each outcome.
func (s *session) settleAll(promises string) []outcome {
	s.t.Helper()
	return eval[[]outcome](s.t, s.tab, `return await Promise.all((`+promises+`).map(p => e2e.settle(p)))`)
}

// start runs the JS expression promise and keeps it as window[name] without waiting.
func (s *session) start(name, promise string) {
	s.t.Helper()
	do(s.t, s.tab, `window[`+jsValue(name)+`] = `+promise+`; window[`+jsValue(name)+`].catch(() => {});`)
}

// outcomeOf waits for the promise that start kept as window[name].
func (s *session) outcomeOf(name string) outcome {
	s.t.Helper()
	return eval[outcome](s.t, s.tab, `return await e2e.within(window[`+jsValue(name)+`], 10000)`)
}

// kept waits for the promise that start kept as window[name] and decodes its value.
func kept[T any](s *session, name string) T {
	s.t.Helper()
	return eval[T](s.t, s.tab, `return await window[`+jsValue(name)+`]`)
}

// roundTrips makes n plain same-origin requests, one after another. A test
// uses it to let the page run whatever it would send before checking that
// something was not sent; it is an ordering point, not a sleep.
func (s *session) roundTrips(n int) {
	s.t.Helper()
	do(s.t, s.tab, `for (let i = 0; i < `+jsValue(n)+`; i++) await fetch('/ping');`)
}

// accessToken returns window[name].getAccessToken().
func (s *session) accessToken(name string) *string {
	s.t.Helper()
	return eval[*string](s.t, s.tab, `return window[`+jsValue(name)+`].getAccessToken()`)
}

// stored returns the value of key in localStorage, nil when absent.
func (s *session) stored(key string) *string {
	s.t.Helper()
	return eval[*string](s.t, s.tab, `return localStorage.getItem(`+jsValue(key)+`)`)
}

// requireStored checks the two default keys of localStorage; nil means absent.
func (s *session) requireStored(access, refresh *string) {
	s.t.Helper()
	require.Equal(s.t, access, s.stored("accessToken"), "localStorage accessToken")
	require.Equal(s.t, refresh, s.stored("refreshToken"), "localStorage refreshToken")
}

// events returns the events that client name received, in order, optionally of one type only.
func (s *session) events(name string, only ...string) []event {
	s.t.Helper()
	all := eval[[]event](s.t, s.tab, `return e2e.events[`+jsValue(name)+`] ?? []`)
	if len(only) == 0 {
		return all
	}
	var out []event
	for _, e := range all {
		if e.Type == only[0] {
			out = append(out, e)
		}
	}
	return out
}

// stats returns client name's stats().
func (s *session) stats(name string) clientStats {
	s.t.Helper()
	return eval[clientStats](s.t, s.tab, `return window[`+jsValue(name)+`].stats()`)
}

// ptr returns a pointer to v, for expected optional values.
func ptr[T any](v T) *T { return &v }

// timeIn returns the time seconds from now, for the exp of a JWT.
func timeIn(seconds int) time.Time { return time.Now().Add(time.Duration(seconds) * time.Second) }

// arrived waits until n requests to path (a path that ends in "/": under it)
// have reached the fake API; what says what the test waited for.
func (s *session) arrived(path string, n int, what string) {
	s.t.Helper()
	waitFor(s.t, s.api.Arrived(path, n), what)
}
