package core

import (
	"context"
	"errors"
	"slices"
	"sync"
)

// ErrCalledOff is the cause of an attempt's context when the attempt was
// called off before its answer came, because another request sent with the
// same token was refused: this one would be refused too. A Send that stops an
// attempt for it returns an error that wraps ErrCalledOff (and must not hand
// back whatever answer came meanwhile); the client then sends the request
// again once the refresh has run.
//
// It is what keeps a burst of requests from costing two round trips each
// when the token is revoked: the browser holds most of a burst in its own
// queue (6 connections per origin over HTTP/1.1), and without calling them
// off, every one would still go out with the refused token, and the refresh
// would wait behind them.
var ErrCalledOff = errors.New("authfetch: attempt called off: another request with the same token was refused")

// BrowserConnectionsPerOrigin is how many requests per origin a browser
// sends at once over HTTP/1.1; the rest of a burst waits in its queue. Those
// first ones are not called off: their answers are likely on their way
// already, and discarding an answer costs as much as the request it saves.
const BrowserConnectionsPerOrigin = 6

// attempts are the first attempts in flight, by the token they carry.
type attempts struct {
	mu        sync.Mutex
	next      uint64                 // guarded by mu; ids grow in the order attempts start
	live      map[uint64]liveAttempt // guarded by mu
	perOrigin map[string]int         // guarded by mu; how many of live go to each origin
}

type liveAttempt struct {
	token, origin string
	onTheWire     int               // how many to origin the transport sends at once
	cancel        func(cause error) // nil: among the onTheWire oldest for good
	calledOff     bool              // cancelled already: it only has to end
}

// start registers an attempt sent with token to origin. Its context is
// cancelled with ErrCalledOff when callOff(token) picks it before done.
//
// An attempt that starts while fewer than onTheWire others to its origin are
// in flight stays among the oldest onTheWire for good (older ones can only
// end), so it can never be called off: it gets ctx itself, and a Send that
// sees CanBeCalledOff false does not pay for the means to stop it. One
// request at a time never pays for it.
func (a *attempts) start(ctx context.Context, token, origin string, onTheWire int) (attemptCtx context.Context, done func()) {
	attemptCtx = ctx
	var cancel context.CancelCauseFunc
	end := a.register(token, origin, onTheWire, func() func(error) {
		attemptCtx, cancel = context.WithCancelCause(ctx)
		attemptCtx = context.WithValue(attemptCtx, callableKey{}, true)
		return cancel
	})
	return attemptCtx, func() {
		end()
		if cancel != nil {
			cancel(nil)
		}
	}
}

// register records an attempt sent with token to origin until done. When
// the attempt is one that callOff may pick (see start), arm is called, with
// the lock held, and what it returns is how to stop the attempt.
func (a *attempts) register(token, origin string, onTheWire int, arm func() (stop func(cause error))) (done func()) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.live == nil {
		a.live, a.perOrigin = map[uint64]liveAttempt{}, map[string]int{}
	}
	id := a.next
	a.next++
	at := liveAttempt{token: token, origin: origin, onTheWire: onTheWire}
	if a.perOrigin[origin] >= onTheWire {
		at.cancel = arm()
	}
	a.live[id] = at
	a.perOrigin[origin]++
	return func() {
		a.mu.Lock()
		defer a.mu.Unlock()
		delete(a.live, id)
		if a.perOrigin[origin]--; a.perOrigin[origin] == 0 {
			delete(a.perOrigin, origin)
		}
	}
}

// callableKey marks the context of an attempt that callOff may pick.
type callableKey struct{}

// CanBeCalledOff reports whether ctx, an attempt's context, may end with
// ErrCalledOff: only then does Send need a way to stop the attempt.
func CanBeCalledOff(ctx context.Context) bool { return ctx.Value(callableKey{}) != nil }

// callOff cancels the attempts in flight with token, but for the oldest
// onTheWire of each origin, and says how many it cancelled. Each refusal of
// a burst calls off again: an attempt cancelled by an earlier one is left
// alone, since stopping it again costs as much as the first time.
func (a *attempts) callOff(token string) (calledOff int) {
	a.mu.Lock()
	defer a.mu.Unlock()
	var ids []uint64
	for id, at := range a.live {
		if at.token == token && !at.calledOff {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	kept := map[string]int{}
	for _, id := range ids {
		at := a.live[id]
		if kept[at.origin] < at.onTheWire || at.cancel == nil {
			kept[at.origin]++
			continue
		}
		at.cancel(ErrCalledOff)
		at.calledOff = true
		a.live[id] = at
		calledOff++
	}
	return calledOff
}
