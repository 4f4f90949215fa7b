//go:build !js

package e2e

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
)

// The tab tests open several tabs of one origin in one browser profile, so
// they share localStorage, Web Locks and IndexedDB, against the demo server,
// whose refresh-token reuse detection logs everyone out when two tabs spend
// the same refresh token.

func TestThreeTabsAfterARevocationMakeOneRefreshCallInTotal(t *testing.T) {
	const rounds, perTab = 20, 50
	d := newDemoSite(t, harness.Files())
	tabs := []*session{openDemoTab(t, d, `{}`), openDemoTab(t, d, `{}`), openDemoTab(t, d, `{}`)}
	login(t, tabs[0])
	for _, s := range tabs[1:] {
		waitInPage(t, s.tab, `api.getAccessToken() !== null`)
	}

	for round := 1; round <= rounds; round++ {
		before := d.stats(t)
		d.revoke(t)
		for _, s := range tabs {
			s.start("burst", fmt.Sprintf(`Promise.all(Array.from({ length: %d }, (_, i) => api.fetch('/api/items?i=' + i).then(r => r.status)))`, perTab))
		}
		for i, s := range tabs {
			statuses := kept[[]int](s, "burst")
			require.Len(t, statuses, perTab)
			for _, status := range statuses {
				require.Equalf(t, http.StatusOK, status, "round %d, tab %d: %v", round, i+1, statuses)
			}
		}
		after := d.stats(t)
		require.Equal(t, 1, after.RefreshCalls-before.RefreshCalls, "round %d: refresh calls", round)
		require.Zero(t, after.ReuseDetections, "round %d: a refresh token was spent twice", round)
	}

	var refreshed, adopted int
	for _, s := range tabs {
		st := eval[struct{ Refreshes, Adoptions int }](t, s.tab, `const s = api.stats(); return { Refreshes: s.refreshes, Adoptions: s.adoptions }`)
		refreshed += st.Refreshes
		adopted += st.Adoptions
	}
	require.Equal(t, rounds, refreshed, "one tab refreshed per round")
	t.Logf("%d rounds: %d refreshes, %d adoptions of another tab's tokens", rounds, refreshed, adopted)
}

func TestALogoutInOneTabIsSeenByTheOthersOnce(t *testing.T) {
	d := newDemoSite(t, harness.Files())
	tabs := []*session{openDemoTab(t, d, `{}`), openDemoTab(t, d, `{}`), openDemoTab(t, d, `{}`)}
	login(t, tabs[0])
	for _, s := range tabs[1:] {
		waitInPage(t, s.tab, `api.getAccessToken() !== null`)
	}

	do(t, tabs[0].tab, `api.clearTokens()`)
	for i, s := range tabs[1:] {
		waitInPage(t, s.tab, `e2e.events.api.some(e => e.type === 'tokens' && e.detail.accessToken === null)`)
		s.roundTrips(3) // let the second key's storage event arrive too
		require.Nil(t, s.accessToken("api"), "tab %d", i+2)
		nulls := eval[int](t, s.tab, `return e2e.events.api.filter(e => e.type === 'tokens' && e.detail.accessToken === null).length`)
		require.Equal(t, 1, nulls, "tab %d: 'tokens' with accessToken null fires once", i+2)
	}
}

func TestALoginInOneTabIsUsedByAnotherWithoutARefresh(t *testing.T) {
	d := newDemoSite(t, harness.Files())
	one, two := openDemoTab(t, d, `{}`), openDemoTab(t, d, `{}`)

	login(t, one)
	waitInPage(t, two.tab, `api.getAccessToken() !== null`)
	o := two.settle(`api.fetch('/api/me')`)
	require.Equal(t, http.StatusOK, o.Status, o.Body)
	require.Contains(t, o.Body, "ada@example.com")
	require.Zero(t, d.stats(t).RefreshCalls)
	require.Equal(t, eval[string](t, one.tab, `return api.getAccessToken()`), *two.accessToken("api"))
}

func TestTheOAuth2RefreshFormatEndToEnd(t *testing.T) {
	d := newDemoSite(t, harness.Files())
	s := openDemoTab(t, d, `{ refreshURL: '/oauth/token', refreshFormat: 'oauth2', clientId: 'demo-spa' }`)
	login(t, s)
	first := *s.accessToken("api")

	d.revoke(t)
	o := s.settle(`api.fetch('/api/me')`)
	require.Equal(t, http.StatusOK, o.Status, o.Body)
	require.Equal(t, 1, d.stats(t).RefreshCalls)
	require.NotEqual(t, first, *s.accessToken("api"))
	require.Len(t, s.events("api", "refresh"), 1)

	// A spent refresh token is invalid_grant (400): a rejection, tokens removed.
	do(t, s.tab, `localStorage.setItem('refreshToken', 'spent-or-unknown'); localStorage.setItem('accessToken', 'x.y.z')`)
	o = s.settle(`api.fetch('/api/me?after=reject')`)
	require.Equal(t, http.StatusUnauthorized, o.Status)
	failures := s.events("api", "authfailure")
	require.Len(t, failures, 1)
	require.Nil(t, s.accessToken("api"))
}
