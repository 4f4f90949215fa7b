//go:build !js

package main

import (
	"fmt"
	"strings"

	"github.com/authfetch/authfetch/internal/browsertest"
)

// stormRun is how one refresh storm ended, as bench.storm reports it, plus
// the refresh calls and API requests the server counted.
type stormRun struct {
	MS             float64  `json:"ms"`
	OK             int      `json:"ok"`
	Unauthorized   int      `json:"unauthorized"`
	Other          int      `json:"other"`
	Rejected       int      `json:"rejected"`
	FirstRejection string   `json:"firstRejection"`
	ToRefresh      *float64 `json:"toRefresh"` // ms from the first 401 to the refresh sent; nil where the page cannot see it
	RefreshCalls   int64    `json:"-"`
	APICalls       int64    `json:"-"`
	NetErrors      []string `json:"-"` // the browser's net::ERR_… for the requests it failed, when some were rejected
}

// measureStorms runs the refresh storm for each contender, interleaved,
// after a warm-up and, each round, plain fetch's burst with a valid token
// (the floor). Plain fetch's
// storm, handled by hand, is the baseline of the target.
func measureStorms(p *browsertest.Tab, srv *benchServer, cfg config, res *results, log func(string, ...any)) error {
	for _, c := range contenders { // the warm-up: the page is new
		if _, _, err := runRequests(p, c, cfg.warmN, cfg.inFlight); err != nil {
			return err
		}
	}
	for round := 1; round <= cfg.stormRounds; round++ {
		rtt, err := browsertest.Eval[float64](p, runTimeout, `return await bench.refreshRoundTrip()`)
		if err != nil {
			return err
		}
		res.refreshRTT = append(res.refreshRTT, rtt)
		floor, err := stormOnce(p, srv, "plain", cfg.stormN, true)
		if err != nil {
			return err
		}
		if floor.OK != cfg.stormN {
			return fmt.Errorf("bench: storm: plain fetch with a valid token got %d answers that were not 200", cfg.stormN-floor.OK)
		}
		res.stormFloor = append(res.stormFloor, floor)
		for _, c := range contenders {
			run, err := stormOnce(p, srv, c, cfg.stormN, false)
			if err != nil {
				return err
			}
			res.storm[c] = append(res.storm[c], run)
		}
		log("storm: round %d of %d done", round, cfg.stormRounds)
	}
	return nil
}

// stormOnce runs one storm of n requests with contender c: with the access
// token revoked first, or, with valid, as it is. Requests that a contender's
// storm gets rejected (fetch's TypeError, with no HTTP answer) are counted,
// with the browser's reasons: a finding, not a broken bench.
func stormOnce(p *browsertest.Tab, srv *benchServer, c string, n int, valid bool) (stormRun, error) {
	if err := p.CollectGarbage(); err != nil {
		return stormRun{}, err
	}
	if !valid {
		srv.RevokeAccess()
	}
	srv.ResetCounts()
	consoleBefore := len(p.Console())
	run, err := browsertest.Eval[stormRun](p, timeoutFor(2*n), fmt.Sprintf(`return await bench.storm(%q, %d, %t)`, c, n, valid))
	if err != nil {
		return run, err
	}
	run.RefreshCalls, run.APICalls = int64(srv.RefreshCalls()), int64(srv.APICalls())
	if run.Rejected > 0 {
		if valid {
			return run, fmt.Errorf("bench: storm: %s with a valid token: %d of %d requests rejected; the first: %s", c, run.Rejected, n, run.FirstRejection)
		}
		run.NetErrors = netErrors(p.Console(), consoleBefore)
	}
	return run, nil
}

// netErrors are the distinct net::ERR_… codes in the console lines after the
// first seen ones: Chromium logs why it failed a request there, and fetch rejects
// with a bare "Failed to fetch".
func netErrors(console []string, seen int) []string {
	found := map[string]bool{}
	var out []string
	for _, line := range console[min(seen, len(console)):] {
		i := strings.Index(line, "net::ERR_")
		if i < 0 {
			continue
		}
		code := strings.FieldsFunc(line[i:], func(r rune) bool { return r == ' ' || r == ')' || r == ',' })[0]
		if !found[code] {
			found[code] = true
			out = append(out, code)
		}
	}
	return out
}
