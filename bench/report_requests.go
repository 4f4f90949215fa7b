//go:build !js

package main

import "fmt"

// writeRequests details the two request workloads.
func writeRequests(w writer, cfg config, res *results) {
	serial, parallel := throughputs(cfg, res)
	if len(serial) == 0 || len(parallel) == 0 {
		return
	}
	w("## Requests\n\n")
	var t table
	t.row(append([]string{"workload"}, mapTitles(requestContenders)...)...)
	for _, wl := range []struct {
		label string
		n     int
		xs    map[string][]float64
	}{
		{fmt.Sprintf("%s one at a time", count(cfg.serialN)), cfg.serialN, serial},
		{fmt.Sprintf("%s with %d in flight", count(cfg.parallelN), cfg.inFlight), cfg.parallelN, parallel},
	} {
		total, per, rel, rng := []string{wl.label + ": total"}, []string{"per request"}, []string{"× plain fetch"}, []string{"rounds min–max"}
		cpus := res.throughputCPU[wl.label]
		cpu, cpuRel := []string{"main-thread CPU per request"}, []string{"CPU × plain fetch"}
		for _, c := range requestContenders {
			x := medianOf(wl.xs, c)
			total = append(total, ms(x))
			per = append(per, fmt.Sprintf("%.0f µs", x*1000/float64(wl.n)))
			rel = append(rel, ratio(pairedRatio(wl.xs[c], wl.xs["plain"])))
			rng = append(rng, spread(wl.xs[c], "%.0f"))
			cpu = append(cpu, fmt.Sprintf("%.0f µs", medianOf(cpus, c)*1000/float64(wl.n)))
			cpuRel = append(cpuRel, ratio(pairedRatio(cpus[c], cpus["plain"])))
		}
		t.row(total...)
		t.row(per...)
		t.row(rel...)
		t.row(rng...)
		if len(cpus) > 0 {
			t.row(cpu...)
			t.row(cpuRel...)
		}
	}
	w("%s\nEvery response body is read (`res.json()`; axios parses it itself). Chromium opens at most 6 connections per origin, so %d in flight means 6 on the wire and the rest queued in the browser. The targets go by the time until the last request settled, by the page's clock; the main thread's CPU time (the renderers' main threads, as Linux counts it) shows the page's own work without the waits for a CPU.\n\n", t.String(), cfg.inFlight)
}

// writeOverhead details the engine-overhead workload, by the main thread's
// CPU time and by the page's clock.
func writeOverhead(w writer, cfg config, res *results) {
	if len(res.overhead[1]) == 0 {
		return
	}
	w("## Engine overhead with an instant `fetch`\n\n")
	var t table
	t.row("µs per call", "CPU, one at a time", fmt.Sprintf("CPU, %d in flight", cfg.inFlight), "clock, one at a time", fmt.Sprintf("clock, %d in flight", cfg.inFlight))
	columns := []map[string][]float64{res.overheadCPU[1], res.overheadCPU[cfg.inFlight], res.overhead[1], res.overhead[cfg.inFlight]}
	row := func(label string, f func(runs map[string][]float64) string) {
		r := []string{label}
		for _, runs := range columns {
			if len(runs) == 0 {
				r = append(r, "–")
				continue
			}
			r = append(r, f(runs))
		}
		t.row(r...)
	}
	row("the stub called directly, header set by hand", func(runs map[string][]float64) string {
		return fmt.Sprintf("%.1f", perCall(runs["direct"], cfg.overheadN))
	})
	for _, c := range []string{"authfetch", "handwritten"} {
		row(titles[c]+": whole call", func(runs map[string][]float64) string { return fmt.Sprintf("%.1f", perCall(runs[c], cfg.overheadN)) })
		row(titles[c]+": overhead", func(runs map[string][]float64) string {
			xs := overheadPerCall(runs, c, cfg.overheadN)
			return fmt.Sprintf("**%.1f** (%s)", median(xs), spread(xs, "%.1f"))
		})
	}
	row("authfetch's overhead × the hand-written one's", func(runs map[string][]float64) string {
		return ratio(pairedRatio(overheadPerCall(runs, "authfetch", cfg.overheadN), overheadPerCall(runs, "handwritten", cfg.overheadN)))
	})
	_, clock := overheadTimes(res)
	w("%s\nIn a page of its own, `globalThis.fetch` is replaced, before any contender loads, by a stub that answers every `/api/` request at once with a new 200 `Response` (bench/page/stub.js); nobody reads the body. Each round makes %s calls with each, interleaved, one at a time and %d at a time; %d rounds after a warm-up round. A call's overhead is its time minus the stub's in the same round: the median over rounds, and the rounds' range. CPU is the CPU time of the renderers' main threads, as Linux counts it (`/proc/PID/task/PID/schedstat`); clock is the page's `performance.now()`, which on a shared machine also counts the main thread's waits for a CPU. The targets are judged by the %s.\n\n",
		t.String(), count(cfg.overheadN), cfg.inFlight, cfg.overheadRounds, clock)
}
