package main

import (
	"net/http"
	"os"
	"strings"
	"time"
)

// encodings are the precompressed copies make build writes beside the module,
// best first, with the Content-Encoding each is sent with.
var encodings = []struct{ name, suffix string }{
	{"br", ".br"},
	{"gzip", ".gz"},
}

// precompressed serves the module at path as application/wasm, from its
// brotli or gzip copy when the browser accepts that encoding and the copy is
// not older than the module. The browser decompresses while it downloads, and
// WebAssembly.instantiateStreaming compiles while it does.
func precompressed(path string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Vary", "Accept-Encoding")
		w.Header().Set("Content-Type", wasmType)
		raw, err := os.Stat(path)
		if err != nil {
			http.NotFound(w, r)
			return
		}
		accepted := r.Header.Get("Accept-Encoding")
		for _, e := range encodings {
			if !acceptsEncoding(accepted, e.name) {
				continue
			}
			f, err := os.Open(path + e.suffix)
			if err != nil {
				continue
			}
			defer f.Close()
			info, err := f.Stat()
			// A copy of an older build is not served. Whole seconds: brotli
			// gives its output the input's mtime without the fraction.
			if err != nil || info.ModTime().Before(raw.ModTime().Truncate(time.Second)) {
				continue
			}
			w.Header().Set("Content-Encoding", e.name)
			http.ServeContent(w, r, "", info.ModTime(), f)
			return
		}
		http.ServeFile(w, r, path)
	})
}

// acceptsEncoding reports whether an Accept-Encoding header lists name
// without q=0.
func acceptsEncoding(header, name string) bool {
	for _, part := range strings.Split(header, ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(coding), name) {
			q := strings.ReplaceAll(strings.TrimSpace(params), " ", "")
			return q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000"
		}
	}
	return false
}
