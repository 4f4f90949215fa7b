//go:build js && wasm

package bridge

import (
	"syscall/js"
	"testing"
	"time"

	"github.com/authfetch/authfetch/internal/core"
	"github.com/authfetch/authfetch/internal/jsutil"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// jsOptions evaluates src, a JS expression, in the page.
func jsOptions(t *testing.T, src string) js.Value {
	t.Helper()
	return jsutil.Global.Call("eval", "("+src+")")
}

// The JS options reach the core as the caller wrote them: relative URLs
// against the page, numbers in their JS units, and what was not given left
// to the core's defaults.
func TestOptionsTranslateIntoTheCore(t *testing.T) {
	page := jsutil.Global.Get("location").Get("origin").String()
	tests := []struct {
		src  string
		want func(c *core.Config)
	}{
		{`undefined`, func(c *core.Config) {}},
		{`null`, func(c *core.Config) {}},
		{`{}`, func(c *core.Config) {}},
		{`{ refreshURL: '/r?x=1', refreshTimeoutMs: 250, refreshLeewaySeconds: 0, crossTab: false }`, func(c *core.Config) {
			c.RefreshURL = page + "/r?x=1"
			c.Client.Refresh.URL = c.RefreshURL
			c.Client.Refresh.Timeout = 250 * time.Millisecond
			c.Client.Leeway = 0
			c.CrossTab = false
		}},
		{`{ refreshFormat: 'oauth2', clientId: 'spa', refreshOn: [401, 419], storage: 'memory', accessTokenKey: 'at', refreshTokenKey: undefined }`, func(c *core.Config) {
			c.Client.Refresh.Format, c.Client.Refresh.ClientID = core.FormatOAuth2, "spa"
			c.Client.RefreshOn = []int{401, 419}
			c.Storage, c.AccessKey = "memory", "at"
		}},
		{`{ allowedOrigins: ['https://api.example.com/v1'], baseURL: 'https://api.example.com/v1' }`, func(c *core.Config) {
			c.BaseURL, c.ExplicitBase = "https://api.example.com/v1", true
			c.RefreshURL = "https://api.example.com/v1/auth/refresh-token"
			c.Client.Refresh.URL = c.RefreshURL
			c.Client.AllowedOrigins = []string{"https://api.example.com"}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			want, err := core.Options{PageURL: pageURL()}.Validate(resolveURL)
			require.NoError(t, err)
			tt.want(&want)
			got, err := decodeOptions(jsOptions(t, tt.src))
			require.NoError(t, err)
			assert.Equal(t, want.SessionKey(), got.SessionKey())
			assert.Equal(t, want.Client, got.Client)
			assert.Equal(t, want.BaseURL, got.BaseURL)
			assert.Equal(t, want.CrossTab, got.CrossTab)
		})
	}
}

// What only JS can get wrong (a typo, a wrong type) is refused here; the
// rest by the core, with the same words.
func TestBadOptionsAreNamed(t *testing.T) {
	tests := []struct{ src, want string }{
		{`42`, "authfetch: options must be an object, got number"},
		{`{ refreshUrl: '/r' }`, `authfetch: unknown option "refreshUrl"`},
		{`{ refreshURL: 42 }`, "authfetch: option refreshURL must be a string, got number"},
		{`{ refreshOn: '401' }`, "authfetch: option refreshOn must be a number[], got string"},
		{`{ refreshOn: [401, '419'] }`, "authfetch: option refreshOn must be a number[], got array of mixed types"},
		{`{ allowedOrigins: [1] }`, "authfetch: option allowedOrigins must be a string[], got number[]"},
		{`{ crossTab: 'yes' }`, "authfetch: option crossTab must be a boolean, got string"},
		{`{ storage: 'disk' }`, `authfetch: option storage must be 'local', 'session' or 'memory', got "disk"`},
		{`{ refreshTimeoutMs: NaN }`, "authfetch: option refreshTimeoutMs must be a number of milliseconds > 0, got NaN"},
		{`{ baseURL: 'http://[' }`, `authfetch: option baseURL "http://[" is not a valid URL`},
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			_, err := decodeOptions(jsOptions(t, tt.src))
			require.Error(t, err)
			assert.Equal(t, tt.want, err.Error())
		})
	}
}

// An empty list is a list: refreshOn: [] refreshes on nothing, and
// allowedOrigins: [] sends the token nowhere.
func TestEmptyListsReplaceTheDefaults(t *testing.T) {
	got, err := decodeOptions(jsOptions(t, `{ refreshOn: [], allowedOrigins: [] }`))
	require.NoError(t, err)
	assert.Empty(t, got.Client.RefreshOn)
	assert.Empty(t, got.Client.AllowedOrigins)
}
