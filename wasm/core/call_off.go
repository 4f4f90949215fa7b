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

// onTheWire is how many requests per origin a browser sends at once over
// HTTP/1.1; the rest of a burst waits in its queue. Those first ones are not
// called off: their answers are likely on their way already, and discarding
// an answer costs as much as the request it saves.
const onTheWire = 6

// attempts are the first attempts in flight, by the token they carry.
type attempts struct {
	mu   sync.Mutex
	next uint64                 // guarded by mu; ids grow in the order attempts start
	live map[uint64]liveAttempt // guarded by mu
}

type liveAttempt struct {
	token, origin string
	cancel        context.CancelCauseFunc
}

// start registers an attempt sent with token to origin. Its context is
// cancelled with ErrCalledOff when callOff(token) picks it before done.
func (a *attempts) start(ctx context.Context, token, origin string) (attemptCtx context.Context, done func()) {
	ctx, cancel := context.WithCancelCause(ctx)
	a.mu.Lock()
	if a.live == nil {
		a.live = map[uint64]liveAttempt{}
	}
	id := a.next
	a.next++
	a.live[id] = liveAttempt{token: token, origin: origin, cancel: cancel}
	a.mu.Unlock()
	return ctx, func() {
		a.mu.Lock()
		delete(a.live, id)
		a.mu.Unlock()
		cancel(nil)
	}
}

// callOff cancels the attempts in flight with token, but for the oldest
// onTheWire of each origin.
func (a *attempts) callOff(token string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	var ids []uint64
	for id, at := range a.live {
		if at.token == token {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	kept := map[string]int{}
	for _, id := range ids {
		at := a.live[id]
		if kept[at.origin] < onTheWire {
			kept[at.origin]++
			continue
		}
		at.cancel(ErrCalledOff)
		delete(a.live, id)
	}
}
