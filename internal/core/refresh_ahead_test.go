package core

import (
	"context"
	"encoding/base64"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// jwtWithExp returns an unsigned JWT whose payload holds exp (and a sub, so
// that tokens with the same exp differ).
func jwtWithExp(sub string, exp time.Time) string {
	payload := fmt.Sprintf(`{"sub":%q,"exp":%d}`, sub, exp.Unix())
	return "eyJhbGciOiJIUzI1NiJ9." + base64.RawURLEncoding.EncodeToString([]byte(payload)) + ".c2ln"
}

// TestRefreshAhead covers the refresh ahead of time (contract: Refresh on a
// refresh status) and its limits (contract: Refresh outcomes).
func TestRefreshAhead(t *testing.T) {
	soon := jwtWithExp("soon", epoch.Add(10*time.Second))
	later := jwtWithExp("later", epoch.Add(time.Hour))
	expired := jwtWithExp("expired", epoch.Add(-time.Minute))
	edge := jwtWithExp("edge", epoch.Add(30*time.Second))
	tests := []struct {
		name      string
		access    string
		leeway    time.Duration
		wantSeen  []string
		wantCalls int64
	}{
		{"exp within the leeway", soon, 30 * time.Second, []string{"T2"}, 1},
		{"exp exactly at the leeway", edge, 30 * time.Second, []string{"T2"}, 1},
		{"already expired", expired, 30 * time.Second, []string{"T2"}, 1},
		{"exp far away", later, 30 * time.Second, []string{later}, 0},
		{"leeway 0 never refreshes ahead", soon, 0, []string{soon, "T2"}, 1},
		{"leeway 0, expired", expired, 0, []string{expired, "T2"}, 1},
		{"not a JWT: no known expiry", "opaque", 30 * time.Second, []string{"opaque"}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr := newFakeTransport(answer{status: 200, body: okAnswer})
			valid := "T2"
			if tt.access == later || tt.access == "opaque" {
				valid = tt.access
			}
			e := newEnv(t, Tokens{tt.access, "R1"}, valid, tr, func(c *ClientConfig) { c.Leeway = tt.leeway })
			res, err := e.client.Do(context.Background(), e.api.request())
			require.NoError(t, err)
			assert.Equal(t, 200, res.Status())
			assert.Equal(t, tt.wantSeen, e.api.seen())
			assert.Equal(t, tt.wantCalls, tr.calls.Load(), "refresh calls")
		})
	}
}

// A proactive refresh that fails transiently sends the request with the old
// token, and that token is not refreshed ahead again.
func TestRefreshAheadFailureSendsOldToken(t *testing.T) {
	soon := jwtWithExp("soon", epoch.Add(10*time.Second))
	tests := []struct {
		name       string
		answer     answer
		wantTokens Tokens
		wantSeen   []string
		wantEvents []Event
		wantStats  SessionStats
	}{
		{
			name:       "transient",
			answer:     answer{status: 503},
			wantTokens: Tokens{soon, "R1"},
			wantSeen:   []string{soon, soon, soon},
			wantEvents: []Event{{Kind: EventRefreshError, Status: 503}},
			wantStats:  SessionStats{RefreshErrors: 1},
		},
		{
			name:       "rejected",
			answer:     answer{status: 400, body: `{"error":"invalid_grant"}`},
			wantTokens: Tokens{},
			wantSeen:   []string{"", "", ""},
			wantEvents: []Event{{Kind: EventAuthFailure, Status: 400}, {Kind: EventTokens}},
			wantStats:  SessionStats{AuthFailures: 1},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr := newFakeTransport(tt.answer)
			e := newEnv(t, Tokens{soon, "R1"}, soon, tr, func(c *ClientConfig) { c.Leeway = 30 * time.Second })
			for i := 0; i < 3; i++ {
				_, err := e.client.Do(context.Background(), e.api.request())
				require.NoError(t, err)
			}
			assert.Equal(t, int64(1), tr.calls.Load(), "refresh calls")
			assert.Equal(t, tt.wantSeen, e.api.seen())
			assert.Equal(t, tt.wantTokens, e.tokens())
			assert.Equal(t, tt.wantEvents, withoutReasons(t, e.events.all()))
			assert.Equal(t, ClientStats{Requests: 3, SessionStats: tt.wantStats}, e.client.Stats())
		})
	}
}

