package authfetch

import (
	"context"
	"errors"
	"io"
	"net/http"
	"time"

	"github.com/authfetch/authfetch/internal/core"
)

// Client sends requests with the bearer token and refreshes it; it is safe
// for concurrent use. It implements http.RoundTripper.
type Client struct {
	core *core.Client
	base http.RoundTripper
}

// New returns a Client with o, or an error that names the bad option.
func New(o Options) (*Client, error) {
	cfg, err := o.config()
	if err != nil {
		return nil, err
	}
	var storage Storage = &core.MemoryStorage{}
	if o.Storage != nil {
		storage = o.Storage
	}
	store := core.NewTokenStore(storage, cfg.AccessKey, cfg.RefreshKey)
	session := core.NewSession(store, parseJSON, o.Now)
	cc := cfg.Client
	cc.Refresh.Transport = refreshTransport{url: cfg.RefreshURL, base: o.base()}
	cc.Refresh.Func = o.refreshFunc()
	cc.Trace = o.Trace
	if o.Trace != nil {
		session.Trace(o.Trace)
	}
	return &Client{core: core.NewClient(session, cc), base: o.base()}, nil
}

// Fetch sends req: with the token when its origin is allowed and it has no
// Authorization header of its own, refreshed once on a refresh status and
// sent again once. Like http.Client.Do, an error means no response; a final
// 401 is a response. req's body is sent again only if req.GetBody is set (as
// http.NewRequest sets it for in-memory bodies). req is not modified.
func (c *Client) Fetch(ctx context.Context, req *http.Request) (*http.Response, error) {
	res, err := c.core.Do(ctx, c.request(req.WithContext(ctx)))
	if err != nil {
		return nil, err
	}
	return res.(response).Response, nil
}

// RoundTrip implements http.RoundTripper with Fetch and the request's context.
func (c *Client) RoundTrip(req *http.Request) (*http.Response, error) {
	return c.Fetch(req.Context(), req)
}

// HTTPClient returns an *http.Client that sends through c.
func (c *Client) HTTPClient() *http.Client { return &http.Client{Transport: c} }

// SetTokens stores the tokens of a login; an empty Refresh removes the stored one.
func (c *Client) SetTokens(t Tokens) { c.core.Session().SetTokens(t, 0) }

// SetTokensExpiring is SetTokens for an access token that does not tell its
// own life (an opaque token, a JWT without exp): it expires in expiresIn.
func (c *Client) SetTokensExpiring(t Tokens, expiresIn time.Duration) {
	c.core.Session().SetTokens(t, expiresIn)
}

// Token returns an access token that does not expire within the refresh
// leeway as far as the client can tell, refreshed first (sharing the one
// refresh) when needed, with its expiry (zero when unknown): for what does
// not go through the Client, such as a WebSocket, in the manner of
// golang.org/x/oauth2's TokenSource. It returns an error when there is no
// token to be had, or when ctx ends first.
func (c *Client) Token(ctx context.Context) (*Token, error) {
	access, err := c.core.ValidAccessToken(ctx)
	if err != nil {
		return nil, err
	}
	if access == "" {
		return nil, ErrNoToken
	}
	expiry, _ := c.core.Session().Expiry(access)
	return &Token{AccessToken: access, Expiry: expiry}, nil
}

// Token is an access token and when it expires.
type Token struct {
	AccessToken string
	Expiry      time.Time // zero when unknown
}

// ErrNoToken is what Token returns when there is no access token and none
// can be had (no refresh token, or the refresh failed).
var ErrNoToken = errors.New("authfetch: no access token")

// ClearTokens removes both tokens (a logout).
func (c *Client) ClearTokens() { c.core.Session().ClearTokens() }

// AccessToken returns the stored access token, or "".
func (c *Client) AccessToken() string { return c.core.Session().AccessToken() }

// Refresh forces a refresh, sharing one in flight, and reports whether it
// got a new access token. It returns an error only when ctx ends first.
func (c *Client) Refresh(ctx context.Context) (bool, error) { return c.core.Refresh(ctx) }

// Subscribe calls fn with every event until the returned function is
// called. fn runs on the goroutine that caused the event and must not block.
func (c *Client) Subscribe(fn func(Event)) (unsubscribe func()) {
	return c.core.Session().Subscribe(fn)
}

// Stats returns the client's counters.
func (c *Client) Stats() Stats { return c.core.Stats() }

// request describes req to the core, with a Send that clones it per attempt.
func (c *Client) request(req *http.Request) core.Request {
	return core.Request{
		URL:              req.URL.String(),
		Method:           req.Method,
		HasAuthorization: req.Header.Get("Authorization") != "",
		Replayable:       req.Body == nil || req.Body == http.NoBody || req.GetBody != nil,
		Send: func(ctx context.Context, bearer string) (core.Response, error) {
			return c.send(ctx, req, bearer)
		},
	}
}

// send clones req, as golang.org/x/oauth2's Transport does, so the caller's
// request is never modified; a second attempt takes a fresh body from GetBody.
// The attempt keeps req's own context: the core's ends when send returns, and
// the response body is read after that. (Attempts are never called off here:
// a Go transport has no queue per origin for them to wait in, so the client
// leaves ClientConfig.QueuesBeyond at 0.)
func (c *Client) send(_ context.Context, req *http.Request, bearer string) (core.Response, error) {
	attempt := req.Clone(req.Context())
	if req.GetBody != nil {
		body, err := req.GetBody()
		if err != nil {
			return nil, err
		}
		attempt.Body = body
	}
	if bearer != "" {
		attempt.Header.Set("Authorization", "Bearer "+bearer)
	}
	res, err := c.base.RoundTrip(attempt)
	if err != nil {
		return nil, err
	}
	return response{res}, nil
}

// response is an *http.Response as the core sees it.
type response struct{ *http.Response }

func (r response) Status() int { return r.StatusCode }

// Discard closes the body of a response the core drops for a retry, so its
// connection goes back to the pool.
func (r response) Discard() {
	_, _ = io.Copy(io.Discard, io.LimitReader(r.Body, maxRefreshAnswer))
	_ = r.Body.Close()
}
