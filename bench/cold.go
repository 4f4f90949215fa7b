//go:build !js

package main

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/authfetch/authfetch/internal/browsertest"
)

// The cold start: createAuthFetch and the empty Go program, each in a fresh
// page of a fresh browser context.

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
func measureColdStarts(b *browsertest.Browser, srv *benchServer, cfg config, res *results, log func(string, ...any)) error {
	for _, sc := range coldScenarios(cfg) {
		for round := 1; round <= sc.rounds; round++ {
			for _, enc := range encodings {
				for _, kind := range []string{"authfetch", "empty"} {
					url := fmt.Sprintf("/wasm/%s.wasm?enc=%s&kbps=%d", kind, enc, sc.kbps)
					ms, err := coldOnce[float64](b, srv, fmt.Sprintf(`return await cold.%s(%q)`, kind, url))
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
