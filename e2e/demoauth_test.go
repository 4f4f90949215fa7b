//go:build !js

package e2e

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// authCall is one request to the demo site's /auth/ routes (login, refresh,
// logout), recorded when it arrives and completed when its handler returns.
type authCall struct {
	Path       string
	Body       string   // the request body
	Cookie     string   // the request's Cookie header
	Done       bool     // the handler has returned
	Left       bool     // the browser had left by then: the answer was lost
	SetCookies []string // the answer's Set-Cookie headers
}

// recordAuth records each request to next in s.calls.
func (s *demoSite) recordAuth(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body) // a body cut short is recorded as far as it came
		r.Body = io.NopCloser(bytes.NewReader(body))
		c := &authCall{Path: r.URL.Path, Body: string(body), Cookie: r.Header.Get("Cookie")}
		s.update(func() { s.calls = append(s.calls, c) })
		next.ServeHTTP(w, r)
		s.update(func() {
			c.Done, c.Left = true, r.Context().Err() != nil
			c.SetCookies = w.Header().Values("Set-Cookie")
		})
	})
}

// update changes the records with change and wakes whoever waits for them.
func (s *demoSite) update(change func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	change()
	close(s.changed)
	s.changed = make(chan struct{})
}

// authCalls returns copies of the /auth/ calls so far.
func (s *demoSite) authCalls() []authCall {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]authCall, len(s.calls))
	for i, c := range s.calls {
		out[i] = *c
	}
	return out
}

// waitAuth waits until cond holds of the /auth/ calls and returns them; what
// says what the test waits for.
func (s *demoSite) waitAuth(t *testing.T, what string, cond func([]authCall) bool) []authCall {
	t.Helper()
	deadline := time.After(evalTimeout)
	for {
		s.mu.Lock()
		changed := s.changed
		s.mu.Unlock()
		if calls := s.authCalls(); cond(calls) {
			return calls
		}
		select {
		case <-changed:
		case <-deadline:
			require.FailNow(t, "timed out waiting: "+what)
		}
	}
}

// refreshCalls returns the calls of the refresh endpoint among calls.
func refreshCalls(calls []authCall) []authCall {
	var out []authCall
	for _, c := range calls {
		if c.Path == "/auth/refresh-token" {
			out = append(out, c)
		}
	}
	return out
}

// flip posts body to the demo switch at path and fails unless it is accepted.
func (s *demoSite) flip(t *testing.T, path, body string) {
	t.Helper()
	res, err := http.Post(s.URL+path, "application/json", strings.NewReader(body))
	require.NoError(t, err)
	defer res.Body.Close()
	msg, _ := io.ReadAll(res.Body)
	require.Equal(t, http.StatusOK, res.StatusCode, "POST %s %s: %s", path, body, msg)
}
