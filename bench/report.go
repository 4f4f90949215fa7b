//go:build !js

package main

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
)

// The targets of issue 5.
const (
	targetParallel  = 1.10      // api.fetch at 100 in flight, × plain fetch
	targetSerial    = 1.15      // api.fetch one at a time, × plain fetch
	targetStorm     = 1.2       // storm settled, × (plain fetch for the burst + one refresh)
	targetBrotli    = 650 * 1e3 // bytes of authfetch.wasm, brotli -q 11
	targetGzip      = 850 * 1e3 // bytes of authfetch.wasm, gzip -9
	targetColdStart = 1.5       // createAuthFetch to ready, × the empty Go program
	flatHeapMargin  = 128 << 10 // live Go heap growth 2,000 → 20,000 that still counts as flat: under 8 bytes a request
)

// table is a Markdown table under construction.
type table struct {
	rows [][]string
}

func (t *table) row(cells ...string) { t.rows = append(t.rows, cells) }

func (t *table) String() string {
	var b strings.Builder
	for i, r := range t.rows {
		b.WriteString("| " + strings.Join(r, " | ") + " |\n")
		if i == 0 {
			b.WriteString("|" + strings.Repeat("---|", len(r)) + "\n")
		}
	}
	return b.String()
}

func verdict(ok bool) string {
	if ok {
		return "met"
	}
	return "**missed**"
}

func ms(x float64) string { return fmt.Sprintf("%.0f ms", x) }

func ratio(x float64) string { return fmt.Sprintf("%.2f×", x) }

