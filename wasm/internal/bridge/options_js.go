//go:build js && wasm

package bridge

import (
	"fmt"
	"strings"
	"syscall/js"

	"github.com/authfetch/authfetch/internal/core"
	"github.com/authfetch/authfetch/internal/jsutil"
	"github.com/norunners/vert"
)

// options are createAuthFetch's options as the caller wrote them; nil and ""
// mean "not given". js/authfetch.d.ts documents each; core.Options.Validate
// owns their defaults and rules.
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

// decodeOptions translates the JS options into core.Options and validates
// them. Its errors name the option and say what was wrong with it.
func decodeOptions(v js.Value) (core.Config, error) {
	var o options
	switch v.Type() {
	case js.TypeUndefined, js.TypeNull:
	case js.TypeObject:
		if err := checkOptionTypes(v); err != nil {
			return core.Config{}, err
		}
		if err := vert.ValueOf(v).AssignTo(&o); err != nil {
			return core.Config{}, fmt.Errorf("authfetch: options: %w", err)
		}
	default:
		return core.Config{}, fmt.Errorf("authfetch: options must be an object, got %s", v.Type())
	}
	return core.Options{
		PageURL:              pageURL(),
		BaseURL:              o.BaseURL,
		RefreshURL:           o.RefreshURL,
		AccessTokenKey:       o.AccessTokenKey,
		RefreshTokenKey:      o.RefreshTokenKey,
		Storage:              o.Storage,
		RefreshFormat:        o.RefreshFormat,
		ClientID:             o.ClientID,
		RefreshOn:            o.RefreshOn,
		AllowedOrigins:       o.AllowedOrigins,
		RefreshLeewaySeconds: o.RefreshLeewaySeconds,
		RefreshTimeoutMs:     o.RefreshTimeoutMs,
		CrossTab:             o.CrossTab,
	}.Validate(resolveURL)
}

// checkOptionTypes rejects unknown options and options of the wrong JS type,
// which vert would otherwise turn into zero values.
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

// resolveURL implements core.ResolveURL with the browser's URL parser: new
// URL(ref, base).href, or the TypeError it throws.
func resolveURL(ref, base string) (href string, err error) {
	err = jsutil.Catch(func() error {
		if base == "" {
			href = jsutil.URL.New(ref).Get("href").String()
		} else {
			href = jsutil.URL.New(ref, base).Get("href").String()
		}
		return nil
	})
	return href, err
}
