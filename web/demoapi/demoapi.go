package demoapi

import (
	"net/http"
	"time"
)

// DefaultAccessTTL is the access token lifetime when Config.AccessTTL is zero:
// twice authfetch's default refresh leeway (30 s), so a token first serves
// requests for half its life and is then refreshed ahead of expiry.
const DefaultAccessTTL = 60 * time.Second

// Config configures a Handler. The zero value is usable.
type Config struct {
	// AccessTTL is how long an access token lives. Zero means DefaultAccessTTL. JWT
	// expiry has whole-second precision, so a token may die up to a second early.
	AccessTTL time.Duration
	// Now is the clock used to issue and check tokens; nil means time.Now. Tests inject
	// one to expire tokens without sleeping.
	Now func() time.Time
}

// Handler is the demo API. It is safe for concurrent use; its state lives in memory for
// its own lifetime, and each Handler signs with its own random key, so tokens of one
// Handler are forged tokens to another.
type Handler struct {
	ttl    time.Duration
	now    func() time.Time
	secret []byte
	state  *store
	mux    *http.ServeMux
}

// New returns a demo API with no sessions, refresh mode "ok" and zero counters.
func New(cfg Config) *Handler {
	h := &Handler{
		ttl:    cfg.AccessTTL,
		now:    cfg.Now,
		secret: randomBytes(32),
		state:  newStore(),
		mux:    http.NewServeMux(),
	}
	if h.ttl <= 0 {
		h.ttl = DefaultAccessTTL
	}
	if h.now == nil {
		h.now = time.Now
	}
	h.mux.HandleFunc("POST /auth/login", h.login)
	h.mux.HandleFunc("POST /auth/refresh-token", h.refresh)
	h.mux.HandleFunc("POST /oauth/token", h.oauthToken)
	h.mux.Handle("GET /api/me", h.requireBearer(h.me))
	h.mux.Handle("GET /api/items", h.requireBearer(h.items))
	h.mux.Handle("GET /api/slow", h.requireBearer(h.slow))
	h.mux.HandleFunc("POST /demo/revoke", h.revokeAccess)
	h.mux.HandleFunc("POST /demo/fail-refresh", h.setRefreshMode)
	h.mux.HandleFunc("GET /demo/stats", h.stats)
	return h
}

// ServeHTTP routes r to the demo API; unknown paths get 404 and known paths with the
// wrong method 405.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.mux.ServeHTTP(w, r)
}
