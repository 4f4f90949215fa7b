//go:build !js

package e2e

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
)

// A tab closed while its refresh is on the wire: the demo API spends the
// refresh token on arrival and answers 1.5 s later, and the test closes tab 1
// as soon as its refresh has arrived, so the answer (the successor of the
// token) is lost. Tab 2 of the same profile still holds the spent token in
// the localStorage they share, and its next request refreshes with it. The
// server's grace window is what decides whether the user stays signed in:
// with it, tab 2 gets the pair tab 1 lost; without it, the token's second
// presentation is a reuse, which revokes the session.
func TestATabClosedMidRefresh(t *testing.T) {
	tests := []struct {
		name         string
		grace        string // the body of POST /demo/grace
		status       int    // what tab 2's request ends with
		reuses       int
		replays      int
		authFailures int // in tab 2
	}{
		{"with the grace window the other tab goes on", `{"on":true}`, http.StatusOK, 0, 1, 0},
		{"without it the other tab's refresh is a reuse", `{"on":false}`, http.StatusUnauthorized, 1, 0, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := newDemoSite(t, harness.Files())
			d.flip(t, "/demo/grace", tt.grace)
			one, two := openDemoTab(t, d, `{}`), openDemoTab(t, d, `{}`)
			login(t, one)
			waitInPage(t, two.tab, `api.getAccessToken() !== null`)
			d.flip(t, "/demo/refresh-delay", `{"ms":1500}`)
			d.revoke(t)

			one.start("me", `api.fetch('/api/me')`)
			d.waitAuth(t, "tab 1's refresh to arrive", func(c []authCall) bool { return len(refreshCalls(c)) == 1 })
			one.tab.Close()
			calls := d.waitAuth(t, "tab 1's refresh to end", func(c []authCall) bool { return refreshCalls(c)[0].Done })
			require.True(t, refreshCalls(calls)[0].Left, "tab 1 was to close before its refresh answered, 1.5 s after it arrived")
			d.flip(t, "/demo/refresh-delay", `{"ms":0}`)

			o := two.settle(`api.fetch('/api/me')`)
			require.Equal(t, tt.status, o.Status, o.Body)
			st := d.stats(t)
			require.Equal(t, 2, st.RefreshCalls, "tab 1's refresh and tab 2's")
			require.Equal(t, 1, st.LostAnswers)
			require.Equal(t, tt.reuses, st.ReuseDetections, "reuse detections")
			require.Equal(t, tt.replays, st.GraceReplays, "replays within the grace window")
			require.Len(t, two.events("api", "authfailure"), tt.authFailures)
			if tt.status != http.StatusOK {
				return
			}

			// The family lives on: the next refresh spends the pair tab 2 got.
			d.revoke(t)
			o = two.settle(`api.fetch('/api/me?after=revoke')`)
			require.Equal(t, http.StatusOK, o.Status, o.Body)
			st = d.stats(t)
			require.Equal(t, 3, st.RefreshCalls)
			require.Zero(t, st.ReuseDetections)
		})
	}
}
