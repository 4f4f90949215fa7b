//go:build !js

package main

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"time"
)

// contenders in the order each round runs them; the names of
// page/contenders/*.js.
var contenders = []string{"plain", "authfetch", "axios", "ky"}

// titles are the contenders' column headings.
var titles = map[string]string{
	"plain":     "plain fetch",
	"authfetch": "authfetch",
	"axios":     "axios + axios-auth-refresh",
	"ky":        "ky + afterResponse hook",
}

// runTimeout bounds one page script: a request that has not settled by then
// breaks the bench.
const runTimeout = 2 * time.Minute

// throughput names the two request workloads.
type throughput struct {
	label    string
	inFlight int
}

// stormRun is how one refresh storm ended, as bench.storm reports it, plus
// the refresh calls and API requests the server counted.
type stormRun struct {
	MS             float64 `json:"ms"`
	OK             int     `json:"ok"`
	Unauthorized   int     `json:"unauthorized"`
	Other          int     `json:"other"`
	Rejected       int     `json:"rejected"`
	FirstRejection string  `json:"firstRejection"`
	RefreshCalls   int64   `json:"-"`
	APICalls       int64   `json:"-"`
}

// coldKey names one cold-start variant.
type coldKey struct {
	kind string // "authfetch" or "empty"
	enc  string // "identity", "gzip" or "br"
	kbps int    // 0: loopback
}

// phases of one cold start, from cold.js.
type phases struct {
	Download    float64 `json:"download"`
	Compile     float64 `json:"compile"`
	Instantiate float64 `json:"instantiate"`
	Start       float64 `json:"start"`
	Total       float64 `json:"total"`
}

// memRun is a contender's memory in a page of its own.
type memRun struct {
	heap      [3]float64 // JS heap bytes after loading, after the first requests, after all
	goHeap    [3]float64 // authfetch: bytes of live Go heap (moduleStats)
	liveFuncs [3]float64 // authfetch: js.Funcs made and not released (moduleStats)
	wasm      [3]float64 // authfetch: bytes of the module's linear memory
	goRefs    [3]float64 // authfetch: JS values that Go holds references to
}

// snapshot is probe.js' view of the module.
type snapshot struct {
	GoHeap     float64 `json:"goHeap"`
	LiveFuncs  float64 `json:"liveFuncs"`
	WasmMemory float64 `json:"wasmMemory"`
	GoRefs     float64 `json:"goRefs"`
}

// results is everything one run measured.
type results struct {
	throughput map[string]map[string][]float64 // workload label → contender → ms per round
	storm      map[string][]stormRun           // contender → one per round; plain is the baseline
	refreshRTT []float64                       // ms of one refresh round trip, per round
	cold       map[coldKey][]float64           // ms per round
	phases     map[string][]phases             // kind → per round
	memory     map[string]memRun               // contender → its page
	crossings  map[string]float64              // authfetch: counted calls during crossingRequests requests
}

func newResults() *results {
	return &results{
		throughput: map[string]map[string][]float64{},
		storm:      map[string][]stormRun{},
		cold:       map[coldKey][]float64{},
		phases:     map[string][]phases{},
		memory:     map[string]memRun{},
	}
}

// openBenchPage opens the bench page and loads the named contenders (and,
// with probe, the instrumentation of probe.js before them).
func openBenchPage(root context.Context, srv *apiServer, fresh, probe bool, names ...string) (*page, error) {
	p, err := openPage(root, srv.URL+"/bench/bench.html", fresh)
	if err != nil {
		return nil, err
	}
	js := `window.bench = await import('/bench/bench.js'); await bench.login(); await bench.load(` + jsList(names) + `); return document.visibilityState`
	if probe {
		js = `window.probe = await import('/bench/probe.js');` + js
	}
	visibility, err := eval[string](p, runTimeout, js)
	if err != nil {
		p.close()
		return nil, err
	}
	if visibility != "visible" {
		p.close()
		return nil, fmt.Errorf("bench: the bench page is %s, not visible: its timers would be throttled", visibility)
	}
	return p, nil
}

