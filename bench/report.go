//go:build !js

package main

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// The targets the bench judges authfetch by.
const (
	targetParallel  = 1.10      // api.fetch at 100 in flight, × plain fetch
	targetSerial    = 1.15      // api.fetch one at a time, × plain fetch
	targetStorm     = 1.2       // storm settled, × (plain fetch for the burst + one refresh)
	targetBrotli    = 650 * 1e3 // bytes of authfetch.wasm, brotli -q 11
	targetGzip      = 850 * 1e3 // bytes of authfetch.wasm, gzip -9
	targetColdStart = 1.5       // createAuthFetch to ready, × the empty Go program
	flatHeapMargin  = 128 << 10 // live Go heap growth 2,000 → 20,000 that still counts as flat: under 8 bytes a request
)

// writer writes one part of the report.
type writer func(format string, args ...any)

// report renders the run as Markdown: what ran where, the targets, then each
// workload in detail.
func report(m machine, cfg config, af, empty sizes, res *results, took time.Duration) string {
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	writeHeader(w, m, cfg, took)
	writeTargets(w, cfg, af, res)
	writeRequests(w, cfg, res)
	writeStorm(w, cfg, res)
	writeColdStart(w, cfg, res)
	writeSizes(w, af, empty)
	writeMemory(w, cfg, res)
	writeCrossings(w, cfg, res)
	return b.String()
}

// writeHeader says what ran where.
func writeHeader(w writer, m machine, cfg config, took time.Duration) {
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
}

// throughputs are the two request workloads' times: contender → ms per round.
func throughputs(cfg config, res *results) (serial, parallel map[string][]float64) {
	return res.throughput[fmt.Sprintf("%s one at a time", count(cfg.serialN))],
		res.throughput[fmt.Sprintf("%s with %d in flight", count(cfg.parallelN), cfg.inFlight)]
}

// medianOf is the median of contender c's times in xs.
func medianOf(xs map[string][]float64, c string) float64 { return median(xs[c]) }

// writeTargets judges the targets.
func writeTargets(w writer, cfg config, af sizes, res *results) {
	serial, parallel := throughputs(cfg, res)
	w("## Targets\n\n")
	var t table
	t.row("target", "measured", "")
	notRun := func(target string) { t.row(target, "not run", "") }
	if len(parallel) > 0 {
		pr := pairedRatio(parallel["authfetch"], parallel["plain"])
		t.row(fmt.Sprintf("`api.fetch`, %d in flight: ≤ %.2f× plain fetch", cfg.inFlight, targetParallel),
			fmt.Sprintf("%s (%s vs %s)", ratio(pr), ms(medianOf(parallel, "authfetch")), ms(medianOf(parallel, "plain"))), verdict(pr <= targetParallel))
		t.row(fmt.Sprintf("`api.fetch`, %d in flight: faster than axios + axios-auth-refresh", cfg.inFlight),
			fmt.Sprintf("%s of axios (%s vs %s)", ratio(pairedRatio(parallel["authfetch"], parallel["axios"])), ms(medianOf(parallel, "authfetch")), ms(medianOf(parallel, "axios"))),
			verdict(pairedRatio(parallel["authfetch"], parallel["axios"]) < 1))
	} else {
		notRun("`api.fetch` at 100 in flight")
	}
	if len(serial) > 0 {
		sr := pairedRatio(serial["authfetch"], serial["plain"])
		t.row(fmt.Sprintf("`api.fetch`, one at a time: ≤ %.2f× plain fetch", targetSerial),
			fmt.Sprintf("%s (%s vs %s)", ratio(sr), ms(medianOf(serial, "authfetch")), ms(medianOf(serial, "plain"))), verdict(sr <= targetSerial))
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
	if mem, ok := res.memory["authfetch"]; ok {
		flat := mem.goHeap[2]-mem.goHeap[1] <= flatHeapMargin && mem.liveFuncs[2] == mem.liveFuncs[1]
		t.row(fmt.Sprintf("Go heap and live `js.Func` count flat from %s to %s requests", count(cfg.memFirst), count(cfg.memTotal)),
			fmt.Sprintf("Go heap %s → %s, live js.Funcs %.0f → %.0f", mb(mem.goHeap[1]), mb(mem.goHeap[2]), mem.liveFuncs[1], mem.liveFuncs[2]),
			verdict(flat))
	} else {
		notRun("Go heap flat")
	}
	w("%s\nA ratio is the median over rounds of the ratio within a round (the two runs were back to back), so a slow moment of the machine weighs on both of its sides; the times beside it are medians. KB = 1,000 bytes. The cold-start target is read with both modules sent the same way.\n\n", t.String())
}
