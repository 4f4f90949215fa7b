package core

import (
	"fmt"
	"math"
	"strings"
	"time"
)

// Validate checks o, fills in the defaults and returns the client's Config,
// or an *OptionError that names the first bad option.
func (o Options) Validate(resolve ResolveURL) (Config, error) {
	c := Config{
		BaseURL:    o.PageURL,
		Storage:    orDefault(o.Storage, DefaultStorage),
		AccessKey:  orDefault(o.AccessTokenKey, DefaultAccessTokenKey),
		RefreshKey: orDefault(o.RefreshTokenKey, DefaultRefreshTokenKey),
		StorageID:  o.StorageID,
		CrossTab:   o.CrossTab == nil || *o.CrossTab,
		resolve:    resolve,
	}
	if o.BaseURL != "" {
		base, err := resolve(o.BaseURL, o.PageURL)
		if err != nil {
			return c, &OptionError{"baseURL", fmt.Sprintf("%q is not a valid URL", o.BaseURL)}
		}
		c.BaseURL, c.ExplicitBase = base, true
	}
	refreshURL := orDefault(o.RefreshURL, DefaultRefreshURL)
	var err error
	if c.RefreshURL, err = c.ResolveInput(refreshURL); err != nil {
		if c.BaseURL == "" {
			return c, &OptionError{"refreshURL", fmt.Sprintf("must be an absolute URL, got %q", o.RefreshURL)}
		}
		return c, &OptionError{"refreshURL", fmt.Sprintf("%q is not a valid URL", refreshURL)}
	}
	if !isHTTPOrigin(Origin(c.RefreshURL)) {
		return c, &OptionError{"refreshURL", fmt.Sprintf("must be an http(s) URL, got %q", c.RefreshURL)}
	}
	switch c.Storage {
	case "local", "session", "memory":
	case "object":
		if c.StorageID == "" {
			return c, &OptionError{"storage", "is an object that was not told apart from others"}
		}
	default:
		return c, &OptionError{"storage", fmt.Sprintf("must be 'local', 'session' or 'memory', got %q", c.Storage)}
	}
	if o.RefreshTokenHeldElsewhere {
		c.RefreshKey = ""
	} else if err := c.checkKeys(); err != nil {
		return c, err
	}
	format, err := ParseFormat(orDefault(o.RefreshFormat, DefaultRefreshFormat))
	if err != nil {
		return c, &OptionError{"refreshFormat", err.Error()}
	}
	timeout, err := refreshTimeout(o.RefreshTimeoutMs)
	if err != nil {
		return c, err
	}
	c.Client.Refresh = RefreshConfig{Format: format, ClientID: o.ClientID, Timeout: timeout, URL: c.RefreshURL}
	c.Client.DPoP = o.DPoP
	if c.Client.RefreshOn, err = statuses(o.RefreshOn); err != nil {
		return c, err
	}
	if c.Client.AllowedOrigins, err = c.origins(o.AllowedOrigins, o.PageURL); err != nil {
		return c, err
	}
	c.Client.Leeway, err = leeway(o.RefreshLeewaySeconds)
	return c, err
}

func (c Config) checkKeys() error {
	if c.AccessKey == c.RefreshKey {
		return &OptionError{"accessTokenKey", fmt.Sprintf("must differ from refreshTokenKey, both are %q", c.AccessKey)}
	}
	return nil
}

// refreshTimeout validates refreshTimeoutMs.
func refreshTimeout(ms *float64) (time.Duration, error) {
	if ms == nil {
		return DefaultRefreshTimeout, nil
	}
	if math.IsNaN(*ms) || *ms <= 0 || *ms > 1e12 {
		return 0, &OptionError{"refreshTimeoutMs", fmt.Sprintf("must be a number of milliseconds > 0, got %v", *ms)}
	}
	return time.Duration(*ms * float64(time.Millisecond)), nil
}

// leeway validates refreshLeewaySeconds; 0 turns refreshing ahead off.
func leeway(seconds *float64) (time.Duration, error) {
	if seconds == nil {
		return DefaultRefreshLeeway, nil
	}
	if s := *seconds; math.IsNaN(s) || s < 0 || s > 1e9 {
		return 0, &OptionError{"refreshLeewaySeconds", fmt.Sprintf("must be a number of seconds >= 0, got %v", s)}
	}
	return time.Duration(*seconds * float64(time.Second)), nil
}

// statuses validates refreshOn.
func statuses(given []float64) ([]int, error) {
	if given == nil {
		return DefaultRefreshOn, nil
	}
	out := make([]int, 0, len(given))
	for _, s := range given {
		if s != math.Trunc(s) || s < 100 || s > 599 {
			return nil, &OptionError{"refreshOn", fmt.Sprintf("must list HTTP statuses (100-599), got %v", s)}
		}
		out = append(out, int(s))
	}
	return out, nil
}

// origins validates allowedOrigins. The default is the origins of the page
// and of the base URL; where there is neither (a Go program), the refresh
// URL's. A list given replaces the default.
func (c Config) origins(given []string, page string) ([]string, error) {
	if given == nil {
		for _, u := range []string{page, c.BaseURL} {
			if u != "" {
				given = append(given, u)
			}
		}
		if given == nil {
			given = []string{c.RefreshURL}
		}
	}
	out := make([]string, 0, len(given))
	for _, o := range given {
		u, err := c.resolve(o, "")
		origin := Origin(u)
		if err != nil || !isHTTPOrigin(origin) {
			return nil, &OptionError{"allowedOrigins", fmt.Sprintf("has %q, which is not an http(s) origin", o)}
		}
		out = append(out, origin)
	}
	return out, nil
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// isHTTPOrigin reports whether origin is an http or https origin: the only
// ones fetch sends a token to.
func isHTTPOrigin(origin string) bool {
	return strings.HasPrefix(origin, "http://") || strings.HasPrefix(origin, "https://")
}
