package core

import (
	"context"
	"errors"
	"sync/atomic"
	"time"
)

// ClientConfig is one client's options, already validated.
type ClientConfig struct {
	AllowedOrigins []string      // origins as Origin writes them
	RefreshOn      []int         // statuses that trigger a refresh
	Leeway         time.Duration // refresh ahead when the token expires within this; 0: never ahead
	Refresh        RefreshConfig // Refresh.URL is never given the access token, nor refreshed

	// DPoP: the requests that get the token carry a proof of possession
	// (RFC 9449), which the front end signs from Claims.
	DPoP bool

	// Trace, when set, hears this client's decisions about its requests.
	Trace func(Decision)

	// QueuesBeyond is how many requests per origin the front end's
	// transport sends at once before it queues the rest: the browser's 6
	// connections over HTTP/1.1 (BrowserConnectionsPerOrigin). 0 means it
	// never queues, and no attempt is ever called off (see ErrCalledOff).
	QueuesBeyond int
}

// Client is one createAuthFetch client of a session. It is safe for
// concurrent use.
type Client struct {
	session   *Session
	cfg       ClientConfig
	refresher *refresher // cfg.Refresh, bound once

	requests, retries atomic.Int64
}

// NewClient returns a client of s with cfg.
func NewClient(s *Session, cfg ClientConfig) *Client {
	return &Client{session: s, cfg: cfg, refresher: newRefresher(cfg.Refresh, s)}
}

// Session returns the session the client belongs to.
func (c *Client) Session() *Session { return c.session }

// Do sends req, with the token when it is due one, and when the answer is a
// refresh status, refreshes (once for everyone) and sends it again, once. A
// first attempt called off (ErrCalledOff) is sent again once too. It returns
// an error only when Send does, or when ctx ends while the request waits for
// a refresh (then context.Cause(ctx)). It is the steps of Flow, with Send.
func (c *Client) Do(ctx context.Context, req Request) (Response, error) {
	f := c.Begin(req)
	token, err := f.Token(ctx)
	if err != nil {
		return nil, err
	}
	res, err := f.firstAttempt(ctx, token)
	if errors.Is(err, ErrCalledOff) {
		if token, err = f.AfterCalledOff(ctx); err != nil {
			return nil, err
		}
		return req.Send(ctx, token)
	}
	if err != nil {
		return nil, err
	}
	retryToken, retry, err := f.AfterAnswer(ctx, res)
	if err != nil {
		return nil, err
	}
	if !retry {
		return res, nil
	}
	if d, ok := res.(Discarder); ok {
		d.Discard()
	}
	return req.Send(ctx, retryToken)
}

// firstAttempt sends the request with token, tracked so that it can be
// called off (ErrCalledOff) through its context.
func (f *Flow) firstAttempt(ctx context.Context, token string) (Response, error) {
	if !f.trackable() {
		return f.req.Send(ctx, token)
	}
	attemptCtx, done := f.c.session.attempts.start(ctx, token, f.origin, f.c.cfg.QueuesBeyond)
	defer done()
	return f.req.Send(attemptCtx, token)
}

// ValidAccessToken returns an access token that does not expire within the
// leeway as far as the session can tell, refreshing first (the session's one
// refresh) when needed: for what does not go through Do (a WebSocket, an
// EventSource). It returns "" when there is none and none can be had, and an
// error only when ctx ends first.
func (c *Client) ValidAccessToken(ctx context.Context) (string, error) {
	return c.session.tokenToSend(ctx, c.cfg.Leeway, c.refresher, nil)
}

// Refresh forces a refresh, sharing the one in flight. It reports whether the
// session now has a new access token; false when the refresh was rejected,
// failed transiently, or there was no refresh token.
func (c *Client) Refresh(ctx context.Context) (bool, error) {
	res, err := c.session.refresh(ctx, c.refresher)
	return res.Outcome == Refreshed && err == nil, err
}

// ClientStats counts a client's requests and its session's refreshes.
type ClientStats struct {
	Requests, Retries int64
	SessionStats
}

// Stats returns the client's counters.
func (c *Client) Stats() ClientStats {
	return ClientStats{Requests: c.requests.Load(), Retries: c.retries.Load(), SessionStats: c.session.Stats()}
}
