//go:build !js

package main

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// refreshPath is authfetch's default refreshURL, so every contender uses the
// same endpoint.
const refreshPath = "/auth/refresh-token"

// apiServer is the one origin of the run: the protected API, the refresh
// endpoint, the revoke switch and every static file the pages load.
//
// Tokens are opaque strings a1, a2… and r1, r2…. A token stays valid until it
// is revoked (as a JWT stays valid until it expires), so a contender that
// refreshes twice is not punished with extra 401s; only the revoke switch
// invalidates an access token.
type apiServer struct {
	URL string // http://127.0.0.1:port

	current   atomic.Pointer[string] // the newest valid access token: the fast path of the bearer check
	refreshes atomic.Int64           // refresh calls since the last resetCounts
	apiCalls  atomic.Int64           // /api/ requests since the last resetCounts

	mu      sync.Mutex
	valid   map[string]bool // guarded by mu: every access token issued and not revoked
	refresh map[string]bool // guarded by mu: every refresh token issued
	next    int             // guarded by mu: the number of the next token pair

	srv *http.Server
}

// startServer listens on 127.0.0.1 and serves repoRoot's js/, wasm_exec.js and
// node_modules/, the bench page from pageDir, and the modules to cold-start
// from wasmDir.
func startServer(repoRoot, pageDir, wasmDir string) (*apiServer, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("bench: listening on 127.0.0.1: %w", err)
	}
	s := &apiServer{
		URL:     "http://" + ln.Addr().String(),
		valid:   map[string]bool{},
		refresh: map[string]bool{},
		next:    1,
	}
	none := ""
	s.current.Store(&none)

	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/item", s.item)
	mux.HandleFunc("POST "+refreshPath, s.refreshHandler)
	mux.HandleFunc("POST /bench/login", s.login)
	mux.HandleFunc("POST /bench/revoke", func(w http.ResponseWriter, _ *http.Request) {
		s.revoke()
		w.WriteHeader(http.StatusNoContent)
	})
	mux.Handle("GET /js/", http.FileServer(http.Dir(repoRoot)))
	mux.Handle("GET /wasm_exec.js", http.FileServer(http.Dir(repoRoot)))
	mux.Handle("GET /node_modules/", http.FileServer(http.Dir(repoRoot)))
	mux.Handle("GET /bench/", http.StripPrefix("/bench/", http.FileServer(http.Dir(pageDir))))
	mux.Handle("GET /wasm/", http.StripPrefix("/wasm/", encodedWasm(wasmDir)))

	s.srv = &http.Server{Handler: noStore(mux), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = s.srv.Serve(ln) }()
	return s, nil
}

func (s *apiServer) close() { _ = s.srv.Close() }

// noStore keeps the browser from caching anything, so each cold start
// downloads and compiles the module again (Chromium caches compiled
// WebAssembly only for responses it may cache).
func noStore(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		next.ServeHTTP(w, r)
	})
}

// item is the protected endpoint: 200 with a small JSON body for a valid
// bearer token, 401 otherwise.
func (s *apiServer) item(w http.ResponseWriter, r *http.Request) {
	s.apiCalls.Add(1)
	h := w.Header()
	h.Set("Content-Type", "application/json")
	token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || !s.isValid(token) {
		h.Set("WWW-Authenticate", `Bearer error="invalid_token"`)
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = w.Write([]byte(`{"error":"invalid_token"}`))
		return
	}
	_, _ = w.Write([]byte(`{"id":42,"name":"bench item","tags":["a","b","c"]}`))
}

// isValid compares with the current token first; older tokens that were not
// revoked are looked up under the lock.
func (s *apiServer) isValid(token string) bool {
	if token == "" {
		return false
	}
	if token == *s.current.Load() {
		return true
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.valid[token]
}

// issue mints a token pair and makes its access token the current one.
func (s *apiServer) issue() (access, refresh string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := strconv.Itoa(s.next)
	s.next++
	access, refresh = "a"+n, "r"+n
	s.valid[access] = true
	s.refresh[refresh] = true
	s.current.Store(&access)
	return access, refresh
}

// revoke invalidates the current access token: the next request that carries
// it gets a 401.
func (s *apiServer) revoke() {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.valid, *s.current.Load())
	none := ""
	s.current.Store(&none)
}

// refreshHandler answers {"refreshToken": rt} with a new pair when rt was
// issued by this server, and counts every call.
func (s *apiServer) refreshHandler(w http.ResponseWriter, r *http.Request) {
	s.refreshes.Add(1)
	var body struct {
		RefreshToken string `json:"refreshToken"`
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		http.Error(w, `{"error":"invalid_request"}`, http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	known := s.refresh[body.RefreshToken]
	s.mu.Unlock()
	if !known {
		http.Error(w, `{"error":"invalid_grant"}`, http.StatusUnauthorized)
		return
	}
	s.writePair(w)
}

// login issues a pair without counting a refresh: the page calls it once to
// start with valid tokens.
func (s *apiServer) login(w http.ResponseWriter, _ *http.Request) { s.writePair(w) }

func (s *apiServer) writePair(w http.ResponseWriter) {
	access, refresh := s.issue()
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]string{"accessToken": access, "refreshToken": refresh})
}

// resetCounts zeroes the refresh and API counters before a measured run.
func (s *apiServer) resetCounts() {
	s.refreshes.Store(0)
	s.apiCalls.Store(0)
}

// encodedWasm serves dir's NAME.wasm as application/wasm. With ?enc=gzip or
// ?enc=br it sends the precompressed NAME.wasm.gz or NAME.wasm.br with that
// Content-Encoding (the bench asks for an encoding explicitly, so the figures
// do not depend on what Chromium advertises over plain http). ?kbps=N paces
// the body at N kilobits per second, to see what compression buys on a link
// slower than loopback. ?type=octet sends application/octet-stream instead.
func encodedWasm(dir string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
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
	})
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
