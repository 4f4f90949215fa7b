//go:build !js

// Command soak is authfetch's chaos soak: it builds the module, serves it
// with a chaotic API on 127.0.0.1, drives headless Chromium through many
// requests from several clients at once, prints a table of what it checked,
// and exits non-zero when a check fails. It has two modes, run one after
// the other by default.
//
// The single mode is one tab with four clients in three sessions. It fails
// when a request was lost, doubled, leaked or sent with a stale token, or a
// refresh was duplicated.
//
// The tab mode (tabs.go) is three tabs of one origin in one browser
// context, sharing localStorage, Web Locks and IndexedDB, each with two
// clients of authfetch's default session and requests in flight, while
// tabs are reloaded, hidden, shown and frozen and the session is logged out
// and in at random (some while a refresh is being answered; a reload, most
// often the reload of the tab whose refresh call it is). Its server spends
// a refresh token as the call arrives, and its clients refresh through the
// refresh courier (refreshWorker), which hears the answers a reloaded page
// cannot (-courier=false turns it off, to see what it saves). It fails when
// a promise of a page life did not settle exactly once, a refresh token was
// spent twice, an 'authfailure' followed no rejection the server gave,
// refresh calls exceeded what revocations, transient failures and logins
// explain, a refresh's outcome undid a login or a logout, a token reached
// another origin, or the module's memory grew.
//
// Origin A is the fake token API of internal/browsertest with Chaos on: it
// revokes access tokens at random, delays its answers, fails refreshes
// transiently (500, 502, 503, 429, a body that is not JSON, a broken answer,
// no answer before the refresh timeout), answers some successes after the
// refresh timeout, and, rarely, rejects them (the session must then log in
// again), rotating refresh tokens with reuse detection. A second origin (B)
// receives requests sent to it directly and through redirects from A, and
// keeps every one, so that the report finds any token it saw. Each mode
// has origins of its own.
//
// Routes of A: /page.html, /js/*, /wasm_exec.js, POST /login?s=S (a new token
// pair for session S), POST /auth/refresh-token, /api/item?s=S&id=N,
// /redirect?to=URL. Routes of B: every path answers 200 with permissive CORS.
//
// Usage, from the repository root:
//
//	go run ./soak                      # both modes, 10,000 requests each, up to 200 in flight
//	SOAK_REQUESTS=1000 go run ./soak   # the short run of make test
//	go run ./soak -mode tabs           # the tab mode only
//
// Flags (and the environment variables that set their defaults):
// -mode (SOAK_MODE: single, tabs or both), -requests (SOAK_REQUESTS),
// -tab-requests (SOAK_TAB_REQUESTS; 0 is as many as -requests), -inflight
// (SOAK_INFLIGHT; the tab mode shares it among its tabs), -seed
// (SOAK_SEED), -chromium (CHROMIUM).
package main

import (
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/authfetch/authfetch/internal/browsertest"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "soak:", err)
		os.Exit(1)
	}
}

// config is one soak run.
type config struct {
	mode        string // "single", "tabs" or "both"
	requests    int    // requests of the single mode, across its clients
	tabRequests int    // requests of the tab mode, across its tabs
	inflight    int    // at most this many api.fetch calls unsettled at once
	round       int    // requests between two measurements of the single mode's heap
	seed        uint64 // seeds the server's chaos and the pages' choices
	courier     bool   // the tab mode's clients refresh through the refresh courier
	chromium    string // the browser
}

func run() error {
	var c config
	flag.StringVar(&c.mode, "mode", envString("SOAK_MODE", "both"), "single, tabs or both")
	flag.IntVar(&c.requests, "requests", envInt("SOAK_REQUESTS", 10000), "requests of the single mode")
	flag.IntVar(&c.tabRequests, "tab-requests", envInt("SOAK_TAB_REQUESTS", 0), "requests of the tab mode (0: as -requests)")
	flag.IntVar(&c.inflight, "inflight", envInt("SOAK_INFLIGHT", 200), "requests in flight at most")
	flag.BoolVar(&c.courier, "courier", envString("SOAK_COURIER", "on") != "off", "the tab mode's clients refresh through the refresh courier (refreshWorker)")
	seed := flag.Int("seed", envInt("SOAK_SEED", 1), "seed of the chaos")
	flag.StringVar(&c.chromium, "chromium", envString("CHROMIUM", "/usr/bin/chromium"), "the Chromium binary")
	flag.Parse()
	if c.tabRequests == 0 {
		c.tabRequests = c.requests
	}
	single, tabs := c.mode == "single" || c.mode == "both", c.mode == "tabs" || c.mode == "both"
	switch {
	case !single && !tabs:
		return fmt.Errorf("-mode must be single, tabs or both, not %q", c.mode)
	case c.requests < 4 || c.tabRequests < 12 || c.inflight < 1:
		return fmt.Errorf("-requests must be at least 4, -tab-requests at least 12 and -inflight at least 1")
	}
	c.seed = uint64(*seed)
	c.round = min(1000, c.requests/4) // at least four measurements

	h, err := browsertest.Start(browsertest.Options{Chromium: c.chromium})
	if err != nil {
		return err
	}
	defer h.Close()
	fmt.Printf("authfetch soak: module built in %.1fs\n", h.Built.Seconds())

	var failed []string
	for _, m := range []struct {
		name string
		on   bool
		run  func(config, *browsertest.Harness) (bool, error)
	}{{"single", single, runSingle}, {"tabs", tabs, runTabs}} {
		if !m.on {
			continue
		}
		fmt.Println()
		pass, err := m.run(c, h)
		if err != nil {
			return fmt.Errorf("mode %s: %w", m.name, err)
		}
		if !pass {
			failed = append(failed, m.name)
		}
	}
	if len(failed) > 0 {
		return fmt.Errorf("failed in mode %s: see the table", strings.Join(failed, " and "))
	}
	return nil
}

// runSingle is the single mode: one tab, four clients in three sessions.
func runSingle(c config, h *browsertest.Harness) (bool, error) {
	start := time.Now()
	srv, err := startServers(h, chaos, c.seed)
	if err != nil {
		return false, err
	}
	defer srv.close()
	res, err := soak(c, h.Browser, srv)
	if err != nil {
		return false, err
	}
	res.took = time.Since(start)
	return report(os.Stdout, c, srv, res), nil
}

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil {
		return v
	}
	return def
}

func envString(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}
