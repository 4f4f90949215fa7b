package core

import (
	"context"
	"errors"
	"time"
)

// RefreshFunc is a refresh of the application's own (the refresh option): a
// GraphQL mutation, a vendor SDK, anything but authfetch's POST. It gets the
// stored refresh token ("" where the server holds it), and ctx, which ends at
// the refresh timeout so that it can abort its request. Its answer is
// classified as the endpoint's would be (FuncAnswer); an error is a transient
// failure. The one refresh, the queue, the timeout, the tabs and the events
// stay authfetch's.
type RefreshFunc func(ctx context.Context, refreshToken string) (FuncAnswer, error)

// FuncAnswer is what a RefreshFunc resolved: Rejected (null: the refresh
// token is refused, log the user out), or the new tokens. An answer without
// an access token is a transient failure, like a body that is not JSON.
type FuncAnswer struct {
	Rejected  bool
	Tokens    Tokens
	ExpiresIn time.Duration
}

// funcAnswer is what callFunc waits for.
type funcAnswer struct {
	answer FuncAnswer
	err    error
}

// callFunc runs the refresh function and classifies its answer. ctx ends at
// the refresh timeout; an answer that comes later is still waited for, as
// the endpoint's is, until timeouts.answer, and then abandoned.
func (r *refresher) callFunc(refreshToken string) RefreshResult {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if t := r.timeouts.release; t > 0 {
		stop := time.AfterFunc(t, cancel)
		defer stop.Stop()
	}
	done := make(chan funcAnswer, 1)
	go func() {
		defer func() {
			if p := recover(); p != nil {
				done <- funcAnswer{err: errors.New("panicked: " + panicText(p))}
			}
		}()
		a, err := r.cfg.Func(ctx, refreshToken)
		done <- funcAnswer{a, err}
	}()
	var abandon <-chan time.Time
	if t := r.timeouts.answer; t > 0 {
		timer := time.NewTimer(t)
		defer timer.Stop()
		abandon = timer.C
	}
	select {
	case got := <-done:
		res := classifyFuncAnswer(got)
		res.Arrived = r.s.expiry.clock.device()
		return res
	case <-abandon:
		return RefreshResult{Outcome: Transient, Reason: "the refresh function never answered"}
	}
}

// classifyFuncAnswer turns what a refresh function gave into a result.
func classifyFuncAnswer(got funcAnswer) RefreshResult {
	switch {
	case got.err != nil:
		return RefreshResult{Outcome: Transient, Reason: "the refresh function failed: " + got.err.Error()}
	case got.answer.Rejected:
		return RefreshResult{Outcome: Rejected, Reason: "the refresh function rejected the refresh token"}
	}
	access := validToken(got.answer.Tokens.Access)
	if access == "" {
		return RefreshResult{Outcome: Transient, Reason: "the refresh function gave no accessToken"}
	}
	return RefreshResult{
		Outcome:   Refreshed,
		Tokens:    Tokens{Access: access, Refresh: validToken(got.answer.Tokens.Refresh)},
		ExpiresIn: got.answer.ExpiresIn,
	}
}
