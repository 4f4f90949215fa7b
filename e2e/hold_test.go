//go:build !js

package e2e

import (
	"net/http"
	"strings"
	"sync"
	"testing"
)

// wasmHold holds the answers to .wasm requests until released, so that a
// test sees what a page shows and does before its module has arrived.
type wasmHold struct {
	next     http.Handler
	asked    chan struct{} // closed by the first .wasm request
	released chan struct{} // closed by release

	askOnce, releaseOnce sync.Once
}

// holdWasm serves next, holding .wasm answers until release, which the end
// of the test calls too.
func holdWasm(t *testing.T, next http.Handler) *wasmHold {
	h := &wasmHold{next: next, asked: make(chan struct{}), released: make(chan struct{})}
	t.Cleanup(h.release)
	return h
}

func (h *wasmHold) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasSuffix(r.URL.Path, ".wasm") {
		h.askOnce.Do(func() { close(h.asked) })
		select {
		case <-h.released:
		case <-r.Context().Done():
			return
		}
	}
	h.next.ServeHTTP(w, r)
}

// release lets the held answers and every later one go.
func (h *wasmHold) release() { h.releaseOnce.Do(func() { close(h.released) }) }
