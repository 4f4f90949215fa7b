//go:build !js

package browsertest

import (
	"io"
	"net/http"
	"path/filepath"
	"strings"
)

// ModuleFiles serves what a page needs to load authfetch from the repository
// at root, with the module built at wasm:
//
//	/js/authfetch.wasm   wasm, as application/wasm (WebAssembly.instantiateStreaming needs it)
//	/js/…                root/js, but never a precompressed copy of a module
//	                     (/js/authfetch.wasm.gz, .br): those are make build's, maybe stale
//	/js/wasm_exec.js     root/wasm_exec.js, the copy checked against the toolchain, which
//	                     make build copies beside the loader
//	/wasm_exec.js        root/wasm_exec.js, for pages that run a Go program of their own
//	/page.html           a blank page to load it into
//	/favicon.ico         204, so that the browser's own request is no error
//
// Every other path is 404.
func ModuleFiles(root, wasm string) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/js/authfetch.wasm", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/wasm")
		http.ServeFile(w, r, wasm)
	})
	js := http.StripPrefix("/js/", http.FileServer(http.Dir(filepath.Join(root, "js"))))
	mux.HandleFunc("/js/", func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/js/authfetch.wasm.") {
			http.NotFound(w, r)
			return
		}
		js.ServeHTTP(w, r)
	})
	wasmExec := func(w http.ResponseWriter, r *http.Request) {
		http.ServeFile(w, r, filepath.Join(root, "wasm_exec.js"))
	}
	mux.HandleFunc("/js/wasm_exec.js", wasmExec)
	mux.HandleFunc("/wasm_exec.js", wasmExec)
	mux.HandleFunc("/page.html", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, "<!doctype html><html><head><title>authfetch</title></head><body></body></html>")
	})
	mux.HandleFunc("/favicon.ico", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })
	return mux
}

// NoStore makes the browser fetch every answer of next again: a rebuilt
// module, or a cold start that must download and compile it anew (Chromium
// caches compiled WebAssembly only for answers it may cache).
func NoStore(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		next.ServeHTTP(w, r)
	})
}
