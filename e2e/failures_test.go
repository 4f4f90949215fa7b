//go:build !js

package e2e

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/authfetch/authfetch/internal/browsertest"
	"github.com/stretchr/testify/require"
)

// The failure paths that the tests of outcomes_test.go, abort_test.go,
// storage_test.go, retry_test.go and loops_test.go do not try. Each case
// counts, in the page, how often every promise settles: exactly once, with
// what the contract says.

// counted is how one promise of startCounted settled, and how many times.
type counted struct {
	outcome
	Settlements int `json:"settlements"`
}

// startCounted starts the JS expression promises (an array of promises) as
// window.counted[name], counting the settlements of each.
func (s *session) startCounted(name, promises string) {
	s.t.Helper()
	do(s.t, s.tab, `
		window.counted ??= {};
		counted[`+jsValue(name)+`] = (`+promises+`).map(p => {
			const c = { n: 0 };
			c.done = e2e.settle(p.then(r => { c.n++; return r; }, e => { c.n++; throw e; }));
			return c;
		});`)
}

// countedOutcomes waits up to 10s for every promise of window.counted[name]
// and reports, for each, its outcome (pending when it has not settled) and its
// number of settlements.
func (s *session) countedOutcomes(name string) []counted {
	s.t.Helper()
	return eval[[]counted](s.t, s.tab, `
		const cs = counted[`+jsValue(name)+`];
		const all = await Promise.race([Promise.all(cs.map(c => c.done)), new Promise(r => setTimeout(() => r(null), 10000))]);
		return cs.map((c, i) => ({ ...(all ? all[i] : { pending: true }), settlements: c.n }));`)
}

// requireSettledOnce checks that every promise settled exactly once.
func requireSettledOnce(t *testing.T, got []counted) {
	t.Helper()
	for i, c := range got {
		require.False(t, c.Pending, "promise %d never settled", i)
		require.Equal(t, 1, c.Settlements, "promise %d settled %d times: %+v", i, c.Settlements, c.outcome)
	}
}