type voidResult = any

// runRequests runs bench.run in the page after a garbage collection, so that
// no contender pays for the garbage of the one before.
func runRequests(p *page, name string, n, inFlight int) (float64, error) {
	if err := p.collectGarbage(); err != nil {
		return 0, err
	}
	return eval[float64](p, runTimeout, fmt.Sprintf(`return await bench.run(%q, %d, %d)`, name, n, inFlight))
}

// measureRequests runs the two request workloads, interleaved, after a
// warm-up round that is not counted.
func measureRequests(p *page, cfg config, res *results, log func(string, ...any)) error {
	workloads := []throughput{
		{fmt.Sprintf("%s one at a time", count(cfg.serialN)), 1},
		{fmt.Sprintf("%s with %d in flight", count(cfg.parallelN), cfg.inFlight), cfg.inFlight},
	}
	for _, c := range contenders {
		if _, err := runRequests(p, c, cfg.warmN, cfg.inFlight); err != nil {
			return err
		}
		if _, err := runRequests(p, c, cfg.warmN/4, 1); err != nil {
			return err
		}
	}
	for round := 1; round <= cfg.rounds; round++ {
		for _, w := range workloads {
			n := cfg.serialN
			if w.inFlight > 1 {
				n = cfg.parallelN
			}
			for _, c := range contenders {
				ms, err := runRequests(p, c, n, w.inFlight)
				if err != nil {
					return err
				}
				if res.throughput[w.label] == nil {
					res.throughput[w.label] = map[string][]float64{}
				}
				res.throughput[w.label][c] = append(res.throughput[w.label][c], ms)
			}
		}
		log("requests: round %d of %d done", round, cfg.rounds)
	}
	return nil
}

// measureStorms runs the refresh storm for each contender, interleaved. Plain
// fetch runs the same burst with a valid token: the baseline of the target.
func measureStorms(p *page, srv *apiServer, cfg config, res *results, log func(string, ...any)) error {
	for round := 1; round <= cfg.stormRounds; round++ {
		rtt, err := eval[float64](p, runTimeout, `return await bench.refreshRoundTrip()`)
		if err != nil {
			return err
		}
		res.refreshRTT = append(res.refreshRTT, rtt)
		for _, c := range contenders {
			if err := p.collectGarbage(); err != nil {
				return err
			}
			if c != "plain" {
				srv.revoke()
			}
			srv.resetCounts()
			run, err := eval[stormRun](p, runTimeout, fmt.Sprintf(`return await bench.storm(%q, %d)`, c, cfg.stormN))
			if err != nil {
				return err
			}
			run.RefreshCalls, run.APICalls = srv.refreshes.Load(), srv.apiCalls.Load()
			if run.Rejected > 0 {
				return fmt.Errorf("bench: storm: %s: %d of %d requests rejected without an HTTP answer; the first: %s", c, run.Rejected, cfg.stormN, run.FirstRejection)
			}
			if c == "plain" && run.OK != cfg.stormN {
				return fmt.Errorf("bench: storm: plain fetch with a valid token got %d answers that were not 200", cfg.stormN-run.OK)
			}
			res.storm[c] = append(res.storm[c], run)
		}
		log("storm: round %d of %d done", round, cfg.stormRounds)
	}
	return nil
}

// coldScenarios are the links the cold start is measured over; a quick run
// leaves out the paced one.
func coldScenarios(cfg config) []struct{ kbps, rounds int } {
	all := []struct{ kbps, rounds int }{{0, cfg.coldRounds}, {pacedKbps, cfg.pacedRounds}}
	return slices.DeleteFunc(all, func(sc struct{ kbps, rounds int }) bool { return sc.rounds == 0 })
}

// pacedKbps is the paced link of the cold start: 50 Mbit/s.
const pacedKbps = 50_000

// encodings of the module that the cold start compares.
var encodings = []string{"identity", "gzip", "br"}

