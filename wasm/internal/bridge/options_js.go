//go:build js && wasm

package bridge

import (
	"fmt"
	"math"
	"strings"
	"syscall/js"
	"time"

	"github.com/authfetch/authfetch/internal/core"
	"github.com/authfetch/authfetch/internal/jsutil"
	"github.com/norunners/vert"
)

// options are createAuthFetch's options as the caller wrote them; nil and ""
// mean "not given". ../../js/authfetch.d.ts documents each.
type options struct {
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
}

// optionTypes is the JS type each option must have. An option that is not
// listed is a typo (refreshUrl for refreshURL) and rejected as unknown.
var optionTypes = map[string]string{
	"baseURL":              "string",
	"refreshURL":           "string",
	"accessTokenKey":       "string",
	"refreshTokenKey":      "string",
	"storage":              "string",
	"refreshFormat":        "string",
	"clientId":             "string",
	"refreshOn":            "number[]",
	"allowedOrigins":       "string[]",
	"refreshLeewaySeconds": "number",
	"refreshTimeoutMs":     "number",
	"crossTab":             "boolean",
}

// config is a client's validated options.
type config struct {
	baseURL      string // absolute
	explicitBase bool   // baseURL was given, so relative inputs join it as axios does
	refreshURL   string // absolute
	storage      string // "local", "session" or "memory"
	accessKey    string
	refreshKey   string
	crossTab     bool              // with local storage: one refresh across tabs, their writes followed
	client       core.ClientConfig // without the refresh transport and parser
}

// sessionKey identifies the session a client belongs to: clients with the
// same storage, token keys and refresh URL share tokens and refreshes.
func (c config) sessionKey() string {
	return c.storage + "\x00" + c.accessKey + "\x00" + c.refreshKey + "\x00" + c.refreshURL
}

// decodeOptions validates v and fills in the defaults of API.md. Its errors
// name the option and say what was wrong with it.
func decodeOptions(v js.Value) (config, error) {
	var o options
	switch v.Type() {
	case js.TypeUndefined, js.TypeNull:
	case js.TypeObject:
		if err := checkOptionTypes(v); err != nil {
			return config{}, err
		}
		if err := vert.ValueOf(v).AssignTo(&o); err != nil {
			return config{}, fmt.Errorf("authfetch: options: %w", err)
		}
	default:
		return config{}, fmt.Errorf("authfetch: options must be an object, got %s", v.Type())
	}
	return o.resolve(pageURL())
}

func checkOptionTypes(v js.Value) error {
	keys := jsutil.Object.Call("keys", v)
	for i, n := 0, keys.Length(); i < n; i++ {
		name := keys.Index(i).String()
		want, known := optionTypes[name]
		if !known {
			return fmt.Errorf("authfetch: unknown option %q", name)
		}
		got := typeOf(v.Get(name))
		if got == "empty array" && strings.HasSuffix(want, "[]") {
			continue
		}
		if got != want && got != "undefined" {
			return fmt.Errorf("authfetch: option %s must be a %s, got %s", name, want, got)
		}
	}
	return nil
}

// typeOf names a value's type in the words optionTypes uses.
func typeOf(v js.Value) string {
	if v.Type() != js.TypeObject || !jsutil.Array.Call("isArray", v).Bool() {
		return v.Type().String()
	}
	elem := ""
	for i, n := 0, v.Length(); i < n; i++ {
		t := v.Index(i).Type().String()
		if elem != "" && t != elem {
			return "array of mixed types"
		}
		elem = t
	}
	if elem == "" {
		return "empty array"
	}
	return elem + "[]"
}

// pageURL is the URL relative inputs resolve against by default: the
// document's base URL, or the worker's location.
func pageURL() string {
	if doc := jsutil.Global.Get("document"); doc.Type() == js.TypeObject {
		return doc.Get("baseURI").String()
	}
	return jsutil.Global.Get("location").Get("href").String()
}

