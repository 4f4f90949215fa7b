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
	res.throughput["200 one at a time"] = map[string][]float64{"plain": {100}, "authfetch": {130}, "axios": {150}, "ky": {105}}
	res.throughput["300 with 100 in flight"] = map[string][]float64{"plain": {100}, "authfetch": {105}, "axios": {150}, "ky": {105}}
	res.storm = map[string][]stormRun{
		"plain":     {{MS: 100, OK: 200}},
		"authfetch": {{MS: 250, OK: 200, RefreshCalls: 1}},
		"axios":     {{MS: 120, OK: 1, Unauthorized: 199, RefreshCalls: 1}},
		"ky":        {{MS: 300, OK: 200, RefreshCalls: 40}},
	}
	res.refreshRTT = []float64{5}
	for _, enc := range encodings {
		res.cold[coldKey{"authfetch", enc, 0}] = []float64{300}
		res.cold[coldKey{"empty", enc, 0}] = []float64{100}
	}
	res.memory["authfetch"] = memRun{goHeap: [3]float64{1e6, 1.5e6, 1.55e6}, liveFuncs: [3]float64{10, 10, 10}, wasm: [3]float64{1e6, 2e6, 2e6}}
	out := report(machine{cpus: 2, loadStart: "0.5", loadEnd: "0.7"}, cfg, sizes{raw: 3e6, gzip: 900e3, brotli: 600e3}, sizes{raw: 2e6, gzip: 540e3, brotli: 418e3}, res, 0)

	for _, want := range []string{
		"| `api.fetch`, 100 in flight: ≤ 1.10× plain fetch | 1.05× (105 ms vs 100 ms) | met |",
		"| `api.fetch`, one at a time: ≤ 1.15× plain fetch | 1.30× (130 ms vs 100 ms) | **missed** |",
		"| storm of 200: exactly 1 refresh call | per round: 1 | met |",
		"| `authfetch.wasm` ≤ 650 KB brotli -q 11 | 600 KB | met |",
		"| `authfetch.wasm` ≤ 850 KB gzip -9 | 900 KB | **missed** |",
		"Go heap 1.50 MB → 1.55 MB, live js.Funcs 10 → 10 | met |",
		"| refresh calls per round | – | 1 | 1 | 40 |",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the report lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "machine was busy") {
		t.Errorf("a load under the CPU count is not busy:\n%s", out)
	}
	// The load at the end is the bench's own browser: it does not make the machine busy.
	if out := report(machine{cpus: 2, loadStart: "0.5", loadEnd: "4.0"}, cfg, sizes{}, sizes{}, newResults(), 0); strings.Contains(out, "machine was busy") {
		t.Errorf("the load at the end counts as other work:\n%s", out)
	}
	if out := report(machine{cpus: 2, loadStart: "4.0", loadEnd: "4.0"}, cfg, sizes{}, sizes{}, newResults(), 0); !strings.Contains(out, "machine was busy") {
		t.Errorf("a load over the CPU count before the bench is not called busy:\n%s", out)
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
