package authfetch

import (
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
}

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

// config validates o and fills in the defaults.
func (o Options) config() (core.ClientConfig, error) {
	var cfg core.ClientConfig
	u, err := url.Parse(o.RefreshURL)
	if err != nil || !u.IsAbs() || u.Host == "" {
		return cfg, fmt.Errorf("authfetch: Options.RefreshURL must be an absolute URL, got %q", o.RefreshURL)
	}
	format, err := core.ParseFormat(orDefault(o.RefreshFormat, "json"))
	if err != nil {
		return cfg, fmt.Errorf("authfetch: Options.RefreshFormat %w", err)
	}
	cfg.AllowedOrigins = []string{core.Origin(u.String())}
	if o.AllowedOrigins != nil {
		cfg.AllowedOrigins = nil
		for _, a := range o.AllowedOrigins {
			origin := core.Origin(a)
			if origin == "" {
				return cfg, fmt.Errorf("authfetch: Options.AllowedOrigins has %q, which is not an origin", a)
			}
			cfg.AllowedOrigins = append(cfg.AllowedOrigins, origin)
		}
	}
	cfg.RefreshOn = []int{http.StatusUnauthorized}
	if o.RefreshOn != nil {
		cfg.RefreshOn = o.RefreshOn
	}
	switch {
	case o.RefreshLeeway == 0:
		cfg.Leeway = 30 * time.Second
	case o.RefreshLeeway > 0:
		cfg.Leeway = o.RefreshLeeway
	}
	timeout := o.RefreshTimeout
	if timeout == 0 {
		timeout = 10 * time.Second
	}
	if timeout < 0 {
		return cfg, errors.New("authfetch: Options.RefreshTimeout must not be negative")
	}
	cfg.Refresh = core.RefreshConfig{
		Transport: refreshTransport{url: u.String(), base: o.base()},
		Format:    format,
		ClientID:  o.ClientID,
		Timeout:   timeout,
		URL:       u.String(),
	}
	return cfg, nil
}

func (o Options) base() http.RoundTripper {
	if o.Base != nil {
		return o.Base
	}
	return http.DefaultTransport
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
