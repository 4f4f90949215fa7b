package main

import (
	"fmt"
	"mime"
	"net/http"
	"path/filepath"
)

// wasmType is the only Content-Type that WebAssembly.instantiateStreaming accepts.
const wasmType = "application/wasm"

// newServer routes the demo page and the built module, read from the repository at root,
// and hands /auth/, /api/ and /demo/ to api. Unknown paths get 404.
func newServer(root string, api http.Handler) http.Handler {
	static := filepath.Join(root, "web", "static")
	mux := http.NewServeMux()
	mux.Handle("GET /{$}", noStore(file(filepath.Join(static, "index.html"))))
	mux.Handle("GET /static/", noStore(http.StripPrefix("/static/", http.FileServer(http.Dir(static)))))
	mux.Handle("GET /js/", noStore(http.StripPrefix("/js/", http.FileServer(http.Dir(filepath.Join(root, "js"))))))
	mux.Handle("GET /js/authfetch.wasm", noStore(precompressed(filepath.Join(root, "js", "authfetch.wasm"))))
	mux.Handle("GET /wasm_exec.js", noStore(file(filepath.Join(root, "wasm_exec.js"))))
	for _, prefix := range []string{"/auth/", "/api/", "/demo/"} {
		mux.Handle(prefix, api)
	}
	return mux
}

// file serves the one file at path.
func file(path string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.ServeFile(w, r, path)
	})
}

// noStore makes the browser fetch every file again, so a rebuilt module or an edited
// page is picked up by a plain reload.
func noStore(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		next.ServeHTTP(w, r)
	})
}

// ensureWASMType makes http.FileServer send .wasm files as application/wasm. Go's own
// table says so, but the system's mime.types files are read on top of it and may not.
func ensureWASMType() error {
	if mime.TypeByExtension(".wasm") == wasmType {
		return nil
	}
	if err := mime.AddExtensionType(".wasm", wasmType); err != nil {
		return fmt.Errorf("register %s for .wasm: %w", wasmType, err)
	}
	return nil
}
