//go:build !js

package e2e

import (
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestTheModuleLoadsFromAnotherOriginAndLeavesThePagesGoAlone loads
// authfetch as a page does from a CDN: an import map names the loader on a
// second loopback origin, which serves it, Go's glue and the .wasm with
// CORS, and the page preloads the loader and the .wasm as the README shows.
// Requests to the page's own API carry the token; the .wasm is fetched once
// (the preload is the fetch the loader uses); and whatever globalThis.Go the
// page had is still its own afterwards, and was not used by authfetch.
func TestTheModuleLoadsFromAnotherOriginAndLeavesThePagesGoAlone(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name   string
		pageGo string // HTML that sets the page's globalThis.Go, with {{cdn}} for the other origin
		want   string // what globalThis.Go is afterwards
	}{
		{"a page without Go", ``, "undefined"},
		{"a page that runs a Go program of another toolchain",
			`<script>window.pageGo = globalThis.Go = class PageGo { constructor() { throw new Error('authfetch used the page\'s Go') } }</script>`,
			"the page's"},
		{"a page that loaded the same wasm_exec.js as a classic script",
			`<script src="{{cdn}}/wasm_exec.js"></script><script>window.pageGo = globalThis.Go</script>`,
			"the page's"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			cdn := newCDN(t)
			page := strings.NewReplacer("{{cdn}}", cdn.URL).Replace(`<!doctype html>
<html><head>
<script type="importmap">{ "imports": { "authfetch": "{{cdn}}/js/authfetch.js", "authfetch/vue": "{{cdn}}/js/vue.js" } }</script>
<link rel="modulepreload" href="{{cdn}}/js/authfetch.js">
<link rel="preload" href="{{cdn}}/js/authfetch.wasm" as="fetch" type="application/wasm" crossorigin>
` + c.pageGo + `
</head><body></body></html>`)
			s := newSessionServing(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "text/html; charset=utf-8")
				io.WriteString(w, page)
			}))
			got := eval[struct {
				Outcome outcome
				Go      string
			}](t, s.tab, `
				const { AuthFetch } = await import('authfetch');
				const api = new AuthFetch({});
				const outcome = await e2e.settle(api.fetch('/api/me'));
				const go = globalThis.Go === undefined ? 'undefined' : globalThis.Go === window.pageGo ? "the page's" : 'another';
				return { outcome, go };`)
			require.Equal(t, http.StatusOK, got.Outcome.Status, "%+v", got.Outcome)
			require.Equal(t, "Bearer a1", requestTo(t, s.api, "/api/me").Auth)
			require.Equal(t, c.want, got.Go, "globalThis.Go afterwards")
			require.Equal(t, 1, cdn.count("/js/authfetch.wasm"), "the .wasm is fetched once: the loader's fetch is the preload's")
			require.Equal(t, 1, cdn.count("/js/wasm_exec.js"), "Go's glue comes from beside the loader")
			require.Empty(t, s.api.Requests("/js/authfetch.wasm"), "the page's origin serves no module")
		})
	}
}

// cdn is a second loopback origin that serves the loader, Go's glue and
// this run's module with CORS, as a CDN does, and counts the requests to
// each path.
type cdn struct {
	URL string

	mu   sync.Mutex
	seen map[string]int // guarded by mu: GET requests per path
}

func newCDN(t *testing.T) *cdn {
	t.Helper()
	c := &cdn{seen: map[string]int{}}
	files := harness.Files()
	c.URL = serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c.mu.Lock()
		c.seen[r.URL.Path]++
		c.mu.Unlock()
		w.Header().Set("Access-Control-Allow-Origin", "*")
		w.Header().Set("Cache-Control", "no-store") // each test's counts start from nothing
		files.ServeHTTP(w, r)
	}))
	return c
}

// count is how many requests for path arrived.
func (c *cdn) count(path string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.seen[path]
}
