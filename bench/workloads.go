//go:build !js

package main

import (
	"fmt"
	"strconv"
	"time"

	"github.com/authfetch/authfetch/internal/browsertest"
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
func runRequests(p *browsertest.Tab, name string, n, inFlight int) (float64, error) {
	if err := p.CollectGarbage(); err != nil {
		return 0, err
	}
	return browsertest.Eval[float64](p, runTimeout, fmt.Sprintf(`return await bench.run(%q, %d, %d)`, name, n, inFlight))
}

// measureRequests runs the two request workloads, interleaved, after a
// warm-up round that is not counted.
func measureRequests(p *browsertest.Tab, cfg config, res *results, log func(string, ...any)) error {
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
func measureStorms(p *browsertest.Tab, srv *benchServer, cfg config, res *results, log func(string, ...any)) error {
	for round := 1; round <= cfg.stormRounds; round++ {
		rtt, err := browsertest.Eval[float64](p, runTimeout, `return await bench.refreshRoundTrip()`)
		if err != nil {
			return err
		}
		res.refreshRTT = append(res.refreshRTT, rtt)
		for _, c := range contenders {
			if err := p.CollectGarbage(); err != nil {
				return err
			}
			if c != "plain" {
				srv.RevokeAccess()
			}
			srv.ResetCounts()
			run, err := browsertest.Eval[stormRun](p, runTimeout, fmt.Sprintf(`return await bench.storm(%q, %d)`, c, cfg.stormN))
			if err != nil {
				return err
			}
			run.RefreshCalls, run.APICalls = int64(srv.RefreshCalls()), int64(srv.APICalls())
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
