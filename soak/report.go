//go:build !js

package main

import (
	"fmt"
	"io"
	"sort"
	"strings"
)

// Flatness bounds, from the first measurement (after the first round) to the
// last: what a run of 10,000 requests may add without counting as a leak.
const (
	maxJSHeapGrowth   = 2 << 20   // bytes, plus 25% of the first measurement
	maxWasmGrowth     = 16 << 20  // bytes of linear memory
	maxLiveRefsGrowth = 200       // JS values held by Go
	maxGoHeapGrowth   = 256 << 10 // bytes of live Go heap
)

// report prints the table and reports whether every check passed.
func report(w io.Writer, c config, srv *servers, res *result) bool {
	saw := gather(srv, sessionNames)
	sum := res.summary
	var t table
	add, info := t.add, t.info

	// Every promise settled exactly once.
	add("promises: started / settled once / lost / doubled", sum.Started == c.requests && sum.SettledOnce == c.requests && sum.Lost == 0 && sum.Doubled == 0,
		"%d / %d / %d / %d", sum.Started, sum.SettledOnce, sum.Lost, sum.Doubled)
	if len(sum.LostIDs) > 0 {
		info("  lost (first ten)", "%s", strings.Join(sum.LostIDs, ", "))
	}
	info("  outcomes", "%s", joinCounts(sum.Outcomes))
	var unexpected int
	for o, n := range sum.Outcomes {
		if strings.HasPrefix(o, "rejected") || strings.HasPrefix(o, "body") || strings.HasPrefix(o, "other-origin 4") || strings.HasPrefix(o, "redirect 4") {
			unexpected += n
		}
	}
	add("  rejections other than the soak's own aborts", unexpected == 0, "%d", unexpected)
	var statsRequests float64
	for _, st := range sum.Stats {
		statsRequests += st["requests"].(float64)
	}
	add("  stats().requests of the clients, summed", int(statsRequests) == c.requests, "%d", int(statsRequests))

	sends(&t, saw, sum.CalledOff, nil)

	add("POST bodies that a retry did not replay intact", saw.badBody == 0, "%d", saw.badBody)

	// Stale tokens. The page's fetch wrapper compares, at the moment of each
	// send, the token a request carries with the one its session's storage
	// holds: older means authfetch sent a token it knew to be replaced,
	// where it should have waited for the refresh. The server also counts requests that arrive with a
	// replaced token: those were sent (and queued by the browser behind its
	// six connections) before the refresh that replaced it.
	add("requests sent with a token already replaced (at the send)", sum.StaleSendCount == 0, "%d", sum.StaleSendCount)
	for _, s := range sum.StaleSends {
		info("  stale", "%s", s)
	}
	var staleArrivals int
	for _, st := range saw.sessions {
		staleArrivals += st.Stale
	}
	info("requests that arrived with a replaced token (in flight when replaced)", "%d", staleArrivals)

	// Refreshes. The server revokes an access token only while it is valid,
	// which opens an episode that ends with the refresh that succeeds or is
	// rejected (the page then logs in again); a transient failure leaves the
	// episode open, and the next 401 tries again. So, per session:
	//   calls = successes + transient failures + rejections, and
	//   successes + rejections = revocations - episodes still open at the end;
	// and a refresh call is a duplicate when it arrives while the access
	// token is valid (outside an episode), or while another call of the
	// session is in flight (counted in the page, where a call ends when its
	// fetch settles).
	names := append([]string(nil), sessionNames...)
	sort.Strings(names)
	for _, name := range names {
		st := saw.sessions[name]
		open := 0
		if !st.AccessValid && st.RefreshValid {
			open = 1
		}
		ev := sum.Events[name]
		info(name+": logins / revocations / refresh calls", "%d / %d / %d", st.Logins, st.Revocations, st.Calls)
		add("  calls = successes + transient + rejected", st.Calls == st.Successes+st.Transients+st.Rejections,
			"%d = %d + %d + %d", st.Calls, st.Successes, st.Transients, st.Rejections)
		add("  successes + rejected = revocations - still revoked", st.Successes+st.Rejections == st.Revocations-open,
			"%d + %d = %d - %d", st.Successes, st.Rejections, st.Revocations, open)
		add("  calls while the access token was valid (duplicates)", st.Unneeded == 0, "%d", st.Unneeded)
		add("  refresh calls in flight at once, at most", sum.RefreshMaxInFlight[name] <= 1, "%d (server saw %d overlaps)", sum.RefreshMaxInFlight[name], st.Concurrent)
		add("  refresh tokens spent again / not valid", st.Respent == 0 && st.Invalid == 0, "%d / %d", st.Respent, st.Invalid)
		// Each server outcome is reported once; a refresh that outlives the
		// client's refreshTimeoutMs also reports a refresherror at the
		// timeout (its late success or rejection follows). The server cannot
		// tell which calls outlived the timeout in the page (the browser
		// queues them behind the page's requests), so the timeouts are bounded.
		errs, timeouts := ev["refresherror"], ev["timeouts"]
		add("  events refresh / authfailure = server", ev["refresh"] == st.Successes && ev["authfailure"] == st.Rejections,
			"%d / %d = %d / %d", ev["refresh"], ev["authfailure"], st.Successes, st.Rejections)
		add("  refresherror events (timeouts) vs server failures", errs-timeouts <= st.Transients && errs >= st.Transients && errs <= st.Calls,
			"%d (%d) vs %d transient, %d late by design", errs, timeouts, st.Transients, st.Late)
	}
	info("refresherror reasons", "%s", joinCounts(sum.ErrorReasons))
	add("refresh calls that carried Authorization", sum.RefreshWithAuth == 0, "%d", sum.RefreshWithAuth)
	ms := append([]float64(nil), sum.RefreshMs...)
	sort.Float64s(ms)
	if len(ms) > 0 {
		slow := len(ms) - sort.SearchFloat64s(ms, float64(refreshTimeout.Milliseconds()))
		info("refresh fetch time in the page: median / max / over refreshTimeoutMs", "%.0f ms / %.0f ms / %d of %d",
			ms[len(ms)/2], ms[len(ms)-1], slow, len(ms))
	}
	add("logins again after a rejection / failed", len(sum.LoginErrors) == 0, "%d / %d", sum.Relogins, len(sum.LoginErrors))

	// Leaks.
	add("tokens that reached another origin", len(saw.leaks) == 0, "%d (of %d requests it received)", len(saw.leaks), saw.bSeen)
	for i, l := range saw.leaks {
		if i == 10 {
			break
		}
		info("  leak", "%s", l)
	}

	// Memory, from the first round to the last.
	first, last := res.samples[0], res.samples[len(res.samples)-1]
	add(fmt.Sprintf("JS heap after GC, at request %d → %d", first.Requests, last.Requests), last.JSHeap-first.JSHeap <= maxJSHeapGrowth+first.JSHeap/4,
		"%s → %s", mb(first.JSHeap), mb(last.JSHeap))
	add("module memory (holds the Go heap; never shrinks)", last.WasmBytes-first.WasmBytes <= maxWasmGrowth,
		"%s → %s", mb(first.WasmBytes), mb(last.WasmBytes))
	add("JS values held by Go (js.Value, js.Func), after a forced Go GC", last.LiveRefs-first.LiveRefs <= maxLiveRefsGrowth,
		"%.0f → %.0f", first.LiveRefs, last.LiveRefs)
	add("Go heap after GC (moduleStats)", last.GoHeap-first.GoHeap <= maxGoHeapGrowth,
		"%s → %s", mb(first.GoHeap), mb(last.GoHeap))
	// A round is measured once its requests have settled and no refresh is in
	// flight (a refresh that outlived refreshTimeoutMs keeps running, holding
	// its js.Funcs); should one still be, the fewest of the later half of the
	// rounds against the fewest of the first does not mistake it for a leak.
	early, late := fewestLiveFuncs(res.samples[:len(res.samples)/2]), fewestLiveFuncs(res.samples[len(res.samples)/2:])
	add("live js.Funcs (moduleStats), fewest in the first / second half of the rounds", late <= early,
		"%.0f / %.0f", early, late)

	fmt.Fprintf(w, "mode single: one tab, %d requests from %d clients in %d sessions, up to %d in flight, refreshTimeoutMs %d, seed %d: %.1fs\n\n",
		c.requests, len(sum.Stats), len(sessionNames), c.inflight, refreshTimeout.Milliseconds(), c.seed, res.took.Seconds())
	pass := t.print(w)
	fmt.Fprintln(w, "\nmemory after each round:")
	for _, s := range res.samples {
		fmt.Fprintf(w, "  %6d requests: JS heap %s, Go heap %s, live js.Funcs %.0f, module memory %s, JS values held by Go %.0f (%.0f before the forced Go GC)\n",
			s.Requests, mb(s.JSHeap), mb(s.GoHeap), s.LiveFuncs, mb(s.WasmBytes), s.LiveRefs, s.LiveRefsBeforeGC)
	}
	return pass
}

// fewestLiveFuncs is the lowest live js.Func count of samples.
func fewestLiveFuncs(samples []sample) float64 {
	fewest := samples[0].LiveFuncs
	for _, s := range samples[1:] {
		fewest = min(fewest, s.LiveFuncs)
	}
	return fewest
}