func TestMoreTransientRefreshFailuresKeepTheTokensAndResolveTheQueueWithIts401s(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name      string
		status    int           // the refresh's status (502), 0 for none
		bodyDelay time.Duration // the status comes at once, the body this late
		refused   bool          // refreshURL is on a port that refuses connections
		reason    string        // what the refresherror reason must say
	}{
		{name: "502", status: http.StatusBadGateway, reason: "502"},
		// The status comes at once, the body (with the new tokens) 1.7s
		// after the 0.3s refreshTimeoutMs. A whole answer that comes late
		// is TestARefreshSlowerThanTheTimeoutReleasesTheWaitersAndKeepsTheLateAnswer.
		{name: "a 200 whose body comes after refreshTimeoutMs", bodyDelay: 2 * time.Second, reason: "timed out after 300 ms"},
		{name: "a connection refused", refused: true},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			s := newSession(t)
			opts := `{}`
			switch {
			case c.refused:
				opts = `{ refreshURL: ` + jsValue(refusingURL(t)+browsertest.RefreshPath) + ` }`
			case c.bodyDelay > 0:
				opts = `{ refreshTimeoutMs: 300 }`
			}
			s.client(opts)
			if c.status != 0 {
				s.api.AnswerRefresh(browsertest.AnswerStatus(c.status))
			}
			if c.bodyDelay > 0 {
				s.api.AnswerRefresh(browsertest.Rotated.BodyAfter(c.bodyDelay))
			}
			s.api.RevokeAccess()
			// A 502 is held until every request waits for it; a late body
			// holds the refresh longer than the requests take to get their 401s.
			release := func() {}
			if c.status != 0 {
				release = s.holdRefreshes()
			}
			s.startCounted("waiting", `Array.from({ length: 5 }, (_, i) => api.fetch('/api/item?i=' + i))`)
			if !c.refused {
				s.arrived(browsertest.RefreshPath, 1, "the refresh")
				s.arrived("/api/item", 5, "every request had its 401")
			}
			release()

			got := s.countedOutcomes("waiting")
			requireSettledOnce(t, got)
			for i, o := range got {
				require.True(t, o.Resolved, "request %d: %+v", i, o)
				require.Equal(t, http.StatusUnauthorized, o.Status, "request %d resolves with its own 401", i)
				require.JSONEq(t, fmt.Sprintf(`{"error":"unauthorized","uri":"/api/item?i=%d"}`, i), o.Body)
			}
			require.Len(t, s.api.Requests("/api/item"), 5, "no request is retried")
			s.requireStored(ptr("a1"), ptr("r1"))
			require.Empty(t, s.events("api", "authfailure"), "a server hiccup never logs the user out")
			errs := s.events("api", "refresherror")
			if c.refused {
				// Nothing holds a refused connection, so a 401 that comes
				// after the failure may try again: one to five attempts.
				require.NotEmpty(t, errs)
				require.LessOrEqual(t, len(errs), 5)
				require.Empty(t, s.api.Requests(browsertest.RefreshPath))
				require.Equal(t, false, eval[bool](t, s.tab, `return await api.refresh()`), "refresh() on a refused connection")
				return
			}
			require.Len(t, errs, 1)
			require.Contains(t, errs[0].Detail["reason"], c.reason)
			if c.status != 0 {
				require.EqualValues(t, c.status, errs[0].Detail["status"])
			}
			refreshes := s.api.Requests(browsertest.RefreshPath)
			require.Len(t, refreshes, 1)
			if c.bodyDelay > 0 {
				// The server rotated when it sent the body: the late answer
				// is kept, and r1 is not spent again.
				waitInPage(t, s.tab, `api.getAccessToken() === 'a2'`)
				s.requireStored(ptr("a2"), ptr("r2"))
				require.False(t, s.api.Requests(browsertest.RefreshPath)[0].Canceled, "the browser aborted the refresh")
				require.Equal(t, []string{"refresherror", "refresh"}, eventTypes(s.events("api"), "refresherror", "refresh"))
				o := s.settle(`api.fetch('/api/me?after=late')`)
				require.Equal(t, http.StatusOK, o.Status, o.Body)
				require.Equal(t, 1, s.api.RefreshCalls())
				return
			}

			// The next 401 tries again, with the refresh token that was kept.
			s.api.AnswerRefresh(browsertest.Rotated)
			o := s.settle(`api.fetch('/api/me?after=failure')`)
			require.Equal(t, http.StatusOK, o.Status, o.Body)
			require.JSONEq(t, `{"refreshToken":"r1"}`, s.api.Requests(browsertest.RefreshPath)[1].Body)
			s.requireStored(ptr("a2"), ptr("r2"))
		})
	}
}

// authsTo returns the Authorization header of each request to uri (path and query).
func authsTo(api *browsertest.FakeAPI, uri string) []string {
	var out []string
	for _, r := range api.RequestsTo(uri) {
		out = append(out, r.Auth)
	}
	return out
}

// eventTypes returns the type of each event that is one of types.
func eventTypes(events []event, types ...string) []string {
	var out []string
	for _, e := range events {
		if slices.Contains(types, e.Type) {
			out = append(out, e.Type)
		}
	}
	return out
}

