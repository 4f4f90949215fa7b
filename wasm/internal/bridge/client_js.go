//go:build js && wasm

package bridge

import (
	"context"
	"syscall/js"
	"time"

	"github.com/authfetch/authfetch/internal/core"
	"github.com/authfetch/authfetch/internal/jsutil"
)

// client is the Go side of one createAuthFetch client. js/authfetch.js wraps
// the object that handle returns in the public AuthFetch class, which binds
// fetch, validates on()'s arguments and calls listeners.
type client struct {
	cfg         core.Config
	core        *core.Client
	tracked     trackedAttempts
	emit        js.Value // (kind, detail) => void, from js/authfetch.js
	unsubscribe func()
	release     func() // ends the session when this was its last client
	funcs       []js.Func
}

// handle returns the JS object whose methods call into c. Its js.Funcs live
// until close.
func (c *client) handle() js.Value {
	methods := map[string]func(args []js.Value) any{
		"begin": func(a []js.Value) any {
			return c.begin(jsutil.Arg(a, 0), jsutil.Arg(a, 1), jsutil.Arg(a, 2).Int(), jsutil.Arg(a, 3))
		},
		"end": func(a []js.Value) any { c.tracked.end(jsutil.Arg(a, 0).Int()); return nil },
		"answered": func(a []js.Value) any {
			return c.answered(jsutil.Arg(a, 0), jsutil.Arg(a, 1), jsutil.Arg(a, 2), jsutil.Arg(a, 3).Int(), jsutil.Arg(a, 4).Int(), jsutil.Arg(a, 5))
		},
		"calledOff": func(a []js.Value) any { return c.calledOff(jsutil.Arg(a, 0), jsutil.Arg(a, 1), jsutil.Arg(a, 2).Int()) },
		"resolve":   func(a []js.Value) any { return c.resolve(jsutil.Arg(a, 0)) },
		"claims": func(a []js.Value) any {
			return c.claims(jsutil.Arg(a, 0), jsutil.Arg(a, 1), jsutil.Arg(a, 2).Int())
		},
		"nonceAnswer":         func(a []js.Value) any { return c.nonceAnswer(a) },
		"setTokens":           func(a []js.Value) any { c.setTokens(jsutil.Arg(a, 0), jsutil.Arg(a, 1), jsutil.Arg(a, 2)); return nil },
		"clearTokens":         func([]js.Value) any { c.core.Session().ClearTokens(); return nil },
		"getAccessToken":      func([]js.Value) any { return nullable(c.core.Session().AccessToken()) },
		"refresh":             func([]js.Value) any { return c.refresh() },
		"getValidAccessToken": func([]js.Value) any { return c.validAccessToken() },
		"stats":               func([]js.Value) any { return c.stats() },
		"close":               func([]js.Value) any { c.close(); return nil },
	}
	obj := jsutil.Object.New()
	obj.Set("explicitBase", c.cfg.ExplicitBase)
	obj.Set("sessionKey", c.cfg.SessionKey())
	refreshOn := make([]any, len(c.cfg.Client.RefreshOn))
	for i, status := range c.cfg.Client.RefreshOn {
		refreshOn[i] = status
	}
	obj.Set("refreshOn", refreshOn)
	for name, m := range methods {
		f := jsutil.FuncOf(func(_ js.Value, args []js.Value) any { return m(args) })
		c.funcs = append(c.funcs, f)
		obj.Set(name, f)
	}
	return obj
}

// resolve joins a URL to the explicit baseURL as axios does, or returns the
// TypeError new URL throws, which the helper rejects with.
func (c *client) resolve(input js.Value) any {
	href, err := c.cfg.ResolveInput(input.String())
	if err != nil {
		return jsutil.ToJS(err)
	}
	return href
}

// setTokens stores the tokens of a login: authfetch.js checked their types
// and passes "" for a missing refresh token and 0 for a missing expiresIn.
func (c *client) setTokens(access, refresh, expiresIn js.Value) {
	life := time.Duration(expiresIn.Float() * float64(time.Second))
	c.core.Session().SetTokens(core.Tokens{Access: access.String(), Refresh: refresh.String()}, life)
}

// validAccessToken is api.getValidAccessToken(): a Promise of an access
// token that does not expire within the leeway, refreshed first when needed,
// or null.
func (c *client) validAccessToken() js.Value {
	return jsutil.Async(func() (js.Value, error) {
		tok, err := c.core.ValidAccessToken(context.Background())
		return js.ValueOf(nullable(tok)), err
	})
}

// refresh is api.refresh(): a Promise of whether the session has a new token.
func (c *client) refresh() js.Value {
	return jsutil.Async(func() (js.Value, error) {
		ok, err := c.core.Refresh(context.Background())
		return js.ValueOf(ok), err
	})
}

// stats are the counters in the order authfetch.js names them.
func (c *client) stats() js.Value {
	s := c.core.Stats()
	return js.ValueOf([]any{s.Requests, s.Retries, s.Refreshes, s.Adoptions, s.RefreshErrors, s.AuthFailures})
}

// onEvent forwards a session event to authfetch.js, which makes each kind's
// detail and calls the listeners. A throwing emit must not take down the
// goroutine that refreshed.
func (c *client) onEvent(ev core.Event) {
	_ = jsutil.Catch(func() error {
		c.emit.Invoke(string(ev.Kind), nullable(ev.AccessToken), ev.Adopted, ev.Status, ev.Reason)
		return nil
	})
}

// close stops events and releases the client's js.Funcs. Requests already
// under way still settle: their goroutines hold what they need.
func (c *client) close() {
	c.unsubscribe()
	c.release()
	for _, f := range c.funcs {
		jsutil.Release(f)
	}
	c.funcs = nil
}

// nullable turns "" into null, as the JS API reports a missing token.
func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}
