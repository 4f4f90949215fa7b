//go:build !js

package main

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// The parts of the report after the targets: each workload in detail.

// writeRequests details the two request workloads.
func writeRequests(w writer, cfg config, res *results) {
	serial, parallel := throughputs(cfg, res)
	if len(serial) > 0 && len(parallel) > 0 {
		w("## Requests\n\n")
		var t table
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
				x := medianOf(wl.xs, c)
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
}

// writeStorm details the refresh storm.
func writeStorm(w writer, cfg config, res *results) {
	if len(res.storm) > 0 {
		w("## Refresh storm\n\n")
		var t table
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
}

// writeColdStart details the cold starts and their phases.
func writeColdStart(w writer, cfg config, res *results) {
	if len(res.cold) > 0 {
		w("## Cold start\n\n")
		var t table
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
}

// writeSizes gives the modules' sizes.
func writeSizes(w writer, af, empty sizes) {
	var t table
	w("## Sizes\n\n")
	t.row("module", "raw", "gzip -9", "brotli -q 11")
	t.row("`authfetch.wasm` (as `make build` builds it)", kb(af.raw), kb(af.gzip), kb(af.brotli))
	t.row("empty Go program, same toolchain and flags", kb(empty.raw), kb(empty.gzip), kb(empty.brotli))
	t.row("authfetch above the floor", kb(af.raw-empty.raw), kb(af.gzip-empty.gzip), kb(af.brotli-empty.brotli))
	w("%s\n", t.String())
}

// writeMemory details the memory of each contender.
func writeMemory(w writer, cfg config, res *results) {
	mem, memRan := res.memory["authfetch"]
	if memRan {
		w("## Memory\n\n")
		var t table
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
}

// writeCrossings counts the crossings between Go and JS per request.
func writeCrossings(w writer, cfg config, res *results) {
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
		var t table
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
}
