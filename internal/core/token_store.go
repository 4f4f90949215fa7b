package core

import "sync"

// Tokens is an access and refresh token pair; "" means no token.
type Tokens struct {
	Access  string
	Refresh string
}

// TokenStore reads and writes the token pair under two storage keys. A
// refresh key of "" means the refresh token is not ours to keep: the server
// holds it (an HttpOnly cookie), so none is ever stored or read.
//
// Tokens are read from the storage every time they are needed, so tokens that
// other code wrote (a login form, another tab) are used. The first time the
// storage fails, the store switches to memory for the rest of the page's life:
// every write also goes to memory, so the last tokens known are kept. It is
// safe for concurrent use.
type TokenStore struct {
	accessKey, refreshKey string

	mu      sync.Mutex
	primary Storage       // guarded by mu; nil once it has failed
	memory  MemoryStorage // mirror of every write, and the store after a failure
}

// NewTokenStore returns a store for the two keys in s.
func NewTokenStore(s Storage, accessKey, refreshKey string) *TokenStore {
	return &TokenStore{accessKey: accessKey, refreshKey: refreshKey, primary: s}
}

// Access returns the stored access token, or "".
func (t *TokenStore) Access() string { return t.get(t.accessKey) }

// Refresh returns the stored refresh token, or "".
func (t *TokenStore) Refresh() string {
	if t.RefreshHeldElsewhere() {
		return ""
	}
	return t.get(t.refreshKey)
}

// RefreshHeldElsewhere reports whether the refresh token is the server's to
// keep (an HttpOnly cookie) rather than the store's.
func (t *TokenStore) RefreshHeldElsewhere() bool { return t.refreshKey == "" }

// Set stores both tokens; an empty token is removed. Where the refresh token
// is held elsewhere, tokens.Refresh is ignored.
func (t *TokenStore) Set(tokens Tokens) {
	t.put(t.accessKey, validToken(tokens.Access))
	if !t.RefreshHeldElsewhere() {
		t.put(t.refreshKey, validToken(tokens.Refresh))
	}
}

// Clear removes both tokens.
func (t *TokenStore) Clear() { t.Set(Tokens{}) }

// FellBack reports whether the storage failed and tokens now live in memory.
func (t *TokenStore) FellBack() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.primary == nil
}

func (t *TokenStore) get(key string) string {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.primary != nil {
		v, err := t.primary.Get(key)
		if err == nil {
			return validToken(v)
		}
		t.primary = nil
	}
	v, _ := t.memory.Get(key)
	return v
}

func (t *TokenStore) put(key, value string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if value == "" {
		_ = t.memory.Remove(key)
	} else {
		_ = t.memory.Set(key, value)
	}
	if t.primary == nil {
		return
	}
	var err error
	if value == "" {
		err = t.primary.Remove(key)
	} else {
		err = t.primary.Set(key, value)
	}
	if err != nil {
		t.primary = nil
	}
}
