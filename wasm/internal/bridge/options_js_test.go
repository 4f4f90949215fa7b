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
			got, _, err := decodeOptions(jsOptions(t, tt.src))
			require.NoError(t, err)
			assert.Equal(t, want.SessionKey(), got.SessionKey())
			assert.Equal(t, want.Client, got.Client)
			assert.Equal(t, want.BaseURL, got.BaseURL)
			assert.Equal(t, want.CrossTab, got.CrossTab)
		})
	}
}

// What the values mean is checked by the core, and its errors reach JS as
// they are. (What only JS can get wrong, a typo or a wrong type,
// authfetch.js refuses before the module sees the options.)
func TestBadOptionsAreNamed(t *testing.T) {
	tests := []struct{ src, want string }{
		{`{ storage: 'disk' }`, `authfetch: option storage must be 'local', 'session' or 'memory', got "disk"`},
		{`{ refreshTimeoutMs: NaN }`, "authfetch: option refreshTimeoutMs must be a number of milliseconds > 0, got NaN"},
		{`{ baseURL: 'http://[' }`, `authfetch: option baseURL "http://[" is not a valid URL`},
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			_, _, err := decodeOptions(jsOptions(t, tt.src))
			require.Error(t, err)
			assert.Equal(t, tt.want, err.Error())
		})
	}
}

// The options that are JS values go to the adapters; a storage object gets a
// session of its own, shared by the clients given the same object;
// refreshTokenKey: null keeps no refresh key.
func TestJSValuedOptions(t *testing.T) {
	jsutil.Global.Call("eval", `globalThis.testStore = { getItem() { return null }, setItem() {}, removeItem() {} }`)
	a, h, err := decodeOptions(jsOptions(t, `{ storage: testStore, refreshTokenKey: null, fetch: () => 1, debug: () => {} }`))
	require.NoError(t, err)
	assert.Equal(t, "object", a.Storage)
	assert.Empty(t, a.RefreshKey)
	assert.True(t, h.storage.Equal(jsutil.Global.Get("testStore")))
	assert.NotNil(t, h.tracer())
	b, _, err := decodeOptions(jsOptions(t, `{ storage: testStore }`))
	require.NoError(t, err)
	c, _, err := decodeOptions(jsOptions(t, `{ storage: { getItem() {}, setItem() {}, removeItem() {} } }`))
	require.NoError(t, err)
	assert.Equal(t, a.StorageID, b.StorageID, "the same object")
	assert.NotEqual(t, a.StorageID, c.StorageID, "another object")
	assert.Nil(t, hooks{debug: js.Undefined()}.tracer())
}

// An empty list is a list: refreshOn: [] refreshes on nothing, and
// allowedOrigins: [] sends the token nowhere.
func TestEmptyListsReplaceTheDefaults(t *testing.T) {
	got, _, err := decodeOptions(jsOptions(t, `{ refreshOn: [], allowedOrigins: [] }`))
	require.NoError(t, err)
	assert.Empty(t, got.Client.RefreshOn)
	assert.Empty(t, got.Client.AllowedOrigins)
}
