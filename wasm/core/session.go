package core

import (
	"context"
	"sync"
	"sync/atomic"
	"time"
)

// Session is what all clients with the same storage, token keys and refresh
// URL share: the tokens, the one refresh in flight, the events and the
// session's counters. It is safe for concurrent use.
type Session struct {
	store *TokenStore
	parse ParseJSON
	now   func() time.Time

	mu         sync.Mutex
	inflight   *refreshCall        // guarded by mu; nil when no refresh runs
	aheadDone  string              // guarded by mu; the access token last refreshed ahead of time
	issued     string              // guarded by mu; the access token the last refresh returned
	issuedLife time.Duration       // guarded by mu; that token's whole life, 0 when unknown
	issuedExp  time.Time           // guarded by mu; its expiry from expiresIn, zero when unknown
	expCache   cachedExpiry        // guarded by mu; the last JWT whose exp was read
	listeners  map[int]func(Event) // guarded by mu
	nextID     int                 // guarded by mu

	refreshes, refreshErrors, authFailures atomic.Int64
}

// cachedExpiry remembers one token's JWT expiry, so that the payload is not
// decoded again for every request that carries the same token.
type cachedExpiry struct {
	token string
	exp   time.Time
	ok    bool
}

// NewSession returns a session over store. parse reads JWT payloads; now is
// the clock (time.Now when nil).
func NewSession(store *TokenStore, parse ParseJSON, now func() time.Time) *Session {
	if now == nil {
		now = time.Now
	}
	return &Session{store: store, parse: parse, now: now, listeners: make(map[int]func(Event))}
}

// Subscribe calls fn with every event of the session until the returned
// function is called. fn runs on the goroutine that caused the event and must
// not block.
func (s *Session) Subscribe(fn func(Event)) (unsubscribe func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := s.nextID
	s.nextID++
	s.listeners[id] = fn
	return func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		delete(s.listeners, id)
	}
}

func (s *Session) emit(ev Event) {
	s.mu.Lock()
	fns := make([]func(Event), 0, len(s.listeners))
	for _, fn := range s.listeners {
		fns = append(fns, fn)
	}
	s.mu.Unlock()
	for _, fn := range fns {
		fn(ev)
	}
}

// AccessToken returns the stored access token, or "".
func (s *Session) AccessToken() string { return s.store.Access() }

// SetTokens stores a new pair (after a login); an empty refresh token removes
// the stored one. It fires EventTokens.
func (s *Session) SetTokens(t Tokens) {
	s.store.Set(t)
	s.emit(Event{Kind: EventTokens, AccessToken: s.store.Access()})
}

// ClearTokens removes both tokens (a logout) and fires EventTokens.
func (s *Session) ClearTokens() {
	s.store.Clear()
	s.emit(Event{Kind: EventTokens})
}

// SessionStats counts the refreshes of a session.
type SessionStats struct {
	Refreshes, RefreshErrors, AuthFailures int64
}

// Stats returns the session's counters.
func (s *Session) Stats() SessionStats {
	return SessionStats{s.refreshes.Load(), s.refreshErrors.Load(), s.authFailures.Load()}
}

// refresh joins the refresh in flight, or starts one with cfg, and waits for
// it. Only ctx ending makes it return an error, and then the refresh goes on.
func (s *Session) refresh(ctx context.Context, cfg RefreshConfig) (RefreshResult, error) {
	s.mu.Lock()
	call := s.inflight
	if call == nil {
		call = s.startLocked(cfg)
	}
	s.mu.Unlock()
	return call.wait(ctx)
}

// tokenAfterUnauthorized decides what to do with a refresh status to a request
// sent with token sent. It returns the token to retry with, or false when the
// response stands as it is.
//
// A refresh in flight is joined. Otherwise, a current token other than sent
// means someone refreshed (or logged in) meanwhile: retry with it, no refresh.
// Otherwise refresh, if there is a refresh token to do it with.
func (s *Session) tokenAfterUnauthorized(ctx context.Context, sent string, cfg RefreshConfig) (string, bool, error) {
	s.mu.Lock()
	call := s.inflight
	if call == nil {
		if current := s.store.Access(); current != "" && current != sent {
			s.mu.Unlock()
			return current, true, nil
		}
		if s.store.Refresh() == "" {
			s.mu.Unlock()
			return "", false, nil
		}
		call = s.startLocked(cfg)
	}
	s.mu.Unlock()
	res, err := call.wait(ctx)
	if err != nil || res.Outcome != Refreshed {
		return "", false, err
	}
	return res.Tokens.Access, true, nil
}

// startLocked starts a refresh with cfg. s.mu must be held.
func (s *Session) startLocked(cfg RefreshConfig) *refreshCall {
	call := &refreshCall{done: make(chan struct{})}
	s.inflight = call
	go s.run(call, cfg)
	return call
}

// run performs the refresh, applies its outcome, and wakes the waiters. The
// tokens are stored before the call is taken out of flight, so a request that
// no longer sees the call reads the new tokens.
func (s *Session) run(call *refreshCall, cfg RefreshConfig) {
	res := RefreshResult{Outcome: NoRefreshToken}
	defer func() {
		if p := recover(); p != nil {
			res = RefreshResult{Outcome: Transient, Reason: "internal error: " + panicText(p)}
			s.refreshErrors.Add(1)
		}
		s.mu.Lock()
		s.inflight = nil
		s.mu.Unlock()
		call.result = res
		close(call.done)
	}()
	if rt := s.store.Refresh(); rt != "" {
		res = postRecovered(cfg, rt)
		if res.Outcome == Refreshed && res.Tokens.Refresh == "" {
			res.Tokens.Refresh = rt
		}
	}
	s.apply(res)
}

// postRecovered is cfg.post with a panic of the transport turned into a
// transient result, so that it is applied (refresherror fires) like any other.
func postRecovered(cfg RefreshConfig, refreshToken string) (res RefreshResult) {
	defer func() {
		if p := recover(); p != nil {
			res = RefreshResult{Outcome: Transient, Reason: "internal error: " + panicText(p)}
		}
	}()
	return cfg.post(refreshToken)
}

// apply stores the outcome of a refresh, counts it and fires its events.
func (s *Session) apply(res RefreshResult) {
	switch res.Outcome {
	case Refreshed:
		s.noteIssued(res)
		s.store.Set(res.Tokens)
		s.refreshes.Add(1)
		s.emit(Event{Kind: EventRefresh, AccessToken: res.Tokens.Access})
		s.emit(Event{Kind: EventTokens, AccessToken: res.Tokens.Access})
	case Rejected:
		s.store.Clear()
		s.authFailures.Add(1)
		s.emit(Event{Kind: EventAuthFailure, Status: res.Status, Reason: res.Reason})
		s.emit(Event{Kind: EventTokens})
	case Transient:
		s.refreshErrors.Add(1)
		s.emit(Event{Kind: EventRefreshError, Status: res.Status, Reason: res.Reason})
	}
}
