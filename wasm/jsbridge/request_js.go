//go:build js && wasm

package jsbridge

import (
	"context"
	"strings"
	"syscall/js"

	"github.com/authfetch/authfetch/wasm/core"
)

// outgoing is one api.fetch call: the browser Request built once from the
// caller's input and init, and sent once or twice.
//
// The Request is built before the first send so that a retry replays exactly
// the same method, URL, headers and body; a Request with a body is cloned for
// each attempt but the last, because sending one consumes its body.
type outgoing struct {
	template   js.Value // the Request; sent as is on the last attempt
	hasBody    bool     // template.body is not null, so attempts need a clone
	replayable bool     // the body is not a ReadableStream: a retry may follow
	userSignal bool     // the caller gave an AbortSignal (in init or its Request)
	origin     string   // where the request goes, before any redirect
	sent       int      // attempts made so far
}

// fetchFlags are authfetch's own members of init.
type fetchFlags struct {
	skipAuth, skipAuthRefresh bool
}

// newRequest builds the core.Request for input and init, a string input
// joined to an explicit baseURL (without one, new Request resolves it against
// the page as fetch would). It fails with what new Request or new URL throw for
// bad input: a TypeError, as fetch rejects with.
func newRequest(c config, input, init js.Value) (core.Request, *outgoing, error) {
	if input.Type() == js.TypeString && c.explicitBase {
		href, err := c.resolveURL(input.String())
		if err != nil {
			return core.Request{}, nil, err
		}
		input = js.ValueOf(href)
	}
	var flags fetchFlags
	out := &outgoing{replayable: true, userSignal: input.InstanceOf(jsRequest)}
	if init.Type() == js.TypeObject {
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
	out.hasBody = !out.template.Get("body").IsNull()
	url := out.template.Get("url").String()
	out.origin = core.Origin(url)
	req := core.Request{
		Origin:           out.origin,
		HasAuthorization: out.template.Get("headers").Call("has", "Authorization").Bool(),
		SkipAuth:         flags.skipAuth || withoutQuery(url) == withoutQuery(c.refreshURL),
		SkipAuthRefresh:  flags.skipAuthRefresh,
		Replayable:       out.replayable,
		Send:             out.send,
	}
	return req, out, nil
}

// withoutQuery is url up to its query or fragment. A call of the page's own to
// the refresh endpoint (with any query) is never given the access token nor
// refreshed: the refresh token goes there, and a 401 from it is no reason to
// spend the refresh token again.
func withoutQuery(url string) string {
	if i := strings.IndexAny(url, "?#"); i >= 0 {
		return url[:i]
	}
	return url
}

// send performs one attempt with bearer ("" sends no token). The signal of the
// Request aborts it in flight; the browser rejects with signal.reason.
func (o *outgoing) send(_ context.Context, bearer string) (core.Response, error) {
	o.sent++
	req := o.template
	if o.hasBody && o.replayable && o.sent == 1 {
		req = o.template.Call("clone")
	}
	if bearer != "" {
		req.Get("headers").Call("set", "Authorization", "Bearer "+bearer)
	}
	v, err := await(jsFetch.Invoke(req))
	if err != nil {
		return nil, err
	}
	res := response{value: v, status: v.Get("status").Int()}
	if v.Get("redirected").Bool() {
		res.away = core.Origin(v.Get("url").String()) != o.origin
	}
	return res, nil
}

// response is the browser's Response, untouched, with its status read once.
type response struct {
	value  js.Value
	status int
	away   bool // it came from another origin, after a redirect
}

func (r response) Status() int { return r.status }

// RedirectedAway implements core.RedirectedAway.
func (r response) RedirectedAway() bool { return r.away }
