//go:build !js

package main

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/authfetch/authfetch/internal/browsertest"
)

// sample is one measurement, taken after a round, when every request of the
// round has settled.
type sample struct {
	Requests  int     // requests sent so far
	JSHeap    float64 // bytes of JS heap in use, after a forced GC
	GoHeap    float64 `json:"goHeap"`    // bytes of live Go heap after a GC (moduleStats)
	LiveFuncs float64 `json:"liveFuncs"` // js.Funcs made and not released (moduleStats)
	WasmBytes float64 `json:"wasmBytes"` // the module's linear memory (the Go heap lives in it; it never shrinks)
	LiveRefs  float64 `json:"liveRefs"`  // JS values the Go side holds (js.Value and js.Func references), after a forced Go GC

	LiveRefsBeforeGC float64 `json:"liveRefsBeforeGC"` // the same, before it
}

// summary is what the page reports at the end (see soak.summary in page.go).
type summary struct {
	Started            int                       `json:"started"`
	SettledOnce        int                       `json:"settledOnce"`
	Lost               int                       `json:"lost"`
	Doubled            int                       `json:"doubled"`
	LostIDs            []string                  `json:"lostIDs"`
	Outcomes           map[string]int            `json:"outcomes"`
	ErrorReasons       map[string]int            `json:"errorReasons"`
	StaleSends         []string                  `json:"staleSends"`
	StaleSendCount     int                       `json:"staleSendCount"`
	CalledOff          []string                  `json:"calledOff"`
	RefreshMaxInFlight map[string]int            `json:"refreshMaxInFlight"`
	RefreshWithAuth    int                       `json:"refreshWithAuth"`
	RefreshMs          []float64                 `json:"refreshMs"`
	Events             map[string]map[string]int `json:"events"`
	Relogins           int                       `json:"relogins"`
	LoginErrors        []string                  `json:"loginErrors"`
	Stats              []map[string]any          `json:"stats"`
}

// result is a soak run's measurements.
type result struct {
	samples []sample
	summary summary
	took    time.Duration // the mode's run, servers to summary
}

// soak opens the page in the browser and runs the rounds.
func soak(c config, b *browsertest.Browser, srv *servers) (*result, error) {
	tab, err := b.Open(srv.a.URL+"/page.html", false)
	if err != nil {
		return nil, fmt.Errorf("soak: %w", err)
	}
	defer tab.Close()
	setup := fmt.Sprintf("const B = %q, SEED = %d, REQUESTS = %d;\n%s\n%s", srv.b.URL, c.seed, c.requests, commonJS, pageJS)
	if _, err := browsertest.Eval[json.RawMessage](tab, time.Minute, setup); err != nil {
		return nil, fmt.Errorf("setting up the page: %w\nconsole: %v", err, tab.Console())
	}

	res := &result{}
	for from := 0; from < c.requests; from += c.round {
		n := min(c.round, c.requests-from)
		s, err := browsertest.Eval[sample](tab, 90*time.Second, fmt.Sprintf("return await soak.round(%d, %d, %d, %d)", from, n, c.inflight, 60000))
		if err != nil {
			return nil, fmt.Errorf("round at request %d: %w\nconsole: %v", from, err, tab.Console())
		}
		s.Requests = from + n
		if s.JSHeap, err = tab.HeapUsed(); err != nil {
			return nil, err
		}
		res.samples = append(res.samples, s)
	}
	if res.summary, err = browsertest.Eval[summary](tab, time.Minute, "return soak.summary()"); err != nil {
		return nil, err
	}
	return res, nil
}
