//go:build !js

package e2e

import (
	"net/http"
	"testing"
	"time"

	"github.com/authfetch/authfetch/internal/browsertest"
	"github.com/stretchr/testify/require"
)

// The refresh courier (refreshWorker): a tab that closes mid-refresh, against
// a server that spends the refresh token on arrival and answers 1.5 s later,
// logs no one out, because the service worker that sent the refresh outlives
// the tab, records the answer, and hands it to the next refresh of the token.

const courierOptions = `{ refreshWorker: '/js/authfetch-sw.js' }`

// newCourierSession is a revoked session whose server spends a refresh
// token on arrival and answers 1.5 s later, with tab 1 of the page open and
// its client made with opts.
func newCourierSession(t *testing.T, opts string) *session {
	t.Helper()
	s := newSessionWithAPI(t)
	s.client(opts)
	if opts == courierOptions {
		s.awaitCourier()
	}
	s.api.RevokeAccess()
	s.api.AnswerRefresh(browsertest.Rotated.SpentOnArrival().After(1500 * time.Millisecond))
	return s
}

// awaitCourier waits until the page's courier is active.
func (s *session) awaitCourier() {
	s.t.Helper()
	do(s.t, s.tab, `const reg = await navigator.serviceWorker.register('/js/authfetch-sw.js', { scope: '/js/authfetch-courier/'});
		if (!reg.active) await new Promise((resolve) => (reg.installing ?? reg.waiting).addEventListener('statechange',
			(e) => e.target.state === 'activated' && resolve()));`)
}

// another opens one more tab of the session's page (localStorage as it is)
// with a client made with opts.
func (s *session) another(opts string) *session {
	s.t.Helper()
	other := &session{t: s.t, api: s.api, url: s.url, tab: openTab(s.t, s.url+"/page.html")}
	do(s.t, other.tab, prelude)
	other.client(opts)
	return other
}

// closeMidRefresh starts a request in s's tab that refreshes, waits until
// the refresh reached the server, and closes the tab before the answer.
func (s *session) closeMidRefresh() {
	s.t.Helper()
	arrived := s.api.Arrived(browsertest.RefreshPath, 1)
	s.start("closing", `api.fetch('/api/me')`)
	waitFor(s.t, arrived, "the refresh of the tab that closes")
	s.tab.Close()
}

func TestATabClosedMidRefreshLogsNoOneOutWithTheCourier(t *testing.T) {
	t.Parallel()
	s := newCourierSession(t, courierOptions)
	other := s.another(courierOptions)
	s.closeMidRefresh()

	require.Equal(t, http.StatusOK, other.settle(`api.fetch('/api/me')`).Status)
	require.Zero(t, s.api.Session("").Reused, "the spent refresh token was sent again")
	require.Empty(t, other.events("api", "authfailure"))
	require.Equal(t, 1, s.api.RefreshCalls())
}

// Without the courier the same close is what logs everyone out: the other
// tab spends the refresh token again, and the server takes it for theft.
// (This is what the courier and the server's grace window are for.)
func TestATabClosedMidRefreshWithoutTheCourierIsAReuse(t *testing.T) {
	t.Parallel()
	s := newCourierSession(t, `{}`)
	other := s.another(`{}`)
	s.closeMidRefresh()

	require.Equal(t, http.StatusUnauthorized, other.settle(`api.fetch('/api/me')`).Status)
	require.Equal(t, 1, s.api.Session("").Reused)
	require.Len(t, other.events("api", "authfailure"), 1)
}

// Every tab closed mid-refresh: the next visit adopts what the courier
// recorded, instead of spending the token again.
func TestTheNextVisitAdoptsWhatTheCourierRecorded(t *testing.T) {
	t.Parallel()
	s := newCourierSession(t, courierOptions)
	s.closeMidRefresh()

	next := s.another(courierOptions)
	require.Equal(t, http.StatusOK, next.settle(`api.fetch('/api/me')`).Status)
	require.Zero(t, s.api.Session("").Reused)
	require.Equal(t, 1, s.api.RefreshCalls())
	next.requireStored(ptr("a2"), ptr("r2"))
}

// The courier keeps only answers that carry tokens: a refresh that failed
// transiently is sent again, not answered from a record with the same
// failure.
func TestTheCourierKeepsNoFailure(t *testing.T) {
	failures := []struct {
		name   string
		answer browsertest.Answer
	}{
		{"503", browsertest.AnswerStatus(http.StatusServiceUnavailable)},
		{"a 200 that is not JSON", browsertest.NotJSON},
	}
	for _, failure := range failures {
		t.Run(failure.name, func(t *testing.T) {
			t.Parallel()
			s := newSessionWithAPI(t)
			s.client(courierOptions)
			s.awaitCourier()
			s.api.RevokeAccess()
			s.api.AnswerRefresh(failure.answer)
			require.Equal(t, http.StatusUnauthorized, s.settle(`api.fetch('/api/me')`).Status)

			s.api.AnswerRefresh(browsertest.Rotated)
			require.Equal(t, http.StatusOK, s.settle(`api.fetch('/api/me')`).Status)
			require.Equal(t, 2, s.api.RefreshCalls())
		})
	}
}

// Where there are no service workers, refreshWorker changes nothing.
func TestWithoutServiceWorkersTheCourierOptionChangesNothing(t *testing.T) {
	t.Parallel()
	s := newRevokedSession(t)
	do(t, s.tab, `Object.defineProperty(navigator, 'serviceWorker', { value: undefined })`)
	s.client(courierOptions)

	require.Equal(t, http.StatusOK, s.settle(`api.fetch('/api/me')`).Status)
	require.Equal(t, 1, s.api.RefreshCalls())
}
