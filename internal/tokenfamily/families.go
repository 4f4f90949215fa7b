package tokenfamily

import (
	"errors"
	"sync"
)

// ErrUnknown refuses a refresh token that was never issued.
var ErrUnknown = errors.New("unknown refresh token")

// ErrRevoked refuses a refresh token whose family is revoked.
var ErrRevoked = errors.New("refresh token revoked")

// ErrReused refuses a refresh token that was spent before, and says that its
// family is now revoked.
var ErrReused = errors.New("refresh token reuse detected: every token of this session is revoked")

// Families is every refresh token issued, spent or not, and the family each
// belongs to. The zero value is not usable: call New. It is safe for
// concurrent use.
type Families struct {
	keepSpent bool // see New

	mu      sync.Mutex
	revoked map[string]bool   // guarded by mu: family id → revoked; a key for every family started
	tokens  map[string]*entry // guarded by mu: refresh token → its entry
}

// entry is one refresh token, kept after it is spent so that its reuse is
// recognised.
type entry struct {
	family string
	spent  bool
}

// Options configures Families. The zero value rotates.
type Options struct {
	// KeepSpent makes a rotated refresh token stay good, as on a server
	// that does not rotate: a client that refreshes more often than it
	// needs to (the benchmark's contenders do) is never taken for a thief.
	KeepSpent bool
}

// New returns Families with no family.
func New(opts Options) *Families {
	return &Families{
		keepSpent: opts.KeepSpent,
		revoked:   make(map[string]bool),
		tokens:    make(map[string]*entry),
	}
}

// Start starts the family id with its first refresh token. Starting a family
// that exists adds the token to it.
func (f *Families) Start(id, refreshToken string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, ok := f.revoked[id]; !ok {
		f.revoked[id] = false
	}
	f.tokens[refreshToken] = &entry{family: id}
}

// Rotation is what presenting a refresh token bought.
type Rotation struct {
	Family       string // the family of the token presented
	RefreshToken string // the refresh token to answer with: next, or old when the answer keeps it
}

// Rotate presents the refresh token old for a refresh. next is the refresh
// token that replaces it, which joins the family; an empty next means the
// answer keeps old, which then stays good. Callers answer with the
// Rotation's RefreshToken, not next: a grace window would answer a spent
// token presented again with the successor recorded at its rotation.
//
// A token that is unknown, or whose family is revoked, is refused and
// changes nothing. A token spent before is reuse: its family is revoked,
// and ErrReused tells the caller to revoke what it keeps per family (the
// demo API's access tokens). The Rotation of an error names the family
// when the token has one.
func (f *Families) Rotate(old, next string) (Rotation, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	e, ok := f.tokens[old]
	switch {
	case !ok:
		return Rotation{}, ErrUnknown
	case f.revoked[e.family]:
		return Rotation{Family: e.family}, ErrRevoked
	case e.spent:
		f.revoked[e.family] = true
		return Rotation{Family: e.family}, ErrReused
	}
	if next == "" {
		return Rotation{Family: e.family, RefreshToken: old}, nil
	}
	e.spent = !f.keepSpent
	f.tokens[next] = &entry{family: e.family}
	return Rotation{Family: e.family, RefreshToken: next}, nil
}

// Revoke revokes the family id: none of its refresh tokens is good any more.
// It reports whether the family exists.
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
// counts as revoked.
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

// Exists reports whether the family id was started.
func (f *Families) Exists(id string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	_, ok := f.revoked[id]
	return ok
}
