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

// Never stuck, never wrongly logged out: what the browser holds back (a Web
// Lock, IndexedDB) holds no request past the refresh timeout, and a device
// clock hours wrong costs at most one extra refresh.

// sessionLock is the name of the Web Lock of the page's default session,
// as authfetch names it: the session's storage, keys and refresh URL.
const sessionLock = "'authfetch:local\\0accessToken\\0refreshToken\\0' + new URL('/auth/refresh-token', location.href).href"

func TestALockNeverGrantedHoldsNoRequestPastTheRefreshTimeout(t *testing.T) {
	t.Parallel()
	s := newRevokedSession(t)
	do(t, s.tab, `navigator.locks.request(`+sessionLock+`, () => new Promise(() => {}))`) // another script's, never released
	s.client(`{ refreshTimeoutMs: 500 }`)

	outcomes := eval[[]outcome](t, s.tab, `return Promise.all(Array.from({ length: 10 },
		(_, i) => e2e.within(api.fetch('/api/item/' + i), 10000)))`)
	for i, o := range outcomes {
		require.False(t, o.Pending, "request %d still waits 10 s after the 0.5 s refresh timeout", i)
		require.Equal(t, http.StatusUnauthorized, o.Status, "request %d resolves with its own 401", i)
	}
	s.requireStored(ptr("a1"), ptr("r1"))
	require.Empty(t, s.events("api", "authfailure"))
	require.NotEmpty(t, s.events("api", "refresherror"))
	require.Zero(t, s.api.RefreshCalls(), "no refresh without the lock")
}

// IndexedDB only helps tabs hand tokens over: an open that never answers
// is given up within the refresh timeout, and costs later refreshes nothing:
// they go on under the lock, and the bursts after later revocations end 200.
// (The first burst waits for the give-up: on a busy machine it may be
// released with its 401s first, tokens kept, while its refresh goes on.)
func TestIndexedDBThatNeverAnswersIsGoneWithout(t *testing.T) {
	t.Parallel()
	s := newSession(t)
	do(t, s.tab, `indexedDB.open = () => ({})`) // a request whose events never fire
	s.client(`{ refreshTimeoutMs: 2000 }`)

	for round := 1; round <= 3; round++ {
		s.api.RevokeAccess()
		outcomes := eval[[]outcome](t, s.tab, `return Promise.all(Array.from({ length: 10 },
			(_, i) => e2e.within(api.fetch('/api/item/' + i), 4000)))`)
		for i, o := range outcomes {
			require.False(t, o.Pending, "round %d, request %d still waits 2 s after the refresh timeout", round, i)
			if round > 1 {
				require.Equal(t, http.StatusOK, o.Status, "round %d, request %d", round, i)
			}
		}
		require.Equal(t, round, s.api.RefreshCalls(), "one refresh a round, under the lock")
	}
	require.Empty(t, s.events("api", "authfailure"))
}

// A refresh answer that the server sent (spending the refresh token) but
// that arrives after the refresh timeout is kept: no reuse, no logout.
func TestALateRefreshAnswerLeadsToNoReuseAndNoLogout(t *testing.T) {
	t.Parallel()
	s := newRevokedSession(t)
	s.api.AnswerRefresh(browsertest.Rotated.After(1200 * time.Millisecond))
	s.client(`{ refreshTimeoutMs: 300 }`)

	require.Equal(t, http.StatusUnauthorized, s.settle(`api.fetch('/api/me')`).Status, "released at the timeout")
	waitInPage(t, s.tab, `api.getAccessToken() === 'a2'`)
	require.Equal(t, http.StatusOK, s.settle(`api.fetch('/api/me?after=late')`).Status)
	require.Equal(t, 1, s.api.RefreshCalls())
	require.Zero(t, s.api.Session("").Reused)
	require.Empty(t, s.events("api", "authfailure"))
}

// A page whose clock runs two hours ahead or behind makes at most 2 refresh
// calls over 20 requests, all 200: expiry is judged by the server's clock,
// which the refresh answer's Date tells.
func TestAClockHoursWrongCostsAtMostOneExtraRefresh(t *testing.T) {
	t.Parallel()
	for _, skew := range []time.Duration{2 * time.Hour, -2 * time.Hour} {
		t.Run(fmt.Sprint(skew), func(t *testing.T) {
			t.Parallel()
			s := newSession(t, stored{})
			s.api.IssueJWTs(10 * time.Minute)
			access, refresh := s.api.Login()
			s.skewClock(skew, access, refresh)
			s.client(`{}`)

			for i := 0; i < 20; i++ {
				require.Equal(t, http.StatusOK, s.settle(`api.fetch('/api/item/`+fmt.Sprint(i)+`')`).Status, "request %d", i)
			}
			require.LessOrEqual(t, s.api.RefreshCalls(), 2)
			require.Empty(t, s.events("api", "authfailure"))
		})
	}
}

// Once a refresh told the server's clock, a token about to expire by it is
// refreshed ahead of time however wrong the page's clock: no request goes
// out with an expired token to earn a 401. Tokens live 4 s here, refreshed
// ahead within 2 s of their end, over 6 s of requests.
func TestAfterARefreshAnExpiringTokenIsCaughtAheadWhateverThePagesClock(t *testing.T) {
	t.Parallel()
	for _, skew := range []time.Duration{2 * time.Hour, -2 * time.Hour} {
		t.Run(fmt.Sprint(skew), func(t *testing.T) {
			t.Parallel()
			s := newSession(t, stored{})
			s.api.IssueJWTs(4 * time.Second)
			access, refresh := s.api.Login()
			s.skewClock(skew, access, refresh)
			s.client(`{ refreshLeewaySeconds: 2 }`)
			require.True(t, eval[bool](t, s.tab, `return api.refresh()`))

			const n = 24
			statuses := eval[[]int](t, s.tab, `const out = [];
				for (let i = 0; i < `+fmt.Sprint(n)+`; i++) {
					out.push((await api.fetch('/api/item/' + i)).status);
					await new Promise((r) => setTimeout(r, 250)); // time passing, as in a page in use
				}
				return out;`)
			for i, status := range statuses {
				require.Equal(t, http.StatusOK, status, "request %d", i)
			}
			require.Equal(t, n, s.api.APICalls(), "no request was sent twice: none earned a 401")
		})
	}
}

// skewClock makes the page's clock run skew off the real one before the
// module starts (the Go runtime reads new Date()), with the tokens of a
// login stored.
func (s *session) skewClock(skew time.Duration, access, refresh string) {
	s.t.Helper()
	do(s.t, s.tab, `localStorage.setItem('accessToken', `+jsValue(access)+`);
		localStorage.setItem('refreshToken', `+jsValue(refresh)+`);
		const RealDate = Date, skew = `+fmt.Sprint(skew.Milliseconds())+`;
		globalThis.Date = class extends RealDate {
			constructor(...a) { if (a.length) super(...a); else super(RealDate.now() + skew) }
			static now() { return RealDate.now() + skew }
		}`)
}
