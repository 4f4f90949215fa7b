//go:build js && wasm

package bridge

import (
	"context"
	"syscall/js"

	"github.com/authfetch/authfetch/internal/core"
	"github.com/authfetch/authfetch/internal/jsutil"
)

// refreshTransport posts refresh requests to url through js/refresh.js's
// post, never through api.fetch: the refresh is never intercepted, never
// carries the access token, and never triggers a refresh of its own.
type refreshTransport struct {
	url   string
	post  js.Value // js/refresh.js's post, from authfetch.js
	ackMs int      // how long the refresh courier has to take a refresh
}

// Post sends the refresh request and reads its answer. When ctx ends first,
// the request is aborted.
func (t refreshTransport) Post(ctx context.Context, r core.RefreshRequest) (core.RefreshAnswer, error) {
	ctrl := abortController.New()
	stop := context.AfterFunc(ctx, func() { ctrl.Call("abort") })
	defer stop()
	var p js.Value
	err := jsutil.Catch(func() error {
		p = t.post.Invoke(t.url, r.ContentType, r.Body, r.DPoP, r.RefreshToken, t.ackMs, ctrl.Get("signal"))
		return nil
	})
	if err != nil {
		return core.RefreshAnswer{}, err
	}
	v, err := jsutil.Await(p)
	if err != nil {
		return core.RefreshAnswer{}, err
	}
	return core.RefreshAnswer{
		Status: v.Get("status").Int(), Body: v.Get("body").String(), Date: v.Get("date").String(),
		DPoPNonce: v.Get("dpopNonce").String(), WWWAuthenticate: v.Get("wwwAuthenticate").String(),
	}, nil
}
