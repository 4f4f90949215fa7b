//go:build js && wasm

package bridge

import (
	"context"

	"github.com/authfetch/authfetch/internal/jsutil"
)

// refreshTransport posts refresh requests to url with the page's own fetch,
// never through api.fetch: the refresh is never intercepted, never carries the
// access token, and never triggers a refresh of its own.
type refreshTransport struct {
	url string
}

// Post sends the refresh request and reads the answer's text. When ctx ends
// first (the refresh timeout), the fetch is aborted.
func (t refreshTransport) Post(ctx context.Context, contentType, body string) (status int, text string, err error) {
	ctrl := abortController.New()
	done := make(chan struct{})
	defer close(done)
	go func() {
		select {
		case <-ctx.Done():
			ctrl.Call("abort")
		case <-done:
		}
	}()
	init := map[string]any{
		"method":  "POST",
		"headers": map[string]any{"Content-Type": contentType, "Accept": "application/json"},
		"body":    body,
		"cache":   "no-store",
		"signal":  ctrl.Get("signal"),
	}
	res, err := jsutil.Await(jsFetch.Invoke(t.url, init))
	if err != nil {
		return 0, "", err
	}
	status = res.Get("status").Int()
	v, err := jsutil.Await(res.Call("text"))
	if err != nil {
		return status, "", err
	}
	return status, v.String(), nil
}
