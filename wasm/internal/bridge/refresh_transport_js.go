//go:build js && wasm

package bridge

import (
	"context"
	"syscall/js"

	"github.com/authfetch/authfetch/internal/core"
	"github.com/authfetch/authfetch/internal/jsutil"
)

// refreshTransport posts refresh requests to url with the page's own fetch
// (or the fetch option), never through api.fetch: the refresh is never
// intercepted, never carries the access token, and never triggers a refresh
// of its own. refreshInit adds credentials and headers of the app's.
type refreshTransport struct {
	url   string
	hooks hooks
}

// Post sends the refresh request and reads the answer's text. When ctx ends
// first, the fetch is aborted.
func (t refreshTransport) Post(ctx context.Context, r core.RefreshRequest) (core.RefreshAnswer, error) {
	ctrl := abortController.New()
	stop := context.AfterFunc(ctx, func() { ctrl.Call("abort") })
	defer stop()
	init := jsutil.Object.New()
	init.Set("method", "POST")
	headers := t.headers(r.ContentType)
	if r.DPoP != "" {
		headers.Call("set", "DPoP", r.DPoP)
	}
	init.Set("headers", headers)
	init.Set("body", r.Body)
	init.Set("cache", "no-store")
	init.Set("signal", ctrl.Get("signal"))
	if extra := t.hooks.refreshInit; extra.Type() == js.TypeObject && !extra.Get("credentials").IsUndefined() {
		init.Set("credentials", extra.Get("credentials"))
	}
	res, err := jsutil.Await(t.hooks.fetcher().Invoke(t.url, init))
	if err != nil {
		return core.RefreshAnswer{}, err
	}
	answer := core.RefreshAnswer{Status: res.Get("status").Int()}
	answer.Date = header(res, "Date") // unreadable cross-origin unless the server exposes it
	if r.DPoP != "" {
		answer.DPoPNonce, answer.WWWAuthenticate = header(res, "DPoP-Nonce"), header(res, "WWW-Authenticate")
	}
	text, err := jsutil.Await(res.Call("text"))
	if err != nil {
		return answer, err
	}
	answer.Body = text.String()
	return answer, nil
}

// headers are refreshInit's headers, then the body's Content-Type, and
// Accept unless the app set its own.
func (t refreshTransport) headers(contentType string) js.Value {
	h := jsHeaders.New()
	if extra := t.hooks.refreshInit; extra.Type() == js.TypeObject {
		h = jsHeaders.New(extra.Get("headers"))
	}
	h.Call("set", "Content-Type", contentType)
	if !h.Call("has", "Accept").Bool() {
		h.Call("set", "Accept", "application/json")
	}
	return h
}

// header is the response's header name, or "".
func header(res js.Value, name string) string {
	if v := res.Get("headers").Call("get", name); v.Type() == js.TypeString {
		return v.String()
	}
	return ""
}
