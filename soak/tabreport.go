//go:build !js

package main

import (
	"fmt"
	"io"
	"maps"
	"sort"
	"strings"
	"time"
)

// stuckAfter is how long a request may take to settle, frozen time aside,
// and how long it may have been pending when its page navigated before it
// counts as lost rather than cut short. authfetch bounds every wait of its own by about refreshTimeoutMs
// (a refresh, the Web Lock at twice that, IndexedDB), and a request waits
// for at most a refresh, its first attempt, and its retry; hidden tabs'
// timers run up to a second late, and the three pages share two loaded
// cores. A request that never settles is pending far longer.
const stuckAfter = 15 * time.Second

// reportTabs prints the tab mode's table and reports whether every check
// passed.
func reportTabs(w io.Writer, r *tabRun, took time.Duration) bool {
	var lives []lifeSnapshot
	var samples []lifeSample
	for _, tab := range r.tabs {
		lives = append(lives, tab.lives...)
		samples = append(samples, tab.samples...)
	}
	saw := gather(r.srv, []string{tabSession})
	calls := serverCalls(r.srv.api)
	var t table

	unsure := promiseChecks(&t, lives, r.c.tabRequests)
	var calledOff []string
	var stale, withAuth, stalledAnswers int
	var refreshMs []float64
	errorReasons := map[string]int{}
	events := map[string]int{}
	for _, l := range lives {
		calledOff = append(calledOff, l.CalledOff...)
		stale += l.StaleSendCount
		withAuth += l.RefreshWithAuth
		for _, c := range l.Calls {
			if c.Stalled {
				stalledAnswers++
			}
			if c.Ms > 0 {
				refreshMs = append(refreshMs, c.Ms)
			}
		}
		for k, n := range l.ErrorReasons {
			errorReasons[k] += n
		}
		for k, n := range l.Events {
			events[k] += n
		}
	}
	sends(&t, saw, calledOff, unsure)
	t.add("POST bodies that a retry did not replay intact", saw.badBody == 0, "%d", saw.badBody)
	t.add("requests sent with a token older than the storage held (at the send)", stale == 0, "%d", stale)
	for _, l := range lives {
		for _, s := range l.StaleSends {
			t.info("  stale in "+l.Life, "%s", s)
		}
	}
	st := saw.sessions[tabSession]
	t.info("requests that arrived with a replaced token (in flight when replaced)", "%d", st.Stale)

	done := maps.Clone(r.chaos.done)
	var frozen float64
	for _, l := range lives {
		done["logins by a page after an 'authfailure'"] += l.Relogins
		frozen += l.FrozenMs
	}
	t.info("chaos in the tabs", "%s; frozen %.1f s in all", joinCounts(done), frozen/1000)
	refreshChecks(&t, st, calls, lives, r.c.courier)
	eventChecks(&t, lives, calls)
	var undone []string
	for _, l := range lives {
		undone = append(undone, l.Undone...)
	}
	t.add("logins and logouts that a refresh on its way undid (its outcome replaced tokens it did not spend)", len(undone) == 0, "%d", len(undone))
	for i, u := range undone {
		if i == 10 {
			break
		}
		t.info("  undone", "%s", u)
	}
	t.info("events of the pages: refresh / adopted / refresherror (timeouts) / tokens", "%d / %d / %d (%d) / %d",
		events["refresh"], events["adopted"], events["refresherror"], events["timeouts"], events["tokens"])
	t.info("  refresherror reasons", "%s", joinCounts(errorReasons))
	t.add("refresh calls that carried Authorization", withAuth == 0, "%d", withAuth)
	t.info("refresh answers whose body never came (a page frozen while it arrived)", "%d", stalledAnswers)
	if len(refreshMs) > 0 {
		sort.Float64s(refreshMs)
		slow := len(refreshMs) - sort.SearchFloat64s(refreshMs, float64(refreshTimeout.Milliseconds()))
		t.info("refresh fetch time in the pages: median / max / over refreshTimeoutMs", "%.0f ms / %.0f ms / %d of %d",
			refreshMs[len(refreshMs)/2], refreshMs[len(refreshMs)-1], slow, len(refreshMs))
	}

	t.add("tokens that reached another origin", len(saw.leaks) == 0, "%d (of %d requests it received)", len(saw.leaks), saw.bSeen)
	for i, l := range saw.leaks {
		if i == 10 {
			break
		}
		t.info("  leak", "%s", l)
	}
	memoryChecks(&t, samples)

	fmt.Fprintf(w, "mode tabs: %d tabs of one origin sharing storage, %d requests split among them (two clients of the default session per page, up to %d in flight per page) in %d rounds, refreshTimeoutMs %d, seed %d: %.1fs\n\n",
		tabCount, r.c.tabRequests, r.inflight, r.rounds, refreshTimeout.Milliseconds(), r.c.seed, took.Seconds())
	pass := t.print(w)
	fmt.Fprintln(w, "\nmemory of each page life's module after each round, once no Web Lock was held:")
	for _, s := range samples {
		fmt.Fprintf(w, "  life %s, round %2d: Go heap %s, live js.Funcs %.0f, module memory %s, JS values held by Go %.0f (%.0f before the forced Go GC)\n",
			s.Life, s.Round, mb(s.GoHeap), s.LiveFuncs, mb(s.WasmBytes), s.LiveRefs, s.LiveRefsBeforeGC)
	}
	return pass
}

