package core

import (
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// resolveURL is the ResolveURL seam built on net/url, as the Go API has it.
func resolveURL(ref, base string) (string, error) {
	u, err := url.Parse(base)
	if err == nil {
		u, err = u.Parse(ref)
	}
	if err != nil || !u.IsAbs() || u.Host == "" {
		return "", errors.New("not an absolute URL")
	}
	return u.String(), nil
}

func ptr[T any](v T) *T { return &v }

func TestValidateFillsInTheDefaults(t *testing.T) {
	const page = "https://app.example.com/admin/index.html"
	tests := []struct {
		name string
		opts Options
		want Config
	}{
		{"a page, nothing given", Options{PageURL: page}, Config{
			BaseURL: page, RefreshURL: "https://app.example.com/auth/refresh-token",
			Storage: "local", AccessKey: "accessToken", RefreshKey: "refreshToken", CrossTab: true,
			Client: ClientConfig{
				AllowedOrigins: []string{"https://app.example.com", "https://app.example.com"},
				RefreshOn:      []int{401}, Leeway: 30 * time.Second,
				Refresh: RefreshConfig{Format: FormatJSON, Timeout: 10 * time.Second, URL: "https://app.example.com/auth/refresh-token"},
			},
		}},
		{"a page and a base URL elsewhere", Options{PageURL: page, BaseURL: "https://api.example.com/v1", RefreshURL: "/auth/refresh"}, Config{
			BaseURL: "https://api.example.com/v1", ExplicitBase: true, RefreshURL: "https://api.example.com/v1/auth/refresh",
			Storage: "local", AccessKey: "accessToken", RefreshKey: "refreshToken", CrossTab: true,
			Client: ClientConfig{
				AllowedOrigins: []string{"https://app.example.com", "https://api.example.com"},
				RefreshOn:      []int{401}, Leeway: 30 * time.Second,
				Refresh: RefreshConfig{Format: FormatJSON, Timeout: 10 * time.Second, URL: "https://api.example.com/v1/auth/refresh"},
			},
		}},
		{"no page (a Go program): the refresh URL's origin", Options{RefreshURL: "https://api.example.com/r", RefreshLeewaySeconds: ptr(0.0), CrossTab: ptr(false)}, Config{
			RefreshURL: "https://api.example.com/r",
			Storage:    "local", AccessKey: "accessToken", RefreshKey: "refreshToken",
			Client: ClientConfig{
				AllowedOrigins: []string{"https://api.example.com"},
				RefreshOn:      []int{401},
				Refresh:        RefreshConfig{Format: FormatJSON, Timeout: 10 * time.Second, URL: "https://api.example.com/r"},
			},
		}},
		{"everything given", Options{
			PageURL: page, RefreshURL: "https://id.example.com/oauth/token", AccessTokenKey: "at", RefreshTokenKey: "rt",
			Storage: "session", RefreshFormat: "oauth2", ClientID: "spa", RefreshOn: []float64{401, 419},
			AllowedOrigins: []string{"https://API.example.com:443/ignored"}, RefreshLeewaySeconds: ptr(5.5), RefreshTimeoutMs: ptr(250.0),
		}, Config{
			BaseURL: page, RefreshURL: "https://id.example.com/oauth/token",
			Storage: "session", AccessKey: "at", RefreshKey: "rt", CrossTab: true,
			Client: ClientConfig{
				AllowedOrigins: []string{"https://api.example.com"},
				RefreshOn:      []int{401, 419}, Leeway: 5500 * time.Millisecond,
				Refresh: RefreshConfig{Format: FormatOAuth2, ClientID: "spa", Timeout: 250 * time.Millisecond, URL: "https://id.example.com/oauth/token"},
			},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.opts.Validate(resolveURL)
			require.NoError(t, err)
			got.resolve = nil
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestValidateNamesTheBadOption(t *testing.T) {
	const page = "https://app.example.com/"
	tests := []struct {
		opts   Options
		option string
		want   string
	}{
		{Options{}, "refreshURL", `must be an absolute URL, got ""`},
		{Options{RefreshURL: "/auth/refresh-token"}, "refreshURL", `must be an absolute URL, got "/auth/refresh-token"`},
		{Options{PageURL: page, RefreshURL: "http://["}, "refreshURL", `"http://[" is not a valid URL`},
		{Options{PageURL: page, BaseURL: "http://["}, "baseURL", `"http://[" is not a valid URL`},
		{Options{PageURL: page, Storage: "disk"}, "storage", `must be 'local', 'session' or 'memory', got "disk"`},
		{Options{PageURL: page, AccessTokenKey: "t", RefreshTokenKey: "t"}, "accessTokenKey", `must differ from refreshTokenKey, both are "t"`},
		{Options{PageURL: page, RefreshFormat: "xml"}, "refreshFormat", `must be 'json' or 'oauth2', got "xml"`},
		{Options{PageURL: page, RefreshTimeoutMs: ptr(0.0)}, "refreshTimeoutMs", "must be a number of milliseconds > 0, got 0"},
		{Options{PageURL: page, RefreshTimeoutMs: ptr(-1.0)}, "refreshTimeoutMs", "must be a number of milliseconds > 0, got -1"},
		{Options{PageURL: page, RefreshLeewaySeconds: ptr(-1.0)}, "refreshLeewaySeconds", "must be a number of seconds >= 0, got -1"},
		{Options{PageURL: page, RefreshOn: []float64{401.5}}, "refreshOn", "must list HTTP statuses (100-599), got 401.5"},
		{Options{PageURL: page, RefreshOn: []float64{600}}, "refreshOn", "must list HTTP statuses (100-599), got 600"},
		{Options{PageURL: page, RefreshURL: "ftp://files.example.com/r"}, "refreshURL", `must be an http(s) URL, got "ftp://files.example.com/r"`},
		{Options{PageURL: page, AllowedOrigins: []string{"x"}}, "allowedOrigins", `has "x", which is not an http(s) origin`},
		{Options{PageURL: page, AllowedOrigins: []string{"ftp://example.com"}}, "allowedOrigins", `has "ftp://example.com", which is not an http(s) origin`},
	}
	for _, tt := range tests {
		t.Run(tt.option+" "+tt.want, func(t *testing.T) {
			_, err := tt.opts.Validate(resolveURL)
			var oe *OptionError
			require.ErrorAs(t, err, &oe)
			assert.Equal(t, tt.option, oe.Option)
			assert.Equal(t, tt.want, oe.Problem)
			assert.Equal(t, "authfetch: option "+tt.option+" "+tt.want, err.Error())
		})
	}
}

// refreshTokenKey: null keeps no refresh key, and so cannot clash with the
// access token's.
func TestARefreshTokenHeldElsewhereHasNoKey(t *testing.T) {
	cfg, err := Options{PageURL: "https://app.example.com/", RefreshTokenHeldElsewhere: true, RefreshTokenKey: "accessToken"}.Validate(resolveURL)
	require.NoError(t, err)
	assert.Empty(t, cfg.RefreshKey)
	assert.Equal(t, "accessToken", cfg.AccessKey)
}

func TestResolveInputJoinsAnExplicitBaseAsAxiosDoes(t *testing.T) {
	tests := []struct{ base, input, want string }{
		{"", "/api/me", "https://app.example.com/api/me"},
		{"", "me", "https://app.example.com/admin/me"},
		{"https://api.example.com/v1", "/users", "https://api.example.com/v1/users"},
		{"https://api.example.com/v1/", "users", "https://api.example.com/v1/users"},
		{"https://api.example.com/v1", "https://other.example.com/x", "https://other.example.com/x"},
	}
	for _, tt := range tests {
		cfg, err := Options{PageURL: "https://app.example.com/admin/", BaseURL: tt.base}.Validate(resolveURL)
		require.NoError(t, err)
		got, err := cfg.ResolveInput(tt.input)
		require.NoError(t, err)
		assert.Equal(t, tt.want, got, "%q joined to %q", tt.input, tt.base)
	}
}

func TestSessionKeySeparatesStorageKeysAndRefreshURL(t *testing.T) {
	key := func(o Options) string {
		o.PageURL = "https://app.example.com/"
		cfg, err := o.Validate(resolveURL)
		require.NoError(t, err)
		return cfg.SessionKey()
	}
	same := key(Options{RefreshFormat: "oauth2", RefreshTimeoutMs: ptr(5.0)})
	assert.Equal(t, key(Options{}), same, "options that are the client's own")
	for _, o := range []Options{{Storage: "session"}, {AccessTokenKey: "at"}, {RefreshTokenKey: "rt"}, {RefreshURL: "/other"}, {RefreshTokenHeldElsewhere: true}} {
		assert.NotEqual(t, key(Options{}), key(o), "%+v", o)
	}
}

// FuzzOptionsValidate: whatever the options say, Validate never panics, and
// a Config it accepts keeps every rule: absolute URLs, http(s) origins only,
// statuses in range, a positive timeout, a leeway that is not negative, and
// two different storage keys.
func FuzzOptionsValidate(f *testing.F) {
	f.Add("https://app.example.com/", "", "", "", "", "", "", "", 401.0, 30.0, 10000.0, "")
	f.Add("https://app.example.com/a/", "https://api.example.com/v1", "/r?x", "at", "rt", "session", "oauth2", "spa", 419.0, 0.0, 1.0, "https://api.example.com")
	f.Add("", "", "https://x/r", "k", "k", "memory", "json", "", 600.0, -1.0, 0.0, "x")
	f.Add("https://[::1]:8080/", "//h", "", "", "", "disk", "xml", "", 99.5, 1e10, 1e13, "ftp://h")
	f.Fuzz(func(t *testing.T, page, base, refresh, accessKey, refreshKey, storage, format, clientID string,
		status, leewaySeconds, timeoutMs float64, origin string) {
		o := Options{
			PageURL: page, BaseURL: base, RefreshURL: refresh, AccessTokenKey: accessKey, RefreshTokenKey: refreshKey,
			Storage: storage, RefreshFormat: format, ClientID: clientID, RefreshOn: []float64{status},
			RefreshLeewaySeconds: &leewaySeconds, RefreshTimeoutMs: &timeoutMs,
		}
		if origin != "" {
			o.AllowedOrigins = []string{origin}
		}
		cfg, err := o.Validate(resolveURL)
		if err != nil {
			var oe *OptionError
			if !errors.As(err, &oe) || oe.Option == "" {
				t.Fatalf("%v is not an OptionError that names the option", err)
			}
			return
		}
		if Origin(cfg.RefreshURL) == "" || cfg.Client.Refresh.URL != cfg.RefreshURL {
			t.Fatalf("refresh URL %q is not absolute", cfg.RefreshURL)
		}
		for _, a := range cfg.Client.AllowedOrigins {
			if Origin(a) != a || !strings.HasPrefix(a, "http://") && !strings.HasPrefix(a, "https://") {
				t.Fatalf("allowed origin %q", a)
			}
		}
		for _, s := range cfg.Client.RefreshOn {
			if s < 100 || s > 599 {
				t.Fatalf("refresh status %d", s)
			}
		}
		if cfg.Client.Refresh.Timeout <= 0 || cfg.Client.Leeway < 0 || cfg.AccessKey == "" || cfg.AccessKey == cfg.RefreshKey {
			t.Fatalf("config %+v breaks a rule", cfg)
		}
	})
}
