package core

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A login or a logout, in this tab or another, while a refresh is on its
// way is never undone by the refresh's outcome: the requests waiting for
// the refresh go on with what the storage holds then.
func TestALoginOrLogoutDuringARefreshStands(t *testing.T) {
	tests := []struct {
		name       string
		answer     answer
		meanwhile  func(e *env)
		wantTokens Tokens
		wantStatus int // of the request that started the refresh
		wantEvents []Event
	}{
		{
			name:       "a login here while a success comes",
			answer:     answer{status: 200, body: okAnswer},
			meanwhile:  func(e *env) { e.session.SetTokens(Tokens{"T9", "R9"}, 0) },
			wantTokens: Tokens{"T9", "R9"},
			wantStatus: 200,
			wantEvents: []Event{{Kind: EventTokens, AccessToken: "T9"}, {Kind: EventRefresh, AccessToken: "T9", Adopted: true}},
		},
		{
			name:   "a login in another tab while a rejection comes",
			answer: answer{status: 401, body: `{"error":"invalid_grant"}`},
			meanwhile: func(e *env) {
				_ = e.storage.MemoryStorage.Set("accessToken", "T9")
				_ = e.storage.MemoryStorage.Set("refreshToken", "R9")
			},
			wantTokens: Tokens{"T9", "R9"},
			wantStatus: 200,
			wantEvents: []Event{{Kind: EventRefresh, AccessToken: "T9", Adopted: true}, {Kind: EventTokens, AccessToken: "T9"}},
		},
		{
			name:       "a logout here while a success comes",
			answer:     answer{status: 200, body: okAnswer},
			meanwhile:  func(e *env) { e.session.ClearTokens() },
			wantTokens: Tokens{},
			wantStatus: 401,
			wantEvents: []Event{{Kind: EventTokens}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr, release := heldTransport(tt.answer)
			defer release()
			e := newEnv(t, Tokens{"T1", "R1"}, "T9", tr, nil)
			done := goDo(context.Background(), e.client, e.api.request())
			tr.waitArrived(t, 1)
			tt.meanwhile(e)
			release()

			r := recv(t, done)
			require.NoError(t, r.err)
			assert.Equal(t, tt.wantStatus, r.status())
			assert.Equal(t, tt.wantTokens, e.tokens())
			assert.Equal(t, tt.wantEvents, e.events.all())
			assert.Equal(t, int64(1), tr.calls.Load(), "refresh calls")
		})
	}
}
