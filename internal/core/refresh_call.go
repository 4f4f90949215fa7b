package core

import (
	"context"
	"time"
)

// RefreshTransport posts the refresh request. It returns the answer's status
// and body text, or an error when no answer came (network error, ctx done).
// Implementations must honour ctx: it carries the refresh timeout.
type RefreshTransport interface {
	Post(ctx context.Context, contentType, body string) (status int, text string, err error)
}

// RefreshConfig is how a client refreshes. A refresh uses the config of the
// client that started it.
type RefreshConfig struct {
	Transport RefreshTransport
	Format    Format
	ClientID  string        // sent as client_id in FormatOAuth2
	Timeout   time.Duration // a refresh that takes longer is a transient failure; 0: no limit
	ParseJSON ParseJSON
	URL       string // the refresh endpoint, named in the reasons of failures
}

// where prefixes a failure's reason with the request that failed, so that an
// app's log says what failed and where.
func (cfg RefreshConfig) where(reason string) string {
	if cfg.URL == "" {
		return reason
	}
	return "POST " + cfg.URL + ": " + reason
}

// refreshCall is one refresh in flight, shared by everyone who needs it, in
// the manner of golang.org/x/sync/singleflight.
//
// Its waiters stop waiting at the refresh timeout (gaveUp), but the call
// itself goes on until the answer comes: a server that rotates refresh tokens
// may have spent the old one by then, and dropping its late answer would make
// the next refresh spend it again, which the server takes for token theft
// and answers by logging the user out.
type refreshCall struct {
	done   chan struct{} // closed when the call has ended; result is then final
	result RefreshResult // written once, before done is closed
	gaveUp chan struct{} // closed at the timeout, if the call is still unanswered
	early  RefreshResult // written once, before gaveUp is closed: the timeout

	// Guarded by the session's mu.
	answered bool // the endpoint answered (or failed): too late to give up
	timedOut bool // gaveUp was closed: the outcome was already reported
}

func newRefreshCall() *refreshCall {
	return &refreshCall{done: make(chan struct{}), gaveUp: make(chan struct{})}
}

// wait returns the call's result, the timeout when the call outlives it, or
// ctx's cause when ctx ends first. Giving up never cancels the call: others
// may still be waiting for it.
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

// minLateAnswerWait is how long a refresh that outlived its timeout is given
// to answer at the least, before it is abandoned for good.
const minLateAnswerWait = time.Minute

// post sends refreshToken with cfg and classifies what came back. It waits
// for a late answer well past cfg.Timeout (see refreshCall); only a call that
// never answers is abandoned.
func (cfg RefreshConfig) post(refreshToken string) RefreshResult {
	ctx := context.Background()
	limit := max(minLateAnswerWait, 4*cfg.Timeout)
	if cfg.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, limit)
		defer cancel()
	}
	contentType, body := refreshBody(cfg.Format, refreshToken, cfg.ClientID)
	status, text, err := cfg.Transport.Post(ctx, contentType, body)
	var res RefreshResult
	switch {
	case err != nil:
		res = classifyError(ctx, err, limit)
	case ctx.Err() != nil:
		res = classifyError(ctx, ctx.Err(), limit)
	default:
		res = classifyAnswer(cfg.Format, status, text, cfg.ParseJSON)
	}
	if res.Reason != "" {
		res.Reason = cfg.where(res.Reason)
	}
	return res
}
