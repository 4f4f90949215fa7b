package core

import (
	"sync"
	"time"
)

// refreshCause is why a refresh started: to replace the access token stale
// ("" when there was none), or forced by Client.Refresh; why says it in words.
type refreshCause struct {
	stale  string
	forced bool
	why    string
}

// startLocked starts a refresh with r. s.flight.mu must be held.
func (s *Session) startLocked(r *refresher, cause refreshCause) *refreshCall {
	s.decide(func() Decision { return Decision{Type: DecisionRefresh, Reason: cause.why} })
	return s.flight.startLocked(func(call *refreshCall) { s.run(call, r, cause) })
}

// run performs the refresh, applies its outcome, and wakes the waiters. The
// tokens are stored before the call lands, so a request that no longer sees
// the call reads the new tokens. The waiters are woken as soon as the
// outcome is applied; telling the other tabs comes after, still under the
// lock. At timeouts.release the waiters are released with a transient
// failure while the call goes on (see refreshCall); meanwhile the session has
// a refresh in flight, so no other refresh spends the same refresh token.
func (s *Session) run(call *refreshCall, r *refresher, cause refreshCause) {
	if t := r.timeouts.release; t > 0 {
		timer := time.AfterFunc(t, func() { call.giveUp(r.timedOut(), s.apply) })
		defer timer.Stop()
	}
	var once sync.Once
	end := func(res RefreshResult) {
		once.Do(func() {
			call.answer(res)
			s.flight.land(call)
			call.finish(res)
		})
	}
	defer func() {
		if p := recover(); p != nil {
			s.counts.refreshErrors.Add(1)
			end(RefreshResult{Outcome: Transient, Reason: "internal error: " + panicText(p)})
		}
	}()
	lockCtx, cancel := r.timeouts.context(r.timeouts.lock)
	defer cancel()
	err := s.tabs.Exclusive(lockCtx, func() {
		res, record := s.refreshExclusive(call, r, cause)
		end(res)
		if record != nil {
			record()
		}
	})
	if err != nil {
		res := RefreshResult{Outcome: Transient, Reason: r.where("waiting for another tab's refresh: " + err.Error())}
		s.applyAnswer(call, res)
		end(res)
	}
}

// refreshExclusive refreshes while no other tab does, and applies the
// outcome. When the storage already holds an access token other than the
// one the refresh was for, another tab (or a login) replaced it while this
// one waited for the lock: it is adopted as it is. Otherwise what another
// tab recorded for the refresh token in hand is adopted (this tab's storage
// may not show that tab's write yet), or the refresh endpoint is called; then
// record, which the caller runs before the lock is released, tells the other
// tabs what replaced the token it spent.
func (s *Session) refreshExclusive(call *refreshCall, r *refresher, cause refreshCause) (res RefreshResult, record func()) {
	rt, access := s.store.Refresh(), s.store.Access()
	if !cause.forced && !s.canRefresh(access) || rt == "" && !s.store.RefreshHeldElsewhere() {
		return RefreshResult{Outcome: NoRefreshToken}, nil
	}
	if !cause.forced && access != "" && access != cause.stale {
		s.decide(func() Decision {
			return Decision{Type: DecisionAdopt, Reason: "the stored access token was replaced while this refresh waited"}
		})
		res = RefreshResult{Outcome: Refreshed, Adopted: true, Tokens: Tokens{access, rt}}
		s.applyAnswer(call, res)
		return res, nil
	}
	spent := s.spentKey(rt, access)
	readCtx, cancel := r.timeouts.context(r.timeouts.records)
	res, adopted := adopt(readCtx, s.tabs, spent, access)
	cancel()
	if adopted {
		s.decide(func() Decision { return Decision{Type: DecisionAdopt, Reason: "another tab refreshed first"} })
	} else {
		res = r.postRecovered(rt)
		if stored, replaced := s.replacedMeanwhile(rt, access); replaced {
			s.applyAnswer(call, stored)
			return stored, nil
		}
		switch res.Outcome {
		case Refreshed:
			if res.Tokens.Refresh == "" || s.store.RefreshHeldElsewhere() {
				res.Tokens.Refresh = rt
			}
			record = func() { s.record(r, spent, res.Tokens) }
		case Rejected:
			record = func() { s.record(r, spent, Tokens{}) }
		}
	}
	s.applyAnswer(call, res)
	return res, record
}

