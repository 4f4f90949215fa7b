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
	hooks       hooks
	core        *core.Client
	emit        js.Value // (kind, detail) => void, from js/authfetch.js
	unsubscribe func()
	release     func() // ends the session when this was its last client
	funcs       []js.Func
}

// handle returns the JS object whose methods call into c. Its js.Funcs live
// until close.
func (c *client) handle() js.Value {
	methods := map[string]func(args []js.Value) any{
		"fetch":               func(a []js.Value) any { return c.fetch(jsutil.Arg(a, 0), jsutil.Arg(a, 1)) },
		"setTokens":           func(a []js.Value) any { c.setTokens(jsutil.Arg(a, 0), jsutil.Arg(a, 1), jsutil.Arg(a, 2)); return nil },
		"clearTokens":         func([]js.Value) any { c.core.Session().ClearTokens(); return nil },
		"getAccessToken":      func([]js.Value) any { return nullable(c.core.Session().AccessToken()) },
		"refresh":             func([]js.Value) any { return c.refresh() },
		"getValidAccessToken": func([]js.Value) any { return c.validAccessToken() },
		"stats":               func([]js.Value) any { return c.stats() },
		"close":               func([]js.Value) any { c.close(); return nil },
	}
	obj := jsutil.Object.New()
	for name, m := range methods {
		f := jsutil.FuncOf(func(_ js.Value, args []js.Value) any { return m(args) })
		c.funcs = append(c.funcs, f)
		obj.Set(name, f)
	}
	return obj
}

// fetch is api.fetch: it returns a Promise of the browser's own Response.
func (c *client) fetch(input, init js.Value) js.Value {
	var (
		req core.Request
		out *outgoing
	)
	err := jsutil.Catch(func() (err error) {
		req, out, err = newRequest(c.cfg, c.hooks, input, init)
		return err
	})
	if err != nil {
		return jsutil.Rejected(err)
	}
	return jsutil.Async(func() (js.Value, error) {
		// Without a signal of the caller's nothing can abort: nothing to watch.
		ctx, stop := context.Background(), func() {}
		if out.userSignal {
			ctx, stop = watchSignal(out.template.Get("signal"))
		}
		defer stop()
		res, err := c.core.Do(ctx, req)
		if err != nil {
			return js.Value{}, err
		}
		return res.(response).value, nil
	})
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
