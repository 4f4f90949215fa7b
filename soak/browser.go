//go:build !js

package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/authfetch/authfetch/internal/headless"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/heapprofiler"
	"github.com/chromedp/cdproto/network"
	cdpruntime "github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
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
	samples     []sample
	summary     summary
	built, took time.Duration
}

// soak starts Chromium, opens the page, and runs the rounds.
func soak(c config, srv *servers) (*result, error) {
	profile, err := os.MkdirTemp("", "authfetch-soak-profile-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(profile)
	ctx, stop, err := headless.Start(c.chromium, profile)
	if err != nil {
		return nil, fmt.Errorf("soak: %w", err)
	}
	defer stop()
	var (
		mu      sync.Mutex
		console []string // guarded by mu: what the page logged
	)
	messages := chromedp.Console(ctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			mu.Lock()
			console = append(console, m.String())
			mu.Unlock()
		}
	}()
	logged := func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), console...)
	}

	// Network events cost the browser more than the soak itself: off after Navigate.
	stopNetwork := chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, network.Disable, cdp.Empty{})
		return err
	})
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.aURL+"/page.html"), stopNetwork); err != nil {
		return nil, fmt.Errorf("opening the page in %s: %w", c.chromium, err)
	}
	setup := fmt.Sprintf("const B = %q, SEED = %d, REQUESTS = %d;\n%s", srv.bURL, c.seed, c.requests, pageSetup)
	if _, err := evalJS[json.RawMessage](ctx, setup, time.Minute); err != nil {
		return nil, fmt.Errorf("setting up the page: %w\nconsole: %v", err, logged())
	}

	res := &result{}
	for from := 0; from < c.requests; from += c.round {
		n := min(c.round, c.requests-from)
		s, err := evalJS[sample](ctx, fmt.Sprintf("return await soak.round(%d, %d, %d, %d)", from, n, c.inflight, 60000), 90*time.Second)
		if err != nil {
			return nil, fmt.Errorf("round at request %d: %w\nconsole: %v", from, err, logged())
		}
		s.Requests = from + n
		if s.JSHeap, err = jsHeap(ctx); err != nil {
			return nil, err
		}
		res.samples = append(res.samples, s)
	}
	if res.summary, err = evalJS[summary](ctx, "return soak.summary()", time.Minute); err != nil {
		return nil, err
	}
	return res, nil
}

// evalJS runs js as the body of an async function in the page and decodes its result.
func evalJS[T any](ctx context.Context, js string, timeout time.Duration) (T, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	return chromedp.Run(ctx, chromedp.Evaluate[T]("(async () => {\n"+js+"\n})()", chromedp.EvalAwaitPromise))
}

// jsHeap forces a garbage collection and returns the JS heap in use.
func jsHeap(ctx context.Context) (float64, error) {
	var used float64
	err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		if _, err := cdp.Call(ctx, t, heapprofiler.CollectGarbage, cdp.Empty{}); err != nil {
			return err
		}
		u, err := cdp.Call(ctx, t, cdpruntime.GetHeapUsage, cdp.Empty{})
		used = u.UsedSize
		return err
	}))
	return used, err
}
