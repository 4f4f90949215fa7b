package authfetch

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"

	"github.com/authfetch/authfetch/internal/core"
)

// maxRefreshAnswer bounds the refresh answer read into memory.
const maxRefreshAnswer = 1 << 20

// refreshTransport posts refresh requests with the base RoundTripper, never
// through the Client: the refresh is never intercepted and never carries the
// access token.
type refreshTransport struct {
	url  string
	base http.RoundTripper
}

func (t refreshTransport) Post(ctx context.Context, r core.RefreshRequest) (core.RefreshAnswer, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, t.url, strings.NewReader(r.Body))
	if err != nil {
		return core.RefreshAnswer{}, err
	}
	req.Header.Set("Content-Type", r.ContentType)
	req.Header.Set("Accept", "application/json")
	res, err := t.base.RoundTrip(req)
	if err != nil {
		return core.RefreshAnswer{}, err
	}
	defer res.Body.Close()
	answer := core.RefreshAnswer{Status: res.StatusCode, Date: res.Header.Get("Date")}
	text, err := io.ReadAll(io.LimitReader(res.Body, maxRefreshAnswer))
	answer.Body = string(text)
	return answer, err
}

// parseJSON implements core.ParseJSON with encoding/json: unlike the
// WebAssembly module, a Go program pays nothing extra for it.
func parseJSON(text string) (map[string]any, bool) {
	var obj map[string]any
	if json.Unmarshal([]byte(text), &obj) != nil || obj == nil {
		return nil, false
	}
	return obj, true
}
