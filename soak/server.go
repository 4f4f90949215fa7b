//go:build !js

package main

import (
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Chaos rates and bounds.
const (
	pRevoke         = 1.0 / 120 // an API request revokes the valid access token it carries
	pReject         = 0.03      // a refresh is rejected: the session must log in again
	pTransient      = 0.15      // a refresh fails transiently
	pLate           = 0.03      // a refresh succeeds after the client's refreshTimeoutMs
	maxAPIDelay     = 10 * time.Millisecond
	maxRefreshDelay = 100 * time.Millisecond
	refreshTimeout  = time.Second // the clients' refreshTimeoutMs (page.go)
	lateAnswer      = 1500 * time.Millisecond
	noAnswer        = 2500 * time.Millisecond // a refresh that "never answers" answers 503 this late
)

// sessionNames are the page's sessions; the page's clients use them (see page.go).
var sessionNames = []string{"s1", "s2", "s3"}

// tokenPattern matches every token the server issues: s<session>-<a|r><n>.
var tokenPattern = regexp.MustCompile(`s\d+-[ar]\d+`)

// servers are origin A (the application) and origin B (another origin).
type servers struct {
	a, b    *http.Server
	aURL    string
	bURL    string
	root    string
	wasm    string
	rngLock sync.Mutex
	rng     *rand.Rand // guarded by rngLock

	mu       sync.Mutex
	sessions map[string]*sessionState // guarded by mu
	requests map[string]*requestLog   // guarded by mu: by request id
	leaks    []string                 // guarded by mu: what B saw of a token
	bSeen    int                      // guarded by mu: requests B received
	badBody  int                      // guarded by mu: a POST whose body differed from what the page sent
}

// sessionState is one session's tokens and what happened to them.
type sessionState struct {
	n          int             // the number of the last issued pair
	access     string          // the valid access token; "" when revoked (or rejected)
	refresh    string          // the valid refresh token; "" after a rejection
	spent      map[string]bool // refresh tokens a refresh rotated
	inProgress int             // refresh calls being answered

	logins, revocations, calls, successes, transients, rejections int
	late                                                          int // successes that came after the client's refresh timeout
	unneeded                                                      int // refresh calls that arrived while the access token was valid
	concurrent                                                    int // refresh calls that arrived while another was being answered
	reused                                                        int // refresh calls with a refresh token a refresh had rotated
	invalid                                                       int // refresh calls with a refresh token that is not the valid one
	stale                                                         int // API requests with an access token older than the last issued
}

// requestLog is what A saw of one request id.
type requestLog struct {
	statuses []int
}

func buildModule(root string) (string, func(), error) {
	dir, err := os.MkdirTemp("", "authfetch-soak-")
	if err != nil {
		return "", nil, err
	}
	cleanup := func() { os.RemoveAll(dir) }
	out := filepath.Join(dir, "authfetch.wasm")
	cmd := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-o", out, "./wasm")
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	if b, err := cmd.CombinedOutput(); err != nil {
		cleanup()
		return "", nil, fmt.Errorf("building the module (GOOS=js GOARCH=wasm go build ./wasm in %s): %v\n%s", root, err, b)
	}
	return out, cleanup, nil
}

func startServers(c config, wasm string) (*servers, error) {
	s := &servers{
		root:     c.root,
		wasm:     wasm,
		rng:      rand.New(rand.NewPCG(c.seed, 0x50a4)),
		sessions: map[string]*sessionState{},
		requests: map[string]*requestLog{},
	}
	for _, name := range sessionNames {
		s.sessions[name] = &sessionState{spent: map[string]bool{}}
	}
	la, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	lb, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		la.Close()
		return nil, err
	}
	s.aURL, s.bURL = "http://"+la.Addr().String(), "http://"+lb.Addr().String()
	s.a = &http.Server{Handler: s.routesA()}
	s.b = &http.Server{Handler: http.HandlerFunc(s.serveB)}
	go s.a.Serve(la)
	go s.b.Serve(lb)
	return s, nil
}

