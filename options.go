package authfetch

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/authfetch/authfetch/internal/core"
)

// Options configure a Client. Only RefreshURL is required; every other zero
// value means the default given, the same as the JS API's.
type Options struct {
	// RefreshURL is the absolute URL of the refresh endpoint.
	RefreshURL string
	// Storage keeps the tokens; nil keeps them in memory. In a Go WebAssembly
	// app, LocalStorage() shares them with the page.
	Storage Storage
	// AccessTokenKey and RefreshTokenKey are the storage keys; the defaults are
	// "accessToken" and "refreshToken".
	AccessTokenKey, RefreshTokenKey string
	// RefreshFormat is "json" (the default: {"refreshToken": rt}) or "oauth2"
	// (RFC 6749 section 6).
	RefreshFormat string
	// ClientID is sent as client_id in the "oauth2" format.
	ClientID string
	// RefreshOn lists the statuses that trigger a refresh; the default is 401.
	RefreshOn []int
	// AllowedOrigins are the only origins that receive the token, as
	// "https://host[:port]"; the default is the origin of RefreshURL.
	AllowedOrigins []string
	// RefreshLeeway refreshes before sending when the token expires within it;
	// the default is 30s, and a negative value refreshes only on a refresh
	// status.
	RefreshLeeway time.Duration
	// RefreshTimeout bounds how long requests wait for a refresh; the default
	// is 10s.
	RefreshTimeout time.Duration
	// Base sends the requests, the refresh included; the default is
	// http.DefaultTransport.
	Base http.RoundTripper
	// Now is the clock for token expiry; the default is time.Now.
	Now func() time.Time
	// Refresh, when set, replaces the POST to RefreshURL with a refresh of
	// your own (a GraphQL mutation, a vendor SDK). It gets the stored refresh
	// token and a ctx that ends at RefreshTimeout; it returns the new tokens
	// (an empty Refresh keeps the old one) and the access token's life (0:
	// unknown). Return ErrRefreshRejected to log the user out; any other
	// error is a transient failure, tokens kept. The one refresh, the queue
	// and the events stay the Client's.
	Refresh func(ctx context.Context, refreshToken string) (Tokens, time.Duration, error)
	// Trace, when set, hears each decision the client makes: why a token
	// was attached or not, refreshes and why, retries, tokens removed or
	// kept and why. It must not block, and it never gets a token.
	Trace func(Decision)
}

// ErrRefreshRejected is what Options.Refresh returns when the refresh token
// is refused: the tokens are removed and EventAuthFailure fires.
var ErrRefreshRejected = errors.New("authfetch: refresh rejected")

// Storage is where tokens live: Get returns "" for a missing key. A Storage
// that fails makes the client keep its tokens in memory from then on.
type Storage = core.Storage

// Tokens is an access and refresh token pair; "" means none.
type Tokens = core.Tokens

// Event is something that happened to a client's session: a refresh, an
// auth failure, a transient refresh error, or new tokens.
type Event = core.Event

// Stats counts a client's requests and retries and its refreshes.
type Stats = core.ClientStats

// EventKind names an event, as the JS API spells it.
type EventKind = core.EventKind

// The kinds of Event.
const (
	EventRefresh      = core.EventRefresh      // a refresh succeeded
	EventAuthFailure  = core.EventAuthFailure  // a refresh was rejected and the tokens removed
	EventRefreshError = core.EventRefreshError // a refresh failed transiently; tokens kept
	EventTokens       = core.EventTokens       // the stored tokens changed
)

// Decision is one thing the client decided, for Options.Trace: Type names
// it, URL is the request concerned, Reason says why.
type Decision = core.Decision

// config translates o into the core's options, which validate them and fill
// in the defaults, and names a bad option as Go spells it.
func (o Options) config() (core.Config, error) {
	opts := core.Options{
		RefreshURL:      o.RefreshURL,
		AccessTokenKey:  o.AccessTokenKey,
		RefreshTokenKey: o.RefreshTokenKey,
		RefreshFormat:   o.RefreshFormat,
		ClientID:        o.ClientID,
		AllowedOrigins:  o.AllowedOrigins,
	}
	if o.RefreshOn != nil {
		opts.RefreshOn = make([]float64, len(o.RefreshOn))
		for i, s := range o.RefreshOn {
			opts.RefreshOn[i] = float64(s)
		}
	}
	switch {
	case o.RefreshLeeway < 0:
		opts.RefreshLeewaySeconds = new(float64)
	case o.RefreshLeeway > 0:
		opts.RefreshLeewaySeconds = ptr(o.RefreshLeeway.Seconds())
	}
	if o.RefreshTimeout != 0 {
		opts.RefreshTimeoutMs = ptr(float64(o.RefreshTimeout) / float64(time.Millisecond))
	}
	cfg, err := opts.Validate(resolveURL)
	var bad *core.OptionError
	switch {
	case !errors.As(err, &bad):
		return cfg, err
	case bad.Option == "refreshTimeoutMs":
		return cfg, fmt.Errorf("authfetch: Options.RefreshTimeout must be positive and below 31 years, got %v", o.RefreshTimeout)
	}
	return cfg, fmt.Errorf("authfetch: Options.%s %s", goOptionNames[bad.Option], bad.Problem)
}

// goOptionNames spells the options the core names as the fields of Options.
var goOptionNames = map[string]string{
	"refreshURL":      "RefreshURL",
	"accessTokenKey":  "AccessTokenKey",
	"refreshTokenKey": "RefreshTokenKey",
	"refreshFormat":   "RefreshFormat",
	"refreshOn":       "RefreshOn",
	"allowedOrigins":  "AllowedOrigins",
}

// resolveURL implements core.ResolveURL with net/url; resolved against no
// base, a reference stays as it is.
func resolveURL(ref, base string) (string, error) {
	u, err := url.Parse(base)
	if err == nil {
		u, err = u.Parse(ref)
	}
	if err != nil || !u.IsAbs() || u.Host == "" {
		return "", fmt.Errorf("%q is not an absolute URL", ref)
	}
	return u.String(), nil
}

func (o Options) base() http.RoundTripper {
	if o.Base != nil {
		return o.Base
	}
	return http.DefaultTransport
}

func ptr[T any](v T) *T { return &v }

// refreshFunc adapts Options.Refresh to the core's refresh function.
func (o Options) refreshFunc() core.RefreshFunc {
	if o.Refresh == nil {
		return nil
	}
	return func(ctx context.Context, refreshToken string) (core.FuncAnswer, error) {
		tokens, life, err := o.Refresh(ctx, refreshToken)
		if errors.Is(err, ErrRefreshRejected) {
			return core.FuncAnswer{Rejected: true}, nil
		}
		return core.FuncAnswer{Tokens: tokens, ExpiresIn: life}, err
	}
}
