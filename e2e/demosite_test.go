//go:build !js

package e2e

import (
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/authfetch/authfetch/internal/browsertest"
	"github.com/authfetch/authfetch/web/demoapi"
	"github.com/stretchr/testify/require"
)

// demoSite is the demo API (JWT access tokens, rotating refresh tokens with
// reuse detection) and the files of a page on one 127.0.0.1 origin, as an
// app is deployed: the server of the tab tests, because reuse detection is
// what punishes two tabs that refresh at once, and of the built front-ends.
// It records the Authorization header of every request to /api/, and every
// call of the /auth/ routes (see authCall).
type demoSite struct {
	URL string

	mu      sync.Mutex
	auths   []string      // guarded by mu: the Authorization header of each /api/ request, in order
	calls   []*authCall   // guarded by mu: each request to /auth/, in order of arrival
	changed chan struct{} // guarded by mu: closed, and replaced, whenever calls change
}

// newDemoSite serves a fresh demo API under /auth/, /oauth/, /api/ and
// /demo/, and every other path from files: harness.Files() for the blank
// page and the module, or a built app (appFiles).
func newDemoSite(t *testing.T, files http.Handler) *demoSite {
	t.Helper()
	s := &demoSite{changed: make(chan struct{})}
	api := demoapi.New(demoapi.Config{AccessTTL: 10 * time.Minute})
	mux := http.NewServeMux()
	mux.Handle("/", files)
	mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.auths = append(s.auths, r.Header.Get("Authorization"))
		s.mu.Unlock()
		api.ServeHTTP(w, r)
	})
	mux.Handle("/auth/", s.recordAuth(api))
	for _, prefix := range []string{"/oauth/", "/demo/"} {
		mux.Handle(prefix, api)
	}
	s.URL = serve(t, browsertest.NoStore(mux))
	return s
}

// appFiles serves a built front-end from dir, with its modules as
// application/wasm whatever the system's mime.types say.
func appFiles(dir string) http.Handler {
	files := http.FileServer(http.Dir(dir))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, ".wasm") {
			w.Header().Set("Content-Type", "application/wasm")
		}
		files.ServeHTTP(w, r)
	})
}

// apiAuths returns the Authorization header of each request to /api/ so far.
func (s *demoSite) apiAuths() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.auths...)
}

// demoStats is GET /demo/stats.
type demoStats struct {
	Logins          int `json:"logins"`
	RefreshCalls    int `json:"refreshCalls"`
	ReuseDetections int `json:"reuseDetections"`
	GraceReplays    int `json:"graceReplays"`
	LostAnswers     int `json:"lostAnswers"`
}

func (s *demoSite) stats(t *testing.T) demoStats {
	t.Helper()
	res, err := http.Get(s.URL + "/demo/stats")
	require.NoError(t, err)
	defer res.Body.Close()
	var st demoStats
	require.NoError(t, json.NewDecoder(res.Body).Decode(&st))
	return st
}

// revoke revokes every live access token; refresh tokens keep working.
func (s *demoSite) revoke(t *testing.T) {
	t.Helper()
	res, err := http.Post(s.URL+"/demo/revoke", "application/json", nil)
	require.NoError(t, err)
	res.Body.Close()
	require.Equal(t, http.StatusOK, res.StatusCode)
}

// openDemoTab opens a tab at the demo site's blank page with the page
// helpers and a client named api created with opts.
func openDemoTab(t *testing.T, d *demoSite, opts string) *session {
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
