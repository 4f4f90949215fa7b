package demoapi

import (
	"sync"
	"time"
)

// refreshMode is what the refresh endpoints do, set by POST /demo/fail-refresh.
type refreshMode string

const (
	modeOK  refreshMode = "ok"  // answer normally
	mode500 refreshMode = "500" // fail transiently, keeping the token unspent
	mode401 refreshMode = "401" // reject, keeping the token unspent
)

// settings are the values of the demo switches. The grace window is not among them: it
// is the refresh tokens' own setting (store.tokens).
type settings struct {
	RefreshMode refreshMode `json:"refreshMode"`
	// Delay holds a refresh answer this long after the token is spent, so that a tab
	// can be closed while its refresh is on the wire.
	Delay time.Duration `json:"-"`
	// Cookie keeps the refresh token in an HttpOnly cookie, never in a body.
	Cookie bool `json:"refreshCookie"`
	// DPoP binds the tokens of the logins from now on to the key of their proof.
	DPoP bool `json:"dpop"`
	// DPoPNonce demands a server nonce in every proof.
	DPoPNonce bool `json:"dpopNonce"`
}

// switchboard holds the settings. It is safe for concurrent use.
type switchboard struct {
	mu  sync.Mutex
	now settings // guarded by mu
}

// get returns the settings in force.
func (b *switchboard) get() settings {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.now
}

// set changes the settings with change.
func (b *switchboard) set(change func(*settings)) {
	b.mu.Lock()
	defer b.mu.Unlock()
	change(&b.now)
}
