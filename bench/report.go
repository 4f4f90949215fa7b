//go:build !js

package main

import (
	"fmt"
	"strings"
	"time"
)

// The targets the bench judges authfetch by.
const (
	targetCalls         = 12        // crossings between Go and JS per api.fetch, one at a time, valid token
	targetOverhead      = 30        // µs of main-thread time per api.fetch beyond the stub called directly
	targetOverheadRatio = 1.5       // authfetch's overhead, × the hand-written implementation's
	targetParallel      = 1.10      // api.fetch at 100 in flight, × plain fetch
	targetSerial        = 1.05      // api.fetch one at a time, × plain fetch
	targetDPoPSerial    = 1.15      // api.fetch with dpop: true one at a time, × plain fetch
	targetToRefresh     = 30        // ms from the first refresh status to the refresh sent, median over storms
	targetStorm         = 1.0       // storm settled, × plain fetch's storm handled by hand
	targetBrotli        = 650 * 1e3 // bytes of authfetch.wasm, brotli -q 11
	targetGzip          = 850 * 1e3 // bytes of authfetch.wasm, gzip -9
	targetFirstVisit    = 1.4       // createAuthFetch to ready on a first visit, × the empty Go program
	targetRepeatVisit   = 1.2       // the same on a repeat visit
	flatHeapMargin      = 128 << 10 // live Go heap growth 2,000 → 20,000 that still counts as flat: under 8 bytes a request
)

// writer writes one part of the report.
type writer func(format string, args ...any)

// report renders the run as Markdown: what ran where, the targets, then each
// workload in detail.
func report(m machine, cfg config, af, empty sizes, res *results, took time.Duration) string {
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	writeHeader(w, m, cfg, took)
	writeFailures(w, res)
	writeTargets(w, cfg, af, res)
	writeCrossings(w, cfg, res)
	writeOverhead(w, cfg, res)
	writeRequests(w, cfg, res)
	writeStorm(w, cfg, res)
	writeColdStart(w, cfg, res)
	writeSizes(w, af, empty)
	writeMemory(w, cfg, res)
	return b.String()
}

// writeHeader says what ran where.
func writeHeader(w writer, m machine, cfg config, took time.Duration) {
	w("# authfetch bench\n\n")
	if cfg.quick {
		w("**Quick smoke run (BENCH_QUICK=1): too few requests for the figures to mean much.**\n\n")
	}
	w("Measured by `make bench` on %s: %d CPUs (%s), %s, %s; %s. ", m.date, m.cpus, m.cpuModel, m.goVer, m.chromium, strings.Join(m.packages, ", "))
	w("Load average (1 min) %s before the bench started; during the run %s (its own browser and server count in those)", m.loadStart, m.loadDuring)
	if busy(m.loadStart, m.cpus) {
		w(": **the machine was busy with other work**, so absolute times are inflated and noisy; the ratios, from interleaved runs, hold up better")
	}
	w(". ")
	w("One headless Chromium, one server on 127.0.0.1 in the same process; the contenders run interleaved "+
		"(%s, then again; in the request workloads authfetch with `dpop: true` runs right after authfetch), %d rounds of requests after a warm-up round, %d storm rounds; "+
		"figures are medians over the rounds. The run took %.0f s.\n\n", strings.Join(contenders, ", "), cfg.rounds, cfg.stormRounds, took.Seconds())
}

// writeFailures names the parts that failed: what they measured before
// failing is in the report, the rest is missing.
func writeFailures(w writer, res *results) {
	if len(res.failed) > 0 {
		w("**Parts that failed in this run, whose figures are missing or partial:** %s.\n\n", strings.Join(res.failed, "; "))
	}
}

// throughputs are the two request workloads' times: contender → ms per round.
func throughputs(cfg config, res *results) (serial, parallel map[string][]float64) {
	return res.throughput[fmt.Sprintf("%s one at a time", count(cfg.serialN))],
		res.throughput[fmt.Sprintf("%s with %d in flight", count(cfg.parallelN), cfg.inFlight)]
}

// medianOf is the median of contender c's times in xs.
func medianOf(xs map[string][]float64, c string) float64 { return median(xs[c]) }
