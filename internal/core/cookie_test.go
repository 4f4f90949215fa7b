package core

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// newCookieEnv is newEnv for a server that keeps the refresh token in an
// HttpOnly cookie: the store has no refresh key.
func newCookieEnv(t *testing.T, access, valid string, tr *fakeTransport) *env {
	t.Helper()
	e := newEnv(t, Tokens{Access: access}, valid, tr, nil)
	e.store = NewTokenStore(e.storage, "accessToken", "")
	e.session = NewSession(e.store, parseJSON, e.clock.Now)
	t.Cleanup(e.session.Subscribe(e.events.record))
	e.client = NewClient(e.session, e.client.cfg)
	return e
}

// With the refresh token in a cookie, a 401 still refreshes, the refresh
// carries no token of ours, and a refresh token in the answer is not kept.
func TestACookieHeldRefreshTokenIsNeverStoredNorSent(t *testing.T) {
	tests := []struct {
		name     string
		format   Format
		wantBody string
	}{
		{"json", FormatJSON, `{}`},
		{"oauth2", FormatOAuth2, `grant_type=refresh_token`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr := newFakeTransport(answer{status: 200, body: `{"accessToken":"T2","refreshToken":"R2","access_token":"T2","refresh_token":"R2"}`})
			e := newCookieEnv(t, "T1", "T2", tr)
			e.client.cfg.Refresh.Format = tt.format
			e.client = NewClient(e.session, e.client.cfg)

			res, err := e.client.Do(context.Background(), e.api.request())
			require.NoError(t, err)
			assert.Equal(t, 200, res.Status())
			assert.Equal(t, []string{tt.wantBody}, tr.sentBodies())
			assert.Equal(t, []string{"T1", "T2"}, e.api.seen())
			assert.Equal(t, "T2", e.store.Access())
			assert.Empty(t, e.storage.raw("refreshToken"), "the answer's refresh token is not stored")
			assert.Empty(t, e.store.Refresh())
		})
	}
}

// Without an access token a cookie session is taken to be logged out: its
// requests go without a token and cost no refresh, but a forced refresh (an
// app that starts up and asks for a token) is sent.
func TestACookieSessionWithoutAnAccessTokenRefreshesOnlyWhenAsked(t *testing.T) {
	tr := newFakeTransport(answer{status: 200, body: `{"accessToken":"T2"}`})
	e := newCookieEnv(t, "", "T2", tr)

	res, err := e.client.Do(context.Background(), e.api.request())
	require.NoError(t, err)
	assert.Equal(t, 401, res.Status())
	assert.Zero(t, tr.calls.Load())

	ok, err := e.client.Refresh(context.Background())
	require.NoError(t, err)
	assert.True(t, ok)
	assert.Equal(t, "T2", e.store.Access())
	assert.Equal(t, []string{`{}`}, tr.sentBodies())
}

// Two tabs of a cookie session: the second adopts what the first recorded
// for the access token they both held, instead of spending the cookie again.
func TestCookieTabsAdoptByTheAccessTokenTheyReplace(t *testing.T) {
	tabs := newFakeTabs()
	tr := newFakeTransport(answer{status: 200, body: `{"accessToken":"T2"}`})
	first := newCookieEnv(t, "T1", "T2", tr)
	first.session.ShareWithTabs(tabs)
	second := newCookieEnv(t, "T1", "T2", tr)
	second.session.ShareWithTabs(tabs)
	second.api = first.api

	_, err := first.client.Do(context.Background(), first.api.request())
	require.NoError(t, err)
	res, err := second.client.Do(context.Background(), second.api.request())
	require.NoError(t, err)
	assert.Equal(t, 200, res.Status())
	assert.Equal(t, int64(1), tr.calls.Load(), "one refresh for both tabs")
	assert.Equal(t, SessionStats{Adoptions: 1}, second.session.Stats())
}
