//go:build !js

package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// refreshPath is where the API server answers refreshes; it is authfetch's
// default refreshURL.
const refreshPath = "/auth/refresh-token"

// refreshMode is how the API server answers a refresh.
type refreshMode int

const (
	refreshOK                 refreshMode = iota // 200 {accessToken, refreshToken}: new tokens, the refresh token rotates
	refreshOKKeepRefreshToken                    // 200 {accessToken} only: the refresh token stays valid
	refreshStatus                                // the status set by answerRefresh, with a JSON error body
	refreshNotJSON                               // 200 with an HTML body
	refreshNoAccessToken                         // 200 with JSON that has no accessToken
	refreshNetworkError                          // an answer with invalid headers: fetch fails with a network error
)

// record is one request that a test server received.
type record struct {
	Method   string
	Path     string
	URI      string // path and query
	Auth     string // the Authorization header
	Header   http.Header
	Body     string
	Canceled bool // the browser went away while the server held the request
}

type recordKey struct{}

// apiServer is the application's origin: it serves the page, the module, a
// refresh endpoint and protected /api/* routes, and records every request.
//
// Tokens are opaque strings a1, a2… and r1, r2…; the server knows the one
// valid access token and the one valid refresh token. /api/* answers 401
// unless the request carries "Bearer <valid access token>". A successful
// refresh issues the next pair and invalidates the old refresh token.
type apiServer struct {
	URL            string        // http://127.0.0.1:port
	refreshEntered chan struct{} // receives once per refresh request, when it arrives
	closed         chan struct{} // closed when the test ends; releases held requests

	mu        sync.Mutex
	access    string           // guarded by mu: the valid access token, "" when revoked
	refresh   string           // guarded by mu: the valid refresh token
	n         int              // guarded by mu: the number of the last issued pair
	accessTTL time.Duration    // guarded by mu: when set, issued access tokens are JWTs expiring after it
	mode      refreshMode      // guarded by mu
	status    int              // guarded by mu: the answer of refreshStatus
	gate      chan struct{}    // guarded by mu: when set, refreshes wait until it closes
	delay     time.Duration    // guarded by mu: refreshes wait this long before answering
	bodyDelay time.Duration    // guarded by mu: refreshOK sends its 200 at once and its body (and the new tokens) this long after
	holds     map[string]*hold // guarded by mu: requests to hold, by path
	records   []*record        // guarded by mu
}

// hold keeps the first request to one path waiting until released.
type hold struct {
	entered chan struct{} // closed when the held request arrives
	release chan struct{} // close to let it answer
	used    bool          // guarded by apiServer.mu
}

// newAPIServer starts an API server on 127.0.0.1 with the tokens a1 and r1
// valid. It stops when the test ends.
func newAPIServer(t *testing.T) *apiServer {
	t.Helper()
	s := &apiServer{
		refreshEntered: make(chan struct{}, 1000),
		closed:         make(chan struct{}),
		access:         "a1",
		refresh:        "r1",
		n:              1,
		holds:          map[string]*hold{},
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/page.html", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, "<!doctype html><html><head><title>authfetch e2e</title></head><body></body></html>")
	})
	mux.HandleFunc("/favicon.ico", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })
	mux.HandleFunc("/ping", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })
	// The module is always this run's build; stale precompressed copies are never served.
	mux.HandleFunc("/js/authfetch.wasm", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/wasm")
		http.ServeFile(w, r, builtWasm)
	})
	files := http.StripPrefix("/js/", http.FileServer(http.Dir(filepath.Join(repoRoot, "js"))))
	mux.HandleFunc("/js/", func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/js/authfetch.wasm.") {
			http.NotFound(w, r)
			return
		}
		files.ServeHTTP(w, r)
	})
	mux.HandleFunc("/wasm_exec.js", func(w http.ResponseWriter, r *http.Request) {
		http.ServeFile(w, r, filepath.Join(repoRoot, "wasm_exec.js"))
	})
	mux.HandleFunc(refreshPath, s.handleRefresh)
	mux.HandleFunc("/redirect", redirect)
	mux.HandleFunc("/api/", s.handleAPI)

	srv := httptest.NewUnstartedServer(s.recording(mux))
	srv.Listener.Close()
	srv.Listener = listenLocal(t)
	srv.Start()
	s.URL = srv.URL
	t.Cleanup(func() {
		close(s.closed)
		srv.CloseClientConnections()
		srv.Close()
	})
	return s
}

