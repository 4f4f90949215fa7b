//go:build !js

package main

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/authfetch/authfetch/internal/browsertest"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/profiler"
	cdpruntime "github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// The profile part (go run ./bench -only profile) is not in `make bench`:
// the sampling profiler slows the page it watches. It shows where the page's
// main thread spends its time per request, for plain fetch and for
// api.fetch, with authfetch built without -s -w so that the Go functions
// keep their names.

const (
	profileRequests = 3000 // per contender and workload
	samplingMicros  = 100  // the profiler's sampling interval
)

// profileRun is one profiled workload: self time in µs by category and, for
// the Go code, by function.
type profileRun struct {
	requests   int
	categories map[string]float64
	goFuncs    map[string]float64
}

// measureProfiles profiles plain fetch and api.fetch, one at a time and 100
// in flight, in a fresh page.
func measureProfiles(b *browsertest.Browser, srv *benchServer, cfg config, log func(string, ...any)) (map[string]profileRun, error) {
	p, err := b.Open(srv.URL+"/bench/bench.html", true)
	if err != nil {
		return nil, err
	}
	defer p.Close()
	if _, err := browsertest.Eval[voidResult](p, runTimeout, `window.bench = await import('/bench/bench.js'); await bench.login();
		await bench.load(['plain', 'authfetch'], { authfetch: { wasmURL: '/wasm/authfetch-names.wasm' } })`); err != nil {
		return nil, err
	}
	for _, c := range []string{"plain", "authfetch"} {
		if _, _, err := runRequests(p, c, cfg.warmN, cfg.inFlight); err != nil {
			return nil, err
		}
	}
	out := map[string]profileRun{}
	for _, inFlight := range []int{1, cfg.inFlight} {
		for _, c := range []string{"plain", "authfetch"} {
			n := profileRequests
			if cfg.quick {
				n = 300
			}
			run, err := profileOnce(p, c, n, inFlight)
			if err != nil {
				return nil, err
			}
			out[fmt.Sprintf("%s/%d", c, inFlight)] = run
		}
		log("profile: %d in flight done", inFlight)
	}
	return out, nil
}

// profileOnce samples the page while it sends n requests.
func profileOnce(p *browsertest.Tab, name string, n, inFlight int) (profileRun, error) {
	if err := p.CollectGarbage(); err != nil {
		return profileRun{}, err
	}
	err := chromedp.Do(p.Context(), chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		if _, err := cdp.Call(ctx, t, profiler.Enable, cdp.Empty{}); err != nil {
			return err
		}
		if _, err := cdp.Call(ctx, t, profiler.SetSamplingInterval, profiler.SetSamplingIntervalParams{Interval: samplingMicros}); err != nil {
			return err
		}
		_, err := cdp.Call(ctx, t, profiler.Start, cdp.Empty{})
		return err
	}))
	if err != nil {
		return profileRun{}, err
	}
	if _, err := browsertest.Eval[float64](p, timeoutFor(n), fmt.Sprintf(`return await bench.run(%q, %d, %d)`, name, n, inFlight)); err != nil {
		return profileRun{}, err
	}
	prof, err := chromedp.Run(p.Context(), chromedp.Action[*profiler.Profile](func(ctx context.Context, t *chromedp.Target) (*profiler.Profile, error) {
		r, err := cdp.Call(ctx, t, profiler.Stop, cdp.Empty{})
		return r.Profile, err
	}))
	if err != nil {
		return profileRun{}, err
	}
	run := profileRun{requests: n, categories: map[string]float64{}, goFuncs: map[string]float64{}}
	nodes := map[int64]*profiler.ProfileNode{}
	for _, nd := range prof.Nodes {
		nodes[nd.ID] = nd
	}
	for i, id := range prof.Samples {
		nd := nodes[id]
		if nd == nil || i >= len(prof.TimeDeltas) {
			continue
		}
		us := float64(prof.TimeDeltas[i])
		cat := category(nd.CallFrame)
		run.categories[cat] += us
		if cat == catGo {
			run.goFuncs[goFuncName(nd.CallFrame.FunctionName)] += us
		}
	}
	return run, nil
}

