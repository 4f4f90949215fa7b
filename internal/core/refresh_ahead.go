package core

import (
	"time"
)

// noteIssued remembers the access token a refresh returned and how long it
// lives, from expiresIn or else its JWT exp.
func (s *Session) noteIssued(res RefreshResult) {
	now := s.now()
	var exp time.Time
	if res.ExpiresIn > 0 {
		exp = now.Add(res.ExpiresIn)
	} else if e, ok := jwtExpiry(res.Tokens.Access, s.parse); ok {
		exp = e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.issued = res.Tokens.Access
	s.issuedExp = exp
	s.expCache = cachedExpiry{}
	s.issuedLife = 0
	if !exp.IsZero() {
		s.issuedLife = exp.Sub(now)
	}
}

// callBefore returns the refresh a request about to go out with access must
// wait for, or nil when it can go now. That is the refresh in flight, if any,
// so the request does not go out with a token known to be stale; otherwise a
// refresh it starts ahead of time, when there is a refresh token and either no
// access token or one that expires within leeway.
//
// Each access token is refreshed ahead at most once, and a token that a
// refresh returned with a whole life shorter than leeway never is, so such a
// token does not cause a refresh per request. Deciding and starting happen
// under one lock, so two requests with the same expiring token share one
// refresh.
func (s *Session) callBefore(access string, leeway time.Duration, cfg RefreshConfig) *refreshCall {
	expiring := access == "" || s.expiresWithin(access, leeway)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.inflight != nil {
		return s.inflight
	}
	if !expiring || access != "" && (access == s.aheadDone || access == s.issued && s.issuedLife <= leeway) {
		return nil
	}
	if s.store.Refresh() == "" {
		return nil
	}
	if access != "" {
		s.aheadDone = access
	}
	return s.startLocked(cfg, refreshCause{stale: access})
}

// expiresWithin reports whether access has a known expiry within leeway.
// A leeway of 0 turns refreshing ahead off.
func (s *Session) expiresWithin(access string, leeway time.Duration) bool {
	if leeway <= 0 {
		return false
	}
	exp, ok := s.expiry(access)
	return ok && !s.now().Add(leeway).Before(exp)
}

// expiry returns when access expires: its JWT exp, or the expiresIn that came
// with it from a refresh.
func (s *Session) expiry(access string) (time.Time, bool) {
	s.mu.Lock()
	if c := s.expCache; c.token == access {
		s.mu.Unlock()
		return c.exp, c.ok
	}
	issued, issuedExp := s.issued, s.issuedExp
	s.mu.Unlock()
	exp, ok := jwtExpiry(access, s.parse)
	if !ok && access == issued && !issuedExp.IsZero() {
		exp, ok = issuedExp, true
	}
	s.mu.Lock()
	s.expCache = cachedExpiry{token: access, exp: exp, ok: ok}
	s.mu.Unlock()
	return exp, ok
}
