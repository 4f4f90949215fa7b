package core

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestWhoGetsTheToken covers the contract's Attach, Refresh on a refresh
// status, Retry once and No loops (docs/contract.md): which requests carry the
// token, which 401s refresh, and that a retry is sent once.
func TestWhoGetsTheToken(t *testing.T) {
	tests := []struct {
		name       string
		stored     Tokens
		valid      string         // the token the API accepts
		answer     answer         // the refresh endpoint's
		req        func(*Request) // changes to a replayable request to apiOrigin
		cfg        func(*ClientConfig)
		wantSeen   []string // bearers the API saw, in order
		wantStatus int
		wantCalls  int64 // refresh calls
		wantTokens Tokens
		wantStats  ClientStats
	}{
		{
			name:       "attached",
			stored:     Tokens{"T1", "R1"},
			valid:      "T1",
			wantSeen:   []string{"T1"},
			wantStatus: 200,
			wantTokens: Tokens{"T1", "R1"},
			wantStats:  ClientStats{Requests: 1},
		},
		{
			name:       "401 refreshes and retries",
			stored:     Tokens{"T1", "R1"},
			valid:      "T2",
			wantSeen:   []string{"T1", "T2"},
			wantStatus: 200,
			wantCalls:  1,
			wantTokens: Tokens{"T2", "R2"},
			wantStats:  ClientStats{Requests: 1, Retries: 1, SessionStats: SessionStats{Refreshes: 1}},
		},
		{
			name:       "SkipAuth",
			stored:     Tokens{"T1", "R1"},
			valid:      "T2",
			req:        func(r *Request) { r.SkipAuth = true },
			wantSeen:   []string{""},
			wantStatus: 401,
			wantTokens: Tokens{"T1", "R1"},
			wantStats:  ClientStats{Requests: 1},
		},
		{
			name:       "own Authorization header",
			stored:     Tokens{"T1", "R1"},
			valid:      "T2",
			req:        func(r *Request) { r.HasAuthorization = true },
			wantSeen:   []string{""},
			wantStatus: 401,
			wantTokens: Tokens{"T1", "R1"},
			wantStats:  ClientStats{Requests: 1},
		},
		{
			name:       "origin not allowed",
			stored:     Tokens{"T1", "R1"},
			valid:      "T1",
			req:        func(r *Request) { r.URL = otherOrigin + "/api/item" },
			wantSeen:   []string{""},
			wantStatus: 401,
			wantTokens: Tokens{"T1", "R1"},
			wantStats:  ClientStats{Requests: 1},
		},
		{
			name:       "origin not placed",
			stored:     Tokens{"T1", "R1"},
			valid:      "T1",
			req:        func(r *Request) { r.URL = "/api/item" },
			cfg:        func(c *ClientConfig) { c.AllowedOrigins = append(c.AllowedOrigins, "") },
			wantSeen:   []string{""},
			wantStatus: 401,
			wantTokens: Tokens{"T1", "R1"},
			wantStats:  ClientStats{Requests: 1},
		},
		{
			name:       "origin not allowed, only a refresh token: no refresh first",
			stored:     Tokens{Refresh: "R1"},
			valid:      "T2",
			req:        func(r *Request) { r.URL = otherOrigin + "/api/item" },
			wantSeen:   []string{""},
			wantStatus: 401,
			wantTokens: Tokens{Refresh: "R1"},
			wantStats:  ClientStats{Requests: 1},
		},
		{
			name:       "SkipAuthRefresh",
			stored:     Tokens{"T1", "R1"},
			valid:      "T2",
			req:        func(r *Request) { r.SkipAuthRefresh = true },
			wantSeen:   []string{"T1"},
			wantStatus: 401,
			wantTokens: Tokens{"T1", "R1"},
			wantStats:  ClientStats{Requests: 1},
		},
		{
			name:       "body not replayable",
			stored:     Tokens{"T1", "R1"},
			valid:      "T2",
			req:        func(r *Request) { r.Replayable = false },
			wantSeen:   []string{"T1"},
			wantStatus: 401,
			wantTokens: Tokens{"T1", "R1"},
			wantStats:  ClientStats{Requests: 1},
		},
		{
			name:       "status not in refreshOn",
			stored:     Tokens{"T1", "R1"},
			valid:      "T2",
			cfg:        func(c *ClientConfig) { c.RefreshOn = []int{419} },
			wantSeen:   []string{"T1"},
			wantStatus: 401,
			wantTokens: Tokens{"T1", "R1"},
			wantStats:  ClientStats{Requests: 1},
		},
		{
			name:       "no refreshOn at all",
			stored:     Tokens{"T1", "R1"},
			valid:      "T2",
			cfg:        func(c *ClientConfig) { c.RefreshOn = nil },
			wantSeen:   []string{"T1"},
			wantStatus: 401,
			wantTokens: Tokens{"T1", "R1"},
			wantStats:  ClientStats{Requests: 1},
		},
		{
			name:       "no refresh token",
			stored:     Tokens{Access: "T1"},
			valid:      "T2",
			wantSeen:   []string{"T1"},
			wantStatus: 401,
			wantTokens: Tokens{Access: "T1"},
			wantStats:  ClientStats{Requests: 1},
		},
		{
			name:       "no tokens",
			valid:      "T2",
			wantSeen:   []string{""},
			wantStatus: 401,
			wantStats:  ClientStats{Requests: 1},
		},
		{
			name:       "leftover undefined tokens count as none",
			stored:     Tokens{"undefined", "null"},
			valid:      "T2",
			wantSeen:   []string{""},
			wantStatus: 401,
			wantStats:  ClientStats{Requests: 1},
		},
		{
			name:       "retry that gets 401 again is returned as it is",
			stored:     Tokens{"T1", "R1"},
			valid:      "T3", // the API accepts neither T1 nor the refreshed T2
			wantSeen:   []string{"T1", "T2"},
			wantStatus: 401,
			wantCalls:  1,
			wantTokens: Tokens{"T2", "R2"},
			wantStats:  ClientStats{Requests: 1, Retries: 1, SessionStats: SessionStats{Refreshes: 1}},
		},
		{
			name:       "only a refresh token: refresh before sending",
			stored:     Tokens{Refresh: "R1"},
			valid:      "T2",
			wantSeen:   []string{"T2"},
			wantStatus: 200,
			wantCalls:  1,
			wantTokens: Tokens{"T2", "R2"},
			wantStats:  ClientStats{Requests: 1, SessionStats: SessionStats{Refreshes: 1}},
		},
		{
			name:       "only a refresh token, refresh rejected: sent with none",
			stored:     Tokens{Refresh: "R1"},
			valid:      "T2",
			answer:     answer{status: 401},
			wantSeen:   []string{""},
			wantStatus: 401,
			wantCalls:  1,
			wantStats:  ClientStats{Requests: 1, SessionStats: SessionStats{AuthFailures: 1}},
		},
		{
			name:       "only a refresh token, refresh fails: sent with none, no second refresh",
			stored:     Tokens{Refresh: "R1"},
			valid:      "T2",
			answer:     answer{status: 503},
			wantSeen:   []string{""},
			wantStatus: 401,
			wantCalls:  1,
			wantTokens: Tokens{Refresh: "R1"},
			wantStats:  ClientStats{Requests: 1, SessionStats: SessionStats{RefreshErrors: 1}},
		},
		{
			name:       "oauth2 format",
			stored:     Tokens{"T1", "R1"},
			valid:      "T2",
			answer:     answer{status: 200, body: `{"access_token":"T2","refresh_token":"R2","token_type":"Bearer"}`},
			cfg:        func(c *ClientConfig) { c.Refresh.Format = FormatOAuth2 },
			wantSeen:   []string{"T1", "T2"},
			wantStatus: 200,
			wantCalls:  1,
			wantTokens: Tokens{"T2", "R2"},
			wantStats:  ClientStats{Requests: 1, Retries: 1, SessionStats: SessionStats{Refreshes: 1}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := tt.answer
			if a == (answer{}) {
				a = answer{status: 200, body: okAnswer}
			}
			tr := newFakeTransport(a)
			e := newEnv(t, tt.stored, tt.valid, tr, tt.cfg)
			req := e.api.request()
			if tt.req != nil {
				tt.req(&req)
			}
			res, err := e.client.Do(context.Background(), req)
			require.NoError(t, err)
			assert.Equal(t, tt.wantStatus, res.Status())
			assert.Equal(t, tt.wantSeen, e.api.seen())
			assert.Equal(t, tt.wantCalls, tr.calls.Load(), "refresh calls")
			assert.Equal(t, tt.wantTokens, e.tokens())
			assert.Equal(t, tt.wantStats, e.client.Stats())
			// No loops: the refresh carries the refresh token, in its body only.
			for _, body := range tr.sentBodies() {
				assert.Contains(t, body, "R1")
				assert.NotContains(t, body, "T1")
			}
		})
	}
}

