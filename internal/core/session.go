package core

import (
	"context"
	"sync/atomic"
	"time"
)

// Session is what all clients with the same storage, token keys and refresh
// URL share: the tokens, the one refresh in flight, the events and the
// session's counters. It is safe for concurrent use.
//
// Each of its jobs has a type of its own: the flight (the one refresh and
// the requests that wait for it), expiry (refreshing ahead of time), events
// (listeners), attempts (what can be called off), Tabs (the other tabs). The
// session ties them together; clients use it through a few verbs
// (tokenToSend, afterRefused, afterCalledOff, refresh, startAttempt).
type Session struct {
	store    *TokenStore
	tabs     Tabs // set before use; how refreshes are shared with other tabs
	flight   flight
	expiry   expiry
	events   events
	tracers  subscribers[Decision]
	attempts attempts
	nonces   nonces // the DPoP nonces of each origin
	counts   sessionCounts
}

// sessionCounts are the outcomes of a session's refreshes.
type sessionCounts struct {
	refreshes, adoptions, refreshErrors, authFailures atomic.Int64
}

// NewSession returns a session over store. parse reads JWT payloads and
// refresh answers; now is the clock (time.Now when nil).
func NewSession(store *TokenStore, parse ParseJSON, now func() time.Time) *Session {
	if now == nil {
		now = time.Now
	}
	s := &Session{store: store, tabs: OneTab{}, expiry: expiry{parse: parse, clock: serverClock{device: now}}}
	s.events.announced = store.Access()
	return s
}

// ShareWithTabs makes the session coordinate its refreshes with other tabs
// through tabs. Call it before the session is used; the default is OneTab.
func (s *Session) ShareWithTabs(tabs Tabs) { s.tabs = tabs }

// Subscribe calls fn with every event of the session until the returned
// function is called. Listeners are called in the order they subscribed, on
// the goroutine that caused the event; fn must not block.
func (s *Session) Subscribe(fn func(Event)) (unsubscribe func()) { return s.events.subscribe(fn) }

// Expiry returns when access expires, as far as the session can tell: its
// JWT exp, or the expiresIn it came with.
func (s *Session) Expiry(access string) (time.Time, bool) { return s.expiry.of(access) }

// AccessToken returns the stored access token, or "".
func (s *Session) AccessToken() string { return s.store.Access() }

// SetTokens stores a new pair (after a login); an empty refresh token removes
// the stored one. expiresIn, when not 0, is the access token's life where
// the token itself does not tell it (an opaque token, a JWT without exp). It
// fires EventTokens when the stored pair changed.
func (s *Session) SetTokens(t Tokens, expiresIn time.Duration) {
	if expiresIn > 0 {
		s.expiry.noteLife(validToken(t.Access), expiresIn)
	}
	s.replaceTokens(t)
}

// ClearTokens removes both tokens (a logout) and fires EventTokens when there
// were any. The other tabs' records of spent refresh tokens are dropped too,
// in the background: they hold the tokens a logout must end.
func (s *Session) ClearTokens() {
	s.decide(func() Decision { return Decision{Type: DecisionRemove, Reason: "clearTokens() was called"} })
	s.replaceTokens(Tokens{})
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), logoutLockWait)
		defer cancel()
		_ = s.tabs.Exclusive(ctx, func() { s.tabs.Forget(ctx) })
	}()
}

// replaceTokens stores t and fires EventTokens when the stored pair changed,
// even if only the refresh token did.
func (s *Session) replaceTokens(t Tokens) {
	before := Tokens{s.store.Access(), s.store.Refresh()}
	s.store.Set(t)
	after := Tokens{s.store.Access(), s.store.Refresh()}
	s.events.announce(after.Access, after != before)
}

// TokensChangedElsewhere tells the session that another tab wrote the
// storage. It fires EventTokens once when that changed the access token, so a
// logout that removes two keys fires one event.
func (s *Session) TokensChangedElsewhere() {
	access := s.store.Access()
	if s.events.announce(access, false) && access == "" {
		s.decide(func() Decision { return Decision{Type: DecisionRemove, Reason: "another tab removed them"} })
	}
}

// SessionStats counts the refreshes of a session: Refreshes it made,
// Adoptions of tokens another tab's refresh got, RefreshErrors (transient
// failures) and AuthFailures (rejections).
type SessionStats struct {
	Refreshes, Adoptions, RefreshErrors, AuthFailures int64
}

// Stats returns the session's counters.
func (s *Session) Stats() SessionStats {
	c := &s.counts
	return SessionStats{c.refreshes.Load(), c.adoptions.Load(), c.refreshErrors.Load(), c.authFailures.Load()}
}