// A token that a refresh has just returned is not refreshed ahead of time
// when its whole life is shorter than the leeway; one that lives longer is,
// once it comes within the leeway.
func TestIssuedTokenLifeAndLeeway(t *testing.T) {
	shortJWT := jwtWithExp("short", epoch.Add(10*time.Second))
	longJWT := jwtWithExp("long", epoch.Add(time.Hour))
	tests := []struct {
		name    string
		body    string
		access  string        // the token in body
		advance time.Duration // the clock moves by this after the refresh
		// refresh calls after 5 requests: the first is the one that
		// replaced the expired starting token.
		wantCalls int64
	}{
		{"expiresIn shorter than the leeway", `{"accessToken":"T2","expiresIn":10}`, "T2", 0, 1},
		{"expiresIn as a string", `{"accessToken":"T2","expiresIn":"10"}`, "T2", 0, 1},
		{"expiresIn shorter, clock moved past it", `{"accessToken":"T2","expiresIn":10}`, "T2", time.Minute, 1},
		{"JWT exp shorter than the leeway", fmt.Sprintf(`{"accessToken":%q}`, shortJWT), shortJWT, 0, 1},
		{"expiresIn longer than the leeway, still far", `{"accessToken":"T2","expiresIn":3600}`, "T2", 0, 1},
		{"expiresIn longer than the leeway, now within it", `{"accessToken":"T2","expiresIn":3600}`, "T2", 3590 * time.Second, 2},
		{"JWT exp longer than the leeway, now within it", fmt.Sprintf(`{"accessToken":%q}`, longJWT), longJWT, 3590 * time.Second, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr := newFakeTransport(answer{status: 200, body: tt.body})
			start := jwtWithExp("start", epoch.Add(-time.Second))
			e := newEnv(t, Tokens{start, "R1"}, tt.access, tr, func(c *ClientConfig) { c.Leeway = 30 * time.Second })
			res, err := e.client.Do(context.Background(), e.api.request())
			require.NoError(t, err)
			require.Equal(t, 200, res.Status())
			require.Equal(t, int64(1), tr.calls.Load())
			e.clock.Advance(tt.advance)
			// A later refresh returns T9, with a long life.
			tr.setAnswer(answer{status: 200, body: `{"accessToken":"T9","expiresIn":3600}`})
			wantSeen := []string{tt.access, tt.access, tt.access, tt.access, tt.access}
			if tt.wantCalls == 2 {
				wantSeen = []string{tt.access, "T9", "T9", "T9", "T9"}
				e.api.setValid("T9")
			}
			for i := 0; i < 4; i++ {
				res, err := e.client.Do(context.Background(), e.api.request())
				require.NoError(t, err)
				assert.Equal(t, 200, res.Status())
			}
			assert.Equal(t, tt.wantCalls, tr.calls.Load(), "refresh calls")
			assert.Equal(t, wantSeen, e.api.seen())
		})
	}
}

// Two requests find the same expired token at the same time. The first
// refreshes it ahead; the second, which decides after that refresh started,
// must not refresh it again (at most once per token) nor go out with it to
// earn a 401 (contract: One refresh, a queue for the rest): it waits for the refresh. The clock is what orders the
// two: each request reads it once, in the refresh-ahead check.
func TestRefreshAheadRace(t *testing.T) {
	expired := jwtWithExp("expired", epoch.Add(-time.Minute))
	tr, release := heldTransport(answer{status: 200, body: `{"accessToken":"T2","expiresIn":3600}`})
	defer release()
	e := newEnv(t, Tokens{expired, "R1"}, "T2", tr, func(c *ClientConfig) { c.Leeway = 30 * time.Second })
	e.clock.ticks, e.clock.reads = make(chan struct{}), make(chan struct{}, 10)

	a := goDo(context.Background(), e.client, e.api.request())
	b := goDo(context.Background(), e.client, e.api.request())
	waitSignals(t, e.clock.reads, 2, "clock readings") // both hold the expired token
	e.clock.ticks <- struct{}{}                        // one of them decides, and refreshes ahead
	tr.waitArrived(t, 1)
	e.clock.ticks <- struct{}{} // the other decides while that refresh runs
	waitWaiting(t, 2, e.session)
	close(e.clock.ticks)
	release()

	for _, ch := range []<-chan result{a, b} {
		r := recv(t, ch)
		require.NoError(t, r.err)
		assert.Equal(t, &apiResponse{status: 200, bearer: "T2"}, r.res)
	}
	assert.Equal(t, int64(1), tr.calls.Load(), "refresh calls")
	assert.Equal(t, map[string]int{"T2": 2}, e.api.countSeen(), "the expired token never goes out")
	assert.Equal(t, ClientStats{Requests: 2, SessionStats: SessionStats{Refreshes: 1}}, e.client.Stats())
}
