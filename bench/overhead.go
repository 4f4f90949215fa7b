//go:build !js

package main

import (
	"fmt"

	"github.com/authfetch/authfetch/internal/browsertest"
)

// The engine's overhead: what a contender's fetch costs the page's main
// thread beyond the least a caller must do, with the network taken out. A
// page of its own replaces globalThis.fetch, before any contender loads, by
// stub.js' fetch, which answers every /api/ request at once; then "direct"
// (the stub called with the header set by hand), authfetch's api.fetch and
// the hand-written implementation of the same contract each make overheadN
// calls, interleaved, one at a time and inFlight at a time, for a warm-up
// round and overheadRounds more. A call's overhead is its time minus
// direct's in the same round, per call.

// overheadContenders are the fetches the workload compares, in round order.
var overheadContenders = []string{"direct", "authfetch", "handwritten"}

// measureOverhead runs the engine-overhead workload in a fresh page.
func measureOverhead(b *browsertest.Browser, srv *benchServer, cfg config, res *results, log func(string, ...any)) error {
	p, err := b.Open(srv.URL+"/bench/bench.html", true)
	if err != nil {
		return err
	}
	defer p.Close()
	// The login goes to the server before the stub is in place.
	if _, err := browsertest.Eval[voidResult](p, runTimeout, `window.bench = await import('/bench/bench.js'); await bench.login();
		(await import('/bench/stub.js')).install(); await bench.load(['authfetch', 'handwritten'])`); err != nil {
		return err
	}
	ways := []int{1, cfg.inFlight}
	for round := 0; round <= cfg.overheadRounds; round++ {
		for _, inFlight := range ways {
			for _, c := range overheadContenders {
				if err := p.CollectGarbage(); err != nil {
					return err
				}
				wall, cpu, err := evalTimed(p, timeoutFor(cfg.overheadN), fmt.Sprintf(`return await bench.calls(%q, %d, %d)`, c, cfg.overheadN, inFlight))
				if err != nil {
					return err
				}
				if round == 0 {
					continue // the warm-up
				}
				add(res.overhead, inFlight, c, wall)
				if cpu > 0 {
					add(res.overheadCPU, inFlight, c, cpu)
				}
			}
		}
		if round > 0 {
			log("overhead: round %d of %d done", round, cfg.overheadRounds)
		}
	}
	return nil
}

// overheadPerCall is contender c's overhead in µs per call with inFlight in
// flight, round by round: its time minus direct's, over n calls; of the
// times in runs (res.overhead or res.overheadCPU).
func overheadPerCall(runs map[string][]float64, c string, n int) []float64 {
	var xs []float64
	for i := range min(len(runs[c]), len(runs["direct"])) {
		xs = append(xs, (runs[c][i]-runs["direct"][i])*1000/float64(n))
	}
	return xs
}

// overheadTimes are the times the overhead is judged by, and their name:
// the main thread's CPU time where it could be read (the page's clock
// counts the waits for a CPU of a shared machine), else the page's clock.
func overheadTimes(res *results) (map[int]map[string][]float64, string) {
	if len(res.overheadCPU) > 0 {
		return res.overheadCPU, "main-thread CPU time"
	}
	return res.overhead, "wall-clock time in the page"
}