// The refresh request is posted in the configured format, and goes through
// the transport only: it is never a Request of the client, so never
// intercepted nor given the access token.
func TestRefreshRequestIsNeverIntercepted(t *testing.T) {
	tr := newFakeTransport(answer{status: 200, body: okAnswer})
	e := newEnv(t, Tokens{"T1", "R1"}, "T2", tr, nil)
	res, err := e.client.Do(context.Background(), e.api.request())
	require.NoError(t, err)
	assert.Equal(t, 200, res.Status())
	assert.Equal(t, []string{`{"refreshToken":"R1"}`}, tr.sentBodies())
	assert.Equal(t, []string{"application/json"}, tr.sentContentTypes())
	assert.Equal(t, []string{"T1", "T2"}, e.api.seen())
}

// Storage trouble: when the storage starts failing, the tokens live in memory and
// nothing else changes: the refresh, the retry and later requests work.
func TestStorageTroubleChangesNothing(t *testing.T) {
	tests := []struct {
		name               string
		breakGet, breakSet bool
	}{
		{"Get fails", true, false},
		{"Set fails", false, true},
		{"both fail", true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr := newFakeTransport(answer{status: 200, body: okAnswer})
			e := newEnv(t, Tokens{}, "T2", tr, nil)
			e.session.SetTokens(Tokens{"T1", "R1"}, 0) // the login, while storage works
			e.storage.failGet.Store(tt.breakGet)
			e.storage.failSet.Store(tt.breakSet)
			for i := 0; i < 3; i++ {
				res, err := e.client.Do(context.Background(), e.api.request())
				require.NoError(t, err)
				assert.Equal(t, 200, res.Status())
			}
			assert.Equal(t, []string{"T1", "T2", "T2", "T2"}, e.api.seen())
			assert.Equal(t, []string{`{"refreshToken":"R1"}`}, tr.sentBodies())
			assert.Equal(t, Tokens{"T2", "R2"}, e.tokens())
			assert.True(t, e.store.FellBack())
			assert.Equal(t, ClientStats{Requests: 3, Retries: 1, SessionStats: SessionStats{Refreshes: 1}}, e.client.Stats())
		})
	}
}