func (s *servers) close() {
	s.a.Close()
	s.b.Close()
}

func (s *servers) routesA() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/page.html", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, "<!doctype html><title>authfetch soak</title>")
	})
	mux.HandleFunc("/favicon.ico", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })
	mux.HandleFunc("/js/authfetch.wasm", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/wasm")
		http.ServeFile(w, r, s.wasm)
	})
	mux.Handle("/js/", http.StripPrefix("/js/", http.FileServer(http.Dir(filepath.Join(s.root, "js")))))
	mux.HandleFunc("/wasm_exec.js", func(w http.ResponseWriter, r *http.Request) {
		http.ServeFile(w, r, filepath.Join(s.root, "wasm_exec.js"))
	})
	mux.HandleFunc("POST /login", s.login)
	mux.HandleFunc("/auth/refresh-token", s.refresh)
	mux.HandleFunc("/api/item", s.item)
	mux.HandleFunc("/redirect", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, r.URL.Query().Get("to"), http.StatusFound)
	})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		mux.ServeHTTP(w, r)
	})
}

// chance reports true with probability p.
func (s *servers) chance(p float64) bool {
	s.rngLock.Lock()
	defer s.rngLock.Unlock()
	return s.rng.Float64() < p
}

// pause waits up to max, at random, or until the browser goes away; it
// reports whether to answer.
func (s *servers) pause(r *http.Request, max time.Duration) bool {
	s.rngLock.Lock()
	d := time.Duration(s.rng.Int64N(int64(max) + 1))
	s.rngLock.Unlock()
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
		return false
	}
}

// issue makes a new valid pair for st. s.mu must be held.
func (st *sessionState) issue(name string) (access, refresh string) {
	st.n++
	st.access, st.refresh = fmt.Sprintf("%s-a%d", name, st.n), fmt.Sprintf("%s-r%d", name, st.n)
	return st.access, st.refresh
}

func (s *servers) login(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Query().Get("s")
	s.mu.Lock()
	st := s.sessions[name]
	if st == nil {
		s.mu.Unlock()
		http.Error(w, "no such session", http.StatusBadRequest)
		return
	}
	st.logins++
	access, refresh := st.issue(name)
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]string{"accessToken": access, "refreshToken": refresh})
}

// tokenNumber splits a token s<k>-<a|r><n> into its session and number.
func tokenNumber(tok string) (session string, n int, ok bool) {
	i := strings.IndexByte(tok, '-')
	if i < 0 || len(tok) < i+3 || !tokenPattern.MatchString(tok) {
		return "", 0, false
	}
	n, err := strconv.Atoi(tok[i+2:])
	return tok[:i], n, err == nil
}

func (s *servers) item(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	id, name := q.Get("id"), q.Get("s")
	body, _ := io.ReadAll(r.Body)
	if !s.pause(r, maxAPIDelay) {
		return
	}
	token := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	revoke := s.chance(pRevoke)

	s.mu.Lock()
	st := s.sessions[name]
	status := http.StatusUnauthorized
	if st != nil {
		if token != "" && token == st.access && revoke {
			st.access = ""
			st.revocations++
		}
		if token != "" && token == st.access {
			status = http.StatusOK
		}
		if _, n, ok := tokenNumber(token); ok && n < st.n {
			st.stale++
		}
	}
	log := s.requests[id]
	if log == nil {
		log = &requestLog{}
		s.requests[id] = log
	}
	log.statuses = append(log.statuses, status)
	if r.Method == http.MethodPost && string(body) != `{"id":"`+id+`"}` {
		s.badBody++
	}
	s.mu.Unlock()
	writeJSON(w, status, map[string]string{"id": id})
}