// listenLocal listens on a free port of 127.0.0.1 only.
func listenLocal(t *testing.T) net.Listener {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	return l
}

// recording records each request before next handles it.
func (s *apiServer) recording(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec, r := newRecord(r)
		s.mu.Lock()
		s.records = append(s.records, rec)
		s.mu.Unlock()
		w.Header().Set("Cache-Control", "no-store")
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), recordKey{}, rec)))
	})
}

// newRecord reads the request, and returns its record and the request with
// its body restored.
func newRecord(r *http.Request) (*record, *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	r.Body = io.NopCloser(bytes.NewReader(body))
	return &record{
		Method: r.Method,
		Path:   r.URL.Path,
		URI:    r.URL.RequestURI(),
		Auth:   r.Header.Get("Authorization"),
		Header: r.Header.Clone(),
		Body:   string(body),
	}, r
}

// wait blocks until ch closes or yields, the browser goes away (and then
// marks the record canceled) or the test ends. It reports whether to answer.
func (s *apiServer) wait(r *http.Request, ch <-chan struct{}) bool {
	select {
	case <-ch:
		return true
	case <-r.Context().Done():
		s.mu.Lock()
		r.Context().Value(recordKey{}).(*record).Canceled = true
		s.mu.Unlock()
		return false
	case <-s.closed:
		return false
	}
}

func (s *apiServer) handleAPI(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	h := s.holds[r.URL.Path]
	held := h != nil && !h.used
	if held {
		h.used = true
	}
	s.mu.Unlock()
	if held {
		close(h.entered)
		if !s.wait(r, h.release) {
			return
		}
	}

	s.mu.Lock()
	valid := s.access != "" && r.Header.Get("Authorization") == "Bearer "+s.access
	s.mu.Unlock()
	w.Header().Set("X-Test", "yes")
	switch {
	case r.URL.Path == "/api/always401" || !valid:
		w.Header().Set("WWW-Authenticate", "Bearer")
		writeJSON(w, http.StatusUnauthorized, map[string]any{"error": "unauthorized", "uri": r.URL.RequestURI()})
	case r.URL.Path == "/api/echo":
		body, _ := io.ReadAll(r.Body)
		writeJSON(w, http.StatusOK, map[string]any{"method": r.Method, "uri": r.URL.RequestURI(), "headers": r.Header, "body": string(body)})
	default:
		writeJSON(w, http.StatusOK, map[string]any{"uri": r.URL.RequestURI(), "auth": r.Header.Get("Authorization")})
	}
}

func (s *apiServer) handleRefresh(w http.ResponseWriter, r *http.Request) {
	s.refreshEntered <- struct{}{}
	s.mu.Lock()
	// The answer is chosen when the request arrives, so a refresh that the
	// test releases late answers as it was told then.
	gate, delay, mode, status, bodyDelay := s.gate, s.delay, s.mode, s.status, s.bodyDelay
	s.mu.Unlock()
	if gate != nil && !s.wait(r, gate) {
		return
	}
	if delay > 0 {
		elapsed := make(chan struct{})
		timer := time.AfterFunc(delay, func() { close(elapsed) })
		defer timer.Stop()
		if !s.wait(r, elapsed) {
			return
		}
	}

	if bodyDelay > 0 && (mode == refreshOK || mode == refreshOKKeepRefreshToken) {
		// The status and headers now; the tokens are issued, and the body
		// written, only when the browser is still there after bodyDelay.
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
		http.NewResponseController(w).Flush()
		elapsed := make(chan struct{})
		timer := time.AfterFunc(bodyDelay, func() { close(elapsed) })
		defer timer.Stop()
		if !s.wait(r, elapsed) {
			return
		}
		w = headerSent{w}
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	switch mode {
	case refreshStatus:
		writeJSON(w, status, map[string]any{"error": http.StatusText(status)})
	case refreshNotJSON:
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, "<html><body>Bad Gateway, but with a 200</body></html>")
	case refreshNoAccessToken:
		writeJSON(w, http.StatusOK, map[string]any{"message": "ok"})
	case refreshNetworkError:
		// Headers that the browser must refuse (two Content-Lengths): fetch
		// fails with a network error. A bare close, or bytes that are not
		// HTTP, would make Chromium resend the POST on a new connection.
		conn, _, err := http.NewResponseController(w).Hijack()
		if err == nil {
			io.WriteString(conn, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}")
			conn.Close()
		}
	default:
		var req struct {
			RefreshToken string `json:"refreshToken"`
		}
		if json.NewDecoder(r.Body).Decode(&req) != nil || req.RefreshToken == "" || req.RefreshToken != s.refresh {
			writeJSON(w, http.StatusUnauthorized, map[string]any{"error": "invalid refresh token"})
			return
		}
		s.n++
		s.access = fmt.Sprintf("a%d", s.n)
		if s.accessTTL > 0 {
			s.access = unsignedJWT(time.Now().Add(s.accessTTL), s.access)
		}
		answer := map[string]any{"accessToken": s.access}
		if mode == refreshOK {
			s.refresh = fmt.Sprintf("r%d", s.n)
			answer["refreshToken"] = s.refresh
		}
		writeJSON(w, http.StatusOK, answer)
	}
}

