//go:build !js

package main

import (
	"fmt"

	"github.com/authfetch/authfetch/internal/browsertest"
)

// memRun is a contender's memory in a page of its own; -1 for a reading
// that could not be taken.
type memRun struct {
	heap      [3]float64 // JS heap bytes after loading, after the first requests, after all
	goHeap    [3]float64 // authfetch: bytes of live Go heap (moduleStats)
	liveFuncs [3]float64 // authfetch: js.Funcs made and not released (moduleStats)
	wasm      [3]float64 // authfetch: bytes of the module's linear memory
	goRefs    [3]float64 // authfetch: JS values that Go holds references to
}

// snapshot is probe.js' view of the module; -1 for what it could not read
// (the linear memory and the reference table where its hooks on Go's class
// saw no run).
type snapshot struct {
	GoHeap     float64 `json:"goHeap"`
	LiveFuncs  float64 `json:"liveFuncs"`
	WasmMemory float64 `json:"wasmMemory"`
	GoRefs     float64 `json:"goRefs"`
}

// measureMemory loads each contender alone in a fresh page and reads the JS
// heap after a forced collection: after loading, after memFirst requests and
// after memTotal. For authfetch it also reads the module's Go heap and live
// js.Funcs (moduleStats), its linear memory and the JS values Go holds, then
// counts the crossings of crossingN more, one at a time and inFlight at a
// time (countCrossings).
func measureMemory(b *browsertest.Browser, srv *benchServer, cfg config, res *results, log func(string, ...any)) error {
	for _, c := range contenders {
		isAuthfetch := c == "authfetch"
		p, err := openBenchPage(b, srv, true, isAuthfetch, c)
		if err != nil {
			return err
		}
		var m memRun
		done := 0
		for i, upTo := range []int{0, cfg.memFirst, cfg.memTotal} {
			if upTo > done {
				if _, err := browsertest.Eval[float64](p, timeoutFor(upTo-done), fmt.Sprintf(`return await bench.run(%q, %d, %d)`, c, upTo-done, cfg.inFlight)); err != nil {
					p.Close()
					return err
				}
				done = upTo
			}
			if m.heap[i], err = p.HeapUsed(); err != nil {
				p.Close()
				return err
			}
			if isAuthfetch {
				s, err := browsertest.Eval[*snapshot](p, runTimeout, `return probe.snapshot()`)
				if err != nil {
					p.Close()
					return err
				}
				if s == nil { // no module running: nothing read, not zero
					s = &snapshot{GoHeap: -1, LiveFuncs: -1, WasmMemory: -1, GoRefs: -1}
				}
				m.goHeap[i], m.liveFuncs[i] = s.GoHeap, s.LiveFuncs
				m.wasm[i], m.goRefs[i] = s.WasmMemory, s.GoRefs
			}
		}
		if isAuthfetch {
			if err := countCrossings(p, cfg, res); err != nil {
				p.Close()
				return err
			}
		}
		p.Close()
		res.memory[c] = m
		log("memory: %s done", c)
	}
	return nil
}

// countCrossings counts, with probe.js, every crossing between Go and JS
// while authfetch sends crossingN requests with a valid token, one at a
// time (the common path that the target is about) and inFlight at a time.
// Each js.Value that Go gets for a JS object or string costs one more
// crossing when the Go collector finalizes it (finalizeRef), whenever that
// is: moduleStats, which collects garbage and returns once the finalizers
// have run, is called before counting starts and again before it ends, so
// that the count holds the finalizers of these requests and no others.
func countCrossings(p *browsertest.Tab, cfg config, res *results) error {
	for _, inFlight := range []int{1, cfg.inFlight} {
		counts, err := browsertest.Eval[map[string]float64](p, timeoutFor(cfg.crossingN), fmt.Sprintf(
			`await probe.snapshot(); probe.counting(true); await bench.run('authfetch', %d, %d); await probe.snapshot(); return probe.counting(false)`, cfg.crossingN, inFlight))
		if err != nil {
			return err
		}
		res.crossings[inFlight] = counts
	}
	return nil
}
