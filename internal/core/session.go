package core

import (
	"context"
	"fmt"
	"slices"
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
	inflight   *refreshCall  // guarded by mu; nil when no refresh runs
	aheadDone  string        // guarded by mu; the access token last refreshed ahead of time
	issued     string        // guarded by mu; the access token the last refresh returned
	issuedLife time.Duration // guarded by mu; that token's whole life, 0 when unknown
	issuedExp  time.Time     // guarded by mu; its expiry from expiresIn, zero when unknown
	expCache   cachedExpiry  // guarded by mu; the last JWT whose exp was read
	listeners  []listener    // guarded by mu; in the order they subscribed
	nextID     int           // guarded by mu
	announced  string        // guarded by mu; the access token EventTokens last reported

	tabs     Tabs     // set before use; how refreshes are shared with other tabs
	attempts attempts // first attempts in flight, called off when their token is refused

	refreshes, adoptions, refreshErrors, authFailures atomic.Int64
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
	return &Session{store: store, parse: parse, now: now, announced: store.Access(), tabs: OneTab{}}
}

// listener is one Subscribe.
type listener struct {
	id int
	fn func(Event)
}

// Subscribe calls fn with every event of the session until the returned
// function is called. Listeners are called in the order they subscribed, on
// the goroutine that caused the event; fn must not block.
func (s *Session) Subscribe(fn func(Event)) (unsubscribe func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := s.nextID
	s.nextID++
	s.listeners = append(s.listeners, listener{id, fn})
	return func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		s.listeners = slices.DeleteFunc(s.listeners, func(l listener) bool { return l.id == id })
	}
}

func (s *Session) emit(ev Event) {
	s.mu.Lock()
	listeners := slices.Clone(s.listeners)
	s.mu.Unlock()
	for _, l := range listeners {
		l.fn(ev)
	}
}

// AccessToken returns the stored access token, or "".
func (s *Session) AccessToken() string { return s.store.Access() }

// SetTokens stores a new pair (after a login); an empty refresh token removes
// the stored one. It fires EventTokens when the stored pair changed.
func (s *Session) SetTokens(t Tokens) { s.replaceTokens(t) }

// ClearTokens removes both tokens (a logout) and fires EventTokens when there
// were any. The other tabs' records of spent refresh tokens are dropped too,
// in the background: they hold the tokens a logout must end.
func (s *Session) ClearTokens() {
	s.replaceTokens(Tokens{})
	go func() { _ = s.tabs.Exclusive(0, s.tabs.Forget) }()
}

// replaceTokens stores t and fires EventTokens when the stored pair changed,
// even if only the refresh token did.
func (s *Session) replaceTokens(t Tokens) {
	before := Tokens{s.store.Access(), s.store.Refresh()}
	s.store.Set(t)
	after := Tokens{s.store.Access(), s.store.Refresh()}
	s.announce(after.Access, after != before)
}

// TokensChangedElsewhere tells the session that another tab wrote the
// storage. It fires EventTokens once when that changed the access token, so a
// logout that removes two keys fires one event.
func (s *Session) TokensChangedElsewhere() { s.announceTokens() }

// announceTokens fires EventTokens when the stored access token differs from
// the one last announced.
func (s *Session) announceTokens() { s.announce(s.store.Access(), false) }

// announce fires EventTokens with access when it differs from the access
// token last announced, or when force is set.
func (s *Session) announce(access string, force bool) {
	s.mu.Lock()
	changed := force || access != s.announced
	s.announced = access
	s.mu.Unlock()
	if changed {
		s.emit(Event{Kind: EventTokens, AccessToken: access})
	}
}

// ShareWithTabs makes the session coordinate its refreshes with other tabs
// through tabs. Call it before the session is used; the default is OneTab.
func (s *Session) ShareWithTabs(tabs Tabs) { s.tabs = tabs }

// SessionStats counts the refreshes of a session: Refreshes it made,
// Adoptions of tokens another tab's refresh got, RefreshErrors (transient
// failures) and AuthFailures (rejections).
type SessionStats struct {
	Refreshes, Adoptions, RefreshErrors, AuthFailures int64
}

// Stats returns the session's counters.
func (s *Session) Stats() SessionStats {
	return SessionStats{s.refreshes.Load(), s.adoptions.Load(), s.refreshErrors.Load(), s.authFailures.Load()}
}

