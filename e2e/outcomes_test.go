//go:build !js

package e2e

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/authfetch/authfetch/internal/browsertest"
	"github.com/stretchr/testify/require"
)

// Refresh outcomes: success, rejection and transient failure.

// startWaiting revokes the access token, holds the refresh, starts n requests
// to /api/item?i=… as window.waiting (their outcomes), and returns once the
// refresh is held and every request has had its 401, so that all n wait for
// the refresh. The caller releases it.
func startWaiting(s *session, n int) (release func()) {
	s.t.Helper()
	s.api.RevokeAccess()
	release = s.holdRefreshes()
	s.start("waiting", `Promise.all(Array.from({ length: `+jsValue(n)+` }, (_, i) => e2e.settle(api.fetch('/api/item?i=' + i))))`)
	s.arrived(browsertest.RefreshPath, 1, "the refresh")
	s.arrived("/api/item", n, "every request has been sent")
	return release
}

// requireOwn401s checks that each of the n waiting requests resolved with its own 401.
func requireOwn401s(t *testing.T, got []outcome, n int) {
	t.Helper()
	require.Len(t, got, n)
	for i, o := range got {
		require.True(t, o.Resolved, "request %d: %+v", i, o)
		require.Equal(t, http.StatusUnauthorized, o.Status, "request %d", i)
		require.JSONEq(t, fmt.Sprintf(`{"error":"unauthorized","uri":"/api/item?i=%d"}`, i), o.Body, "request %d", i)
	}
}

func TestARejectedRefreshRemovesTheTokensAndResolvesEveryWaitingRequestWithIts401(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name   string
		answer browsertest.Answer
		status int // what authfailure reports
	}{
		{"401", browsertest.AnswerStatus(http.StatusUnauthorized), http.StatusUnauthorized},
		{"400", browsertest.AnswerStatus(http.StatusBadRequest), http.StatusBadRequest},
		{"403", browsertest.AnswerStatus(http.StatusForbidden), http.StatusForbidden},
		{"a 200 without an access token", browsertest.NoAccessToken, http.StatusOK},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := newSessionWithAPI(t)
			s.api.AnswerRefresh(c.answer)
			// As many as the browser sends at once: none waits in its queue to
			// be called off (TestRequestsCalledOffInTheBrowsersQueue).
			release := startWaiting(s, 6)
			release()

			requireOwn401s(t, kept[[]outcome](s, "waiting"), 6)
			require.Equal(t, 1, s.api.RefreshCalls())
			require.Len(t, s.api.Requests("/api/item"), 6, "no request is retried")
			s.requireStored(nil, nil)
			require.Nil(t, s.accessToken("api"))

			failures := s.events("api", "authfailure")
			require.Len(t, failures, 1, "authfailure fires once for the queue")
			require.EqualValues(t, c.status, failures[0].Detail["status"])
			require.NotEmpty(t, failures[0].Detail["reason"])
			require.IsType(t, "", failures[0].Detail["reason"])
			require.Empty(t, s.events("api", "refresherror"))
			require.Empty(t, s.events("api", "refresh"))
			tokens := s.events("api", "tokens")
			require.NotEmpty(t, tokens, "the removal fires tokens")
			require.Contains(t, tokens[len(tokens)-1].Detail, "accessToken")
			require.Nil(t, tokens[len(tokens)-1].Detail["accessToken"])
			require.Equal(t, clientStats{Requests: 6, AuthFailures: 1}, s.stats("api"))
		})
	}
}