// promiseChecks adds the checks of the pages' promises, each counted in
// the page life that started it, and returns the ids of the requests that
// were pending when a reload ended their life.
func promiseChecks(t *table, lives []lifeSnapshot, want int) (cut map[string]bool) {
	cut = map[string]bool{}
	var started, settled, doubled, requests, reloads, lost int
	var oldest float64
	var slowest struct {
		id string
		ms float64
	}
	var stalled int
	outcomes := map[string]int{}
	for _, l := range lives {
		if l.Slowest.Ms > slowest.ms {
			slowest.id, slowest.ms = l.Slowest.ID, l.Slowest.Ms
		}
		stalled += l.StalledBodies
		started += l.Started
		settled += l.SettledOnce
		doubled += l.Doubled
		requests += l.Requests
		for o, n := range l.Outcomes {
			outcomes[o] += n
		}
		if !l.Cut {
			lost += len(l.PendingIDs)
			continue
		}
		reloads++
		oldest = max(oldest, l.OldestPendingMs)
		for _, id := range l.PendingIDs {
			cut[id] = true
		}
	}
	t.add("promises: started / settled once / doubled", started == want && doubled == 0,
		"%d of %d / %d / %d, in %d page lives", started, want, settled, doubled, len(lives))
	t.add("  pending when a reload ended their page life (oldest, frozen time aside)", oldest <= float64(stuckAfter.Milliseconds()),
		"%d in %d reloads (%.0f ms; lost beyond %v)", len(cut), reloads, oldest, stuckAfter)
	t.add("  pending at the end (lost)", lost == 0, "%d", lost)
	t.add("  the slowest to settle, frozen time aside", slowest.ms <= float64(stuckAfter.Milliseconds()), "%.0f ms (%s)", slowest.ms, slowest.id)
	// Chromium's, not authfetch's: see one in tabpage.js.
	t.info("  response bodies unread 5 s after their response (a page frozen while they arrived)", "%d", stalled)
	t.info("  outcomes", "%s", joinCounts(outcomes))
	var unexpected int
	for o, n := range outcomes {
		if strings.HasPrefix(o, "rejected") || strings.HasPrefix(o, "body") || strings.HasPrefix(o, "other-origin 4") || strings.HasPrefix(o, "redirect 4") {
			unexpected += n
		}
	}
	t.add("  rejections other than the soak's own aborts", unexpected == 0, "%d", unexpected)
	t.add("  stats().requests of each life's clients, summed", requests == started, "%d", requests)
	return cut
}

// memoryChecks adds the checks that each page life's module stayed flat
// from its first measurement to its last: tab 1 is never reloaded, so its
// one life is measured after every round.
func memoryChecks(t *table, samples []lifeSample) {
	byLife := map[string][]sample{}
	var names []string
	for _, s := range samples {
		if byLife[s.Life] == nil {
			names = append(names, s.Life)
		}
		byLife[s.Life] = append(byLife[s.Life], s.sample)
	}
	for _, name := range names {
		ss := byLife[name]
		if len(ss) < 2 {
			continue
		}
		first, last := ss[0], ss[len(ss)-1]
		t.add(fmt.Sprintf("life %s (%d rounds): Go heap after GC (moduleStats)", name, len(ss)), last.GoHeap-first.GoHeap <= maxGoHeapGrowth,
			"%s → %s", mb(first.GoHeap), mb(last.GoHeap))
		early, late := fewestLiveFuncs(ss[:len(ss)/2]), fewestLiveFuncs(ss[len(ss)/2:])
		t.add("  live js.Funcs (moduleStats), fewest in the first / second half", late <= early, "%.0f / %.0f", early, late)
		t.add("  module memory / JS values held by Go", last.WasmBytes-first.WasmBytes <= maxWasmGrowth && last.LiveRefs-first.LiveRefs <= maxLiveRefsGrowth,
			"%s → %s / %.0f → %.0f", mb(first.WasmBytes), mb(last.WasmBytes), first.LiveRefs, last.LiveRefs)
	}
}
