//go:build !js

package main

import (
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/authfetch/authfetch/internal/browsertest"
)

// contenders in the order each round runs them; the names of
// page/contenders/*.js.
var contenders = []string{"plain", "authfetch", "handwritten", "axios", "ky"}

// requestContenders are the contenders of the request workloads: the
// others, and authfetch with dpop: true beside authfetch.
var requestContenders = slices.Insert(slices.Clone(contenders), slices.Index(contenders, "authfetch")+1, "dpop")

// titles are the contenders' column headings.
var titles = map[string]string{
	"plain":       "plain fetch",
	"authfetch":   "authfetch",
	"dpop":        "authfetch, `dpop: true`",
	"handwritten": "hand-written JS, same contract",
	"axios":       "axios + axios-auth-refresh",
	"ky":          "ky + afterResponse hook",
}

// runTimeout bounds one page script: a request that has not settled by then
// breaks the bench. A script that sends n requests gets timeoutFor(n).
const runTimeout = 2 * time.Minute

// timeoutFor bounds a script that sends n requests: runTimeout and 20 ms a
// request more, which a machine at a load of 20 on 2 CPUs still keeps to.
func timeoutFor(n int) time.Duration { return runTimeout + time.Duration(n)*20*time.Millisecond }

// throughput names the two request workloads.
type throughput struct {
	label    string
	inFlight int
}

// results is everything one run measured.
type results struct {
	throughput    map[string]map[string][]float64 // workload label → contender → ms per round
	throughputCPU map[string]map[string][]float64 // the same in main-thread CPU time, where it can be read
	storm         map[string][]stormRun           // contender → one per round; plain handles it by hand, the baseline
	stormFloor    []stormRun                      // plain fetch's burst with a valid token, per round
	refreshRTT    []float64                       // ms of one refresh round trip, per round
	overhead      map[int]map[string][]float64    // in flight → "direct" or contender → ms per round, with the instant fetch
	overheadCPU   map[int]map[string][]float64    // the same in main-thread CPU time, where it can be read
	cold          map[coldKey][]float64           // ms per round
	coldCached    map[coldKey]int                 // repeat visits whose module came from the HTTP cache
	coldVisits    map[coldKey][]visit             // the same starts, with their phases
	phases        map[string][]phases             // kind → per round
	memory        map[string]memRun               // contender → its page
	crossings     map[int]map[string]float64      // authfetch, in flight → what probe.js counted over crossingN requests
	failed        []string                        // the parts that failed, and why
}

func newResults() *results {
	return &results{
		throughput:    map[string]map[string][]float64{},
		throughputCPU: map[string]map[string][]float64{},
		overheadCPU:   map[int]map[string][]float64{},
		storm:         map[string][]stormRun{},
		overhead:      map[int]map[string][]float64{},
		cold:          map[coldKey][]float64{},
		coldCached:    map[coldKey]int{},
		coldVisits:    map[coldKey][]visit{},
		phases:        map[string][]phases{},
		memory:        map[string]memRun{},
		crossings:     map[int]map[string]float64{},
	}
}

// openBenchPage opens the bench page and loads the named contenders (and,
// with probe, the instrumentation of probe.js before them).
func openBenchPage(b *browsertest.Browser, srv *benchServer, fresh, probe bool, names ...string) (*browsertest.Tab, error) {
	p, err := b.Open(srv.URL+"/bench/bench.html", fresh)
	if err != nil {
		return nil, err
	}
	js := `window.bench = await import('/bench/bench.js'); await bench.login(); await bench.load(` + jsList(names) + `); return document.visibilityState`
	if probe {
		js = `window.probe = await import('/bench/probe.js');` + js
	}
	visibility, err := browsertest.Eval[string](p, runTimeout, js)
	if err != nil {
		p.Close()
		return nil, err
	}
	if visibility != "visible" {
		p.Close()
		return nil, fmt.Errorf("bench: the bench page is %s, not visible: its timers would be throttled", visibility)
	}
	return p, nil
}

type voidResult = any

// runRequests runs bench.run in the page after a garbage collection, so that
// no contender pays for the garbage of the one before.
func runRequests(p *browsertest.Tab, name string, n, inFlight int) (wall, cpu float64, err error) {
	if err := p.CollectGarbage(); err != nil {
		return 0, 0, err
	}
	return evalTimed(p, timeoutFor(n), fmt.Sprintf(`return await bench.run(%q, %d, %d)`, name, n, inFlight))
}

// evalTimed runs js, which returns the milliseconds it took by the page's
// clock, and reads the main threads' CPU time around it (mainThreadCPU):
// cpu is in milliseconds too, and 0 where it cannot be read.
func evalTimed(p *browsertest.Tab, timeout time.Duration, js string) (wall, cpu float64, err error) {
	before, ok := mainThreadCPU()
	wall, err = browsertest.Eval[float64](p, timeout, js)
	after, ok2 := mainThreadCPU()
	if ok && ok2 && after > before {
		cpu = float64(after-before) / float64(time.Millisecond)
	}
	return wall, cpu, err
}

// measureRequests runs the two request workloads, interleaved, after a
// warm-up round that is not counted, with requestContenders loaded.
func measureRequests(p *browsertest.Tab, srv *benchServer, cfg config, res *results, log func(string, ...any)) error {
	provenBefore := srv.dpop.proven.Load()
	sent := 0 // by the DPoP contender
	workloads := []throughput{
		{fmt.Sprintf("%s one at a time", count(cfg.serialN)), 1},
		{fmt.Sprintf("%s with %d in flight", count(cfg.parallelN), cfg.inFlight), cfg.inFlight},
	}
	for _, c := range requestContenders {
		if _, _, err := runRequests(p, c, cfg.warmN, cfg.inFlight); err != nil {
			return err
		}
		if _, _, err := runRequests(p, c, cfg.warmN/4, 1); err != nil {
			return err
		}
		if c == "dpop" {
			sent += cfg.warmN + cfg.warmN/4
		}
	}
	for round := 1; round <= cfg.rounds; round++ {
		for _, w := range workloads {
			n := cfg.serialN
			if w.inFlight > 1 {
				n = cfg.parallelN
			}
			for _, c := range requestContenders {
				wall, cpu, err := runRequests(p, c, n, w.inFlight)
				if err != nil {
					return err
				}
				if c == "dpop" {
					sent += n
				}
				add(res.throughput, w.label, c, wall)
				if cpu > 0 {
					add(res.throughputCPU, w.label, c, cpu)
				}
			}
		}
		log("requests: round %d of %d done", round, cfg.rounds)
	}
	// A DPoP contender that sent Bearer tokens would pass the fake API too.
	if proven := int(srv.dpop.proven.Load() - provenBefore); proven != sent {
		return fmt.Errorf("bench: the DPoP contender sent %d requests, and %d came with a DPoP token and a valid proof", sent, proven)
	}
	return nil
}

// add appends x to m[k][c].
func add[K comparable](m map[K]map[string][]float64, k K, c string, x float64) {
	if m[k] == nil {
		m[k] = map[string][]float64{}
	}
	m[k][c] = append(m[k][c], x)
}

// jsList writes names as a JS array literal.
func jsList(names []string) string {
	s := "["
	for i, n := range names {
		if i > 0 {
			s += ","
		}
		s += strconv.Quote(n)
	}
	return s + "]"
}

// count writes n with a thousands separator: 2,000.
func count(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
