//go:build !js

package main

import (
	"strings"
	"testing"
)

func TestPairedRatioIsTheMedianOfPerRoundRatios(t *testing.T) {
	// Round 2 ran on a busy machine: both sides slowed down, the ratio did not.
	got := pairedRatio([]float64{110, 330, 120}, []float64{100, 300, 100})
	if got != 1.1 {
		t.Fatalf("pairedRatio = %v, want 1.1", got)
	}
}

func TestReportMarksTargetsMetAndMissed(t *testing.T) {
	cfg := quickConfig
	res := newResults()
	res.throughput["200 one at a time"] = map[string][]float64{"plain": {100}, "authfetch": {104}, "dpop": {114}, "handwritten": {101}, "axios": {150}, "ky": {105}}
	res.throughput["300 with 100 in flight"] = map[string][]float64{"plain": {100}, "authfetch": {112}, "dpop": {130}, "handwritten": {101}, "axios": {150}, "ky": {105}}
	res.throughputCPU["200 one at a time"] = map[string][]float64{"plain": {50}, "authfetch": {60}}
	toRefresh := 12.5
	res.storm = map[string][]stormRun{
		"plain":       {{MS: 200, OK: 200, RefreshCalls: 1}},
		"authfetch":   {{MS: 150, OK: 200, RefreshCalls: 1, ToRefresh: &toRefresh}},
		"handwritten": {{MS: 190, OK: 200, RefreshCalls: 1}},
		"axios":       {{MS: 120, OK: 1, Unauthorized: 199, RefreshCalls: 1}},
		"ky":          {{MS: 300, OK: 200, RefreshCalls: 40}},
	}
	res.stormFloor = []stormRun{{MS: 100, OK: 200}}
	res.refreshRTT = []float64{5}
	// 300 calls: direct 3 ms (10 µs a call), authfetch 12 ms (30 µs more), hand-written 9 ms (20 µs more).
	res.overhead[1] = map[string][]float64{"direct": {3}, "authfetch": {12}, "handwritten": {9}}
	res.overhead[100] = map[string][]float64{"direct": {3}, "authfetch": {15}, "handwritten": {9}}
	res.overheadCPU = res.overhead // the targets go by CPU time where the bench could read it
	res.crossings[1] = map[string]float64{"import runtime.nanotime1": 400, "import syscall/js.valueGet": 1000, "JS→Go entries": 300, "js.Func calls": 200, "handle.begin": 200}
	res.crossings[100] = res.crossings[1]
	for _, enc := range encodings {
		res.cold[coldKey{"authfetch", enc, 0, false}] = []float64{130}
		res.cold[coldKey{"empty", enc, 0, false}] = []float64{100}
		res.cold[coldKey{"authfetch", enc, 0, true}] = []float64{130}
		res.cold[coldKey{"empty", enc, 0, true}] = []float64{100}
	}
	res.memory["authfetch"] = memRun{goHeap: [3]float64{1e6, 1.5e6, 1.55e6}, liveFuncs: [3]float64{10, 10, 10}, wasm: [3]float64{1e6, 2e6, 2e6}}
	out := report(machine{cpus: 2, loadStart: "0.5", loadDuring: "median 0.7"}, cfg, sizes{raw: 3e6, gzip: 900e3, brotli: 600e3}, sizes{raw: 2e6, gzip: 540e3, brotli: 418e3}, res, 0)

	for _, want := range []string{
		"| calls between Go and JS per `api.fetch`, one at a time, valid token: ≤ 12 | 8.5: 7.0 Go→JS + 1.5 JS→Go; 2.5 of them the clock and timers (begin 1.00) | met |",
		"| engine overhead with an instant `fetch`, one at a time: ≤ 30 µs per `api.fetch` | 30.0 µs of main-thread CPU time (the stub called directly: 10.0 µs) | met |",
		"| engine overhead, one at a time: ≤ 1.5× the hand-written implementation's | 1.50× (30.0 µs vs 20.0 µs) | met |",
		"| engine overhead with an instant `fetch`, 100 in flight: ≤ 30 µs per `api.fetch` | 40.0 µs of main-thread CPU time (the stub called directly: 10.0 µs) | **missed** |",
		"| engine overhead, 100 in flight: ≤ 1.5× the hand-written implementation's | 2.00× (40.0 µs vs 20.0 µs) | **missed** |",
		"| 300 with 100 in flight: ≤ 1.10× plain fetch | 1.12× (112 ms vs 100 ms) | **missed** |",
		"| 300 with 100 in flight: faster than ky + afterResponse hook | 1.07× of it (112 ms vs 105 ms) | **missed** |",
		"| 300 with 100 in flight: faster than axios + axios-auth-refresh | 0.75× of it (112 ms vs 150 ms) | met |",
		"| 200 one at a time: ≤ 1.05× plain fetch | 1.04× (104 ms vs 100 ms; main-thread CPU 1.20×) | met |",
		"| 200 one at a time with `dpop: true`: ≤ 1.15× plain fetch | 1.14× (114 ms vs 100 ms) | met |",
		"| 300 with 100 in flight with `dpop: true`, × plain fetch (reported; no target) | 1.30× (130 ms vs 100 ms) |  |",
		"| storm of 200: exactly 1 refresh call | per round: 1 | met |",
		"| storm of 200: every request answered by the server (none rejected) | rejected per round: 0 | met |",
		"| storm of 200: first refresh status to refresh sent, median ≤ 30 ms | 12.5 ms (rounds: 12) | met |",
		"| storm of 200: all settled ≤ 1.0× plain fetch with the storm handled by hand | 0.75× (150 ms vs 200 ms) | met |",
		"| `authfetch.wasm` ≤ 650 KB brotli -q 11 | 600 KB | met |",
		"| `authfetch.wasm` ≤ 850 KB gzip -9 | 900 KB | **missed** |",
		"| first visit (nothing cached, a fresh browser context) to ready, brotli -q 11: ≤ 1.4× the empty Go program | 1.30× (130 ms vs 100 ms) | met |",
		"| repeat visit (HTTP and compiled-code caches warm) to ready, brotli -q 11: ≤ 1.2× the empty Go program | 1.30× (130 ms vs 100 ms) | **missed** |",
		"Go heap 1.50 MB → 1.55 MB, live js.Funcs 10 → 10 | met |",
		"| refresh calls per round | 1 | 1 | 1 | 1 | 40 |",
		"| first 401 to refresh sent (each round) | – (not through fetch) | 12.5 ms (12) |",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the report lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "machine was busy") {
		t.Errorf("a load under the CPU count is not busy:\n%s", out)
	}
	// The load during the run includes the bench's own browser: it does not make the machine busy.
	if out := report(machine{cpus: 2, loadStart: "0.5", loadDuring: "median 4.0"}, cfg, sizes{}, sizes{}, newResults(), 0); strings.Contains(out, "machine was busy") {
		t.Errorf("the load during the run counts as other work:\n%s", out)
	}
	if out := report(machine{cpus: 2, loadStart: "4.0"}, cfg, sizes{}, sizes{}, newResults(), 0); !strings.Contains(out, "machine was busy") {
		t.Errorf("a load over the CPU count before the bench is not called busy:\n%s", out)
	}
}