// The categories of the page's main thread.
const (
	catGo      = "Go code in the module (wasm)"
	catGlue    = "wasm_exec.js (syscall/js glue)"
	catLoader  = "authfetch.js"
	catBench   = "bench page and contender"
	catNative  = "browser built-ins (fetch, Headers, JSON, storage…)"
	catProgram = "(program): browser work outside JS"
	catGC      = "(garbage collector)"
	catIdle    = "(idle)"
)

var categoryOrder = []string{catGo, catGlue, catLoader, catBench, catNative, catProgram, catGC, catIdle}

func category(f *cdpruntime.CallFrame) string {
	switch {
	case strings.HasPrefix(f.URL, "wasm://"), strings.HasSuffix(f.URL, ".wasm"):
		return catGo
	case strings.HasSuffix(f.URL, "/wasm_exec.js"):
		return catGlue
	case strings.HasSuffix(f.URL, "/js/authfetch.js"):
		return catLoader
	case strings.Contains(f.URL, "/bench/"):
		return catBench
	case f.FunctionName == "(program)":
		return catProgram
	case f.FunctionName == "(garbage collector)":
		return catGC
	case f.FunctionName == "(idle)", f.FunctionName == "(root)":
		return catIdle
	default:
		return catNative
	}
}

// goFuncName shortens a wasm frame name such as
// "github.com_authfetch_authfetch_wasm_jsbridge.__client_.handle.func1".
func goFuncName(s string) string {
	return strings.TrimPrefix(strings.TrimPrefix(s, "$"), "github.com_authfetch_authfetch_")
}

// profileReport renders the profiles.
func profileReport(runs map[string]profileRun, inFlight int) string {
	var b strings.Builder
	b.WriteString("## Where the page's main thread spends a request\n\n")
	var t table
	t.row("µs per request, self time", "plain, one at a time", "authfetch, one at a time", fmt.Sprintf("plain, %d in flight", inFlight), fmt.Sprintf("authfetch, %d in flight", inFlight))
	keys := []string{"plain/1", "authfetch/1", fmt.Sprintf("plain/%d", inFlight), fmt.Sprintf("authfetch/%d", inFlight)}
	for _, cat := range categoryOrder {
		r := []string{cat}
		for _, k := range keys {
			run := runs[k]
			r = append(r, fmt.Sprintf("%.1f", run.categories[cat]/float64(max(run.requests, 1))))
		}
		t.row(r...)
	}
	busy := []string{"all but idle"}
	for _, k := range keys {
		run := runs[k]
		var sum float64
		for cat, us := range run.categories {
			if cat != catIdle {
				sum += us
			}
		}
		busy = append(busy, fmt.Sprintf("%.1f", sum/float64(max(run.requests, 1))))
	}
	t.row(busy...)
	fmt.Fprintf(&b, "%s\nCDP's sampling profiler at %d µs, %s requests per column, authfetch built without `-s -w`. Only the page's main thread: the network service and the server run elsewhere.\n\n", t.String(), samplingMicros, count(runs["plain/1"].requests))

	run := runs[fmt.Sprintf("authfetch/%d", inFlight)]
	names := slices.Collect(maps.Keys(run.goFuncs))
	slices.SortFunc(names, func(a, b string) int { return cmp.Compare(run.goFuncs[b], run.goFuncs[a]) })
	t = table{}
	t.row(fmt.Sprintf("Go function (authfetch, %d in flight)", inFlight), "µs per request, self")
	for _, n := range names[:min(15, len(names))] {
		t.row("`"+n+"`", fmt.Sprintf("%.2f", run.goFuncs[n]/float64(max(run.requests, 1))))
	}
	b.WriteString(t.String())
	return b.String()
}