// redirectedResponse is a 401 that came from url after a redirect.
type redirectedResponse struct {
	*apiResponse
	url string
}

func (r redirectedResponse) FinalURL() (string, bool) { return r.url, true }

// A 401 that came back from another origin after a redirect is not about our
// token (the browser dropped it): no refresh. One from the same origin is.
func TestA401FromAnotherOriginAfterARedirectSpendsNoRefresh(t *testing.T) {
	tests := []struct {
		name       string
		finalURL   string
		wantStatus int
		wantCalls  int64
	}{
		{"another origin", otherOrigin + "/login", 401, 0},
		{"the same origin", apiOrigin + "/elsewhere", 200, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, Tokens{"T1", "R1"}, "T2", newFakeTransport(answer{status: 200, body: `{"accessToken":"T2"}`}), nil)
			req := e.api.request()
			send := req.Send
			req.Send = func(ctx context.Context, bearer string) (Response, error) {
				if bearer == "T1" {
					return redirectedResponse{&apiResponse{status: 401}, tt.finalURL}, nil
				}
				return send(ctx, bearer)
			}

			res, err := e.client.Do(context.Background(), req)
			require.NoError(t, err)
			assert.Equal(t, tt.wantStatus, res.Status())
			assert.Equal(t, tt.wantCalls, e.transport.calls.Load())
		})
	}
}

// A call of the page's own to the refresh endpoint, with any query, is sent
// untouched and never refreshed: the refresh token goes there, never the
// access token, and a 401 from it is no reason to spend the refresh token.
func TestTheRefreshEndpointIsNeverAuthorized(t *testing.T) {
	for _, url := range []string{apiOrigin + "/auth/refresh-token", apiOrigin + "/auth/refresh-token?x=1", apiOrigin + "/auth/refresh-token#f"} {
		t.Run(url, func(t *testing.T) {
			e := newEnv(t, Tokens{"T1", "R1"}, "T2", newFakeTransport(answer{status: 200, body: okAnswer}), func(c *ClientConfig) {
				c.Refresh.URL = apiOrigin + "/auth/refresh-token"
			})
			req := e.api.request()
			req.URL = url
			res, err := e.client.Do(context.Background(), req)
			require.NoError(t, err)
			assert.Equal(t, 401, res.Status())
			assert.Equal(t, []string{""}, e.api.seen())
			assert.Zero(t, e.transport.calls.Load())
		})
	}
}