// TestARefreshFailureSaysWhatFailedAndWhere checks the reason of every
// refresherror and authfailure: like every error of authfetch, it names what
// failed (the status, or what was wrong with the answer) and where (the
// refresh endpoint's URL).
func TestARefreshFailureSaysWhatFailedAndWhere(t *testing.T) {
	t.Parallel()
	s := newSession(t)
	refused := refusingURL(t) + browsertest.RefreshPath
	s.clientNamed("api", `{}`)
	s.clientNamed("refused", `{ refreshURL: `+jsValue(refused)+` }`)
	for i, c := range []struct {
		name   string
		client string
		event  string
		answer browsertest.Answer
		what   string
	}{
		{"503", "api", "refresherror", browsertest.AnswerStatus(http.StatusServiceUnavailable), "503"},
		{"not JSON", "api", "refresherror", browsertest.NotJSON, "JSON"},
		{"a network error", "api", "refresherror", browsertest.NetworkError, "network error"},
		{"a connection refused", "refused", "refresherror", browsertest.Rotated, "network error"},
		{"a rejection", "api", "authfailure", browsertest.AnswerStatus(http.StatusUnauthorized), "401"},
		{"no access token", "api", "authfailure", browsertest.NoAccessToken, "accessToken"},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := s.on(t)
			// A login of its own: a refresh token no earlier case spent.
			access, refresh := fmt.Sprint("a-", i), fmt.Sprint("r-", i)
			s.api.SetTokens(access, refresh)
			do(t, s.tab, `localStorage.setItem('accessToken', `+jsValue(access)+`); localStorage.setItem('refreshToken', `+jsValue(refresh)+`); e2e.events[`+jsValue(c.client)+`].length = 0`)
			s.api.AnswerRefresh(c.answer)
			require.Equal(t, false, eval[bool](t, s.tab, `return await `+c.client+`.refresh()`))
			evs := s.events(c.client, c.event)
			require.Len(t, evs, 1)
			reason, _ := evs[0].Detail["reason"].(string)
			url := s.url + browsertest.RefreshPath
			if c.client == "refused" {
				url = refused
			}
			require.Contains(t, reason, c.what, "what failed")
			require.Contains(t, reason, url, "where: the reason %q does not name the refresh URL", reason)
		})
	}
}

