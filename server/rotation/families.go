package rotation

import (
	"sync"
	"time"
)

// Options configures Families. The zero value rotates every refresh token,
// with no grace window, on the system clock.
type Options struct {
	// GraceWindow is how long after its rotation a spent refresh token,
	// presented again, gets the pair its rotation issued instead of revoking
	// its family. Zero means none: every second presentation is reuse. Auth0
	// calls it the reuse interval, Okta the grace period, Cognito
	// RetryGracePeriodSeconds, Supabase refresh_token_reuse_interval.
	GraceWindow time.Duration
	// KeepSpent makes a rotated refresh token stay good, as on a server that
	// issues new refresh tokens but never checks for reuse: a client that
	// refreshes more often than it needs to (a benchmark's contenders) is
	// never taken for a thief. Each presentation then mints a new pair.
	KeepSpent bool
	// Now is the clock that times the grace window; nil means time.Now.
	Now func() time.Time
}

// Families is every refresh token issued, spent or not, and the family each
// belongs to. The zero value is not usable: create it with New. It is safe
// for concurrent use.
type Families struct {
	keepSpent bool             // see Options
	now       func() time.Time // see Options

	mu      sync.Mutex
	grace   time.Duration     // guarded by mu: see Options.GraceWindow
	revoked map[string]bool   // guarded by mu: family id → revoked; a key for every family started
	tokens  map[string]*entry // guarded by mu: refresh token → its entry
}

// entry is one refresh token, kept after it is spent so that a second
// presentation is recognised, and answered with what the first one got.
type entry struct {
	family    string
	spent     bool      // a rotation issued its successor
	spentAt   time.Time // when, by Families' clock
	successor Pair      // what that rotation answered
}

// New returns Families with no family.
func New(opts Options) *Families {
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	return &Families{
		keepSpent: opts.KeepSpent,
		now:       now,
		grace:     opts.GraceWindow,
		revoked:   make(map[string]bool),
		tokens:    make(map[string]*entry),
	}
}

// SetGraceWindow changes the grace window for the presentations from now on,
// including those of tokens spent before.
func (f *Families) SetGraceWindow(d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.grace = d
}

// GraceWindow returns the grace window in force.
func (f *Families) GraceWindow() time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.grace
}

// Start starts the family id with its first refresh token, at a login.
// Starting a family that exists adds the token to it.
func (f *Families) Start(id, refreshToken string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, ok := f.revoked[id]; !ok {
		f.revoked[id] = false
	}
	f.tokens[refreshToken] = &entry{family: id}
}

// Revoke revokes the family id, at a logout or when its tokens leaked: none of
// its refresh tokens is good any more, within a grace window or not. It
// reports whether the family exists.
func (f *Families) Revoke(id string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, ok := f.revoked[id]; !ok {
		return false
	}
	f.revoked[id] = true
	return true
}

// Revoked reports whether the family id is revoked; a family never started
// counts as revoked, so that a caller checking an access token's family
// refuses one it does not know.
func (f *Families) Revoked(id string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	revoked, ok := f.revoked[id]
	return revoked || !ok
}

// FamilyOf returns the family of refreshToken, spent or not, and whether the
// token was ever issued.
func (f *Families) FamilyOf(refreshToken string) (id string, ok bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	e, ok := f.tokens[refreshToken]
	if !ok {
		return "", false
	}
	return e.family, true
}
