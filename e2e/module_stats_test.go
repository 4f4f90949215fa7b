//go:build !js

package e2e

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// heldByModule is what moduleStats() reports.
type heldByModule struct {
	HeapBytes   float64 `json:"heapBytes"`
	HeapObjects float64 `json:"heapObjects"`
	GCCycles    float64 `json:"gcCycles"`
	LiveFuncs   int     `json:"liveFuncs"`
}

// moduleExports is how many js.Funcs the module holds for good: newClient
// and moduleStats.
const moduleExports = 2

func (s *session) moduleStats() *heldByModule {
	s.t.Helper()
	return eval[*heldByModule](s.t, s.tab, `return await (await import('/js/authfetch.js')).moduleStats()`)
}

// awaitLocksReleased waits until the Web Locks held now are released: a
// refresh wakes its requests first and tells the other tabs after, under its
// lock, with js.Funcs of its own meanwhile. Asking for a held lock waits for
// its holder.
func (s *session) awaitLocksReleased() {
	s.t.Helper()
	do(s.t, s.tab, `const { held } = await navigator.locks.query()
		await Promise.all(held.map((l) => navigator.locks.request(l.name, () => {})))`)
}

func TestModuleStatsIsNullBeforeTheModuleRuns(t *testing.T) {
	t.Parallel()
	s := newSession(t)
	require.Nil(t, s.moduleStats())
}

// Every js.Func a request makes is released when it settles, whichever way it
// settles, and close() releases the client's own: the leak that moduleStats
// exists to show.
func TestEveryRequestAndClosedClientReleasesItsJSFuncs(t *testing.T) {
	t.Parallel()
	s := newSessionWithAPI(t)
	// A first refresh opens what a session keeps open for good (the other
	// tabs' records): idle is counted after it.
	s.api.RevokeAccess()
	require.Equal(t, 200, s.settle(`api.fetch('/api/first')`).Status)
	s.awaitLocksReleased()
	idle := s.moduleStats()
	require.NotNil(t, idle)
	require.Positive(t, idle.HeapBytes)
	require.Positive(t, idle.HeapObjects)
	require.Greater(t, idle.LiveFuncs, moduleExports, "the client's methods are js.Funcs")

	s.api.RevokeAccess()
	outcomes := s.settleAll(`[
		...Array.from({ length: 20 }, (_, i) => api.fetch('/api/items/' + i)),
		api.fetch('/api/aborted', { signal: AbortSignal.abort() }),
		api.fetch('/api/late-abort', { signal: AbortSignal.timeout(1) }),
		api.fetch('http://127.0.0.1:1/refused'),
	]`)
	require.Equal(t, 2, s.api.RefreshCalls())
	for i, o := range outcomes[:20] {
		require.Equal(t, 200, o.Status, "request %d: %+v", i, o)
	}
	for _, o := range outcomes[20:] {
		require.False(t, o.IsResponse, "%+v", o)
	}
	s.awaitLocksReleased()
	after := s.moduleStats()
	require.Equal(t, idle.LiveFuncs, after.LiveFuncs, "js.Funcs left behind by settled requests")
	require.Greater(t, after.GCCycles, idle.GCCycles, "moduleStats collects garbage")

	do(t, s.tab, `api.close()`)
	require.Equal(t, moduleExports, s.moduleStats().LiveFuncs, "the closed client's js.Funcs")
}
