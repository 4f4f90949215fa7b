package core

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// decisionLog records the decisions a client and its session tell.
type decisionLog = recorder[Decision]

// The debug trace says what was decided and why, and never holds a token.
func TestTheTraceSaysWhy(t *testing.T) {
	tests := []struct {
		name   string
		stored Tokens
		answer answer
		run    func(e *env) // what the app does
		want   []string
	}{
		{"attached", Tokens{"T2", "R1"}, answer{}, func(e *env) { e.do(e.api.request()) },
			[]string{"attach /api/item"}},
		{"another origin", Tokens{"T2", "R1"}, answer{}, func(e *env) {
			req := e.api.request()
			req.URL = otherOrigin + "/x"
			e.do(req)
		}, []string{"skip /x: its origin is not in allowedOrigins"}},
		{"nothing stored", Tokens{}, answer{}, func(e *env) { e.do(e.api.request()) },
			[]string{"skip /api/item: no access token is stored"}},
		{"revoked, then refreshed", Tokens{"T1", "R1"}, answer{status: 200, body: okAnswer}, func(e *env) { e.do(e.api.request()) },
			[]string{"attach /api/item", "refresh: a request got a refresh status", "retry /api/item: it got a refresh status"}},
		{"revoked, then rejected", Tokens{"T1", "R1"}, answer{status: 401}, func(e *env) { e.do(e.api.request()) },
			[]string{"attach /api/item", "refresh: a request got a refresh status", "remove: the refresh was rejected: answered 401"}},
		{"revoked, then a hiccup", Tokens{"T1", "R1"}, answer{status: 503}, func(e *env) { e.do(e.api.request()) },
			[]string{"attach /api/item", "refresh: a request got a refresh status", "keep: the refresh failed transiently: answered 503"}},
		{"only a refresh token", Tokens{Refresh: "R1"}, answer{status: 200, body: okAnswer}, func(e *env) { e.do(e.api.request()) },
			[]string{"refresh: only a refresh token is stored", "wait /api/item", "attach /api/item"}},
		{"a logout", Tokens{"T1", "R1"}, answer{}, func(e *env) { e.session.ClearTokens() },
			[]string{"remove: clearTokens() was called"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			log := &decisionLog{}
			e := newEnv(t, tt.stored, "T2", newFakeTransport(tt.answer), func(c *ClientConfig) { c.Trace = log.record })
			t.Cleanup(e.session.Trace(log.record))
			tt.run(e)
			assert.Equal(t, tt.want, summary(log.all()))
			for _, d := range log.all() {
				for _, tok := range []string{"T1", "T2", "R1", "R2"} {
					assert.NotContains(t, d.Reason+d.URL, tok, "a decision holds a token")
				}
			}
		})
	}
}

// do runs req through the env's client and fails the test on an error.
func (e *env) do(req Request) Response {
	res, err := e.client.Do(context.Background(), req)
	if err != nil {
		panic(err)
	}
	return res
}

// Three callers of ValidAccessToken and three requests, on a token that
// expires within the leeway, share one refresh and all get its token.
func TestValidAccessTokenSharesTheOneRefresh(t *testing.T) {
	soon := jwtWithExp("soon", epoch.Add(10*time.Second))
	tr, release := heldTransport(answer{status: 200, body: `{"accessToken":"T2","expiresIn":3600}`})
	defer release()
	e := newEnv(t, Tokens{soon, "R1"}, "T2", tr, func(c *ClientConfig) { c.Leeway = 30 * time.Second })
	tokens := make(chan string, 3)
	for range 3 {
		go func() {
			tok, err := e.client.ValidAccessToken(context.Background())
			assert.NoError(t, err)
			tokens <- tok
		}()
	}
	requests := make([]<-chan result, 3)
	for i := range requests {
		requests[i] = goDo(context.Background(), e.client, e.api.request())
	}
	tr.waitArrived(t, 1)
	waitWaiting(t, 6, e.session)
	release()
	assert.Equal(t, []string{"T2", "T2", "T2"}, waitSignals(t, tokens, 3, "tokens"))
	for _, ch := range requests {
		assert.Equal(t, 200, recv(t, ch).status())
	}
	assert.Equal(t, int64(1), tr.calls.Load())
}

// Without a token and without a refresh token there is none to be had.
func TestValidAccessTokenWithNothingStoredIsEmpty(t *testing.T) {
	e := newEnv(t, Tokens{}, "T2", newFakeTransport(answer{status: 200, body: okAnswer}), nil)
	tok, err := e.client.ValidAccessToken(context.Background())
	require.NoError(t, err)
	assert.Empty(t, tok)
	assert.Zero(t, e.transport.calls.Load())
}

// setTokens' expiresIn gives an opaque token its life: it is refreshed ahead
// once it expires within the leeway, and not before.
func TestSetTokensExpiresInGivesAnOpaqueTokenItsLife(t *testing.T) {
	e := newEnv(t, Tokens{}, "T2", newFakeTransport(answer{status: 200, body: okAnswer}), func(c *ClientConfig) { c.Leeway = 30 * time.Second })
	e.api.setValid("T1")
	e.session.SetTokens(Tokens{"T1", "R1"}, time.Minute)
	require.Equal(t, 200, e.do(e.api.request()).Status())
	assert.Zero(t, e.transport.calls.Load(), "a minute left: no refresh")

	e.clock.Advance(40 * time.Second)
	e.api.setValid("T2")
	require.Equal(t, 200, e.do(e.api.request()).Status())
	assert.Equal(t, int64(1), e.transport.calls.Load(), "20 s left: refreshed ahead")
	assert.Equal(t, []string{"T1", "T2"}, e.api.seen())
}

// summary is each decision as "type: reason" (and the URL's path).
func summary(decisions []Decision) []string {
	var out []string
	for _, d := range decisions {
		s := string(d.Type)
		if d.URL != "" {
			s += " " + strings.TrimPrefix(strings.TrimPrefix(d.URL, apiOrigin), otherOrigin)
		}
		if d.Reason != "" {
			s += ": " + d.Reason
		}
		out = append(out, s)
	}
	return out
}