func (s *servers) refresh(w http.ResponseWriter, r *http.Request) {
	var req struct {
		RefreshToken string `json:"refreshToken"`
	}
	json.NewDecoder(r.Body).Decode(&req)
	name, _, ok := tokenNumber(req.RefreshToken)
	s.mu.Lock()
	st := s.sessions[name]
	if !ok || st == nil {
		s.mu.Unlock()
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid_request"})
		return
	}
	st.calls++
	st.inProgress++
	if st.inProgress > 1 {
		st.concurrent++
	}
	if st.access != "" {
		st.unneeded++
	}
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		st.inProgress--
		s.mu.Unlock()
	}()

	// The answer is decided when the request arrives; a browser that went
	// away while it waited still counts, as the transient failure it saw.
	s.rngLock.Lock()
	roll, kind := s.rng.Float64(), s.rng.IntN(7)
	s.rngLock.Unlock()
	reject := roll < pReject
	transient := !reject && roll < pReject+pTransient
	late := !reject && !transient && roll < pReject+pTransient+pLate
	if reject || transient {
		s.mu.Lock()
		if reject {
			st.access, st.refresh = "", ""
			st.rejections++
		} else {
			st.transients++
		}
		s.mu.Unlock()
	}
	if !s.pause(r, maxRefreshDelay) {
		return
	}
	switch {
	case reject:
		writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "invalid_grant"})
		return
	case transient:
		failRefresh(w, r, kind)
		return
	case late:
		t := time.NewTimer(lateAnswer)
		defer t.Stop()
		select {
		case <-t.C:
		case <-r.Context().Done(): // the client gave up: no rotation, a transient failure
			s.mu.Lock()
			st.transients++
			s.mu.Unlock()
			return
		}
	}

	s.mu.Lock()
	if st.spent[req.RefreshToken] {
		st.reused++
	}
	if req.RefreshToken != st.refresh {
		st.invalid++
		st.rejections++
		st.access, st.refresh = "", ""
		s.mu.Unlock()
		writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "invalid_grant"})
		return
	}
	st.spent[req.RefreshToken] = true
	st.successes++
	if late {
		st.late++
	}
	access, refresh := st.issue(name)
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]string{"accessToken": access, "refreshToken": refresh})
}

// failRefresh answers a refresh with a transient failure of the given kind.
func failRefresh(w http.ResponseWriter, r *http.Request, kind int) {
	switch kind {
	case 0, 1, 2, 3:
		status := []int{500, 502, 503, 429}[kind]
		writeJSON(w, status, map[string]string{"error": http.StatusText(status)})
	case 4:
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, "<html>Bad gateway, with a 200</html>")
	case 5:
		// Two Content-Lengths: the browser refuses the answer (a network error).
		if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
			io.WriteString(conn, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}")
			conn.Close()
		}
	default:
		// No answer within the client's refreshTimeoutMs; a 503 much later.
		t := time.NewTimer(noAnswer)
		defer t.Stop()
		select {
		case <-t.C:
			writeJSON(w, http.StatusServiceUnavailable, map[string]string{"error": "too late"})
		case <-r.Context().Done():
		}
	}
}

// serveB is origin B: it answers 200 to everything, with permissive CORS, and
// reports every token it sees.
func (s *servers) serveB(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Access-Control-Allow-Origin", "*")
	h.Set("Access-Control-Allow-Headers", "Authorization, Content-Type")
	h.Set("Cache-Control", "no-store")
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	s.mu.Lock()
	if r.Method != http.MethodOptions {
		s.bSeen++
	}
	if a := r.Header.Get("Authorization"); a != "" {
		s.leaks = append(s.leaks, fmt.Sprintf("%s %s carried Authorization: %s", r.Method, r.URL, a))
	}
	for name, v := range r.Header {
		if name != "Authorization" && tokenPattern.MatchString(strings.Join(v, ",")) {
			s.leaks = append(s.leaks, fmt.Sprintf("%s %s: a token in the header %s", r.Method, r.URL, name))
		}
	}
	if tokenPattern.MatchString(r.URL.String()) || tokenPattern.Match(body) {
		s.leaks = append(s.leaks, fmt.Sprintf("%s %s: a token in the URL or body", r.Method, r.URL))
	}
	s.mu.Unlock()
	if r.Method == http.MethodOptions {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"uri": r.URL.RequestURI()})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}
