package authfetch

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
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

func (t refreshTransport) Post(ctx context.Context, contentType, body string) (int, string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, t.url, strings.NewReader(body))
	if err != nil {
		return 0, "", err
	}
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Accept", "application/json")
	res, err := t.base.RoundTrip(req)
	if err != nil {
		return 0, "", err
	}
	defer res.Body.Close()
	text, err := io.ReadAll(io.LimitReader(res.Body, maxRefreshAnswer))
	if err != nil {
		return res.StatusCode, "", err
	}
	return res.StatusCode, string(text), nil
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
