//go:build js && wasm

package bridge

import (
	"fmt"
	"strconv"
	"syscall/js"

	"github.com/authfetch/authfetch/internal/core"
	"github.com/authfetch/authfetch/internal/jsutil"
	"github.com/norunners/vert"
)

// hooks are the options that are JS values rather than data: they go to the
// adapters, not to the core. Each is undefined when not given.
type hooks struct {
	refresh js.Value // a function that replaces the POST to refreshURL
	storage js.Value // an object with getItem, setItem and removeItem
	debug   js.Value // a function of a decision's fields, from authfetch.js
	post    js.Value // js/refresh.js's post, from authfetch.js: sends the refresh request
}

// decodeOptions translates the JS options, whose types authfetch.js checked,
// into core.Options and validates them. Its errors name the option and say
// what was wrong with it.
func decodeOptions(v js.Value) (core.Config, hooks, error) {
	var o core.Options
	h := hooks{refresh: v.Get("refresh"), storage: v.Get("storage"), debug: v.Get("debug"), post: v.Get("post")}
	data := v // vert reads the fields of core.Options only
	if h.storage.Type() == js.TypeObject {
		data = jsutil.Object.Call("assign", jsutil.Object.New(), v)
		data.Set("storage", "object")
	}
	if err := vert.ValueOf(data).AssignTo(&o); err != nil {
		return core.Config{}, h, fmt.Errorf("authfetch: options: %w", err)
	}
	o.PageURL, o.StorageID = pageURL(), h.storageID()
	o.RefreshTokenHeldElsewhere = v.Get("refreshTokenKey").IsNull()
	cfg, err := o.Validate(resolveURL)
	return cfg, h, err
}

// storageID tells the storage object apart from the others this page gave,
// so that clients of one object share a session; "" without one.
func (h hooks) storageID() string {
	if h.storage.Type() != js.TypeObject {
		return ""
	}
	i := storageObjects.Call("indexOf", h.storage).Int()
	if i < 0 {
		i = storageObjects.Call("push", h.storage).Int() - 1
	}
	return strconv.Itoa(i)
}

// storageObjects are the storage objects given to clients of this page, in
// the order first seen: a few, for the page's life.
var storageObjects = jsutil.Array.New()

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
	b := js.Undefined()
	if base != "" {
		b = js.ValueOf(base)
	}
	err = jsutil.Catch(func() error { href = jsutil.URL.New(ref, b).Get("href").String(); return nil })
	return href, err
}
