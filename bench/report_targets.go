//go:build !js

package main

import (
	"fmt"
	"slices"
	"strings"
)

// writeTargets judges every target: one row each, with what was measured
// and met or missed. A part of the bench that did not run says so.
func writeTargets(w writer, cfg config, af sizes, res *results) {
	w("## Targets\n\n")
	var t table
	t.row("target", "measured", "")
	targetCrossings(&t, cfg, res)
	targetOverheads(&t, cfg, res)
	targetRequests(&t, cfg, res)
	targetStorms(&t, cfg, res)
	t.row(fmt.Sprintf("`authfetch.wasm` ≤ %s brotli -q 11", kb(targetBrotli)), kb(af.brotli), verdict(float64(af.brotli) <= targetBrotli))
	t.row(fmt.Sprintf("`authfetch.wasm` ≤ %s gzip -9", kb(targetGzip)), kb(af.gzip), verdict(float64(af.gzip) <= targetGzip))
	targetColdStarts(&t, res)
	targetMemory(&t, cfg, res)
	w("%s\nA ratio is the median over rounds of the ratio within a round (the two ran back to back), so a slow moment of the machine weighs on both of its sides; the times beside it are medians. The request targets are judged by the page's clock, as stated; the main thread's CPU ratio beside them is what the page's own work says where the machine's load makes the clock unreliable. KB = 1,000 bytes.\n\n", t.String())
}

func notRun(t *table, target string) { t.row(target, "not run", "") }

func targetCrossings(t *table, cfg config, res *results) {
	name := fmt.Sprintf("calls between Go and JS per `api.fetch`, one at a time, valid token: ≤ %d", targetCalls)
	c, ok := res.crossings[1]
	if !ok {
		notRun(t, name)
		return
	}
	x := tallyCrossings(c, cfg.crossingN)
	if x.total == 0 { // a request with a valid token crosses at least once
		t.row(name, "not counted: probe.js saw no crossing (its hooks on Go's class saw no run)", "")
		return
	}
	t.row(name, fmt.Sprintf("%.1f: %.1f Go→JS + %.1f JS→Go; %.1f of them the clock and timers (%s)",
		x.total, x.goToJS, x.jsToGo, x.clock, x.handleCalls()), verdict(x.total <= targetCalls))
}

func targetOverheads(t *table, cfg config, res *results) {
	times, clock := overheadTimes(res)
	for _, inFlight := range []int{1, cfg.inFlight} {
		way := fmt.Sprintf("%d in flight", inFlight)
		if inFlight == 1 {
			way = "one at a time"
		}
		runs := times[inFlight]
		if len(runs) == 0 {
			notRun(t, "engine overhead, "+way)
			continue
		}
		af := overheadPerCall(runs, "authfetch", cfg.overheadN)
		hw := overheadPerCall(runs, "handwritten", cfg.overheadN)
		t.row(fmt.Sprintf("engine overhead with an instant `fetch`, %s: ≤ %d µs per `api.fetch`", way, targetOverhead),
			fmt.Sprintf("%.1f µs of %s (the stub called directly: %.1f µs)", median(af), clock, perCall(runs["direct"], cfg.overheadN)),
			verdict(median(af) <= targetOverhead))
		r := pairedRatio(af, hw)
		t.row(fmt.Sprintf("engine overhead, %s: ≤ %.1f× the hand-written implementation's", way, targetOverheadRatio),
			fmt.Sprintf("%s (%.1f µs vs %.1f µs)", ratio(r), median(af), median(hw)), verdict(r <= targetOverheadRatio))
	}
}

