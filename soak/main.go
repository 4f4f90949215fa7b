//go:build !js

// Command soak is authfetch's chaos soak: it builds the module, serves it
// with a chaotic API on 127.0.0.1, drives headless Chromium through many
// requests from several clients at once, prints a table of what it checked,
// and exits non-zero when a request was lost, doubled, leaked or sent with a
// stale token, or a refresh was duplicated.
//
// Origin A is the fake token API of internal/browsertest with Chaos on: it
// revokes access tokens at random, delays its answers, fails refreshes
// transiently (500, 502, 503, 429, a body that is not JSON, a broken answer,
// no answer before the refresh timeout) and, rarely, rejects them (the page
// then logs in again), rotating refresh tokens with reuse detection. A
// second origin (B) receives requests sent to it directly and through
// redirects from A, and keeps every one, so that the report finds any token
// it saw.
//
// Routes of A: /page.html, /js/*, /wasm_exec.js, POST /login?s=S (a new token
// pair for session S), POST /auth/refresh-token, /api/item?s=S&id=N,
// /redirect?to=URL. Routes of B: every path answers 200 with permissive CORS.
//
// Usage, from the repository root:
//
//	go run ./soak                      # 10,000 requests, up to 200 in flight
//	SOAK_REQUESTS=1000 go run ./soak   # the short run of make test
//
// Flags (and the environment variables that set their defaults):
// -requests (SOAK_REQUESTS), -inflight (SOAK_INFLIGHT), -seed (SOAK_SEED),
// -chromium (CHROMIUM).
package main

import (
	"flag"
	"fmt"
	"os"
	"strconv"
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
	requests int    // requests in all, across the clients
	inflight int    // at most this many api.fetch calls unsettled at once
	round    int    // requests between two measurements of the heap
	seed     uint64 // seeds the server's chaos and the page's choices
	chromium string // the browser
}

func run() error {
	var c config
	flag.IntVar(&c.requests, "requests", envInt("SOAK_REQUESTS", 10000), "requests in all")
	flag.IntVar(&c.inflight, "inflight", envInt("SOAK_INFLIGHT", 200), "requests in flight at most")
	seed := flag.Int("seed", envInt("SOAK_SEED", 1), "seed of the chaos")
	flag.StringVar(&c.chromium, "chromium", envString("CHROMIUM", "/usr/bin/chromium"), "the Chromium binary")
	flag.Parse()
	if c.requests < 4 || c.inflight < 1 {
		return fmt.Errorf("-requests must be at least 4 and -inflight at least 1")
	}
	c.seed = uint64(*seed)
	c.round = min(1000, c.requests/4) // at least four measurements

	start := time.Now()
	h, err := browsertest.Start(browsertest.Options{Chromium: c.chromium})
	if err != nil {
		return err
	}
	defer h.Close()

	srv, err := startServers(h, c.seed)
	if err != nil {
		return err
	}
	defer srv.close()

	res, err := soak(c, h.Browser, srv)
	if err != nil {
		return err
	}
	res.built, res.took = h.Built, time.Since(start)-h.Built
	if !report(os.Stdout, c, srv, res) {
		return fmt.Errorf("failed: see the table")
	}
	return nil
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
