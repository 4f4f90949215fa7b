//go:build !js

package e2e

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/authfetch/authfetch/internal/browsertest"
	"github.com/stretchr/testify/require"
)

// One refresh for a burst: when the first request of a burst gets its 401,
// the requests still waiting behind the browser's 6 connections are called
// off instead of going out with the refused token, and sent once more after
// the refresh, whatever its outcome. Each request still settles exactly once,
// with its own answer, and the refresh token is spent once.
func TestRequestsCalledOffInTheBrowsersQueue(t *testing.T) {
	t.Parallel()
	const n = 30
	const url, request = `'/api/item?i=' + i`, `new Request('/api/item?i=' + i)`
	for _, c := range []struct {
		name       string
		input      string // api.fetch's first argument, a JS expression of i
		answer     browsertest.Answer
		wantStatus int
		resent     string // the Authorization of a request sent again after the refresh
		want       clientStats
	}{
		{"refreshed", url, browsertest.Rotated, http.StatusOK, "Bearer a2", clientStats{Requests: n, Retries: n, Refreshes: 1}},
		{"rejected", url, browsertest.AnswerStatus(http.StatusUnauthorized), http.StatusUnauthorized, "", clientStats{Requests: n, AuthFailures: 1}},
		{"transient", url, browsertest.AnswerStatus(http.StatusServiceUnavailable), http.StatusUnauthorized, "Bearer a1", clientStats{Requests: n, RefreshErrors: 1}},
		// A Request carries a signal of its own, which authfetch combines with its own.
		{"rejected, Request objects as ky sends them", request, browsertest.AnswerStatus(http.StatusUnauthorized), http.StatusUnauthorized, "", clientStats{Requests: n, AuthFailures: 1}},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := newSessionWithAPI(t)
			s.api.AnswerRefresh(c.answer)
			s.api.RevokeAccess()
			release := s.holdRefreshes()

			s.startCounted("burst", fmt.Sprintf(`Array.from({ length: %d }, (_, i) => api.fetch(%s))`, n, c.input))
			// The refresh waits until the first 401 and the 6 on the wire are
			// in, so that no 401 comes after a failed refresh and tries again.
			s.arrived(browsertest.RefreshPath, 1, "the refresh")
			s.arrived("/api/item", 1+6, "the first 401 and the 6 on the wire")
			s.roundTrips(3)
			release()

			got := s.countedOutcomes("burst")
			requireSettledOnce(t, got)
			for i, o := range got {
				require.True(t, o.Resolved, "request %d: %+v", i, o)
				require.Equal(t, c.wantStatus, o.Status, "request %d: %s", i, o.Body)
				require.Contains(t, o.Body, fmt.Sprintf(`"uri":"/api/item?i=%d"`, i), "request %d: its own answer", i)
			}
			require.Equal(t, 1, s.api.RefreshCalls(), "the refresh token is spent once")

			stats := s.stats("api")
			if c.answer != browsertest.Rotated {
				// Only what was called off is sent again: the rest had its 401.
				require.Positive(t, stats.Retries, "requests behind the 6 on the wire are called off")
				require.Less(t, stats.Retries, n-6, "the first 401 and the 6 on the wire are not called off")
				c.want.Retries = stats.Retries
			}
			require.Equal(t, c.want, stats)
			if c.resent != "Bearer a1" {
				resent := map[string]int{}
				for _, r := range s.api.Requests("/api/item") {
					if r.Auth == c.resent {
						resent[r.URI]++
					}
				}
				for uri, k := range resent {
					require.Equal(t, 1, k, "%s sent again more than once", uri)
				}
				require.Len(t, resent, stats.Retries, "each retry went out once, with %q", c.resent)
			}
		})
	}
}

// The signal that makes an attempt callable goes to fetch in an init of its
// own, and fetch resets a Request's referrer and referrer policy when it is
// given a non-empty init: what the caller asked for must survive that.
func TestACallableAttemptKeepsTheCallersReferrerPolicy(t *testing.T) {
	t.Parallel()
	s := newSessionWithAPI(t)
	const n = 12 // beyond the 6 on the wire, so that attempts are callable
	got := s.settleAll(fmt.Sprintf(`Array.from({ length: %d }, (_, i) => api.fetch('/api/item?i=' + i, { referrerPolicy: 'no-referrer' }))`, n))
	for i, o := range got {
		require.Equal(t, http.StatusOK, o.Status, "request %d", i)
	}
	reqs := s.api.Requests("/api/item")
	require.Len(t, reqs, n)
	for _, r := range reqs {
		require.Empty(t, r.Header.Get("Referer"), "%s went out with a Referer despite referrerPolicy: 'no-referrer'", r.URI)
	}
}

// An attempt that can be called off still honours the caller's signal: the
// two signals are combined, and the caller's abort rejects with its reason.
func TestACallableAttemptStillRejectsWithTheCallersAbort(t *testing.T) {
	t.Parallel()
	s := newSession(t)
	do(t, s.tab, `e2e.watchSends()`)
	s.client(`{}`)
	var holds []*browsertest.Hold
	for i := range 6 { // the wire is full
		path := fmt.Sprintf("/api/held%d", i)
		h := s.api.HoldNext(path)
		holds = append(holds, h)
		s.start(fmt.Sprintf("held%d", i), `api.fetch('`+path+`')`)
		waitFor(t, h.Entered, path)
	}
	for i, args := range []string{`'/api/queued', { signal: ctrl.signal }`, `new Request('/api/queued', { signal: ctrl.signal })`} {
		// Aborted once authfetch has handed it to fetch, which queues it
		// behind the 6 held requests.
		got := eval[abortResult](t, s.tab, `
			const ctrl = new AbortController();
			const p = api.fetch(`+args+`);
			await e2e.sent('/api/queued', `+jsValue(i+1)+`);
			ctrl.abort(new Error('user left'));
			return await Promise.race([
				p.then(r => ({ resolved: true, status: r.status }),
					e => ({ resolved: false, same: e === ctrl.signal.reason, name: String(e?.name ?? '') })),
				new Promise(r => setTimeout(() => r({ pending: true }), 5000)),
			]);`)
		requireAborted(t, got, "Error")
	}
	for _, h := range holds {
		h.Release()
	}
	for i := range holds {
		require.Equal(t, http.StatusOK, s.outcomeOf(fmt.Sprintf("held%d", i)).Status)
	}
}