func targetRequests(t *table, cfg config, res *results) {
	serial, parallel := throughputs(cfg, res)
	serialLabel, parallelLabel := fmt.Sprintf("%s one at a time", count(cfg.serialN)), fmt.Sprintf("%s with %d in flight", count(cfg.parallelN), cfg.inFlight)
	// cpuNote adds the main thread's CPU ratio: on a shared machine the
	// page's clock can turn a ratio around, the CPU time much less.
	cpuNote := func(label, c string) string {
		cpus := res.throughputCPU[label]
		if len(cpus[c]) == 0 {
			return ""
		}
		return fmt.Sprintf("; main-thread CPU %s", ratio(pairedRatio(cpus["authfetch"], cpus[c])))
	}
	if len(parallel) > 0 {
		pr := pairedRatio(parallel["authfetch"], parallel["plain"])
		t.row(fmt.Sprintf("%s: ≤ %.2f× plain fetch", parallelLabel, targetParallel),
			fmt.Sprintf("%s (%s vs %s%s)", ratio(pr), ms(medianOf(parallel, "authfetch")), ms(medianOf(parallel, "plain")), cpuNote(parallelLabel, "plain")), verdict(pr <= targetParallel))
		for _, other := range []string{"ky", "axios"} {
			r := pairedRatio(parallel["authfetch"], parallel[other])
			t.row(fmt.Sprintf("%s: faster than %s", parallelLabel, titles[other]),
				fmt.Sprintf("%s of it (%s vs %s%s)", ratio(r), ms(medianOf(parallel, "authfetch")), ms(medianOf(parallel, other)), cpuNote(parallelLabel, other)), verdict(r < 1))
		}
	} else {
		notRun(t, "requests with 100 in flight")
	}
	if len(serial) > 0 {
		sr := pairedRatio(serial["authfetch"], serial["plain"])
		t.row(fmt.Sprintf("%s: ≤ %.2f× plain fetch", serialLabel, targetSerial),
			fmt.Sprintf("%s (%s vs %s%s)", ratio(sr), ms(medianOf(serial, "authfetch")), ms(medianOf(serial, "plain")), cpuNote(serialLabel, "plain")), verdict(sr <= targetSerial))
	} else {
		notRun(t, "requests one at a time")
	}
	targetDPoP(t, cfg, res, serial, parallel)
}

// targetDPoP judges authfetch with dpop: true one at a time against plain
// fetch, and reports it at 100 in flight, where it has no target.
func targetDPoP(t *table, cfg config, res *results, serial, parallel map[string][]float64) {
	serialLabel, parallelLabel := fmt.Sprintf("%s one at a time", count(cfg.serialN)), fmt.Sprintf("%s with %d in flight", count(cfg.parallelN), cfg.inFlight)
	// cpu is dpop's main-thread CPU ratio to plain fetch's.
	cpu := func(label string) string {
		cpus := res.throughputCPU[label]
		if len(cpus["dpop"]) == 0 || len(cpus["plain"]) == 0 {
			return ""
		}
		return fmt.Sprintf("; main-thread CPU %s", ratio(pairedRatio(cpus["dpop"], cpus["plain"])))
	}
	if len(serial["dpop"]) == 0 {
		notRun(t, "requests with `dpop: true`")
		return
	}
	sr := pairedRatio(serial["dpop"], serial["plain"])
	t.row(fmt.Sprintf("%s with `dpop: true`: ≤ %.2f× plain fetch", serialLabel, targetDPoPSerial),
		fmt.Sprintf("%s (%s vs %s%s)", ratio(sr), ms(medianOf(serial, "dpop")), ms(medianOf(serial, "plain")), cpu(serialLabel)), verdict(sr <= targetDPoPSerial))
	if len(parallel["dpop"]) > 0 {
		pr := pairedRatio(parallel["dpop"], parallel["plain"])
		t.row(fmt.Sprintf("%s with `dpop: true`, × plain fetch (reported; no target)", parallelLabel),
			fmt.Sprintf("%s (%s vs %s%s)", ratio(pr), ms(medianOf(parallel, "dpop")), ms(medianOf(parallel, "plain")), cpu(parallelLabel)), "")
	}
}

func targetStorms(t *table, cfg config, res *results) {
	runs := res.storm["authfetch"]
	if len(runs) == 0 {
		notRun(t, "refresh storm")
		return
	}
	storm := fmt.Sprintf("storm of %s", count(cfg.stormN))
	calls := stormCalls(runs)
	t.row(storm+": exactly 1 refresh call", "per round: "+joinInts(calls),
		verdict(slices.Min(calls) == 1 && slices.Max(calls) == 1))
	toRefresh, seen := stormToRefresh(runs)
	if seen {
		t.row(fmt.Sprintf("%s: first refresh status to refresh sent, median ≤ %d ms", storm, targetToRefresh),
			fmt.Sprintf("%.1f ms (rounds: %s)", median(toRefresh), joinMS(toRefresh)), verdict(median(toRefresh) <= targetToRefresh))
	} else {
		notRun(t, storm+": first refresh status to refresh sent")
	}
	rejected, reasons := stormRejections(runs)
	t.row(storm+": every request answered by the server (none rejected)", fmt.Sprintf("rejected per round: %s%s", joinInts(rejected), reasons),
		verdict(slices.Max(rejected) == 0))
	sr := pairedRatio(stormTimes(runs), stormTimes(res.storm["plain"]))
	t.row(fmt.Sprintf("%s: all settled ≤ %.1f× plain fetch with the storm handled by hand", storm, targetStorm),
		fmt.Sprintf("%s (%s vs %s)", ratio(sr), ms(median(stormTimes(runs))), ms(median(stormTimes(res.storm["plain"])))),
		verdict(sr <= targetStorm))
}

