//go:build !js

package main

import "fmt"

// writeColdStart details the cold starts and their phases.
func writeColdStart(w writer, cfg config, res *results) {
	if len(res.cold) == 0 {
		return
	}
	w("## Cold start\n\n")
	var t table
	t.row("createAuthFetch → ready", "uncompressed", "gzip -9", "brotli -q 11")
	for _, sc := range coldScenarios(cfg) {
		for _, repeat := range []bool{false, true} {
			what := "first visit"
			if repeat {
				what = "repeat visit"
			}
			if len(res.cold[coldKey{"authfetch", "br", sc.kbps, repeat}]) == 0 {
				continue
			}
			a, e, r := []string{fmt.Sprintf("authfetch, %s, %s", what, link(sc.kbps))}, []string{fmt.Sprintf("empty Go program, %s, %s", what, link(sc.kbps))}, []string{"× empty"}
			for _, enc := range encodings {
				xs, ys := res.cold[coldKey{"authfetch", enc, sc.kbps, repeat}], res.cold[coldKey{"empty", enc, sc.kbps, repeat}]
				a = append(a, ms(median(xs))+fromCache(res, coldKey{"authfetch", enc, sc.kbps, repeat}, len(xs)))
				e = append(e, ms(median(ys))+fromCache(res, coldKey{"empty", enc, sc.kbps, repeat}, len(ys)))
				r = append(r, ratio(pairedRatio(xs, ys)))
			}
			t.row(a...)
			t.row(e...)
			t.row(r...)
		}
	}
	w("%s\nEach first visit runs in a fresh browser context (its own renderer and caches, empty); the module is streamed (`compileStreaming`, as the loader does) and sent with the Content-Encoding shown. On loopback, the same tab then waits %.0f s (V8 writes a module's compiled code to the cache only a while after its last tier-up) and opens a new page, the repeat visit; everything is sent cacheable (`max-age`). \"From the HTTP cache\" counts the repeat visits whose module showed no bytes transferred. Both include loading Go's glue, `wasm_exec.js` (authfetch also its loader's files). The paced link is the server writing the body at %d Mbit/s.\n\n", t.String(), codeCacheWait.Seconds(), pacedKbps/1000)
	writeVisitPhases(w, res)
	if len(res.phases) > 0 {
		writePhases(w, res)
	}
}

// writeVisitPhases splits the loopback starts, sent with brotli, into the
// phases cold.js marks.
func writeVisitPhases(w writer, res *results) {
	var t table
	t.row("phases, loopback, brotli -q 11", "scripts", "download and compile", "instantiate", "Go run to ready", "total")
	for _, repeat := range []bool{false, true} {
		for _, kind := range []string{"authfetch", "empty"} {
			vs := res.coldVisits[coldKey{kind, "br", 0, repeat}]
			if len(vs) == 0 {
				continue
			}
			pick := func(f func(visit) *float64) string {
				var xs []float64
				for _, v := range vs {
					if x := f(v); x != nil {
						xs = append(xs, *x)
					}
				}
				if len(xs) == 0 {
					return "–"
				}
				return fmt.Sprintf("%.1f ms", median(xs))
			}
			what := map[bool]string{false: "first visit", true: "repeat visit"}[repeat]
			t.row(fmt.Sprintf("%s, %s", map[string]string{"authfetch": "createAuthFetch", "empty": "empty Go program"}[kind], what),
				pick(func(v visit) *float64 { return v.Scripts }), pick(func(v visit) *float64 { return v.Compile }),
				pick(func(v visit) *float64 { return v.Instantiate }), pick(func(v visit) *float64 { return v.Start }),
				pick(func(v visit) *float64 { return &v.MS }))
		}
	}
	if len(t.rows) > 1 {
		w("%s\nMarked in the page around the WebAssembly calls the loader makes (medians): \"scripts\" is the JS up to `WebAssembly.compileStreaming` (for authfetch the loader's files and the option checks) and the module's answer up to its headers; \"download and compile\" streams the body into the compiler, or on a repeat visit may read V8's cached code, until `instantiate` is called, by when Go's glue (`wasm_exec.js`, loaded alongside) is in too; \"Go run to ready\" is from the instance to the runtime's start, package initialization and `main`, and for authfetch the first client. The empty program is loaded the same way. A – is a phase the page could not see.\n\n", t.String())
	}
}

// fromCache notes, for a repeat visit, how many of its n modules came from
// the HTTP cache.
func fromCache(res *results, k coldKey, n int) string {
	if !k.repeat {
		return ""
	}
	return fmt.Sprintf(" (%d of %d from the HTTP cache)", res.coldCached[k], n)
}

// writePhases details the first visit's phases.
func writePhases(w writer, res *results) {
	var t table
	t.row("phases (first visit, uncompressed, not streamed, loopback)", "download", "compile", "instantiate", "Go start to ready", "total")
	for _, kind := range []string{"authfetch", "empty"} {
		ph := res.phases[kind]
		pick := func(f func(phases) float64) string {
			xs := make([]float64, len(ph))
			for i, p := range ph {
				xs[i] = f(p)
			}
			return fmt.Sprintf("%.1f ms", median(xs))
		}
		t.row(map[string]string{"authfetch": "createAuthFetch", "empty": "empty Go program"}[kind],
			pick(func(p phases) float64 { return p.Download }), pick(func(p phases) float64 { return p.Compile }),
			pick(func(p phases) float64 { return p.Instantiate }), pick(func(p phases) float64 { return p.Start }),
			pick(func(p phases) float64 { return p.Total }))
	}
	w("%s\nServed as application/octet-stream so that download and compile happen one after the other; \"download\" runs from the start, the scripts included, until the whole module is in; \"Go start to ready\" is from the instance to `createAuthFetch` resolving (runtime and package init, `main`, the first client), or to the empty program's exit.\n\n", t.String())
}

// writeSizes gives the modules' sizes.
func writeSizes(w writer, af, empty sizes) {
	var t table
	w("## Sizes\n\n")
	t.row("module", "raw", "gzip -9", "brotli -q 11")
	t.row("`authfetch.wasm` (as `make build` builds it)", kb(af.raw), kb(af.gzip), kb(af.brotli))
	t.row("empty Go program, same toolchain and flags", kb(empty.raw), kb(empty.gzip), kb(empty.brotli))
	t.row("authfetch above the floor", kb(af.raw-empty.raw), kb(af.gzip-empty.gzip), kb(af.brotli-empty.brotli))
	w("%s\n`go run ./bench/size` (`make size`) shows where the bytes go, package by package.\n\n", t.String())
}
