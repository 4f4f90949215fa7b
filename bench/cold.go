//go:build !js

package main

import (
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/authfetch/authfetch/internal/browsertest"
	"github.com/chromedp/chromedp"
)

// The cold start: createAuthFetch and the empty Go program, each in a fresh
// browser context. The first visit finds nothing cached. On loopback, the
// same tab then waits codeCacheWait and opens the page again: the repeat
// visit, with the browser's HTTP cache and its cache of compiled WebAssembly
// warm. Everything the starts load is sent cacheable (/cached/ and /wasm/),
// so that the repeat visit finds it; a fresh context starts with none of it.

// coldKey names one cold-start variant.
type coldKey struct {
	kind   string // "authfetch" or "empty"
	enc    string // "identity", "gzip" or "br"
	kbps   int    // 0: loopback
	repeat bool   // the repeat visit
}

// visit is how one start went, from cold.js: in all, and in phases (nil
// where cold.js could not see them).
type visit struct {
	MS          float64  `json:"ms"`
	FromCache   bool     `json:"fromCache"`   // the module came from the HTTP cache
	Scripts     *float64 `json:"scripts"`     // the scripts and the module's answer, up to compileStreaming
	Compile     *float64 `json:"compile"`     // the module downloaded and compiled (or read from the code cache), up to instantiate
	Instantiate *float64 `json:"instantiate"` // instantiated
	Start       *float64 `json:"start"`       // Go's run to ready (the empty program: to its exit)
}

// phases of one cold start, from cold.js.
type phases struct {
	Download    float64 `json:"download"`
	Compile     float64 `json:"compile"`
	Instantiate float64 `json:"instantiate"`
	Start       float64 `json:"start"`
	Total       float64 `json:"total"`
}

// codeCacheWait is how long the first visit's page stays open before the
// repeat visit: V8 writes a module's compiled code to the browser's cache
// only some time after its last tier-up (2 s by default), not at once.
const codeCacheWait = 3 * time.Second

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

// measureColdStarts times createAuthFetch and the empty Go program,
// interleaved, each pair of visits in a fresh browser context, then their
// phases.
func measureColdStarts(b *browsertest.Browser, srv *benchServer, cfg config, res *results, log func(string, ...any)) error {
	for _, sc := range coldScenarios(cfg) {
		for round := 1; round <= sc.rounds; round++ {
			for _, enc := range encodings {
				for _, kind := range []string{"authfetch", "empty"} {
					url := fmt.Sprintf("/wasm/%s.wasm?enc=%s&kbps=%d", kind, enc, sc.kbps)
					visits, err := coldVisits(b, srv, fmt.Sprintf(`return await cold.%s(%q)`, kind, url), sc.kbps == 0)
					if err != nil {
						return err
					}
					for i, v := range visits {
						k := coldKey{kind, enc, sc.kbps, i == 1}
						res.cold[k] = append(res.cold[k], v.MS)
						res.coldVisits[k] = append(res.coldVisits[k], v)
						if v.FromCache {
							res.coldCached[k]++
						}
					}
				}
			}
		}
		log("cold start: %d rounds at %s done", sc.rounds, link(sc.kbps))
	}
	for round := 1; round <= cfg.coldRounds; round++ {
		for _, kind := range []string{"authfetch", "empty"} {
			url := fmt.Sprintf("/wasm/%s.wasm?type=octet", kind)
			ph, err := coldOnce[*phases](b, srv, fmt.Sprintf(`return await cold.phases(%q, %q)`, kind, url))
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

// coldVisits runs js in a fresh page of a fresh browser context, with
// cold.js imported as cold, and, with repeat, once more in a new page of
// the same tab after codeCacheWait.
func coldVisits(b *browsertest.Browser, srv *benchServer, js string, repeat bool) ([]visit, error) {
	p, err := b.Open(srv.URL+"/bench/blank.html?visit=1", true)
	if err != nil {
		return nil, err
	}
	defer p.Close()
	const prelude = `const cold = await import('/bench/cold.js');`
	first, err := browsertest.Eval[visit](p, runTimeout, prelude+js)
	if err != nil || !repeat {
		return []visit{first}, err
	}
	time.Sleep(codeCacheWait)
	if err := chromedp.Do(p.Context(), chromedp.Navigate(srv.URL+"/bench/blank.html?visit=2")); err != nil {
		return nil, fmt.Errorf("bench: the repeat visit: %w", err)
	}
	again, err := browsertest.Eval[visit](p, runTimeout, prelude+js)
	return []visit{first, again}, err
}

// coldOnce runs js in a fresh page of a fresh browser context, with cold.js
// imported as cold.
func coldOnce[T any](b *browsertest.Browser, srv *benchServer, js string) (T, error) {
	var zero T
	p, err := b.Open(srv.URL+"/bench/blank.html", true)
	if err != nil {
		return zero, err
	}
	defer p.Close()
	return browsertest.Eval[T](p, runTimeout, `const cold = await import('/bench/cold.js');`+js)
}

// link names a cold-start link.
func link(kbps int) string {
	if kbps == 0 {
		return "loopback"
	}
	return strconv.Itoa(kbps/1000) + " Mbit/s"
}