func TestStoredValuesThatAreNotTokensCountAsNoToken(t *testing.T) {
	t.Parallel()
	// 1 MB of printable ASCII, and 1 MB of the characters of an RFC 6750
	// bearer token (b64token).
	megabyte := func(alphabet string) string {
		return strings.Repeat(alphabet, (1<<20)/len(alphabet)+1)[:1<<20]
	}
	junk := megabyte("!#$%&()*,:;<>?@[]^`{|} \"'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
	bigToken := megabyte("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~+/")

	// One page; each case has its own client, with its own storage keys
	// (so its own session), seeded with the value under test and the
	// server's current refresh token.
	s := newSession(t, stored{})
	n := 0
	seed := func(t *testing.T, access, refresh string) (name, uri string) {
		n++
		name, uri = fmt.Sprint("c", n), fmt.Sprint("/api/me?case=", n)
		do(t, s.tab, `localStorage.setItem('at`+fmt.Sprint(n)+`', `+jsValue(access)+`); localStorage.setItem('rt`+fmt.Sprint(n)+`', `+jsValue(refresh)+`)`)
		s.on(t).clientNamed(name, fmt.Sprintf(`{ accessTokenKey: 'at%d', refreshTokenKey: 'rt%d' }`, n, n))
		return name, uri
	}
	fetchOnce := func(t *testing.T, name, uri string) counted {
		s := s.on(t)
		s.startCounted(name, `[`+name+`.fetch(`+jsValue(uri)+`)]`)
		got := s.countedOutcomes(name)
		requireSettledOnce(t, got)
		return got[0]
	}

	for _, c := range []struct {
		name   string
		access string
	}{
		// README, "Tokens that cannot be tokens are ignored": what
		// localStorage.setItem makes of a missing value.
		{"undefined", "undefined"},
		{"null", "null"},
		// What a login page stores when it writes the whole answer under
		// the key. It cannot be a bearer token (RFC 6750 b64token) and
		// would only earn a 401, with the user's tokens in the header.
		{"a JSON object", `{"accessToken":"a1","refreshToken":"r1"}`},
		// Printable, but not a b64token either.
		{"1 MB of printable junk", junk},
	} {
		t.Run("access token "+c.name, func(t *testing.T) {
			_, refresh := s.api.Tokens()
			before := s.api.RefreshCalls()
			name, uri := seed(t, c.access, refresh)

			// Only a refresh token is stored: the request refreshes first
			// and goes out with the new token, never with the leftover.
			o := fetchOnce(t, name, uri)
			require.Equal(t, http.StatusOK, o.Status, "%+v", o)
			access, _ := s.api.Tokens()
			require.Equal(t, []string{"Bearer " + access}, authsTo(s.api, uri), "sent once, with the refreshed token only")
			require.Equal(t, before+1, s.api.RefreshCalls())
			require.Equal(t, ptr(access), s.on(t).accessToken(name))
		})
	}

	t.Run("access token of 1 MB in bearer-token syntax", func(t *testing.T) {
		_, refresh := s.api.Tokens()
		before := s.api.RefreshCalls()
		name, uri := seed(t, bigToken, refresh)

		// A token as far as anyone can tell: sent, it earns a 401 (the
		// server knows no such token), which refreshes; nothing crashes.
		o := fetchOnce(t, name, uri)
		require.Equal(t, http.StatusOK, o.Status, "%+v", o)
		auths := authsTo(s.api, uri)
		require.Len(t, auths, 2)
		require.True(t, auths[0] == "Bearer "+bigToken, "the first attempt carries the 1 MB value (got %d bytes)", len(auths[0]))
		access, _ := s.api.Tokens()
		require.Equal(t, "Bearer "+access, auths[1])
		require.Equal(t, before+1, s.api.RefreshCalls())
		require.Equal(t, http.StatusOK, fetchOnce(t, name, uri+"&after=junk").Status)
	})

	for _, refresh := range []string{"undefined", "null", ""} {
		t.Run(fmt.Sprintf("refresh token %q", refresh), func(t *testing.T) {
			before := s.api.RefreshCalls()
			name, uri := seed(t, "stale", refresh)

			// No refresh token: the 401 is returned as it is.
			o := fetchOnce(t, name, uri)
			require.Equal(t, http.StatusUnauthorized, o.Status, "%+v", o)
			require.Equal(t, "Bearer stale", requestTo(t, s.api, uri).Auth)
			require.Equal(t, false, eval[bool](t, s.tab, `return await `+name+`.refresh()`), "refresh() without a refresh token")
			require.Equal(t, before, s.api.RefreshCalls())
		})
	}
}

func TestAbortingBeforeTheSendWhileItsOwnRefreshAheadRunsLeavesTheRefreshRunning(t *testing.T) {
	t.Parallel()
	s := newSession(t, stored{"refreshToken": "r1"})
	s.client(`{}`)
	release := s.holdRefreshes()

	// Only a refresh token: the request starts a refresh ahead of time and
	// waits for it, before its first send.
	s.startAbortable("/api/own")
	s.arrived(browsertest.RefreshPath, 1, "the refresh ahead of time")
	s.startCounted("other", `[api.fetch('/api/other')]`)
	s.roundTrips(2)
	requireAborted(t, s.abort("p0", `undefined`), "AbortError")

	release()
	got := s.countedOutcomes("other")
	requireSettledOnce(t, got)
	require.Equal(t, http.StatusOK, got[0].Status, "%+v", got[0])
	require.Empty(t, s.api.Requests("/api/own"), "the aborted request never goes out")
	require.Equal(t, []string{"Bearer a2"}, s.api.Auths("/api/other"))
	refreshes := s.api.Requests(browsertest.RefreshPath)
	require.Len(t, refreshes, 1)
	require.False(t, refreshes[0].Canceled, "aborting the request that started the refresh canceled it")
	s.requireStored(ptr("a2"), ptr("r2"))
}

// TestAbortingAfterTheResponseActsOnTheBodyAsFetchDoes: api.fetch has resolved
// (once, and it stays resolved); aborting then errors the unread body exactly
// as it does for fetch, for the first answer and for a retry's.
func TestAbortingAfterTheResponseActsOnTheBodyAsFetchDoes(t *testing.T) {
	t.Parallel()
	s := newSessionWithAPI(t)

	// afterResponse aborts right after call resolves, then reads the body.
	type bodyRead struct {
		Settlements int    `json:"settlements"`
		Status      int    `json:"status"`
		Read        bool   `json:"read"` // the body was read
		Body        string `json:"body"`
		Name        string `json:"name"` // else: the read's rejection
		Same        bool   `json:"same"` // rejected with signal.reason
	}
	afterResponse := func(t *testing.T, call string) bodyRead {
		return eval[bodyRead](t, s.tab, `
			const ctrl = new AbortController();
			const out = { settlements: 0 };
			const r = await (`+call+`)(ctrl.signal).then(r => { out.settlements++; return r; }, e => { out.settlements++; throw e; });
			out.status = r.status;
			ctrl.abort();
			try { out.body = await r.text(); out.read = true; } catch (e) { out.name = e.name; out.same = e === ctrl.signal.reason; }
			await fetch('/ping');
			return out;`)
	}
	for _, c := range []struct {
		name   string
		revoke bool
	}{
		{"answered at once", false},
		{"answered after a refresh", true},
	} {
		t.Run(c.name, func(t *testing.T) {
			if c.revoke {
				s.api.RevokeAccess()
			}
			before := s.api.RefreshCalls()
			viaAPI := afterResponse(t, `signal => api.fetch('/api/me?case=`+c.name+`', { signal })`)
			require.Equal(t, 1, viaAPI.Settlements)
			require.Equal(t, http.StatusOK, viaAPI.Status)
			plain := afterResponse(t, `signal => fetch('/api/me?plain=`+c.name+`', { signal, headers: { Authorization: 'Bearer ' + api.getAccessToken() } })`)
			require.Equal(t, http.StatusOK, plain.Status)
			// The Fetch standard ("abort the fetch() call"): a body not yet
			// read is errored with signal.reason, so reading it rejects.
			require.Equal(t, bodyRead{Settlements: 1, Status: http.StatusOK, Name: "AbortError", Same: true}, plain, "plain fetch")
			require.Equal(t, plain.Read, viaAPI.Read, "fetch: %+v\napi.fetch: %+v", plain, viaAPI)
			require.Equal(t, plain.Name, viaAPI.Name)
			require.Equal(t, plain.Same, viaAPI.Same)
			if c.revoke {
				require.Equal(t, before+1, s.api.RefreshCalls())
			} else {
				require.Equal(t, before, s.api.RefreshCalls(), "an abort after the response starts nothing")
			}
		})
	}
}

func TestConcurrentRetriesThatGet401AgainResolveWithItAfterOneRefresh(t *testing.T) {
	t.Parallel()
	s := newSessionWithAPI(t)

	s.startCounted("all", `Array.from({ length: 10 }, (_, i) => api.fetch('/api/always401?i=' + i))`)
	got := s.countedOutcomes("all")
	requireSettledOnce(t, got)
	for i, o := range got {
		require.True(t, o.Resolved, "request %d: %+v", i, o)
		require.Equal(t, http.StatusUnauthorized, o.Status, "request %d", i)
	}
	require.Equal(t, 1, s.api.RefreshCalls(), "no loop: one refresh for all")
	sent := map[string][]string{}
	for _, r := range s.api.Requests("/api/always401") {
		sent[r.URI] = append(sent[r.URI], r.Auth)
	}
	require.Len(t, sent, 10)
	for uri, auths := range sent {
		// Beyond the 6 the browser sends at once, a request may be called off
		// before it goes out: then only its retry reaches the server.
		require.Contains(t, [][]string{{"Bearer a1", "Bearer a2"}, {"Bearer a2"}}, auths, "%s: sent once, retried once with the new token", uri)
	}
	require.Equal(t, clientStats{Requests: 10, Retries: 10, Refreshes: 1}, s.stats("api"))
}

func TestTwoRefreshesNeededBackToBackBothSucceed(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name string
		jwt  time.Duration // when set, tokens are JWTs living this long (less than the 30s leeway)
	}{
		{"opaque tokens", 0},
		{"tokens that live less than the leeway", 5 * time.Second},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			s := newSession(t)
			s.api.IssueJWTs(c.jwt)
			s.client(`{}`)

			var issued []string
			for round := range 2 {
				s.api.RevokeAccess()
				name := fmt.Sprint("round", round)
				s.startCounted(name, `Array.from({ length: 5 }, (_, i) => api.fetch('/api/item?round=`+fmt.Sprint(round)+`&i=' + i))`)
				got := s.countedOutcomes(name)
				requireSettledOnce(t, got)
				cur, _ := s.api.Tokens()
				issued = append(issued, cur)
				for i, o := range got {
					require.Equal(t, http.StatusOK, o.Status, "round %d request %d: %+v", round, i, o)
					require.Contains(t, o.Body, "Bearer "+cur)
				}
				require.Equal(t, round+1, s.api.RefreshCalls(), "round %d", round)
			}
			refreshes := s.api.Requests(browsertest.RefreshPath)
			require.JSONEq(t, `{"refreshToken":"r1"}`, refreshes[0].Body)
			require.JSONEq(t, `{"refreshToken":"r2"}`, refreshes[1].Body)
			s.requireStored(ptr(issued[1]), ptr("r3"))
			refreshed := s.events("api", "refresh")
			require.Len(t, refreshed, 2)
			require.Equal(t, issued[0], refreshed[0].Detail["accessToken"])
			require.Equal(t, issued[1], refreshed[1].Detail["accessToken"])
			st := s.stats("api")
			require.Equal(t, 10, st.Requests)
			require.Equal(t, 2, st.Refreshes)
			require.Zero(t, st.RefreshErrors+st.AuthFailures)
		})
	}
}

