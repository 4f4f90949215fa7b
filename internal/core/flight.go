package core

import (
	"context"
	"sync"
	"sync/atomic"
)

// flight is a session's one refresh in flight, in the manner of
// golang.org/x/sync/singleflight: whoever needs a refresh joins the call in
// flight, or starts one when there is none. It is safe for concurrent use.
type flight struct {
	mu      sync.Mutex
	call    *refreshCall // guarded by mu; nil when no refresh runs
	waiting atomic.Int64 // goroutines in wait: tests learn from it that requests queue
}

// current returns the call in flight, or nil.
func (f *flight) current() *refreshCall {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.call
}

// startLocked puts a new call in flight and runs it in a goroutine. f.mu must
// be held, so that deciding to start and starting are one step.
func (f *flight) startLocked(run func(*refreshCall)) *refreshCall {
	call := newRefreshCall()
	f.call = call
	go run(call)
	return call
}

// land takes call out of flight; the refresh's tokens are stored by then, so
// that a request that no longer sees the call reads the new tokens.
func (f *flight) land(call *refreshCall) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.call == call {
		f.call = nil
	}
}

// wait waits for call as refreshCall.wait does, counted in f.waiting.
func (f *flight) wait(ctx context.Context, call *refreshCall) (RefreshResult, error) {
	f.waiting.Add(1)
	defer f.waiting.Add(-1)
	return call.wait(ctx)
}

// refreshCall is one refresh, shared by everyone who needs it.
//
// Its waiters stop waiting when the refresh takes too long (gaveUp, see
// timeouts), but the call itself goes on until the answer comes: a server
// that rotates refresh tokens may have spent the old one by then, and
// dropping its late answer would make the next refresh spend it again, which
// the server takes for token theft and answers by logging the user out.
type refreshCall struct {
	done   chan struct{} // closed when the call has ended; result is then final
	result RefreshResult // written once, before done is closed
	gaveUp chan struct{} // closed when the waiters were released early
	early  RefreshResult // written once, before gaveUp is closed

	mu       sync.Mutex
	answered bool // guarded by mu; the endpoint answered (or failed): too late to give up
	timedOut bool // guarded by mu; gaveUp was closed: the outcome was already reported
}

func newRefreshCall() *refreshCall {
	return &refreshCall{done: make(chan struct{}), gaveUp: make(chan struct{})}
}

// wait returns the call's result, the early result when the waiters were
// released before it, or ctx's cause when ctx ends first. Giving up never
// cancels the call: others may still be waiting for it.
func (c *refreshCall) wait(ctx context.Context) (RefreshResult, error) {
	select {
	case <-c.done:
		return c.result, nil
	default:
	}
	select {
	case <-c.done:
		return c.result, nil
	case <-c.gaveUp:
		return c.early, nil
	case <-ctx.Done():
		return RefreshResult{}, context.Cause(ctx)
	}
}

// answer marks the call answered with res and reports whether res must
// still be applied: not when it is a transient failure of a call whose
// waiters were already released with one. A late success or rejection is
// applied: its tokens are the ones the server now knows.
func (c *refreshCall) answer(res RefreshResult) (apply bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.answered = true
	return !c.timedOut || res.Outcome != Transient
}

// giveUp releases the waiters early with res, unless the call has answered;
// report (which applies res) runs before they are woken.
func (c *refreshCall) giveUp(res RefreshResult, report func(RefreshResult)) {
	c.mu.Lock()
	if c.answered {
		c.mu.Unlock()
		return
	}
	c.timedOut = true
	c.early = res
	c.mu.Unlock()
	report(res)
	close(c.gaveUp)
}

// finish ends the call with res and wakes every waiter. The call must be
// marked answered (answer) first, so that giveUp cannot release anyone with
// another result meanwhile.
func (c *refreshCall) finish(res RefreshResult) {
	c.result = res
	close(c.done)
}
