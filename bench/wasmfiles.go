//go:build !js

package main

import (
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// encodedWasm serves dir's NAME.wasm as application/wasm. With ?enc=gzip or
// ?enc=br it sends the precompressed NAME.wasm.gz or NAME.wasm.br with that
// Content-Encoding (the bench asks for an encoding explicitly, so the figures
// do not depend on what Chromium advertises over plain http). ?kbps=N paces
// the body at N kilobits per second, to see what compression buys on a link
// slower than loopback. ?type=octet sends application/octet-stream instead.
// Every answer is cacheable: the repeat visit of the cold start finds it.
func encodedWasm(dir string) http.Handler {
	return cacheable(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := filepath.Base(r.URL.Path)
		if !strings.HasSuffix(name, ".wasm") || name != r.URL.Path {
			http.NotFound(w, r)
			return
		}
		path := filepath.Join(dir, name)
		enc := r.URL.Query().Get("enc")
		switch enc {
		case "", "identity":
			enc = ""
		case "gzip":
			path += ".gz"
		case "br":
			path += ".br"
		default:
			http.Error(w, "bench: enc must be identity, gzip or br", http.StatusBadRequest)
			return
		}
		body, err := os.ReadFile(path)
		if err != nil {
			http.NotFound(w, r)
			return
		}
		h := w.Header()
		h.Set("Content-Type", "application/wasm")
		h.Set("Content-Length", strconv.Itoa(len(body)))
		if enc != "" {
			h.Set("Content-Encoding", enc)
		}
		if r.URL.Query().Get("type") == "octet" {
			// Not application/wasm: the loader then downloads the whole body
			// before it compiles, which lets the bench time the phases apart.
			h.Set("Content-Type", "application/octet-stream")
		}
		kbps, _ := strconv.Atoi(r.URL.Query().Get("kbps"))
		writePaced(w, body, kbps)
	}))
}

// writePaced writes body at kbps kilobits per second in 16 KiB chunks, or at
// once when kbps is 0.
func writePaced(w http.ResponseWriter, body []byte, kbps int) {
	if kbps <= 0 {
		_, _ = w.Write(body)
		return
	}
	const chunk = 16 << 10
	start := time.Now()
	flusher, _ := w.(http.Flusher)
	for sent := 0; sent < len(body); {
		n := min(chunk, len(body)-sent)
		if _, err := w.Write(body[sent : sent+n]); err != nil {
			return
		}
		if flusher != nil {
			flusher.Flush()
		}
		sent += n
		due := time.Duration(float64(sent*8) / float64(kbps*1000) * float64(time.Second))
		time.Sleep(time.Until(start.Add(due)))
	}
}
