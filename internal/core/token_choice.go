package core

import (
	"context"
	"time"
)

// tokenToSend returns the token to send a request with: the stored access
// token, after the refresh in flight if there is one, or after a refresh
// ahead of time when there is no access token or it expires within leeway.
// A refresh that fails leaves the request to go with the token it has. Only
// ctx ending makes it return an error. waiting, when not nil, is called
// before the request waits.
func (s *Session) tokenToSend(ctx context.Context, leeway time.Duration, r *refresher, waiting func()) (string, error) {
	access := s.store.Access()
	call := s.callBefore(access, leeway, r)
	if call == nil {
		return access, nil
	}
	if waiting != nil {
		waiting()
	}
	return s.tokenAfter(ctx, call)
}

// tokenAfter waits for call and returns the access token it brought, or the
// stored one, whatever that is by then, when it brought none.
func (s *Session) tokenAfter(ctx context.Context, call *refreshCall) (string, error) {
	res, err := s.flight.wait(ctx, call)
	if err != nil {
		return "", err
	}
	if res.Outcome == Refreshed {
		return res.Tokens.Access, nil
	}
	return s.store.Access(), nil
}

// callBefore returns the refresh a request about to go out with access must
// wait for, or nil when it can go now. That is the refresh in flight, if any,
// so the request does not go out with a token known to be stale; otherwise a
// refresh it starts ahead of time, when there is a refresh token and access
// is missing or due (expiry.dueAhead). Deciding and starting happen under
// the flight's lock, so two requests with the same expiring token share one
// refresh.
func (s *Session) callBefore(access string, leeway time.Duration, r *refresher) *refreshCall {
	expiring := access == "" || s.expiry.within(access, leeway)
	s.flight.mu.Lock()
	defer s.flight.mu.Unlock()
	if s.flight.call != nil {
		return s.flight.call
	}
	if !expiring || !s.expiry.dueAhead(access, leeway) || !s.canRefresh(access) {
		return nil
	}
	s.expiry.markAhead(access)
	why := "the access token expires within the leeway"
	if access == "" {
		why = "only a refresh token is stored"
	}
	return s.startLocked(r, refreshCause{stale: access, why: why})
}

// afterRefused decides what to do with a refresh status to a request sent
// with token sent. It returns the token to retry with, or false when the
// response stands as it is.
//
// A refresh in flight is joined. Otherwise, a current token other than sent
// means someone refreshed (or logged in) meanwhile: retry with it, no refresh.
// Otherwise refresh, if there is a refresh token to do it with. Whenever a
// retry may follow, the other first attempts in flight with sent are called
// off (but for those on the wire): sent was refused, and they would be too.
func (s *Session) afterRefused(ctx context.Context, sent string, r *refresher) (string, bool, error) {
	s.flight.mu.Lock()
	call := s.flight.call
	if call == nil {
		if current := s.store.Access(); current != "" && current != sent {
			s.flight.mu.Unlock()
			s.callOff(sent)
			return current, true, nil
		}
		if !s.canRefresh(sent) {
			s.flight.mu.Unlock()
			return "", false, nil
		}
		call = s.startLocked(r, refreshCause{stale: sent, why: "a request got a refresh status"})
	}
	s.flight.mu.Unlock()
	// The refresh is in flight before anything is called off, so that what is
	// called off waits for it (afterCalledOff).
	s.callOff(sent)
	res, err := s.flight.wait(ctx, call)
	if err != nil || res.Outcome != Refreshed {
		return "", false, err
	}
	return res.Tokens.Access, true, nil
}

// afterCalledOff returns the token to send an attempt again with after it
// was called off (ErrCalledOff): the new one when the refresh in flight
// succeeds, or else the stored one, whatever that is by then. It never starts
// a refresh: the refusal that called the attempt off already did, and a
// refresh that failed is not tried again for requests that got no 401.
func (s *Session) afterCalledOff(ctx context.Context) (string, error) {
	if call := s.flight.current(); call != nil {
		return s.tokenAfter(ctx, call)
	}
	return s.store.Access(), nil
}

// refresh joins the refresh in flight, or starts one with r, and waits for
// it. Only ctx ending makes it return an error, and then the refresh goes on.
func (s *Session) refresh(ctx context.Context, r *refresher) (RefreshResult, error) {
	s.flight.mu.Lock()
	call := s.flight.call
	if call == nil {
		call = s.startLocked(r, refreshCause{forced: true, why: "refresh() was called"})
	}
	s.flight.mu.Unlock()
	return s.flight.wait(ctx, call)
}

// canRefresh reports whether a refresh can replace access: there is a refresh
// token, or the server holds it (a cookie) and there is an access token to
// replace. Without one, a cookie session is taken to be logged out: a
// request of a visitor who never logged in does not cost a refresh.
func (s *Session) canRefresh(access string) bool {
	if s.store.RefreshHeldElsewhere() {
		return access != ""
	}
	return s.store.Refresh() != ""
}

// callOff calls off the first attempts in flight with the refused token
// sent, beyond those on the wire.
func (s *Session) callOff(sent string) {
	if n := s.attempts.callOff(sent); n > 0 {
		s.decide(func() Decision { return Decision{Type: DecisionCallOff, Count: n} })
	}
}
