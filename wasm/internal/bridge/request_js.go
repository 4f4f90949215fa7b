//go:build js && wasm

package bridge

import (
	"context"
	"syscall/js"

	"github.com/authfetch/authfetch/internal/core"
	"github.com/authfetch/authfetch/internal/jsutil"
)

// outgoing is one api.fetch call: the browser Request built once from the
// caller's input and init, and sent once or twice.
//
// The Request is built before the first send so that a retry replays exactly
// the same method, URL, headers and body; a Request with a body is cloned for
// each attempt but the last, because sending one consumes its body.
type outgoing struct {
	template   js.Value // the Request; sent as is on the last attempt
	fetch      js.Value // the fetch that sends it, chosen when api.fetch was called
	hasBody    bool     // template.body is not null, so attempts need a clone
	replayable bool     // the body is not a ReadableStream: a retry may follow
	userSignal bool     // the caller gave an AbortSignal (in init or its Request)
	sent       int      // attempts made so far
	authorized bool     // an attempt set Authorization on template itself
	plain      bool     // api.fetch(url) with no init: a Request with every default
}

// fetchFlags are authfetch's own members of init.
type fetchFlags struct {
	skipAuth, skipAuthRefresh bool
}

// newRequest builds the core.Request for input and init, a string input
// joined to an explicit baseURL (without one, new Request resolves it against
// the page as fetch would). It fails with what new Request or new URL throw for
// bad input: a TypeError, as fetch rejects with.
//
// The common call, api.fetch(url) with no init, is a GET without a body, an
// Authorization header or a signal: it is known without asking the Request,
// and every question not asked is a call into JS saved.
func newRequest(c core.Config, h hooks, input, init js.Value) (core.Request, *outgoing, error) {
	isURL := input.Type() == js.TypeString
	if isURL && c.ExplicitBase {
		href, err := c.ResolveInput(input.String())
		if err != nil {
			return core.Request{}, nil, err
		}
		input = js.ValueOf(href)
	}
	var flags fetchFlags
	out := &outgoing{fetch: h.fetcher(), replayable: true, userSignal: !isURL && input.InstanceOf(jsRequest)}
	hasInit := init.Type() == js.TypeObject
	if hasInit {
		flags.skipAuth = init.Get("skipAuth").Truthy()
		flags.skipAuthRefresh = init.Get("skipAuthRefresh").Truthy()
		if body := init.Get("body"); body.Type() == js.TypeObject && body.InstanceOf(jsReadable) {
			out.replayable = false
		}
		if init.Get("signal").Type() == js.TypeObject {
			out.userSignal = true
		}
	}
	out.template = jsRequest.New(input, init)
	out.plain = isURL && !hasInit
	req := core.Request{
		URL:             out.template.Get("url").String(),
		SkipAuth:        flags.skipAuth,
		SkipAuthRefresh: flags.skipAuthRefresh,
		Replayable:      out.replayable,
		Send:            out.send,
	}
	if !out.plain {
		out.hasBody = !out.template.Get("body").IsNull()
		req.HasAuthorization = out.template.Get("headers").Call("has", jsAuthorization).Bool()
		req.Method = out.template.Get("method").String()
	}
	return req, out, nil
}

// send performs one attempt with bearer ("" sends no token). The signal of the
// Request aborts it in flight; the browser rejects with signal.reason. A first
// attempt that the core may call off (core.ErrCalledOff) is sent with a
// signal of authfetch's own as well.
func (o *outgoing) send(ctx context.Context, bearer string) (core.Response, error) {
	o.sent++
	req := o.template
	if o.hasBody && o.replayable && o.sent == 1 {
		req = o.template.Call("clone")
	}
	switch {
	case bearer != "":
		req.Get("headers").Call("set", jsAuthorization, "Bearer "+bearer)
		o.authorized = o.authorized || req.Equal(o.template)
	case o.authorized:
		// Sent again without a token (the refresh was rejected): the token
		// an earlier attempt set on the template must not go out.
		req.Get("headers").Call("delete", jsAuthorization)
	}
	var (
		v   js.Value
		err error
	)
	if core.CanBeCalledOff(ctx) {
		v, err = fetchCallable(ctx, o.fetch, req, !o.plain)
	} else {
		v, err = jsutil.Await(o.fetch.Invoke(req))
	}
	if err != nil {
		return nil, err
	}
	return response{value: v, status: v.Get("status").Int()}, nil
}

// fetchCallable fetches req with a signal that aborts it when ctx is called
// off. Once that happened, whatever came back is not the caller's: an
// answer that came meanwhile has its body aborted with the rest.
//
// Given a non-empty init, fetch resets the Request's referrer and referrer
// policy; with keepReferrer, the init carries req's own, so that what the
// caller asked for (referrerPolicy: 'no-referrer') holds. A Request made
// from a bare URL has the defaults, which the reset leaves as they are.
//
// The init's signal replaces the Request's own, which may be the caller's.
// The caller's abort still stops the attempt: ctx follows the caller's
// signal (watchSignal), and the attempt then rejects with its reason.
func fetchCallable(ctx context.Context, fetch, req js.Value, keepReferrer bool) (js.Value, error) {
	if ctx.Err() != nil {
		return js.Value{}, context.Cause(ctx) // called off, or aborted by the caller, before it was sent
	}
	init := fetchInit
	if keepReferrer {
		init = jsutil.Object.New()
		init.Set("referrer", req.Get("referrer"))
		init.Set("referrerPolicy", req.Get("referrerPolicy"))
	}
	ctrl := abortController.New()
	init.Set("signal", ctrl.Get("signal"))
	p := fetch.Invoke(req, init) // fetch reads init before it returns
	stop := context.AfterFunc(ctx, func() { ctrl.Call("abort") })
	v, err := jsutil.Await(p)
	if !stop() {
		return js.Value{}, context.Cause(ctx)
	}
	return v, err
}

// response is the browser's Response, untouched, with its status read once.
type response struct {
	value  js.Value
	status int
}

func (r response) Status() int { return r.status }

// FinalURL implements core.Redirected. The core asks only about a refresh
// status, so the common answer costs no call into JS.
func (r response) FinalURL() (string, bool) {
	if !r.value.Get("redirected").Bool() {
		return "", false
	}
	return r.value.Get("url").String(), true
}