func TestATransientRefreshFailureKeepsTheTokensAndTheNext401TriesAgain(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name   string
		answer browsertest.Answer
		status int // what refresherror reports, 0 for none
	}{
		{"500", browsertest.AnswerStatus(http.StatusInternalServerError), http.StatusInternalServerError},
		{"503", browsertest.AnswerStatus(http.StatusServiceUnavailable), http.StatusServiceUnavailable},
		{"429", browsertest.AnswerStatus(http.StatusTooManyRequests), http.StatusTooManyRequests},
		{"an unexpected 404", browsertest.AnswerStatus(http.StatusNotFound), http.StatusNotFound},
		{"a 200 that is not JSON", browsertest.NotJSON, 0},
		{"a network error", browsertest.NetworkError, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := newSessionWithAPI(t)
			s.api.AnswerRefresh(c.answer)
			release := startWaiting(s, 5)
			release()

			requireOwn401s(t, eval[[]outcome](t, s.tab, `
				const got = await Promise.race([window.waiting, new Promise(r => setTimeout(() => r(null), 5000))]);
				if (got === null) throw new Error('the waiting requests did not settle within 5s');
				return got;`), 5)
			require.Equal(t, 1, s.api.RefreshCalls())
			require.Len(t, s.api.Requests("/api/item"), 5, "no request is retried")
			s.requireStored(ptr("a1"), ptr("r1"))

			errs := s.events("api", "refresherror")
			require.Len(t, errs, 1)
			require.NotEmpty(t, errs[0].Detail["reason"])
			require.IsType(t, "", errs[0].Detail["reason"])
			if c.status != 0 {
				require.EqualValues(t, c.status, errs[0].Detail["status"])
			}
			require.Empty(t, s.events("api", "authfailure"))
			require.Equal(t, clientStats{Requests: 5, RefreshErrors: 1}, s.stats("api"))

			// The next 401 tries again, with the refresh token that was kept.
			s.api.AnswerRefresh(browsertest.Rotated)
			o := s.settle(`api.fetch('/api/me?after=failure')`)
			require.Equal(t, http.StatusOK, o.Status, o.Body)
			refreshes := s.api.Requests(browsertest.RefreshPath)
			require.Len(t, refreshes, 2)
			require.JSONEq(t, `{"refreshToken":"r1"}`, refreshes[1].Body)
			s.requireStored(ptr("a2"), ptr("r2"))
			require.Equal(t, clientStats{Requests: 6, Retries: 1, Refreshes: 1, RefreshErrors: 1}, s.stats("api"))
		})
	}
}

// A rotating server has spent r1 by the time a slow refresh answers: the
// answer is kept when it comes, and r1 is never sent again meanwhile, or the
// server would take it for reuse and log the user out.
func TestARefreshSlowerThanTheTimeoutReleasesTheWaitersAndKeepsTheLateAnswer(t *testing.T) {
	t.Parallel()
	s := newSession(t)
	s.client(`{ refreshTimeoutMs: 1500 }`)
	release := startWaiting(s, 5)

	requireOwn401s(t, eval[[]outcome](t, s.tab, `
		const got = await Promise.race([window.waiting, new Promise(r => setTimeout(() => r(null), 5000))]);
		if (got === null) throw new Error('the waiting requests did not settle within 5s of the 1.5s timeout');
		return got;`), 5)
	errs := s.events("api", "refresherror")
	require.Len(t, errs, 1)
	require.Contains(t, errs[0].Detail["reason"], "timed out after 1500 ms")
	s.requireStored(ptr("a1"), ptr("r1"))
	o := s.settle(`api.fetch('/api/me?while=unanswered')`)
	require.Equal(t, http.StatusUnauthorized, o.Status, "r1 may be spent: no refresh while the first can still answer")
	require.Equal(t, 1, s.api.RefreshCalls())

	release()
	waitInPage(t, s.tab, `api.getAccessToken() === 'a2'`)
	s.requireStored(ptr("a2"), ptr("r2"))
	o = s.settle(`api.fetch('/api/me?after=late')`)
	require.Equal(t, http.StatusOK, o.Status, o.Body)
	require.Equal(t, 1, s.api.RefreshCalls())
	require.Len(t, s.events("api", "refresh"), 1)
	require.Equal(t, clientStats{Requests: 7, Refreshes: 1, RefreshErrors: 1}, s.stats("api"))
}

func TestASuccessfulRefreshStoresBothTokensAndFiresRefreshAndTokens(t *testing.T) {
	t.Parallel()
	s := newRevokedSession(t)

	o := s.settle(`api.fetch('/api/me')`)
	require.Equal(t, http.StatusOK, o.Status)
	s.requireStored(ptr("a2"), ptr("r2"))
	require.Equal(t, ptr("a2"), s.accessToken("api"))
	refreshed := s.events("api", "refresh")
	require.Len(t, refreshed, 1)
	require.Equal(t, "a2", refreshed[0].Detail["accessToken"])
	tokens := s.events("api", "tokens")
	require.NotEmpty(t, tokens)
	require.Equal(t, "a2", tokens[len(tokens)-1].Detail["accessToken"])
	require.Empty(t, s.events("api", "refresherror"))
	require.Empty(t, s.events("api", "authfailure"))
	require.Equal(t, clientStats{Requests: 1, Retries: 1, Refreshes: 1}, s.stats("api"))
}