// report renders the run as Markdown: what ran where, the targets, then each
// workload in detail.
func report(m machine, cfg config, af, empty sizes, res *results, took time.Duration) string {
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }

	w("# authfetch bench\n\n")
	if cfg.quick {
		w("**Quick smoke run (BENCH_QUICK=1): too few requests for the figures to mean much.**\n\n")
	}
	w("Measured by `make bench` on %s: %d CPUs (%s), %s, %s; %s. ", m.date, m.cpus, m.cpuModel, m.goVer, m.chromium, strings.Join(m.packages, ", "))
	w("Load average (1 min) %s before the bench started, %s when it ended (its own browser and server count in that one)", m.loadStart, m.loadEnd)
	if busy(m.loadStart, m.cpus) {
		w(": **the machine was busy with other work**, so absolute times are inflated and noisy; the ratios, from interleaved runs, hold up better")
	}
	w(". ")
	w("One headless Chromium, one server on 127.0.0.1 in the same process; the contenders run interleaved "+
		"(plain, authfetch, axios, ky, plain, …), %d rounds of requests after a warm-up round, %d storm rounds; "+
		"figures are medians over the rounds. The run took %.0f s.\n\n", cfg.rounds, cfg.stormRounds, took.Seconds())

	serial := res.throughput[fmt.Sprintf("%s one at a time", count(cfg.serialN))]
	parallel := res.throughput[fmt.Sprintf("%s with %d in flight", count(cfg.parallelN), cfg.inFlight)]
	med := func(xs map[string][]float64, c string) float64 { return median(xs[c]) }

	// Targets.
	w("## Targets\n\n")
	var t table
	t.row("target", "measured", "")
	notRun := func(target string) { t.row(target, "not run", "") }
	if len(parallel) > 0 {
		pr := pairedRatio(parallel["authfetch"], parallel["plain"])
		t.row(fmt.Sprintf("`api.fetch`, %d in flight: ≤ %.2f× plain fetch", cfg.inFlight, targetParallel),
			fmt.Sprintf("%s (%s vs %s)", ratio(pr), ms(med(parallel, "authfetch")), ms(med(parallel, "plain"))), verdict(pr <= targetParallel))
		t.row(fmt.Sprintf("`api.fetch`, %d in flight: faster than axios + axios-auth-refresh", cfg.inFlight),
			fmt.Sprintf("%s of axios (%s vs %s)", ratio(pairedRatio(parallel["authfetch"], parallel["axios"])), ms(med(parallel, "authfetch")), ms(med(parallel, "axios"))),
			verdict(pairedRatio(parallel["authfetch"], parallel["axios"]) < 1))
	} else {
		notRun("`api.fetch` at 100 in flight")
	}
	if len(serial) > 0 {
		sr := pairedRatio(serial["authfetch"], serial["plain"])
		t.row(fmt.Sprintf("`api.fetch`, one at a time: ≤ %.2f× plain fetch", targetSerial),
			fmt.Sprintf("%s (%s vs %s)", ratio(sr), ms(med(serial, "authfetch")), ms(med(serial, "plain"))), verdict(sr <= targetSerial))
	} else {
		notRun("`api.fetch` one at a time")
	}
	if len(res.storm) > 0 {
		calls := stormCalls(res.storm["authfetch"])
		t.row(fmt.Sprintf("storm of %s: exactly 1 refresh call", count(cfg.stormN)),
			"per round: "+joinInts(calls), verdict(len(calls) > 0 && slices.Min(calls) == 1 && slices.Max(calls) == 1))
		stormMS := median(stormTimes(res.storm["authfetch"]))
		sr := stormRatio(res, "authfetch")
		t.row(fmt.Sprintf("storm of %s: all settled ≤ %.1f × (plain fetch for %s + one refresh round trip)", count(cfg.stormN), targetStorm, count(cfg.stormN)),
			fmt.Sprintf("%s (%s vs %s + %.1f ms)", ratio(sr), ms(stormMS), ms(median(stormTimes(res.storm["plain"]))), median(res.refreshRTT)),
			verdict(sr <= targetStorm))
	} else {
		notRun("refresh storm")
	}
	t.row("`authfetch.wasm` ≤ 650 KB brotli -q 11", kb(af.brotli), verdict(float64(af.brotli) <= targetBrotli))
	t.row("`authfetch.wasm` ≤ 850 KB gzip -9", kb(af.gzip), verdict(float64(af.gzip) <= targetGzip))
	if len(res.cold) > 0 {
		for _, enc := range encodings {
			as, es := res.cold[coldKey{"authfetch", enc, 0}], res.cold[coldKey{"empty", enc, 0}]
			r := pairedRatio(as, es)
			t.row(fmt.Sprintf("cold start to ready ≤ %.1f× the empty Go program (%s, loopback)", targetColdStart, encName(enc)),
				fmt.Sprintf("%s (%s vs %s)", ratio(r), ms(median(as)), ms(median(es))), verdict(r <= targetColdStart))
		}
	} else {
		notRun("cold start")
	}
	mem, memRan := res.memory["authfetch"]
	if memRan {
		flat := mem.goHeap[2]-mem.goHeap[1] <= flatHeapMargin && mem.liveFuncs[2] == mem.liveFuncs[1]
		t.row(fmt.Sprintf("Go heap and live `js.Func` count flat from %s to %s requests", count(cfg.memFirst), count(cfg.memTotal)),
			fmt.Sprintf("Go heap %s → %s, live js.Funcs %.0f → %.0f", mb(mem.goHeap[1]), mb(mem.goHeap[2]), mem.liveFuncs[1], mem.liveFuncs[2]),
			verdict(flat))
	} else {
		notRun("Go heap flat")
	}
	w("%s\nA ratio is the median over rounds of the ratio within a round (the two runs were back to back), so a slow moment of the machine weighs on both of its sides; the times beside it are medians. KB = 1,000 bytes. The cold-start target is read with both modules sent the same way.\n\n", t.String())

	// Requests.
	if len(serial) > 0 && len(parallel) > 0 {
		w("## Requests\n\n")
		t = table{}
		head := []string{"workload"}
		for _, c := range contenders {
			head = append(head, titles[c])
		}
		t.row(head...)
		for _, wl := range []struct {
			label string
			n     int
			xs    map[string][]float64
		}{
			{fmt.Sprintf("%s one at a time", count(cfg.serialN)), cfg.serialN, serial},
			{fmt.Sprintf("%s with %d in flight", count(cfg.parallelN), cfg.inFlight), cfg.parallelN, parallel},
		} {
			total, per, rel, rng := []string{wl.label + ": total"}, []string{"per request"}, []string{"× plain fetch"}, []string{"rounds min–max"}
			for _, c := range contenders {
				x := med(wl.xs, c)
				total = append(total, ms(x))
				per = append(per, fmt.Sprintf("%.0f µs", x*1000/float64(wl.n)))
				rel = append(rel, ratio(pairedRatio(wl.xs[c], wl.xs["plain"])))
				rng = append(rng, spread(wl.xs[c], "%.0f"))
			}
			t.row(total...)
			t.row(per...)
			t.row(rel...)
			t.row(rng...)
		}
		w("%s\nEvery response body is read (`res.json()`; axios parses it itself). Chromium opens at most 6 connections per origin, so %d in flight means 6 on the wire and the rest queued in the browser.\n\n", t.String(), cfg.inFlight)
	}

	// Storm.
	if len(res.storm) > 0 {
		w("## Refresh storm\n\n")
		t = table{}
		t.row(append([]string{fmt.Sprintf("%s requests at once", count(cfg.stormN))}, mapTitles(contenders)...)...)
		settled, perRound, rel, refreshes, answers := []string{"all settled"}, []string{"each round"}, []string{"× (plain + one refresh)"}, []string{"refresh calls per round"}, []string{"final answers (median round)"}
		apiCalls := []string{"API requests the server saw, per round"}
		for _, c := range contenders {
			runs := res.storm[c]
			x := median(stormTimes(runs))
			settled = append(settled, ms(x))
			perRound = append(perRound, joinMS(stormTimes(runs)))
			calls := make([]int64, len(runs))
			for i, r := range runs {
				calls[i] = r.APICalls
			}
			apiCalls = append(apiCalls, joinInts(calls))
			if c == "plain" {
				rel = append(rel, "baseline: valid token")
				refreshes = append(refreshes, "–")
			} else {
				rel = append(rel, ratio(stormRatio(res, c)))
				refreshes = append(refreshes, joinInts(stormCalls(runs)))
			}
			if len(runs) > 0 {
				r := runs[medianIndex(stormTimes(runs))]
				answers = append(answers, fmt.Sprintf("%d × 200, %d × 401", r.OK, r.Unauthorized)+map[bool]string{true: fmt.Sprintf(", %d other", r.Other), false: ""}[r.Other > 0])
			} else {
				answers = append(answers, "")
			}
		}
		t.row(settled...)
		t.row(perRound...)
		t.row(rel...)
		t.row(refreshes...)
		t.row(apiCalls...)
		t.row(answers...)
		w("%s\nThe access token is revoked, then all requests start at once; plain fetch runs the same burst with a valid token. One refresh round trip with the browser's fetch: %.1f ms (the median over rounds of the median of five in a row). A final 401 is the contender's answer to its caller (axios-auth-refresh, by default, rejects the 401s that arrive while its refresh is in flight).\n\n",
			t.String(), median(res.refreshRTT))
	}

	// Cold start.
	if len(res.cold) > 0 {
		w("## Cold start\n\n")
		t = table{}
		t.row("fresh page, nothing cached", "uncompressed", "gzip -9", "brotli -q 11")
		for _, sc := range coldScenarios(cfg) {
			a, e, r := []string{"createAuthFetch → ready, " + link(sc.kbps)}, []string{"empty Go program, " + link(sc.kbps)}, []string{"× empty"}
			for _, enc := range encodings {
				xs, ys := res.cold[coldKey{"authfetch", enc, sc.kbps}], res.cold[coldKey{"empty", enc, sc.kbps}]
				a = append(a, ms(median(xs)))
				e = append(e, ms(median(ys)))
				r = append(r, ratio(pairedRatio(xs, ys)))
			}
			t.row(a...)
			t.row(e...)
			t.row(r...)
		}
		w("%s\nEach start runs in a fresh browser context (its own renderer, so no compiled module is shared) with `Cache-Control: no-store`; the module is streamed (`instantiateStreaming`) and sent with the Content-Encoding shown. Both include loading `wasm_exec.js` (authfetch also `authfetch.js`). The paced link is the server writing the body at %d Mbit/s.\n\n", t.String(), pacedKbps/1000)
		if len(res.phases) > 0 {
			t = table{}
			t.row("phases (uncompressed, not streamed, loopback)", "download", "compile", "instantiate", "Go start to ready", "total")
			for _, kind := range []string{"authfetch", "empty"} {
				ph := res.phases[kind]
				pick := func(f func(phases) float64) string {
					xs := make([]float64, len(ph))
					for i, p := range ph {
						xs[i] = f(p)
					}
					return fmt.Sprintf("%.1f ms", median(xs))
				}
				t.row(map[string]string{"authfetch": "createAuthFetch", "empty": "empty Go program"}[kind],
					pick(func(p phases) float64 { return p.Download }), pick(func(p phases) float64 { return p.Compile }),
					pick(func(p phases) float64 { return p.Instantiate }), pick(func(p phases) float64 { return p.Start }),
					pick(func(p phases) float64 { return p.Total }))
			}
			w("%s\nServed as application/octet-stream so that download and compile happen one after the other; \"Go start to ready\" is from `go.run` to `createAuthFetch` resolving (runtime and package init, `main`, the first client), or to the empty program's exit.\n\n", t.String())
		}
	}

	// Sizes.
	w("## Sizes\n\n")
	t = table{}
	t.row("module", "raw", "gzip -9", "brotli -q 11")
	t.row("`js/authfetch.wasm` (`make build`)", kb(af.raw), kb(af.gzip), kb(af.brotli))
	t.row("empty Go program, same toolchain and flags", kb(empty.raw), kb(empty.gzip), kb(empty.brotli))
	t.row("authfetch above the floor", kb(af.raw-empty.raw), kb(af.gzip-empty.gzip), kb(af.brotli-empty.brotli))
	w("%s\n", t.String())

	// Memory.
	if memRan {
		w("## Memory\n\n")
		t = table{}
		t.row(append([]string{"JS heap in use after a forced GC"}, mapTitles(contenders)...)...)
		for i, label := range []string{"after loading", fmt.Sprintf("after %s requests", count(cfg.memFirst)), fmt.Sprintf("after %s requests", count(cfg.memTotal))} {
			r := []string{label}
			for _, c := range contenders {
				r = append(r, mb(res.memory[c].heap[i]))
			}
			t.row(r...)
		}
		t.row("authfetch: live Go heap (moduleStats)", "", fmt.Sprintf("%s / %s / %s", mb(mem.goHeap[0]), mb(mem.goHeap[1]), mb(mem.goHeap[2])), "", "")
		t.row("authfetch: live js.Funcs (moduleStats)", "", fmt.Sprintf("%.0f / %.0f / %.0f", mem.liveFuncs[0], mem.liveFuncs[1], mem.liveFuncs[2]), "", "")
		t.row("authfetch: wasm linear memory", "", fmt.Sprintf("%s / %s / %s", mb(mem.wasm[0]), mb(mem.wasm[1]), mb(mem.wasm[2])), "", "")
		t.row("authfetch: JS values held by Go", "", fmt.Sprintf("%.0f / %.0f / %.0f", mem.goRefs[0], mem.goRefs[1], mem.goRefs[2]), "", "")
		w("%s\nEach contender alone in a fresh page, %d in flight. The live Go heap (`runtime.MemStats.HeapAlloc` after a collection) and the live `js.Func`s (made minus released) are what authfetch's `moduleStats()` reports; \"flat\" allows %s of heap growth and no js.Func more. Linear memory is the Go heap's high-water mark (it never shrinks); the JS values held by Go are wasm_exec.js' reference table.\n\n",
			t.String(), cfg.inFlight, kb(flatHeapMargin))
	}

	// Crossings.
	if len(res.crossings) > 0 {
		n := float64(crossingRequests)
		w("## Crossings per `api.fetch` (%s requests, %d in flight)\n\n", count(crossingRequests), cfg.inFlight)
		var goToJS float64
		names := slices.Collect(maps.Keys(res.crossings))
		for _, k := range names {
			if strings.HasPrefix(k, "syscall/js.") {
				goToJS += res.crossings[k]
			}
		}
		slices.SortFunc(names, func(a, b string) int { return cmp.Compare(res.crossings[b], res.crossings[a]) })
		t = table{}
		t.row("js.FuncOf", "JS→Go entries", "Go→JS calls (syscall/js.*)", "most frequent imports")
		var top []string
		for _, k := range names {
			if k == "js.FuncOf" || k == "JS→Go entries" || len(top) == 8 {
				continue
			}
			top = append(top, fmt.Sprintf("%s %.1f", strings.TrimPrefix(k, "syscall/js."), res.crossings[k]/n))
		}
		t.row(fmt.Sprintf("%.1f", res.crossings["js.FuncOf"]/n), fmt.Sprintf("%.1f", res.crossings["JS→Go entries"]/n), fmt.Sprintf("%.1f", goToJS/n), strings.Join(top, ", "))
		w("%s\nCounted by wrapping wasm_exec.js' `Go` in the memory page (bench/page/probe.js): `_makeFuncWrapper` (one per `js.FuncOf`), `_resume` (each time JS calls into Go: a callback, a Promise settling) and the module's imports.\n", t.String())
	}
	return b.String()
}

