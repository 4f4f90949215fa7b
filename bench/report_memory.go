//go:build !js

package main

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// clockImports are the imports through which the Go runtime reads the clock
// and sets its timers: crossings that no line of authfetch asks for.
var clockImports = []string{"runtime.nanotime1", "runtime.walltime", "runtime.scheduleTimeoutEvent", "runtime.clearTimeoutEvent"}

// crossingTally is what probe.js counted, per request.
type crossingTally struct {
	total, goToJS, jsToGo float64
	clock                 float64            // clockImports and the entries of timers firing
	funcCalls             float64            // JS→Go entries through a js.Func (the handle's methods among them)
	timerEntries          float64            // JS→Go entries that were timers firing
	funcsMade             float64            // js.FuncOf
	imports               map[string]float64 // Go→JS, by import
	handle                map[string]float64 // calls of the handle's methods, by name
}

// tallyCrossings turns probe.js' counts over n requests into a tally per request.
func tallyCrossings(c map[string]float64, n int) crossingTally {
	per := func(x float64) float64 { return x / float64(max(n, 1)) }
	x := crossingTally{imports: map[string]float64{}, handle: map[string]float64{}}
	for k, v := range c {
		if name, ok := strings.CutPrefix(k, "import "); ok {
			x.imports[name] = per(v)
			x.goToJS += per(v)
		}
		if name, ok := strings.CutPrefix(k, "handle."); ok {
			x.handle[name] = per(v)
		}
	}
	x.jsToGo = per(c["JS→Go entries"])
	x.funcCalls = per(c["js.Func calls"])
	x.timerEntries = x.jsToGo - x.funcCalls
	x.funcsMade = per(c["js.FuncOf"])
	x.total = x.goToJS + x.jsToGo
	x.clock = x.timerEntries
	for _, name := range clockImports {
		x.clock += x.imports[name]
	}
	return x
}

// handleNames are the handle's methods that were called, most called first.
func (x crossingTally) handleNames() []string {
	names := slices.Collect(maps.Keys(x.handle))
	slices.SortFunc(names, func(a, b string) int { return cmp.Or(cmp.Compare(x.handle[b], x.handle[a]), cmp.Compare(a, b)) })
	return names
}

// writeCrossings details the crossings between Go and JS per request.
func writeCrossings(w writer, cfg config, res *results) {
	ways := []int{1, cfg.inFlight}
	if len(res.crossings[1]) == 0 || len(res.crossings[cfg.inFlight]) == 0 {
		return
	}
	tallies := []crossingTally{tallyCrossings(res.crossings[1], cfg.crossingN), tallyCrossings(res.crossings[cfg.inFlight], cfg.crossingN)}
	w("## Calls between Go and JS per `api.fetch`\n\n")
	var t table
	t.row("per request, valid token", "one at a time", fmt.Sprintf("%d in flight", ways[1]))
	row := func(label string, f func(crossingTally) float64) {
		t.row(label, fmt.Sprintf("%.2f", f(tallies[0])), fmt.Sprintf("%.2f", f(tallies[1])))
	}
	row("**all crossings**", func(x crossingTally) float64 { return x.total })
	row("Go→JS: imports the module calls", func(x crossingTally) float64 { return x.goToJS })
	row("JS→Go: entries into the module", func(x crossingTally) float64 { return x.jsToGo })
	row("of all: the clock and timers (nanotime1, walltime, timeout events, timers firing)", func(x crossingTally) float64 { return x.clock })
	for _, name := range slices.Sorted(maps.Keys(union(tallies[0].handle, tallies[1].handle))) {
		row("JS→Go: `handle."+name+"`", func(x crossingTally) float64 { return x.handle[name] })
	}
	row("JS→Go: js.Func calls, the handle's included", func(x crossingTally) float64 { return x.funcCalls })
	row("JS→Go: timers firing", func(x crossingTally) float64 { return x.timerEntries })
	row("js.FuncOf (made)", func(x crossingTally) float64 { return x.funcsMade })
	names := slices.Collect(maps.Keys(union(tallies[0].imports, tallies[1].imports)))
	slices.SortFunc(names, func(a, b string) int {
		return cmp.Or(cmp.Compare(tallies[0].imports[b]+tallies[1].imports[b], tallies[0].imports[a]+tallies[1].imports[a]), cmp.Compare(a, b))
	})
	for _, name := range names {
		row("Go→JS: `"+name+"`", func(x crossingTally) float64 { return x.imports[name] })
	}
	w("%s\nCounted by probe.js in the memory page over %s requests each way, after the memory readings: every import of `gojs` the module calls, every `Go._resume` (JS entering Go: a js.Func called, or a timer of the Go scheduler firing), and the calls into the client handle's methods, caught where the module hands its exports to the loader.\n\n", t.String(), count(cfg.crossingN))
}

// union is the names counted in a or b.
func union(a, b map[string]float64) map[string]bool {
	out := map[string]bool{}
	for name := range a {
		out[name] = true
	}
	for name := range b {
		out[name] = true
	}
	return out
}

// writeMemory details the memory of each contender.
func writeMemory(w writer, cfg config, res *results) {
	mem, memRan := res.memory["authfetch"]
	if !memRan {
		return
	}
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
	only := func(label, value string) {
		r := []string{label}
		for _, c := range contenders {
			r = append(r, map[bool]string{true: value}[c == "authfetch"])
		}
		t.row(r...)
	}
	only("authfetch: live Go heap (moduleStats)", readings(mem.goHeap, mb))
	only("authfetch: live js.Funcs (moduleStats)", readings(mem.liveFuncs, countOf))
	only("authfetch: wasm linear memory", readings(mem.wasm, mb))
	only("authfetch: JS values held by Go", readings(mem.goRefs, countOf))
	w("%s\nEach contender alone in a fresh page, %d in flight. The live Go heap (`runtime.MemStats.HeapAlloc` after a collection) and the live `js.Func`s (made minus released) are what authfetch's `moduleStats()` reports; \"flat\" allows %s of heap growth and no js.Func more. Linear memory is the Go heap's high-water mark (it never shrinks); the JS values held by Go are wasm_exec.js' reference table.\n\n",
		t.String(), cfg.inFlight, kb(flatHeapMargin))
}

// readings formats the three readings of one figure, "not read" for one
// that could not be taken (-1).
func readings(xs [3]float64, format func(float64) string) string {
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = "not read"
		if x >= 0 {
			parts[i] = format(x)
		}
	}
	return strings.Join(parts, " / ")
}

func countOf(x float64) string { return fmt.Sprintf("%.0f", x) }
