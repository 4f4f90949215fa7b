package core

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// The session's token API fires the tokens event with what is stored.
func TestSessionSetAndClearTokens(t *testing.T) {
	e := newEnv(t, Tokens{}, "", newFakeTransport(answer{}), nil)
	e.session.SetTokens(Tokens{"A1", "R1"}, 0)
	assert.Equal(t, "A1", e.session.AccessToken())
	e.session.SetTokens(Tokens{Access: "A2"}, 0)
	assert.Equal(t, Tokens{Access: "A2"}, e.tokens())
	e.session.SetTokens(Tokens{"undefined", "R3"}, 0)
	assert.Equal(t, Tokens{Refresh: "R3"}, e.tokens())
	e.session.SetTokens(Tokens{Access: "A2"}, 0)
	e.session.ClearTokens()
	e.session.ClearTokens()
	assert.Equal(t, Tokens{}, e.tokens())
	// tokens fires when the access token changes, not for every write.
	assert.Equal(t, []Event{
		{Kind: EventTokens, AccessToken: "A1"},
		{Kind: EventTokens, AccessToken: "A2"},
		{Kind: EventTokens},
		{Kind: EventTokens, AccessToken: "A2"},
		{Kind: EventTokens},
	}, e.events.all())
}

func TestSubscribeUnsubscribe(t *testing.T) {
	s := NewSession(NewTokenStore(&MemoryStorage{}, "a", "r"), parseJSON, nil)
	var a, b eventLog
	unA := s.Subscribe(a.record)
	unB := s.Subscribe(b.record)
	s.SetTokens(Tokens{Access: "A1"}, 0)
	unA()
	unA() // twice is harmless
	s.ClearTokens()
	unB()
	s.SetTokens(Tokens{Access: "A2"}, 0)
	assert.Equal(t, []Event{{Kind: EventTokens, AccessToken: "A1"}}, a.all())
	assert.Equal(t, []Event{{Kind: EventTokens, AccessToken: "A1"}, {Kind: EventTokens}}, b.all())
}

func TestSetTokensFiresWhenOnlyTheRefreshTokenChanges(t *testing.T) {
	e := newEnv(t, Tokens{"A1", "R1"}, "", newFakeTransport(answer{}), nil)
	e.session.SetTokens(Tokens{"A1", "R2"}, 0)
	e.session.SetTokens(Tokens{"A1", "R2"}, 0) // the same pair: nothing changed
	assert.Equal(t, []Event{{Kind: EventTokens, AccessToken: "A1"}}, e.events.all())
}
