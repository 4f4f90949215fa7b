//go:build js && wasm

package bridge

import (
	"context"

	"github.com/authfetch/authfetch/internal/core"
	"github.com/authfetch/authfetch/internal/jsutil"
)

// refreshTransport posts refresh requests to url with the page's own fetch,
// never through api.fetch: the refresh is never intercepted, never carries the
// access token, and never triggers a refresh of its own.
type refreshTransport struct {
	url string
}

// Post sends the refresh request and reads the answer's text. When ctx ends
// first, the fetch is aborted.
func (t refreshTransport) Post(ctx context.Context, r core.RefreshRequest) (core.RefreshAnswer, error) {
	ctrl := abortController.New()
	stop := context.AfterFunc(ctx, func() { ctrl.Call("abort") })
	defer stop()
	init := map[string]any{
		"method":  "POST",
		"headers": map[string]any{"Content-Type": r.ContentType, "Accept": "application/json"},
		"body":    r.Body,
		"cache":   "no-store",
		"signal":  ctrl.Get("signal"),
	}
	res, err := jsutil.Await(jsFetch.Invoke(t.url, init))
	if err != nil {
		return core.RefreshAnswer{}, err
	}
	answer := core.RefreshAnswer{Status: res.Get("status").Int()}
	text, err := jsutil.Await(res.Call("text"))
	if err != nil {
		return answer, err
	}
	answer.Body = text.String()
	return answer, nil
}