// headerSent is a ResponseWriter whose status line has gone out already.
type headerSent struct{ http.ResponseWriter }

func (headerSent) WriteHeader(int) {}

// redirect answers /redirect?to=URL[&code=3xx] with a redirect (302 by
// default) to URL, with permissive CORS so that a cross-origin request may
// follow it.
func redirect(w http.ResponseWriter, r *http.Request) {
	code := http.StatusFound
	if c := r.URL.Query().Get("code"); c != "" {
		fmt.Sscan(c, &code)
	}
	w.Header().Set("Access-Control-Allow-Origin", "*")
	w.Header().Set("Location", r.URL.Query().Get("to"))
	w.WriteHeader(code)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// revokeAccess makes the current access token invalid: /api/* answers 401
// until a refresh issues a new one.
func (s *apiServer) revokeAccess() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.access = ""
}

// setTokens sets the valid access and refresh tokens.
func (s *apiServer) setTokens(access, refresh string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.access, s.refresh = access, refresh
}

// tokens returns the valid access and refresh tokens.
func (s *apiServer) tokens() (access, refresh string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.access, s.refresh
}

// answerRefresh sets how the refresh endpoint answers; status is for refreshStatus.
func (s *apiServer) answerRefresh(mode refreshMode, status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mode, s.status = mode, status
}

// delayRefresh makes refreshes wait d before answering.
func (s *apiServer) delayRefresh(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.delay = d
}

// delayRefreshBody makes a successful refresh send its status at once and its
// body, with the new tokens, d later (never, when the browser left meanwhile).
func (s *apiServer) delayRefreshBody(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.bodyDelay = d
}

// issueJWTs makes refreshes issue JWT access tokens that expire after ttl.
func (s *apiServer) issueJWTs(ttl time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.accessTTL = ttl
}

// holdRefreshes makes refreshes wait until the returned func is called.
func (s *apiServer) holdRefreshes() (release func()) {
	gate := make(chan struct{})
	s.mu.Lock()
	s.gate = gate
	s.mu.Unlock()
	var once sync.Once
	return func() {
		once.Do(func() {
			s.mu.Lock()
			s.gate = nil
			s.mu.Unlock()
			close(gate)
		})
	}
}

// holdNext makes the next request to path wait, after it is recorded, until
// h.release is closed. Later requests to path are not held.
func (s *apiServer) holdNext(path string) *hold {
	h := &hold{entered: make(chan struct{}), release: make(chan struct{})}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.holds[path] = h
	return h
}

// requests returns copies of the records of the requests to path, in order of arrival.
func (s *apiServer) requests(path string) []record {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []record
	for _, r := range s.records {
		if r.Path == path {
			out = append(out, *r)
		}
	}
	return out
}

// requestTo returns a copy of the record of the only request to uri (path and
// query), failing the test unless there is exactly one.
func (s *apiServer) requestTo(t *testing.T, uri string) record {
	t.Helper()
	var out []record
	s.mu.Lock()
	for _, r := range s.records {
		if r.URI == uri {
			out = append(out, *r)
		}
	}
	s.mu.Unlock()
	require.Len(t, out, 1, "requests to %s", uri)
	return out[0]
}

// requestsUnder returns copies of the records of the requests whose path starts with prefix.
func (s *apiServer) requestsUnder(prefix string) []record {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []record
	for _, r := range s.records {
		if strings.HasPrefix(r.Path, prefix) {
			out = append(out, *r)
		}
	}
	return out
}

// refreshCalls is the number of requests to the refresh endpoint so far.
func (s *apiServer) refreshCalls() int { return len(s.requests(refreshPath)) }

// auths returns the Authorization header of each request to path.
func (s *apiServer) auths(path string) []string {
	var out []string
	for _, r := range s.requests(path) {
		out = append(out, r.Auth)
	}
	return out
}
