//go:build !js

package e2e

import (
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/authfetch/authfetch/internal/browsertest"
	"github.com/stretchr/testify/require"
)

// A Go WebAssembly app that uses the Go API (authfetch.New with
// LocalStorage(), over net/http's own browser transport) refreshes once for
// a burst of revoked requests, and the tokens it stores are the ones the JS
// module in the same page uses.
func TestAGoWebAssemblyAppSharesItsSessionWithTheModule(t *testing.T) {
	t.Parallel()
	app := filepath.Join(t.TempDir(), "goapp.wasm")
	build := exec.Command(browsertest.GoCommand(), "build", "-trimpath", "-o", app, "./e2e/testdata/goapp")
	build.Dir, build.Env = harness.Root, append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	out, err := build.CombinedOutput()
	require.NoError(t, err, "building the Go app: %s", out)
	files := http.NewServeMux()
	files.Handle("/", harness.Files())
	files.HandleFunc("/goapp.wasm", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/wasm")
		http.ServeFile(w, r, app)
	})

	s := &session{t: t}
	s.api, s.url = newFakeAPI(t, files)
	s.tab = openTab(t, s.url+"/page.html")
	do(t, s.tab, prelude+`localStorage.setItem('accessToken', 'a1'); localStorage.setItem('refreshToken', 'r1');
		await import('/wasm_exec.js');
		const go = new Go();
		const { instance } = await WebAssembly.instantiateStreaming(fetch('/goapp.wasm'), go.importObject);
		go.run(instance);`)
	waitInPage(t, s.tab, `window.goReady === true`)
	s.api.RevokeAccess()

	statuses := eval[[]int](t, s.tab, `return goBurst(10)`)
	require.Equal(t, []int{200, 200, 200, 200, 200, 200, 200, 200, 200, 200}, statuses)
	require.Equal(t, 1, s.api.RefreshCalls(), "one refresh for the burst")
	s.requireStored(ptr("a2"), ptr("r2"))

	s.client(`{}`)
	require.Equal(t, http.StatusOK, s.settle(`api.fetch('/api/me')`).Status)
	require.Equal(t, []string{"Bearer a2"}, s.api.Auths("/api/me"), "the module sends what the Go app stored")
	require.Equal(t, 1, s.api.RefreshCalls())
}