func TestWithAnalysisKeepsWhatIsWrittenByHand(t *testing.T) {
	old := "# old run\n\n" + analysisMarker + "\n\nWhy the storm misses.\n"
	if got, want := withAnalysis("# new run\n", old), "# new run\n\n"+analysisMarker+"\n\nWhy the storm misses.\n"; got != want {
		t.Errorf("withAnalysis = %q, want %q", got, want)
	}
	if got := withAnalysis("# new run\n", "# old run\n"); got != "# new run\n" {
		t.Errorf("without a marker, withAnalysis = %q, want the new run alone", got)
	}
}

func TestReportMarksALeakAsMissed(t *testing.T) {
	for name, mem := range map[string]memRun{
		"a js.Func per request": {goHeap: [3]float64{1e6, 1e6, 1e6}, liveFuncs: [3]float64{10, 2010, 20010}},
		"heap growing":          {goHeap: [3]float64{1e6, 1.2e6, 3e6}, liveFuncs: [3]float64{10, 10, 10}},
	} {
		t.Run(name, func(t *testing.T) {
			res := newResults()
			res.memory["authfetch"] = mem
			out := report(machine{cpus: 2}, quickConfig, sizes{}, sizes{}, res, 0)
			row := ""
			for _, line := range strings.Split(out, "\n") {
				if strings.Contains(line, "| Go heap and live") {
					row = line
				}
			}
			if !strings.HasSuffix(row, "| **missed** |") {
				t.Errorf("a leak is not marked missed: %q", row)
			}
		})
	}
}

func TestReportJudgesNoTargetOnReadingsThatWereNotTaken(t *testing.T) {
	res := newResults()
	unread := [3]float64{-1, -1, -1}
	res.memory["authfetch"] = memRun{goHeap: unread, liveFuncs: unread, wasm: unread, goRefs: unread}
	res.crossings[1] = map[string]float64{"handle.begin": 200, "handle.end": 200}
	res.crossings[100] = res.crossings[1]
	out := report(machine{cpus: 2}, quickConfig, sizes{}, sizes{}, res, 0)
	for _, want := range []string{
		"| calls between Go and JS per `api.fetch`, one at a time, valid token: ≤ 12 | not counted: probe.js saw no crossing (its hooks on Go's class saw no run) |  |",
		"| Go heap and live `js.Func` count flat from 200 to 500 requests | not read: moduleStats() found no module |  |",
		"| authfetch: wasm linear memory |  | not read / not read / not read |",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the report lacks %q:\n%s", want, out)
		}
	}
}

func TestNetErrorsAreTheBrowsersReasonsSinceTheStormBegan(t *testing.T) {
	console := []string{
		"error: Failed to load resource: net::ERR_CONNECTION_RESET",
		"error: Failed to load resource: the server responded with a status of 401 (Unauthorized)",
		"error: Failed to load resource: net::ERR_INSUFFICIENT_RESOURCES",
		"error: Failed to load resource: net::ERR_INSUFFICIENT_RESOURCES",
	}
	got := strings.Join(netErrors(console, 1), ", ")
	if got != "net::ERR_INSUFFICIENT_RESOURCES" {
		t.Errorf("netErrors = %q, want the one code logged after the first line", got)
	}
}
