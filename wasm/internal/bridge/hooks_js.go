//go:build js && wasm

package bridge

import (
	"context"
	"syscall/js"
	"time"

	"github.com/authfetch/authfetch/internal/core"
	"github.com/authfetch/authfetch/internal/jsutil"
)

// refreshFunc adapts the refresh option, async ({ refreshToken, signal,
// proof? }) => result, to core.RefreshFunc. signal aborts when ctx ends (the
// refresh timeout); with DPoP, proof(method, url) signs a proof for the
// callback's own request. What it resolves is read as the refresh
// endpoint's answer is: null is a rejection, an object its tokens; what it
// throws is an error.
func refreshFunc(fn js.Value, proof func(method, url string) js.Value) core.RefreshFunc {
	return func(ctx context.Context, refreshToken string) (core.FuncAnswer, error) {
		ctrl := abortController.New()
		stop := context.AfterFunc(ctx, func() { ctrl.Call("abort") })
		defer stop()
		arg := jsutil.Object.New()
		arg.Set("refreshToken", nullable(refreshToken))
		arg.Set("signal", ctrl.Get("signal"))
		if proof != nil {
			sign := jsutil.FuncOf(func(_ js.Value, a []js.Value) any {
				return proof(jsutil.Arg(a, 0).String(), jsutil.Arg(a, 1).String())
			})
			defer jsutil.Release(sign)
			arg.Set("proof", sign)
		}
		var p js.Value
		err := jsutil.Catch(func() error {
			p = jsutil.Promise.Call("resolve", fn.Invoke(arg))
			return nil
		})
		if err != nil {
			return core.FuncAnswer{}, err
		}
		v, err := jsutil.Await(p)
		if err != nil {
			return core.FuncAnswer{}, err
		}
		return funcAnswer(v), nil
	}
}

// funcAnswer reads what a refresh function resolved. Fields of the wrong
// type count as missing, and the core then sees an answer without an access
// token: a transient failure.
func funcAnswer(v js.Value) core.FuncAnswer {
	switch v.Type() {
	case js.TypeNull:
		return core.FuncAnswer{Rejected: true}
	case js.TypeObject:
	default:
		return core.FuncAnswer{}
	}
	var a core.FuncAnswer
	if s := v.Get("accessToken"); s.Type() == js.TypeString {
		a.Tokens.Access = s.String()
	}
	if s := v.Get("refreshToken"); s.Type() == js.TypeString {
		a.Tokens.Refresh = s.String()
	}
	if n := v.Get("expiresIn"); n.Type() == js.TypeNumber && n.Float() > 0 && n.Float() < 1<<31 {
		a.ExpiresIn = time.Duration(n.Float() * float64(time.Second))
	}
	return a
}

// tracer is the debug option as a core tracer: authfetch.js turns it into a
// function of (type, url, reason, count) that makes the entry and logs or
// hands it on. It is nil without the option, so that no decision is ever
// made for no one.
func (h hooks) tracer() func(core.Decision) {
	if h.debug.Type() != js.TypeFunction {
		return nil
	}
	return func(d core.Decision) {
		_ = jsutil.Catch(func() error { h.debug.Invoke(string(d.Type), d.URL, d.Reason, d.Count); return nil })
	}
}