func (o options) resolve(page string) (config, error) {
	c := config{
		baseURL:    page,
		storage:    orDefault(o.Storage, "local"),
		accessKey:  orDefault(o.AccessTokenKey, "accessToken"),
		refreshKey: orDefault(o.RefreshTokenKey, "refreshToken"),
		crossTab:   o.CrossTab == nil || *o.CrossTab,
	}
	if o.BaseURL != "" {
		base, err := absolute(o.BaseURL, page)
		if err != nil {
			return c, fmt.Errorf("authfetch: option baseURL %q is not a valid URL", o.BaseURL)
		}
		c.baseURL, c.explicitBase = base, true
	}
	refreshURL, err := c.resolveURL(orDefault(o.RefreshURL, "/auth/refresh-token"))
	if err != nil {
		return c, fmt.Errorf("authfetch: option refreshURL %q is not a valid URL", o.RefreshURL)
	}
	c.refreshURL = refreshURL
	switch c.storage {
	case "local", "session", "memory":
	default:
		return c, fmt.Errorf("authfetch: option storage must be 'local', 'session' or 'memory', got %q", c.storage)
	}
	format, err := core.ParseFormat(orDefault(o.RefreshFormat, "json"))
	if err != nil {
		return c, fmt.Errorf("authfetch: option refreshFormat %w", err)
	}
	c.client.Refresh = core.RefreshConfig{Format: format, ClientID: o.ClientID, Timeout: 10 * time.Second}
	if c.client.RefreshOn, err = statuses(o.RefreshOn); err != nil {
		return c, err
	}
	if c.client.AllowedOrigins, err = c.origins(o.AllowedOrigins, page); err != nil {
		return c, err
	}
	c.client.Leeway = 30 * time.Second
	if o.RefreshLeewaySeconds != nil {
		s := *o.RefreshLeewaySeconds
		if math.IsNaN(s) || s < 0 || s > 1e9 {
			return c, fmt.Errorf("authfetch: option refreshLeewaySeconds must be a number of seconds >= 0, got %v", s)
		}
		c.client.Leeway = time.Duration(s * float64(time.Second))
	}
	if o.RefreshTimeoutMs != nil {
		ms := *o.RefreshTimeoutMs
		if math.IsNaN(ms) || ms <= 0 || ms > 1e12 {
			return c, fmt.Errorf("authfetch: option refreshTimeoutMs must be a number of milliseconds > 0, got %v", ms)
		}
		c.client.Refresh.Timeout = time.Duration(ms * float64(time.Millisecond))
	}
	switch "" {
	case c.accessKey, c.refreshKey:
		return c, fmt.Errorf("authfetch: options accessTokenKey and refreshTokenKey must not be empty")
	}
	if c.accessKey == c.refreshKey {
		return c, fmt.Errorf("authfetch: options accessTokenKey and refreshTokenKey must differ, both are %q", c.accessKey)
	}
	return c, nil
}

// statuses validates refreshOn; the default is [401].
func statuses(given []float64) ([]int, error) {
	if given == nil {
		return []int{401}, nil
	}
	out := make([]int, 0, len(given))
	for _, s := range given {
		if s != math.Trunc(s) || s < 100 || s > 599 {
			return nil, fmt.Errorf("authfetch: option refreshOn must list HTTP statuses (100-599), got %v", s)
		}
		out = append(out, int(s))
	}
	return out, nil
}

// origins validates allowedOrigins; the default is the page's origin and the
// baseURL's. A list given replaces the default.
func (c config) origins(given []string, page string) ([]string, error) {
	if given == nil {
		given = []string{page, c.baseURL}
	}
	out := make([]string, 0, len(given))
	for _, o := range given {
		u, err := absolute(o, "")
		origin := core.Origin(u)
		if err != nil || !strings.HasPrefix(origin, "http://") && !strings.HasPrefix(origin, "https://") {
			return nil, fmt.Errorf("authfetch: option allowedOrigins has %q, which is not an http(s) origin", o)
		}
		out = append(out, origin)
	}
	return out, nil
}

// resolveURL makes input absolute: joined to an explicit baseURL as axios
// does, otherwise resolved against the page as fetch does.
func (c config) resolveURL(input string) (string, error) {
	if c.explicitBase {
		return absolute(core.JoinBaseURL(c.baseURL, input), "")
	}
	return absolute(input, c.baseURL)
}

// absolute returns new URL(input, base).href, or the TypeError it throws.
func absolute(input, base string) (href string, err error) {
	err = jsutil.Catch(func() error {
		if base == "" {
			href = jsutil.URL.New(input).Get("href").String()
		} else {
			href = jsutil.URL.New(input, base).Get("href").String()
		}
		return nil
	})
	return href, err
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