// refresh joins the refresh in flight, or starts one with cfg, and waits for
// it. Only ctx ending makes it return an error, and then the refresh goes on.
func (s *Session) refresh(ctx context.Context, cfg RefreshConfig) (RefreshResult, error) {
	s.mu.Lock()
	call := s.inflight
	if call == nil {
		call = s.startLocked(cfg, refreshCause{forced: true})
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
// Otherwise refresh, if there is a refresh token to do it with. Whenever a
// retry may follow, the other first attempts in flight with sent are called
// off (but for those on the wire): sent was refused, and they would be too.
func (s *Session) tokenAfterUnauthorized(ctx context.Context, sent string, cfg RefreshConfig) (string, bool, error) {
	s.mu.Lock()
	call := s.inflight
	if call == nil {
		if current := s.store.Access(); current != "" && current != sent {
			s.mu.Unlock()
			s.attempts.callOff(sent)
			return current, true, nil
		}
		if s.store.Refresh() == "" {
			s.mu.Unlock()
			return "", false, nil
		}
		call = s.startLocked(cfg, refreshCause{stale: sent})
	}
	s.mu.Unlock()
	// The refresh is in flight before anything is called off, so that what is
	// called off waits for it (tokenAfterCalledOff).
	s.attempts.callOff(sent)
	res, err := call.wait(ctx)
	if err != nil || res.Outcome != Refreshed {
		return "", false, err
	}
	return res.Tokens.Access, true, nil
}

// tokenAfterCalledOff returns the token to send an attempt again with after
// it was called off (ErrCalledOff): the new one when the refresh in flight
// succeeds, or else the stored one, whatever that is by then. It never starts
// a refresh: the refusal that called the attempt off already did, and a
// refresh that failed is not tried again for requests that got no 401.
func (s *Session) tokenAfterCalledOff(ctx context.Context) (string, error) {
	s.mu.Lock()
	call := s.inflight
	s.mu.Unlock()
	if call != nil {
		res, err := call.wait(ctx)
		if err != nil {
			return "", err
		}
		if res.Outcome == Refreshed {
			return res.Tokens.Access, nil
		}
	}
	return s.store.Access(), nil
}

// refreshCause is why a refresh started: to replace the access token stale
// ("" when there was none), or forced by Client.Refresh.
type refreshCause struct {
	stale  string
	forced bool
}

// startLocked starts a refresh with cfg. s.mu must be held.
func (s *Session) startLocked(cfg RefreshConfig, cause refreshCause) *refreshCall {
	call := newRefreshCall()
	s.inflight = call
	go s.run(call, cfg, cause)
	return call
}

// run performs the refresh, applies its outcome, and wakes the waiters. The
// tokens are stored before the call is taken out of flight, so a request that
// no longer sees the call reads the new tokens. At cfg.Timeout the waiters
// are released with a transient failure while the call goes on (see
// refreshCall); meanwhile the session has a refresh in flight, so no other
// refresh spends the same refresh token.
func (s *Session) run(call *refreshCall, cfg RefreshConfig, cause refreshCause) {
	res := RefreshResult{Outcome: NoRefreshToken}
	if cfg.Timeout > 0 {
		timer := time.AfterFunc(cfg.Timeout, func() { s.giveUp(call, cfg) })
		defer timer.Stop()
	}
	defer func() {
		if p := recover(); p != nil {
			res = RefreshResult{Outcome: Transient, Reason: "internal error: " + panicText(p)}
			s.refreshErrors.Add(1)
		}
		s.mu.Lock()
		s.inflight = nil
		call.answered = true
		s.mu.Unlock()
		call.result = res
		close(call.done)
	}()
	wait := 2 * cfg.Timeout
	if err := s.tabs.Exclusive(wait, func() { res = s.refreshExclusive(call, cfg, cause) }); err != nil {
		res = RefreshResult{Outcome: Transient, Reason: cfg.where("waiting for another tab's refresh: " + err.Error())}
		s.applyUnlessLate(call, res)
	}
}

// giveUp reports a transient failure for a call that has not answered within
// timeout, then releases its waiters with it.
func (s *Session) giveUp(call *refreshCall, cfg RefreshConfig) {
	s.mu.Lock()
	if call.answered {
		s.mu.Unlock()
		return
	}
	call.timedOut = true
	call.early = RefreshResult{Outcome: Transient, Reason: cfg.where(fmt.Sprintf("timed out after %d ms", cfg.Timeout.Milliseconds()))}
	s.mu.Unlock()
	s.apply(call.early)
	close(call.gaveUp)
}

// applyUnlessLate applies res, except a transient failure of a call that
// already timed out: that failure was reported at the timeout. A late success
// or rejection is applied: its tokens are the ones the server now knows.
func (s *Session) applyUnlessLate(call *refreshCall, res RefreshResult) {
	s.mu.Lock()
	call.answered = true
	late := call.timedOut
	s.mu.Unlock()
	if !late || res.Outcome != Transient {
		s.apply(res)
	}
}

// refreshExclusive refreshes while no other tab does. When the storage
// already holds an access token other than the one the refresh was for,
// another tab (or a login) replaced it while this one waited for the lock: it
// is adopted as it is. Otherwise what another tab recorded for the refresh
// token in hand is adopted (this tab's storage may not show that tab's write
// yet), or the refresh endpoint is called and the rotation recorded for the
// other tabs.
func (s *Session) refreshExclusive(call *refreshCall, cfg RefreshConfig, cause refreshCause) RefreshResult {
	rt, access := s.store.Refresh(), s.store.Access()
	if rt == "" {
		return RefreshResult{Outcome: NoRefreshToken}
	}
	if !cause.forced && access != "" && access != cause.stale {
		res := RefreshResult{Outcome: Refreshed, Adopted: true, Tokens: Tokens{access, rt}}
		s.applyUnlessLate(call, res)
		return res
	}
	res, adopted := adopt(s.tabs, rt, access)
	if !adopted {
		res = postRecovered(cfg, rt)
		switch res.Outcome {
		case Refreshed:
			if res.Tokens.Refresh == "" {
				res.Tokens.Refresh = rt
			}
			s.tabs.RecordSpent(rt, res.Tokens)
		case Rejected:
			s.tabs.RecordSpent(rt, Tokens{})
		}
	}
	s.applyUnlessLate(call, res)
	return res
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
		if res.Adopted {
			s.adoptions.Add(1)
		} else {
			s.refreshes.Add(1)
		}
		s.emit(Event{Kind: EventRefresh, AccessToken: res.Tokens.Access, Adopted: res.Adopted})
		s.announceTokens()
	case Rejected:
		s.store.Clear()
		s.authFailures.Add(1)
		s.emit(Event{Kind: EventAuthFailure, Status: res.Status, Reason: res.Reason})
		s.announceTokens()
	case Transient:
		s.refreshErrors.Add(1)
		s.emit(Event{Kind: EventRefreshError, Status: res.Status, Reason: res.Reason})
	}
}

// panicText describes a recovered panic for a reason string.
func panicText(p any) string {
	if err, ok := p.(error); ok {
		return err.Error()
	}
	return fmt.Sprint(p)
}
