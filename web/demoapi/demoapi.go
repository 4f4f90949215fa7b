package demoapi

import (
	"net/http"
	"time"
)

// DefaultAccessTTL is the access token lifetime when Config.AccessTTL is zero:
// twice authfetch's default refresh leeway (30 s), so a token first serves
// requests for half its life and is then refreshed ahead of expiry.
const DefaultAccessTTL = 60 * time.Second

// DefaultGraceWindow is the grace window that POST /demo/grace switches on when
// Config.GraceWindow is zero: Okta's default grace period, and long enough for a tab to
// take over the refresh of a tab that was closed in the middle of it.
const DefaultGraceWindow = 30 * time.Second

// Config configures a Handler. The zero value is usable.
type Config struct {
	// AccessTTL is how long an access token lives. Zero means DefaultAccessTTL. JWT
	// expiry has whole-second precision, so a token may die up to a second early.
	AccessTTL time.Duration
	// GraceWindow is the refresh tokens' grace window while the demo switch has it on
	// (it starts off). Zero means DefaultGraceWindow.
	GraceWindow time.Duration
	// Now is the clock used to issue and check tokens and proofs and to time the grace
	// window; nil means time.Now. Tests inject one to expire tokens without sleeping.
	Now func() time.Time
}

// Handler is the demo API. It is safe for concurrent use; its state lives in memory for
// its own lifetime, and each Handler signs with its own random key, so tokens of one
// Handler are forged tokens to another.
type Handler struct {
	ttl      time.Duration
	grace    time.Duration
	now      func() time.Time
	secret   []byte
	state    *store
	switches *switchboard
	proofs   *proofs
	mux      *http.ServeMux
}

// New returns a demo API with no sessions, every switch off (refresh mode "ok") and zero
// counters.
func New(cfg Config) *Handler {
	h := &Handler{
		ttl:      cfg.AccessTTL,
		grace:    cfg.GraceWindow,
		now:      cfg.Now,
		secret:   randomBytes(32),
		switches: &switchboard{now: settings{RefreshMode: modeOK}},
		mux:      http.NewServeMux(),
	}
	if h.ttl <= 0 {
		h.ttl = DefaultAccessTTL
	}
	if h.grace <= 0 {
		h.grace = DefaultGraceWindow
	}
	if h.now == nil {
		h.now = time.Now
	}
	h.state = newStore(h.now)
	h.proofs = newProofs(h.now)
	h.mux.HandleFunc("POST /auth/login", h.login)
	h.mux.HandleFunc("POST /auth/refresh-token", h.refresh)
	h.mux.HandleFunc("POST /auth/logout", h.logout)
	h.mux.HandleFunc("POST /oauth/token", h.oauthToken)
	h.mux.Handle("GET /api/me", h.requireToken(h.me))
	h.mux.Handle("GET /api/items", h.requireToken(h.items))
	h.mux.Handle("GET /api/slow", h.requireToken(h.slow))
	h.mux.HandleFunc("POST /demo/revoke", h.revokeAccess)
	h.mux.HandleFunc("POST /demo/fail-refresh", h.setRefreshMode)
	h.mux.HandleFunc("POST /demo/grace", h.switchGraceWindow)
	h.mux.HandleFunc("POST /demo/refresh-delay", h.switchRefreshDelay)
	h.mux.HandleFunc("POST /demo/refresh-cookie", h.switchRefreshCookie)
	h.mux.HandleFunc("POST /demo/dpop", h.switchDPoP)
	h.mux.HandleFunc("POST /demo/replay", h.replayToken)
	h.mux.HandleFunc("GET /demo/stats", h.stats)
	return h
}

// ServeHTTP routes r to the demo API; unknown paths get 404 and known paths with the
// wrong method 405.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.mux.ServeHTTP(w, r)
}
