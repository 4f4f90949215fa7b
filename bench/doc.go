//go:build !js

// Command bench measures authfetch against what an app would use instead, in
// one run of headless Chromium against one server on 127.0.0.1, judges it by
// the project's targets (each printed with met or missed), and writes the
// report to bench/results.md, keeping the part of that file written by hand
// below its marker (why a target is missed, what was tried).
//
// Run it with `make bench`, or a smoke run of a few hundred requests with
// `make bench BENCH_QUICK=1` or `BENCH_QUICK=1 go run ./bench`; a quick run
// writes no file unless -out says where. It builds the module it measures
// with the command of make build, once, through internal/browsertest.
//
// The contenders, on the same endpoints and reading the same localStorage
// tokens (page/contenders/*.js):
//
//	plain        the browser's fetch with a hand-set Authorization header: the floor;
//	             in the refresh storm, the storm handled by hand: the baseline
//	authfetch    api.fetch from js/authfetch.js (createAuthFetch), default options
//	dpop         the same with dpop: true, in the request workloads only: a DPoP
//	             proof signed with WebCrypto on every request (dpop.go checks it)
//	handwritten  the same contract written by hand in plain JS, small and honest
//	axios        axios with axios-auth-refresh (versions pinned in package-lock.json)
//	ky           ky with an afterResponse hook that refreshes on 401
//
// They run interleaved (plain, authfetch, handwritten, axios, ky, plain, …)
// for several rounds, so that a slow moment of the machine hits all of them
// alike; the report shows medians, and each ratio is the median of the
// ratios within a round. The parts of a run (-only picks some):
//
//	cold      createAuthFetch against an empty Go WebAssembly program built by the
//	          same toolchain, uncompressed, gzip and brotli: a first visit in a fresh
//	          browser context, then a repeat visit in the same tab with the HTTP
//	          cache and the compiled-code cache warm; also paced at 50 Mbit/s
//	requests  1,000 requests one at a time, and 1,000 with 100 in flight, each
//	          contender and authfetch with dpop: true
//	overhead  the engine's main-thread time per api.fetch with globalThis.fetch
//	          replaced by a stub that answers at once, against the stub called
//	          directly and against the hand-written implementation
//	storm     the access token revoked, then 1,000 requests at once: refresh calls,
//	          the time from the first 401 to the refresh sent, time until all settled
//	memory    the JS heap, and the module's live Go heap and js.Funcs as its
//	          moduleStats() reports them, after 2,000 and 20,000 requests; then the
//	          calls between Go and JS per request, counted by page/probe.js
//
// and the module's sizes. Every time is taken in the page with
// performance.now(); CDP only starts a run and reads its result. Beside it,
// the bench reads the CPU time of the renderers' main threads from Linux's
// schedstat (cpu.go): on a machine that others share, the page's clock also
// counts the waits for a CPU, which the main thread's CPU time leaves out.
// The engine overhead, a main-thread time by definition, is judged by it.
//
// `go run ./bench -only profile` (not part of `make bench`: the sampling
// profiler slows the page) builds the module with its symbol names and shows
// where the page's main thread spends each request, plain fetch against
// api.fetch, down to the Go functions.
//
// The bench fails only when something is broken: a request that does not
// settle, a contender that errors with a valid token, a module that does not
// load. A target that is missed is printed as missed.
//
// # Why chromedp
//
// The driver is Go with chromedp, like the browser tests in e2e/: the server
// runs in the same process, so the driver revokes the token and reads the
// exact number of refresh calls between two page scripts without an HTTP
// side channel, and the bench needs no second runtime (Node is only the
// package manager that puts axios, axios-auth-refresh and ky in
// node_modules, from where the server hands their ES module builds to the
// page). chromedp turns on CDP network events for each tab; the bench turns
// them off after navigating, since reporting every request over CDP would
// cost the browser CPU in the middle of the measurement.
//
// # Routes of the bench server
//
// The server is the fake token API of internal/browsertest, with every token
// good until it is revoked, behind the DPoP checks of dpop.go, and the
// bench's files:
//
//	GET  /api/item              200 with a small JSON body for a valid bearer token, or a
//	                            DPoP-bound one with a valid proof of its key; else 401
//	POST /auth/refresh-token    {refreshToken} → {accessToken, refreshToken}; counted
//	POST /login                 a fresh token pair, not counted
//	GET  /js/, /wasm_exec.js    the loader and the run's build of the module
//	GET  /cached/…              the same, sent cacheable (the cold start's repeat visit)
//	GET  /node_modules/         the npm packages, served as ES modules
//	GET  /bench/                the bench pages (bench/page)
//	GET  /wasm/NAME.wasm        authfetch.wasm or empty.wasm as application/wasm, cacheable;
//	                            ?enc=gzip|br sends NAME.wasm.gz|.br with Content-Encoding,
//	                            ?kbps=N paces the body, ?type=octet hides the wasm type
package main
