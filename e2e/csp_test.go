//go:build !js

package e2e

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestTheModuleNeedsWasmUnsafeEvalInTheContentSecurityPolicy checks what the
// README tells a page with a Content-Security-Policy: script-src 'self'
// 'wasm-unsafe-eval' is enough, and without 'wasm-unsafe-eval' the browser
// refuses to compile the module, which ready reports as a load failure.
func TestTheModuleNeedsWasmUnsafeEvalInTheContentSecurityPolicy(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name, policy string
		loads        bool
	}{
		{"with 'wasm-unsafe-eval'", "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'", true},
		{"without it", "default-src 'self'; script-src 'self'", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			files := harness.Files()
			s := newSessionServing(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Security-Policy", c.policy)
				files.ServeHTTP(w, r)
			}))
			got := eval[outcome](t, s.tab, newClientNow+`{});
				return await e2e.settle(api.fetch('/api/me'));`)
			if c.loads {
				require.Equal(t, http.StatusOK, got.Status, "%+v", got)
				return
			}
			require.False(t, got.Resolved, "%+v", got)
			require.Equal(t, "load", got.Code, "%+v", got)
			require.Contains(t, got.Message, "/js/authfetch.wasm")
			require.Contains(t, got.Message, "Content Security Policy", "the browser's own reason")
			require.Empty(t, s.api.Requests("/api/me"))
		})
	}
}