func targetColdStarts(t *table, res *results) {
	if len(res.cold) == 0 {
		notRun(t, "cold start")
		return
	}
	for _, repeat := range []bool{false, true} {
		target, visit := targetFirstVisit, "first visit (nothing cached, a fresh browser context)"
		if repeat {
			target, visit = targetRepeatVisit, "repeat visit (HTTP and compiled-code caches warm)"
		}
		for _, enc := range encodings {
			as, es := res.cold[coldKey{"authfetch", enc, 0, repeat}], res.cold[coldKey{"empty", enc, 0, repeat}]
			if len(as) == 0 {
				continue
			}
			r := pairedRatio(as, es)
			t.row(fmt.Sprintf("%s to ready, %s: ≤ %.1f× the empty Go program", visit, encName(enc), target),
				fmt.Sprintf("%s (%s vs %s)", ratio(r), ms(median(as)), ms(median(es))), verdict(r <= target))
		}
	}
}

func targetMemory(t *table, cfg config, res *results) {
	mem, ok := res.memory["authfetch"]
	if !ok {
		notRun(t, "Go heap flat")
		return
	}
	if slices.Min(mem.goHeap[:]) < 0 || slices.Min(mem.liveFuncs[:]) < 0 {
		t.row(fmt.Sprintf("Go heap and live `js.Func` count flat from %s to %s requests", count(cfg.memFirst), count(cfg.memTotal)), "not read: moduleStats() found no module", "")
		return
	}
	flat := mem.goHeap[2]-mem.goHeap[1] <= flatHeapMargin && mem.liveFuncs[2] == mem.liveFuncs[1]
	t.row(fmt.Sprintf("Go heap and live `js.Func` count flat from %s to %s requests", count(cfg.memFirst), count(cfg.memTotal)),
		fmt.Sprintf("Go heap %s → %s, live js.Funcs %.0f → %.0f", mb(mem.goHeap[1]), mb(mem.goHeap[2]), mem.liveFuncs[1], mem.liveFuncs[2]),
		verdict(flat))
}

// perCall is the median of runs (ms for n calls) in µs per call.
func perCall(runs []float64, n int) float64 { return median(runs) * 1000 / float64(n) }

// stormToRefresh are the rounds' times from the first 401 to the refresh,
// and whether the page saw any.
func stormToRefresh(runs []stormRun) ([]float64, bool) {
	var xs []float64
	for _, r := range runs {
		if r.ToRefresh != nil {
			xs = append(xs, *r.ToRefresh)
		}
	}
	return xs, len(xs) > 0
}

// stormRejections are the rounds' rejected requests and, if any, the
// browser's reasons.
func stormRejections(runs []stormRun) ([]int64, string) {
	var n []int64
	var reasons []string
	for _, r := range runs {
		n = append(n, int64(r.Rejected))
		for _, e := range r.NetErrors {
			if !slices.Contains(reasons, e) {
				reasons = append(reasons, e)
			}
		}
		if r.Rejected > 0 && len(r.NetErrors) == 0 && !slices.Contains(reasons, r.FirstRejection) {
			reasons = append(reasons, r.FirstRejection)
		}
	}
	if len(reasons) == 0 {
		return n, ""
	}
	return n, " (" + strings.Join(reasons, ", ") + ")"
}

// handleCalls lists the calls into the client handle's methods, by name.
func (x crossingTally) handleCalls() string {
	if len(x.handle) == 0 {
		return "no handle calls named"
	}
	var parts []string
	for _, name := range x.handleNames() {
		parts = append(parts, fmt.Sprintf("%s %.2f", name, x.handle[name]))
	}
	return strings.Join(parts, ", ")
}