func TestCloseWhileRequestsWaitForARefreshStillSettlesEachOnce(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name    string
		another bool // another client of the session stays open
	}{
		{"the session's only client", false},
		{"one of two clients of the session", true},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			s := newSessionWithAPI(t)
			if c.another {
				s.clientNamed("keeper", `{}`)
			}
			s.api.RevokeAccess()
			release := s.holdRefreshes()
			s.startCounted("waiting", `Array.from({ length: 5 }, (_, i) => api.fetch('/api/item?i=' + i))`)
			s.arrived(browsertest.RefreshPath, 1, "the refresh")
			s.arrived("/api/item", 5, "every request had its 401")

			do(t, s.tab, `api.close()`)
			after := s.settle(`api.fetch('/api/after-close')`)
			require.False(t, after.Resolved, "api.fetch after close() resolved: %+v", after)
			require.True(t, after.IsError, "%+v", after)
			require.Contains(t, after.Message, "fetch()")
			require.Contains(t, after.Message, "close()")
			release()

			got := s.countedOutcomes("waiting")
			requireSettledOnce(t, got)
			for i, o := range got {
				require.Equal(t, http.StatusOK, o.Status, "request %d is retried after the refresh: %+v", i, o)
			}
			require.Equal(t, 1, s.api.RefreshCalls())
			s.requireStored(ptr("a2"), ptr("r2"))
			require.Empty(t, s.events("api", "refresh"), "a closed client's listeners are not called")
			require.Empty(t, s.api.Requests("/api/after-close"))
			if c.another {
				require.Len(t, s.events("keeper", "refresh"), 1)
				require.Equal(t, http.StatusOK, s.settle(`keeper.fetch('/api/me')`).Status)
			}
		})
	}

	t.Run("a client created meanwhile joins the refresh in flight", func(t *testing.T) {
		t.Parallel()
		s := newRevokedSession(t)
		release := s.holdRefreshes()
		s.startCounted("waiting", `[api.fetch('/api/first')]`)
		s.arrived(browsertest.RefreshPath, 1, "the refresh")

		// A component that unmounts and mounts again (or a hot reload) closes
		// the session's last client and creates a new one while the refresh
		// runs. A second refresh with the same rotating refresh token would
		// be taken for a reuse, and the user logged out. The closed client's
		// request is still under way, so the session lives on, and the new
		// client's request waits for its refresh instead of going out with
		// a token known to be stale.
		do(t, s.tab, `api.close()`)
		s.clientNamed("again", `{ debug: (e) => e.type === 'wait' && (e2e.waited = true) }`)
		s.startCounted("new", `[again.fetch('/api/second')]`)
		waitInPage(t, s.tab, `e2e.waited === true`)
		release()

		requireSettledOnce(t, s.countedOutcomes("waiting"))
		got := s.countedOutcomes("new")
		requireSettledOnce(t, got)
		require.Equal(t, http.StatusOK, got[0].Status, "%+v", got[0])
		require.Equal(t, 1, s.api.RefreshCalls(), "one refresh for the session's tokens")
		require.Equal(t, []string{"Bearer a2"}, s.api.Auths("/api/second"), "sent once, with the refresh's token")
		require.Empty(t, s.events("again", "authfailure"))
		s.requireStored(ptr("a2"), ptr("r2"))
	})
}