// measureColdStarts times createAuthFetch and the empty Go program, each in a
// fresh page of a fresh browser context, interleaved, then their phases.
func measureColdStarts(root context.Context, srv *apiServer, cfg config, res *results, log func(string, ...any)) error {
	for _, sc := range coldScenarios(cfg) {
		for round := 1; round <= sc.rounds; round++ {
			for _, enc := range encodings {
				for _, kind := range []string{"authfetch", "empty"} {
					url := fmt.Sprintf("/wasm/%s.wasm?enc=%s&kbps=%d", kind, enc, sc.kbps)
					ms, err := coldOnce[float64](root, srv, fmt.Sprintf(`return await cold.%s(%q)`, kind, url))
					if err != nil {
						return err
					}
					k := coldKey{kind, enc, sc.kbps}
					res.cold[k] = append(res.cold[k], ms)
				}
			}
		}
		log("cold start: %d rounds at %s done", sc.rounds, link(sc.kbps))
	}
	for round := 1; round <= cfg.coldRounds; round++ {
		for _, kind := range []string{"authfetch", "empty"} {
			url := fmt.Sprintf("/wasm/%s.wasm?type=octet", kind)
			ph, err := coldOnce[*phases](root, srv, fmt.Sprintf(`return await cold.phases(%q, %q)`, kind, url))
			if err != nil {
				return err
			}
			if ph != nil {
				res.phases[kind] = append(res.phases[kind], *ph)
			}
		}
	}
	return nil
}

// coldOnce runs js in a fresh page of a fresh browser context, with cold.js
// imported as cold.
func coldOnce[T any](root context.Context, srv *apiServer, js string) (T, error) {
	var zero T
	p, err := openPage(root, srv.URL+"/bench/blank.html", true)
	if err != nil {
		return zero, err
	}
	defer p.close()
	return eval[T](p, runTimeout, `const cold = await import('/bench/cold.js');`+js)
}

// crossingRequests is how many requests the crossings are counted over.
const crossingRequests = 1000

// measureMemory loads each contender alone in a fresh page and reads the JS
// heap after a forced collection: after loading, after memFirst requests and
// after memTotal. For authfetch it also reads the module's Go heap and live
// js.Funcs (moduleStats), its linear memory and the JS values Go holds, then
// counts the crossings of crossingRequests more.
func measureMemory(root context.Context, srv *apiServer, cfg config, res *results, log func(string, ...any)) error {
	for _, c := range contenders {
		isAuthfetch := c == "authfetch"
		p, err := openBenchPage(root, srv, true, isAuthfetch, c)
		if err != nil {
			return err
		}
		var m memRun
		done := 0
		for i, upTo := range []int{0, cfg.memFirst, cfg.memTotal} {
			if upTo > done {
				if _, err := eval[float64](p, runTimeout, fmt.Sprintf(`return await bench.run(%q, %d, %d)`, c, upTo-done, cfg.inFlight)); err != nil {
					p.close()
					return err
				}
				done = upTo
			}
			if m.heap[i], err = p.heapUsed(); err != nil {
				p.close()
				return err
			}
			if isAuthfetch {
				s, err := eval[*snapshot](p, runTimeout, `return probe.snapshot()`)
				if err != nil {
					p.close()
					return err
				}
				if s != nil {
					m.goHeap[i], m.liveFuncs[i] = s.GoHeap, s.LiveFuncs
					m.wasm[i], m.goRefs[i] = s.WasmMemory, s.GoRefs
				}
			}
		}
		if isAuthfetch {
			res.crossings, err = eval[map[string]float64](p, runTimeout, fmt.Sprintf(
				`probe.counting(true); await bench.run('authfetch', %d, %d); return probe.counting(false)`, crossingRequests, cfg.inFlight))
			if err != nil {
				p.close()
				return err
			}
		}
		p.close()
		res.memory[c] = m
		log("memory: %s done", c)
	}
	return nil
}

// link names a cold-start link.
func link(kbps int) string {
	if kbps == 0 {
		return "loopback"
	}
	return strconv.Itoa(kbps/1000) + " Mbit/s"
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
