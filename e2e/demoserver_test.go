//go:build !js

package e2e

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/authfetch/authfetch/web/demoapi"
	"github.com/stretchr/testify/require"
)

// demoServer is the demo API (JWT access tokens, rotating refresh tokens with
// reuse detection) with the module and a blank page, on 127.0.0.1: the
// server the tab tests run against, because reuse detection is what punishes
// two tabs that refresh at once.
type demoServer struct {
	URL string
}

func newDemoServer(t *testing.T) *demoServer {
	t.Helper()
	mux := http.NewServeMux()
	mux.Handle("/", demoapi.New(demoapi.Config{AccessTTL: 10 * time.Minute}))
	mux.HandleFunc("GET /page.html", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, "<!doctype html><html><head><title>authfetch tabs</title></head><body></body></html>")
	})
	mux.HandleFunc("GET /js/authfetch.wasm", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/wasm")
		http.ServeFile(w, r, builtWasm)
	})
	mux.Handle("GET /js/", http.StripPrefix("/js/", http.FileServer(http.Dir(filepath.Join(repoRoot, "js")))))
	mux.HandleFunc("GET /wasm_exec.js", func(w http.ResponseWriter, r *http.Request) {
		http.ServeFile(w, r, filepath.Join(repoRoot, "wasm_exec.js"))
	})
	srv := httptest.NewUnstartedServer(mux)
	srv.Listener.Close()
	srv.Listener = listenLocal(t)
	srv.Start()
	t.Cleanup(srv.Close)
	return &demoServer{URL: srv.URL}
}

// demoStats is GET /demo/stats.
type demoStats struct {
	Logins          int `json:"logins"`
	RefreshCalls    int `json:"refreshCalls"`
	ReuseDetections int `json:"reuseDetections"`
}

func (d *demoServer) stats(t *testing.T) demoStats {
	t.Helper()
	res, err := http.Get(d.URL + "/demo/stats")
	require.NoError(t, err)
	defer res.Body.Close()
	var s demoStats
	require.NoError(t, json.NewDecoder(res.Body).Decode(&s))
	return s
}

// revoke revokes every live access token; refresh tokens keep working.
func (d *demoServer) revoke(t *testing.T) {
	t.Helper()
	res, err := http.Post(d.URL+"/demo/revoke", "application/json", nil)
	require.NoError(t, err)
	res.Body.Close()
	require.Equal(t, http.StatusOK, res.StatusCode)
}

// openDemoTab opens a tab at the demo server with the page helpers and a
// client named api created with opts.
func openDemoTab(t *testing.T, d *demoServer, opts string) *session {
	t.Helper()
	s := &session{t: t, tab: openTab(t, d.URL+"/page.html")}
	do(t, s.tab, prelude)
	s.client(opts)
	return s
}

// login logs in through the demo API from tab s and hands the tokens to api,
// as a login page would.
func login(t *testing.T, s *session) {
	t.Helper()
	do(t, s.tab, `
		const res = await fetch('/auth/login', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email: 'ada@example.com', password: 'demo' }) });
		if (!res.ok) throw new Error('login answered ' + res.status);
		const { accessToken, refreshToken } = await res.json();
		api.setTokens({ accessToken, refreshToken });`)
}
