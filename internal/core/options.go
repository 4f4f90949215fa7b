package core

import "time"

// Options are a client's options as a front end received them, in the terms
// of the JS API (the public contract): a nil pointer or slice, or "", means
// "not given". The JS module and the Go API only translate what their callers
// wrote into Options; Validate owns every default and every rule, so that
// the two front ends cannot drift apart.
type Options struct {
	// PageURL is what relative URLs resolve against when no BaseURL is
	// given: the document's base URL. "" where there is no page (a Go
	// program): then URLs must be absolute.
	PageURL string `js:"-"`

	// The options of the public contract; the tags are their JS names, so
	// that the module decodes the JS options straight into Options.
	BaseURL              string    `js:"baseURL"`
	RefreshURL           string    `js:"refreshURL"`
	AccessTokenKey       string    `js:"accessTokenKey"`
	RefreshTokenKey      string    `js:"refreshTokenKey"`
	Storage              string    `js:"storage"`
	RefreshFormat        string    `js:"refreshFormat"`
	ClientID             string    `js:"clientId"`
	RefreshOn            []float64 `js:"refreshOn"`
	AllowedOrigins       []string  `js:"allowedOrigins"`
	RefreshLeewaySeconds *float64  `js:"refreshLeewaySeconds"`
	RefreshTimeoutMs     *float64  `js:"refreshTimeoutMs"`
	CrossTab             *bool     `js:"crossTab"`
	DPoP                 bool      `js:"dpop"`

	// StorageID tells storage objects apart (Storage "object"): clients of
	// the same object share a session, as clients of localStorage do.
	StorageID string `js:"-"`

	// RefreshTokenHeldElsewhere is refreshTokenKey: null: the server keeps
	// the refresh token (an HttpOnly cookie), so none is stored or sent.
	RefreshTokenHeldElsewhere bool `js:"-"`
}

// The defaults of the options, as the public contract gives them.
const (
	DefaultRefreshURL      = "/auth/refresh-token"
	DefaultAccessTokenKey  = "accessToken"
	DefaultRefreshTokenKey = "refreshToken"
	DefaultStorage         = "local"
	DefaultRefreshFormat   = "json"
	DefaultRefreshLeeway   = 30 * time.Second
	DefaultRefreshTimeout  = 10 * time.Second
)

// DefaultRefreshOn are the statuses that trigger a refresh by default.
var DefaultRefreshOn = []int{401}

// ResolveURL resolves ref against base as new URL(ref, base).href does, or
// ref alone when base is "", and fails when the result is not an absolute
// URL. It is a seam: the module uses the browser's URL parser rather than
// link net/url, the Go API uses net/url.
type ResolveURL func(ref, base string) (string, error)

// Config is a client's options, validated, with every default filled in.
type Config struct {
	BaseURL      string // absolute
	ExplicitBase bool   // BaseURL was given: relative inputs join it as axios does
	RefreshURL   string // absolute
	Storage      string // "local", "session", "memory" or "object"
	StorageID    string // which object, for "object"
	AccessKey    string
	RefreshKey   string       // "": the server holds the refresh token
	CrossTab     bool         // with local storage: one refresh across tabs, their writes followed
	Client       ClientConfig // without Refresh.Transport, which only the front end can make

	resolve ResolveURL
}

// SessionKey identifies the session a client belongs to: clients with the
// same storage, token keys and refresh URL share tokens and refreshes.
func (c Config) SessionKey() string {
	return c.Storage + c.StorageID + "\x00" + c.AccessKey + "\x00" + c.RefreshKey + "\x00" + c.RefreshURL
}

// ResolveInput makes a request's URL absolute: joined to an explicit
// BaseURL as axios does, otherwise resolved against the page as fetch does.
func (c Config) ResolveInput(input string) (string, error) {
	if c.ExplicitBase {
		return c.resolve(JoinBaseURL(c.BaseURL, input), "")
	}
	return c.resolve(input, c.BaseURL)
}

// OptionError is a bad option: Option names it as the JS API spells it, and
// Problem says what is wrong, in words that follow the name.
type OptionError struct {
	Option  string
	Problem string
}

func (e *OptionError) Error() string { return "authfetch: option " + e.Option + " " + e.Problem }
