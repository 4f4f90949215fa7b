//go:build !js

package browsertest

import (
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/authfetch/authfetch/server/rotation"
)

// RefreshPath is where the fake answers refreshes: authfetch's default
// refreshURL.
const RefreshPath = "/auth/refresh-token"

// Config configures a FakeAPI. The zero value is a strict server that
// rotates refresh tokens, accepts only the newest access token, keeps no
// records and serves nothing but its own routes.
type Config struct {
	// KeepOldTokens keeps every token issued good until it is revoked, as a
	// server without rotation whose JWTs live on: the bench compares
	// clients, and must not punish one that refreshes more than it needs.
	KeepOldTokens bool
	// Record keeps a Record of every request, for Requests and Arrived.
	Record bool
	// Chaos, when any of its rates is set, answers at random (see Chaos).
	Chaos Chaos
	// Files serves the paths the fake does not route, such as the page and
	// the module (Harness.Files); nil answers 404.
	Files http.Handler
}

// FakeAPI is the application's API as the browser tests, the soak and the
// bench need it: a refresh endpoint whose answers a test scripts, holds and
// delays (or Chaos picks), protected routes under /api/, a login, and
// counters and records of what arrived. It is safe for concurrent use.
//
// Routes:
//
//	POST /auth/refresh-token   {"refreshToken"} → {"accessToken","refreshToken"}, or what
//	                           AnswerRefresh or Chaos says
//	POST /login[?s=S]          a new token pair, and a new family, for session S
//	/api/…                     200 {"uri","auth"} with X-Test: yes for the session's valid
//	                           access token, else 401 {"error":"unauthorized","uri"};
//	                           /api/always401 always 401; /api/echo echoes method,
//	                           URI, headers and body
//	/redirect?to=URL[&code=N]  a redirect (302 by default), with permissive CORS
//	/ping                      204: a round trip that orders the page's requests
//	anything else              Config.Files
//
// Every answer carries Cache-Control: no-store. Tokens are opaque: a1, r1,
// a2, r2… for the default session, s1-a1, s1-r1… for a session named s1
// (or, after IssueJWTs, unsigned JWTs whose jti is that name).
type FakeAPI struct {
	cfg      Config
	mux      *http.ServeMux
	families *rotation.Families
	chaos    *chaos
	closed   chan struct{} // closed by Close: held requests give up

	refreshCalls atomic.Int64 // since the last ResetCounts
	apiCalls     atomic.Int64 // requests to /api/ since the last ResetCounts
	closeOnce    sync.Once

	mu       sync.Mutex
	sessions map[string]*session // guarded by mu: by name; "" is the default session
	owners   map[string]owner    // guarded by mu: every access token issued or set → its session
	byFamily map[string]*session // guarded by mu: family id → its session
	spent    map[string]bool     // guarded by mu: every refresh token a rotation spent
	answer   Answer              // guarded by mu: how refreshes answer when Chaos is off
	jwtTTL   time.Duration       // guarded by mu: when set, access tokens are JWTs that expire after it
	gate     chan struct{}       // guarded by mu: when set, refreshes wait until it closes
	holds    map[string]*Hold    // guarded by mu: requests to hold, by path
	records  []*Record           // guarded by mu
	waiters  []*arrival          // guarded by mu: Arrived channels not yet closed
}

// NewFakeAPI returns a fake with the default session logged out. Close it
// when done, so that requests it holds give up.
func NewFakeAPI(cfg Config) *FakeAPI {
	a := &FakeAPI{
		cfg:      cfg,
		mux:      http.NewServeMux(),
		families: rotation.New(rotation.Options{KeepSpent: cfg.KeepOldTokens}),
		chaos:    newChaos(cfg.Chaos),
		closed:   make(chan struct{}),
		sessions: map[string]*session{},
		owners:   map[string]owner{},
		byFamily: map[string]*session{},
		spent:    map[string]bool{},
		answer:   Rotated,
		holds:    map[string]*Hold{},
	}
	a.mux.HandleFunc(RefreshPath, a.serveRefresh)
	a.mux.HandleFunc("POST /login", a.serveLogin)
	a.mux.HandleFunc("/api/", a.serveProtected)
	a.mux.HandleFunc("/redirect", Redirect)
	a.mux.HandleFunc("/ping", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })
	files := cfg.Files
	if files == nil {
		files = http.NotFoundHandler()
	}
	a.mux.Handle("/", files)
	return a
}

// ServeHTTP records r when Config.Record says so, and routes it.
func (a *FakeAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	if !a.cfg.Record {
		a.mux.ServeHTTP(w, r)
		return
	}
	rec, r := a.record(r)
	a.mux.ServeHTTP(&statusWriter{ResponseWriter: w, api: a, rec: rec}, r)
}

// Close makes every request the fake holds give up.
func (a *FakeAPI) Close() { a.closeOnce.Do(func() { close(a.closed) }) }

// RefreshCalls is the number of requests to the refresh endpoint since the
// start or the last ResetCounts.
func (a *FakeAPI) RefreshCalls() int { return int(a.refreshCalls.Load()) }

// APICalls is the number of requests under /api/ since the start or the
// last ResetCounts.
func (a *FakeAPI) APICalls() int { return int(a.apiCalls.Load()) }

// ResetCounts zeroes RefreshCalls and APICalls, before a measured run.
func (a *FakeAPI) ResetCounts() {
	a.refreshCalls.Store(0)
	a.apiCalls.Store(0)
}

// Redirect answers /redirect?to=URL[&code=3xx] with a redirect to URL (302
// by default), with permissive CORS so that a cross-origin request may
// follow it.
func Redirect(w http.ResponseWriter, r *http.Request) {
	code := http.StatusFound
	if c := r.URL.Query().Get("code"); c != "" {
		fmt.Sscan(c, &code)
	}
	w.Header().Set("Access-Control-Allow-Origin", "*")
	w.Header().Set("Location", r.URL.Query().Get("to"))
	w.WriteHeader(code)
}
