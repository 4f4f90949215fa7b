package authfetch

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Token refreshes a token that expires within the leeway before it hands it
// out, and tells its expiry; without anything to refresh with it says so.
func TestTokenIsValidForTheLeeway(t *testing.T) {
	api := newTestAPI(t)
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	c, err := New(Options{RefreshURL: api.URL + "/refresh", RefreshLeeway: time.Minute, Now: func() time.Time { return now }})
	require.NoError(t, err)

	_, err = c.Token(context.Background())
	require.ErrorIs(t, err, ErrNoToken)

	c.SetTokensExpiring(Tokens{Access: "a1", Refresh: "r1"}, time.Hour)
	tok, err := c.Token(context.Background())
	require.NoError(t, err)
	assert.Equal(t, &Token{AccessToken: "a1", Expiry: now.Add(time.Hour)}, tok, "an hour left: no refresh")

	now = now.Add(59*time.Minute + 30*time.Second)
	tok, err = c.Token(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "a2", tok.AccessToken, "30 s left: refreshed first")
	_, _, refreshes := api.seen()
	assert.Len(t, refreshes, 1)
}

// Options.Refresh replaces the POST: its tokens are a success,
// ErrRefreshRejected a logout, any other error a transient failure.
func TestARefreshOfYourOwn(t *testing.T) {
	tests := []struct {
		name       string
		refresh    func(context.Context, string) (Tokens, time.Duration, error)
		wantStatus int
		wantEvent  EventKind
		wantAccess string
	}{
		{"tokens", func(_ context.Context, rt string) (Tokens, time.Duration, error) {
			if rt != "r1" {
				return Tokens{}, 0, errors.New("wrong refresh token " + rt)
			}
			return Tokens{Access: "a2"}, time.Hour, nil
		}, http.StatusOK, EventRefresh, "a2"},
		{"rejected", func(context.Context, string) (Tokens, time.Duration, error) {
			return Tokens{}, 0, ErrRefreshRejected
		}, http.StatusUnauthorized, EventAuthFailure, ""},
		{"failed", func(context.Context, string) (Tokens, time.Duration, error) {
			return Tokens{}, 0, errors.New("GraphQL: unavailable")
		}, http.StatusUnauthorized, EventRefreshError, "a1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := newTestAPI(t)
			c, err := New(Options{RefreshURL: api.URL + "/refresh", Refresh: tt.refresh})
			require.NoError(t, err)
			c.SetTokens(Tokens{Access: "a1", Refresh: "r1"})
			var kinds []EventKind
			defer c.Subscribe(func(ev Event) { kinds = append(kinds, ev.Kind) })()

			res, err := c.Fetch(context.Background(), get(t, api.URL+"/me"))
			require.NoError(t, err)
			res.Body.Close()
			assert.Equal(t, tt.wantStatus, res.StatusCode)
			assert.Contains(t, kinds, tt.wantEvent)
			assert.Equal(t, tt.wantAccess, c.AccessToken())
			_, _, refreshes := api.seen()
			assert.Empty(t, refreshes, "the endpoint is not called")
		})
	}
}

// Options.Trace hears why: here, a token attached, refused, refreshed and
// sent again.
func TestTraceHearsTheDecisions(t *testing.T) {
	api := newTestAPI(t)
	var types []string
	c, err := New(Options{RefreshURL: api.URL + "/refresh", Trace: func(d Decision) { types = append(types, string(d.Type)) }})
	require.NoError(t, err)
	c.SetTokens(Tokens{Access: "a1", Refresh: "r1"})
	res, err := c.Fetch(context.Background(), get(t, api.URL+"/me"))
	require.NoError(t, err)
	res.Body.Close()
	assert.Equal(t, []string{"attach", "refresh", "retry"}, types)
}