// replacedMeanwhile reports whether the app stored other tokens, or none
// (setTokens, clearTokens, in this tab or another), while the refresh of rt
// and access was on its way, and what to answer then. The refresh's outcome
// is about tokens no longer in use: storing it would undo a login or a
// logout, and a rejection of the old token says nothing of the new one. So
// what the storage holds now is adopted, or, after a logout, there is no
// refresh token. Nothing is recorded for the other tabs: they see the same
// storage.
func (s *Session) replacedMeanwhile(rt, access string) (RefreshResult, bool) {
	nowRefresh, nowAccess := s.store.Refresh(), s.store.Access()
	if nowRefresh == rt && nowAccess == access {
		return RefreshResult{}, false
	}
	if nowAccess == "" {
		s.decide(func() Decision {
			return Decision{Type: DecisionAdopt, Reason: "the tokens were removed (a logout) while the refresh was on its way"}
		})
		return RefreshResult{Outcome: NoRefreshToken}, true
	}
	s.decide(func() Decision {
		return Decision{Type: DecisionAdopt, Reason: "other tokens were stored (a login) while the refresh was on its way"}
	})
	return RefreshResult{Outcome: Refreshed, Adopted: true, Tokens: Tokens{nowAccess, nowRefresh}}, true
}

// record tells the other tabs what replaced the refresh token spent, within
// timeouts.records.
func (s *Session) record(r *refresher, spent string, replacement Tokens) {
	ctx, cancel := r.timeouts.context(r.timeouts.records)
	defer cancel()
	s.tabs.RecordSpent(ctx, spent, replacement)
}

// spentKey is what the other tabs know this refresh by: the refresh token it
// spends, or, where the server holds the refresh token (a cookie), the access
// token it replaces.
func (s *Session) spentKey(refreshToken, access string) string {
	if s.store.RefreshHeldElsewhere() {
		return "access:" + access
	}
	return refreshToken
}

// applyAnswer applies res as call's answer, unless the call's waiters were
// released with a transient failure already and res is one too.
func (s *Session) applyAnswer(call *refreshCall, res RefreshResult) {
	if call.answer(res) {
		s.apply(res)
	}
}

// apply stores the outcome of a refresh, counts it and fires its events.
func (s *Session) apply(res RefreshResult) {
	switch res.Outcome {
	case Refreshed:
		s.expiry.noteIssued(res)
		s.store.Set(res.Tokens)
		if res.Adopted {
			s.counts.adoptions.Add(1)
		} else {
			s.counts.refreshes.Add(1)
		}
		s.events.emit(Event{Kind: EventRefresh, AccessToken: res.Tokens.Access, Adopted: res.Adopted})
		s.events.announce(s.store.Access(), false)
	case Rejected:
		s.decide(func() Decision {
			return Decision{Type: DecisionRemove, Reason: "the refresh was rejected: " + res.Reason}
		})
		s.store.Clear()
		s.counts.authFailures.Add(1)
		s.events.emit(Event{Kind: EventAuthFailure, Status: res.Status, Reason: res.Reason})
		s.events.announce(s.store.Access(), false)
	case Transient:
		s.decide(func() Decision {
			return Decision{Type: DecisionKeep, Reason: "the refresh failed transiently: " + res.Reason}
		})
		s.counts.refreshErrors.Add(1)
		s.events.emit(Event{Kind: EventRefreshError, Status: res.Status, Reason: res.Reason})
	}
}
