//go:build !js

package e2e

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/authfetch/authfetch/internal/browsertest"
	"github.com/stretchr/testify/require"
)

// One refresh, a queue for the rest.

func TestHundredConcurrentRequestsAfterRevocationShareOneRefresh(t *testing.T) {
	t.Parallel()
	s := newRevokedSession(t)

	got := s.settleAll(`Array.from({ length: 100 }, (_, i) => api.fetch('/api/item?i=' + i))`)
	require.Len(t, got, 100)
	for i, o := range got {
		require.True(t, o.Resolved, "request %d: %+v", i, o)
		require.Equal(t, http.StatusOK, o.Status, "request %d: %s", i, o.Body)
		require.JSONEq(t, fmt.Sprintf(`{"uri":"/api/item?i=%d","auth":"Bearer a2"}`, i), o.Body)
	}
	require.Equal(t, 1, s.api.RefreshCalls(), "refresh calls")

	// Each went out once with a2; with a1 before that, unless authfetch
	// called it off while it waited in the browser's queue.
	withA2 := map[string]int{}
	for _, r := range s.api.Requests("/api/item") {
		require.Contains(t, []string{"Bearer a1", "Bearer a2"}, r.Auth)
		if r.Auth == "Bearer a2" {
			withA2[r.URI]++
		}
	}
	require.Len(t, withA2, 100)
	for uri, n := range withA2 {
		require.Equal(t, 1, n, "%s was sent %d times with the new token", uri, n)
	}
	require.Equal(t, clientStats{Requests: 100, Retries: 100, Refreshes: 1}, s.stats("api"))
}

func TestARequestStartedWhileARefreshRunsWaitsForTheNewToken(t *testing.T) {
	t.Parallel()
	s := newRevokedSession(t)
	release := s.holdRefreshes()

	s.start("first", `api.fetch('/api/first')`)
	s.arrived(browsertest.RefreshPath, 1, "the refresh")
	s.start("second", `api.fetch('/api/second')`)
	s.roundTrips(3)
	require.Empty(t, s.api.Requests("/api/second"), "a request started during the refresh went out before it ended")

	release()
	for _, name := range []string{"first", "second"} {
		o := s.outcomeOf(name)
		require.Equal(t, http.StatusOK, o.Status, "%s: %+v", name, o)
	}
	require.Equal(t, []string{"Bearer a1", "Bearer a2"}, s.api.Auths("/api/first"))
	require.Equal(t, []string{"Bearer a2"}, s.api.Auths("/api/second"))
	require.Equal(t, 1, s.api.RefreshCalls())
}

func TestA401ToARequestSentWithAnOlderTokenIsRetriedWithoutANewRefresh(t *testing.T) {
	t.Parallel()
	s := newSessionWithAPI(t)
	held := s.api.HoldNext("/api/held")

	s.start("old", `api.fetch('/api/held')`)
	waitFor(t, held.Entered, "the request with a1")
	s.api.RevokeAccess()
	o := s.settle(`api.fetch('/api/me')`)
	require.Equal(t, http.StatusOK, o.Status, "the request that refreshes")
	require.Equal(t, 1, s.api.RefreshCalls())

	held.Release() // it now gets a 401 for a1, while a2 is current
	o = s.outcomeOf("old")
	require.Equal(t, http.StatusOK, o.Status, "%+v", o)
	require.Equal(t, []string{"Bearer a1", "Bearer a2"}, s.api.Auths("/api/held"))
	require.Equal(t, 1, s.api.RefreshCalls(), "refresh calls")
}