func TestARefreshAnswerWithoutARefreshTokenKeepsTheOldOne(t *testing.T) {
	t.Parallel()
	s := newSessionWithAPI(t)
	s.api.AnswerRefresh(browsertest.KeptRefreshToken)

	for i, want := range []string{"a2", "a3"} {
		s.api.RevokeAccess()
		o := s.settle(`api.fetch('/api/me?n=` + fmt.Sprint(i) + `')`)
		require.Equal(t, http.StatusOK, o.Status)
		s.requireStored(ptr(want), ptr("r1"))
	}
	refreshes := s.api.Requests(browsertest.RefreshPath)
	require.Len(t, refreshes, 2)
	require.JSONEq(t, `{"refreshToken":"r1"}`, refreshes[1].Body)
}

func TestStatsCountRequestsRetriesAndRefreshOutcomes(t *testing.T) {
	t.Parallel()
	s := newSessionWithAPI(t)
	step := func(name, call string, status int, want clientStats) {
		t.Helper()
		o := s.settle(call)
		require.Equal(t, status, o.Status, "%s: %+v", name, o)
		require.Equal(t, want, s.stats("api"), name)
	}

	step("a plain request", `api.fetch('/api/me?step=1')`, http.StatusOK, clientStats{Requests: 1})
	step("skipAuth counts as a request", `api.fetch('/api/me?step=2', { skipAuth: true })`, http.StatusUnauthorized, clientStats{Requests: 2})
	s.api.RevokeAccess()
	step("a refresh and a retry", `api.fetch('/api/me?step=3')`, http.StatusOK, clientStats{Requests: 3, Retries: 1, Refreshes: 1})
	s.api.RevokeAccess()
	s.api.AnswerRefresh(browsertest.AnswerStatus(http.StatusBadGateway))
	step("a transient failure", `api.fetch('/api/me?step=4')`, http.StatusUnauthorized, clientStats{Requests: 4, Retries: 1, Refreshes: 1, RefreshErrors: 1})
	s.api.AnswerRefresh(browsertest.AnswerStatus(http.StatusUnauthorized))
	step("a rejection", `api.fetch('/api/me?step=5')`, http.StatusUnauthorized, clientStats{Requests: 5, Retries: 1, Refreshes: 1, RefreshErrors: 1, AuthFailures: 1})
	require.Equal(t, 3, s.api.RefreshCalls())
}

func TestAProactiveRefreshThatFailsTransientlySendsTheTokenItHas(t *testing.T) {
	t.Parallel()
	jwt := browsertest.UnsignedJWT(timeIn(10), "a1")
	s := newSession(t, stored{"accessToken": jwt, "refreshToken": "r1"})
	s.api.SetTokens(jwt, "r1")
	s.api.AnswerRefresh(browsertest.AnswerStatus(http.StatusServiceUnavailable))
	s.client(`{}`)

	for i := range 3 {
		o := s.settle(`api.fetch('/api/me?n=` + fmt.Sprint(i) + `')`)
		require.Equal(t, http.StatusOK, o.Status, "request %d: %+v", i, o)
	}
	require.Equal(t, []string{"Bearer " + jwt, "Bearer " + jwt, "Bearer " + jwt}, s.api.Auths("/api/me"))
	require.Equal(t, 1, s.api.RefreshCalls(), "each access token is refreshed ahead of time at most once")
	require.Len(t, s.events("api", "refresherror"), 1)
	s.requireStored(ptr(jwt), ptr("r1"))
}

func TestATokenThatARefreshJustReturnedIsNotRefreshedAheadOfTime(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name string
		seed stored
	}{
		{"after a 401", loggedIn},
		{"after a refresh ahead of time", stored{"refreshToken": "r1"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := newSession(t, c.seed)
			s.api.IssueJWTs(5 * time.Second) // its whole life is shorter than the 30s leeway
			s.api.RevokeAccess()
			s.client(`{}`)

			for i := range 5 {
				o := s.settle(`api.fetch('/api/me?n=` + fmt.Sprint(i) + `')`)
				require.Equal(t, http.StatusOK, o.Status, "request %d: %+v", i, o)
			}
			require.Equal(t, 1, s.api.RefreshCalls())
			cur, _ := s.api.Tokens()
			require.Equal(t, ptr(cur), s.stored("accessToken"))
			for _, r := range s.api.Requests("/api/me")[1:] {
				require.Equal(t, "Bearer "+cur, r.Auth, r.URI)
			}
		})
	}
}
