//go:build !js

package main

import (
	"net/http"

	"github.com/authfetch/authfetch/internal/browsertest"
)

// benchServer is the one origin of the run: the fake token API of
// internal/browsertest with every token good until it is revoked (as a JWT
// stays valid until it expires), so that a contender that refreshes twice is
// not punished with extra 401s and only RevokeAccess invalidates an access
// token, behind the DPoP checks of a resource server (dpopAPI); with it, the
// page, the module, the npm packages and the bench pages.
type benchServer struct {
	*browsertest.FakeAPI
	URL  string
	dpop *dpopAPI
	srv  *browsertest.Server
}

// startServer serves the fake API on 127.0.0.1 with the harness's files
// (also under /cached/, where the browser may keep them), the root's
// node_modules/, the bench pages from pageDir, and the modules to
// cold-start from wasmDir.
func startServer(h *browsertest.Harness, pageDir, wasmDir string) (*benchServer, error) {
	files := http.NewServeMux()
	files.Handle("/", h.Files())
	files.Handle("GET /cached/", cacheable(http.StripPrefix("/cached", h.Files())))
	files.Handle("GET /node_modules/", http.FileServer(http.Dir(h.Root)))
	files.Handle("GET /bench/", http.StripPrefix("/bench/", http.FileServer(http.Dir(pageDir))))
	files.Handle("GET /wasm/", http.StripPrefix("/wasm/", encodedWasm(wasmDir)))
	api := browsertest.NewFakeAPI(browsertest.Config{KeepOldTokens: true, Files: files})
	d := newDPoPAPI(api)
	srv, err := browsertest.Serve(d)
	if err != nil {
		return nil, err
	}
	return &benchServer{FakeAPI: api, URL: srv.URL, dpop: d, srv: srv}, nil
}

func (s *benchServer) close() {
	s.Close()
	s.srv.Close()
}

// cacheable lets the browser keep next's answers for an hour, in place of
// the fake API's no-store: what a repeat visit finds in its HTTP cache.
func cacheable(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "max-age=3600")
		next.ServeHTTP(w, r)
	})
}