func stormTimes(runs []stormRun) []float64 {
	xs := make([]float64, len(runs))
	for i, r := range runs {
		xs[i] = r.MS
	}
	return xs
}

func stormCalls(runs []stormRun) []int64 {
	xs := make([]int64, len(runs))
	for i, r := range runs {
		xs[i] = r.RefreshCalls
	}
	return xs
}

// medianIndex is the index of the median element (the lower one for an even count).
func medianIndex(xs []float64) int {
	idx := make([]int, len(xs))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, b int) int { return cmp.Compare(xs[a], xs[b]) })
	return idx[(len(idx)-1)/2]
}

func joinInts(xs []int64) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = fmt.Sprint(x)
	}
	return strings.Join(s, ", ")
}

// joinMS writes times in ms, rounded, in round order.
func joinMS(xs []float64) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = fmt.Sprintf("%.0f", x)
	}
	return strings.Join(s, ", ")
}

func mapTitles(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = titles[n]
	}
	return out
}

func encName(enc string) string {
	return map[string]string{"identity": "uncompressed", "gzip": "gzip -9", "br": "brotli -q 11"}[enc]
}

// busy reports whether a load average exceeds the number of CPUs.
func busy(load string, cpus int) bool {
	var x float64
	if _, err := fmt.Sscan(load, &x); err != nil {
		return false
	}
	return x > float64(cpus)
}

// pairedRatio is the median over rounds of a[i]/b[i]: within a round the two
// ran back to back, so a slow moment of a busy machine weighs on both sides.
func pairedRatio(a, b []float64) float64 {
	n := min(len(a), len(b))
	xs := make([]float64, 0, n)
	for i := range n {
		if b[i] > 0 {
			xs = append(xs, a[i]/b[i])
		}
	}
	return median(xs)
}

// stormRatio is the paired ratio of contender c's storm to that round's
// plain-fetch burst plus that round's refresh round trip.
func stormRatio(res *results, c string) float64 {
	runs, plain := res.storm[c], res.storm["plain"]
	var a, b []float64
	for i := range min(len(runs), len(plain), len(res.refreshRTT)) {
		a = append(a, runs[i].MS)
		b = append(b, plain[i].MS+res.refreshRTT[i])
	}
	return pairedRatio(a, b)
}
