//go:build !js

package e2e

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/authfetch/authfetch/internal/browsertest"
	"github.com/stretchr/testify/require"
)

// Retry once, identical but for the token.

func TestTheRetryIsIdenticalButForTheToken(t *testing.T) {
	t.Parallel()
	s := newSessionWithAPI(t)
	for _, c := range []struct {
		name, call, uri, method, body string
	}{
		{"a JSON POST", `api.fetch('/api/echo?case=json', { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Custom': 'yes' }, body: JSON.stringify({ n: 1 }) })`,
			"/api/echo?case=json", "POST", `{"n":1}`},
		{"a PUT of URLSearchParams", `api.fetch('/api/echo?case=form', { method: 'PUT', headers: { 'X-Custom': 'yes' }, body: new URLSearchParams('a=1&b=2') })`,
			"/api/echo?case=form", "PUT", "a=1&b=2"},
		{"a POST of a Blob", `api.fetch('/api/echo?case=blob', { method: 'POST', headers: { 'X-Custom': 'yes' }, body: new Blob(['blob-body'], { type: 'text/plain' }) })`,
			"/api/echo?case=blob", "POST", "blob-body"},
		{"a PATCH of bytes", `api.fetch('/api/echo?case=bytes', { method: 'PATCH', headers: { 'X-Custom': 'yes' }, body: new TextEncoder().encode('bytes-body') })`,
			"/api/echo?case=bytes", "PATCH", "bytes-body"},
		{"a Request with a body", `api.fetch(new Request('/api/echo?case=request', { method: 'POST', headers: { 'Content-Type': 'text/plain', 'X-Custom': 'yes' }, body: 'request-body' }))`,
			"/api/echo?case=request", "POST", "request-body"},
		{"a GET with headers", `api.fetch('/api/echo?case=get', { headers: { 'X-Custom': 'yes', Accept: 'application/json' } })`,
			"/api/echo?case=get", "GET", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := s.on(t)
			old, _ := s.api.Tokens()
			s.api.RevokeAccess()

			o := s.settle(c.call)
			require.Equal(t, http.StatusOK, o.Status, o.Body)
			cur, _ := s.api.Tokens()
			var echo struct {
				Method, URI, Body string
				Headers           http.Header
			}
			require.NoError(t, json.Unmarshal([]byte(o.Body), &echo))
			require.Equal(t, c.method, echo.Method)
			require.Equal(t, c.uri, echo.URI)
			require.Equal(t, c.body, echo.Body)
			require.Equal(t, "yes", echo.Headers.Get("X-Custom"))

			var sent []browsertest.Record
			for _, r := range s.api.Requests("/api/echo") {
				if r.URI == c.uri {
					sent = append(sent, r)
				}
			}
			require.Len(t, sent, 2, "the request and its retry")
			require.Equal(t, "Bearer "+old, sent[0].Auth)
			require.Equal(t, "Bearer "+cur, sent[1].Auth)
			first, retry := sent[0], sent[1]
			first.Header.Del("Authorization")
			retry.Header.Del("Authorization")
			require.Equal(t, first.Method, retry.Method)
			require.Equal(t, first.Body, retry.Body)
			require.Equal(t, first.Header, retry.Header)
		})
	}
	require.Equal(t, 6, s.api.RefreshCalls())
}

func TestAReadableStreamBodyIsSentOnceAndNotRetried(t *testing.T) {
	t.Parallel()
	s := newSessionWithAPI(t)
	s.api.RevokeAccess() // if the body goes out at all, it earns a 401
	for _, c := range []struct{ name, init string }{
		{"with duplex half", `{ method: 'POST', body: stream(), duplex: 'half' }`},
		{"without duplex", `{ method: 'POST', body: stream() }`},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := s.on(t)
			got := eval[map[string]outcome](t, s.tab, `
				const stream = () => new ReadableStream({ start(c) { c.enqueue(new TextEncoder().encode('streamed')); c.close(); } });
				return {
					fetch: await e2e.settle(fetch('/api/echo?via=fetch', `+c.init+`)),
					api: await e2e.settle(api.fetch('/api/echo?via=api', `+c.init+`)),
				};`)
			plain, viaAPI := got["fetch"], got["api"]
			require.Equal(t, plain.Resolved, viaAPI.Resolved, "fetch: %+v\napi.fetch: %+v", plain, viaAPI)
			var plainSent, apiSent int
			for _, r := range s.api.Requests("/api/echo") {
				switch r.URI {
				case "/api/echo?via=fetch":
					plainSent++
				case "/api/echo?via=api":
					apiSent++
				}
			}
			if plain.Resolved {
				require.Equal(t, http.StatusUnauthorized, viaAPI.Status, "its 401 is returned")
				require.Equal(t, 1, apiSent, "sent once")
				return
			}
			require.Equal(t, plain.Name, viaAPI.Name)
			require.Equal(t, plain.IsTypeError, viaAPI.IsTypeError)
			require.True(t, viaAPI.IsTypeError, "%+v", viaAPI)
			require.Equal(t, plainSent, apiSent, "requests that reached the server")
		})
	}
	require.Zero(t, s.api.RefreshCalls())
}

func TestARetryThatGetsAnother401ResolvesWithItWithoutAnotherRefresh(t *testing.T) {
	t.Parallel()
	s := newSessionWithAPI(t)

	o := s.settle(`api.fetch('/api/always401')`)
	require.True(t, o.IsResponse, "%+v", o)
	require.Equal(t, http.StatusUnauthorized, o.Status)
	require.Equal(t, []string{"Bearer a1", "Bearer a2"}, s.api.Auths("/api/always401"))
	require.Equal(t, 1, s.api.RefreshCalls())
	require.Equal(t, clientStats{Requests: 1, Retries: 1, Refreshes: 1}, s.stats("api"))
}
