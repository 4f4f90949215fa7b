package core

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const okAnswer = `{"accessToken":"T2","refreshToken":"R2"}`

// N requests whose token was revoked all get their 401 while the refresh is
// held; one refresh serves them all and each is retried once with the new
// token.
func TestConcurrent401sShareOneRefresh(t *testing.T) {
	for _, n := range []int{1, 2, 100} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			tr, release := heldTransport(answer{status: 200, body: okAnswer})
			defer release()
			e := newEnv(t, Tokens{"T1", "R1"}, "T2", tr, nil)
			e.api.unauthorized = make(chan string, n)
			answerAll := e.api.holdAnswers(t, 2*n)

			// All n requests are out with T1 before the first 401 comes back.
			results := make([]<-chan result, n)
			for i := range results {
				results[i] = goDo(context.Background(), e.client, e.api.request())
			}
			waitSignals(t, e.api.arrived, n, "attempts")
			answerAll()
			got := waitSignals(t, e.api.unauthorized, n, "401s")
			for _, b := range got {
				require.Equal(t, "T1", b)
			}
			tr.waitArrived(t, 1)
			waitWaiting(t, n, e.session) // every request is queued behind the one refresh
			release()

			for i, ch := range results {
				r := recv(t, ch)
				require.NoError(t, r.err, "request %d", i)
				require.Equal(t, 200, r.status(), "request %d", i)
				require.Equal(t, "T2", r.res.(*apiResponse).bearer, "request %d", i)
			}
			assert.Equal(t, int64(1), tr.calls.Load(), "refresh calls")
			assert.Equal(t, map[string]int{"T1": n, "T2": n}, e.api.countSeen())
			assert.Equal(t, Tokens{"T2", "R2"}, e.tokens())
			assert.Equal(t, []Event{
				{Kind: EventRefresh, AccessToken: "T2"},
				{Kind: EventTokens, AccessToken: "T2"},
			}, e.events.all())
			assert.Equal(t, ClientStats{
				Requests: int64(n), Retries: int64(n),
				SessionStats: SessionStats{Refreshes: 1},
			}, e.client.Stats())
		})
	}
}

// Requests started while a refresh runs wait for it and go out with the new
// token, whether the refresh followed a 401 or runs ahead of expiry: the API
// never sees the stale token from them.
func TestRequestsStartedDuringARefreshWaitForIt(t *testing.T) {
	const later = 20
	soon := jwtWithExp("soon", epoch.Add(10*time.Second))
	tests := []struct {
		name      string
		stored    string
		leeway    time.Duration
		wantSeen  map[string]int
		wantStats ClientStats
	}{
		{"after a 401", "T1", 0, map[string]int{"T1": 1, "T2": 1 + later},
			ClientStats{Requests: 1 + later, Retries: 1, SessionStats: SessionStats{Refreshes: 1}}},
		{"ahead of expiry", soon, 30 * time.Second, map[string]int{"T2": 1 + later},
			ClientStats{Requests: 1 + later, SessionStats: SessionStats{Refreshes: 1}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr, release := heldTransport(answer{status: 200, body: `{"accessToken":"T2","refreshToken":"R2","expiresIn":3600}`})
			defer release()
			e := newEnv(t, Tokens{tt.stored, "R1"}, "T2", tr, func(c *ClientConfig) { c.Leeway = tt.leeway })

			first := goDo(context.Background(), e.client, e.api.request())
			tr.waitArrived(t, 1)
			waitWaiting(t, 1, e.session)
			results := make([]<-chan result, later)
			for i := range results {
				results[i] = goDo(context.Background(), e.client, e.api.request())
			}
			waitWaiting(t, 1+later, e.session)
			release()

			for i, ch := range append(results, first) {
				r := recv(t, ch)
				require.NoError(t, r.err, "request %d", i)
				assert.Equal(t, &apiResponse{status: 200, bearer: "T2"}, r.res, "request %d", i)
			}
			assert.Equal(t, tt.wantSeen, e.api.countSeen())
			assert.Equal(t, int64(1), tr.calls.Load())
			assert.Equal(t, tt.wantStats, e.client.Stats())
		})
	}
}

// A 401 to a request sent with an older token than the current one is
// retried with the current token, with no refresh of its own.
func TestStale401RetriedWithCurrentToken(t *testing.T) {
	tests := []struct {
		name      string
		change    func(t *testing.T, e *env) // replaces T1 with T2 while the request is out
		wantCalls int64                      // refresh calls, all from change
		wantStats SessionStats
	}{
		{
			name:   "login meanwhile",
			change: func(_ *testing.T, e *env) { e.session.SetTokens(Tokens{"T2", "R2"}, 0) },
		},
		{
			name: "refresh meanwhile",
			change: func(t *testing.T, e *env) {
				ok, err := e.client.Refresh(context.Background())
				require.NoError(t, err)
				require.True(t, ok)
			},
			wantCalls: 1,
			wantStats: SessionStats{Refreshes: 1},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr := newFakeTransport(answer{status: 200, body: okAnswer})
			e := newEnv(t, Tokens{"T1", "R1"}, "T1", tr, nil)
			sent, proceed := make(chan string, 2), make(chan struct{})
			req := e.api.request()
			req.Send = func(ctx context.Context, bearer string) (Response, error) {
				sent <- bearer
				if bearer == "T1" {
					<-proceed // the first attempt is answered after T1 was replaced
				}
				return e.api.send(ctx, bearer)
			}
			ch := goDo(context.Background(), e.client, req)
			require.Equal(t, []string{"T1"}, waitSignals(t, sent, 1, "attempts"))
			tt.change(t, e)
			e.api.setValid("T2") // T1 is revoked
			close(proceed)

			r := recv(t, ch)
			require.NoError(t, r.err)
			assert.Equal(t, 200, r.status())
			assert.Equal(t, []string{"T1", "T2"}, e.api.seen())
			assert.Equal(t, tt.wantCalls, tr.calls.Load(), "refresh calls")
			assert.Equal(t, ClientStats{Requests: 1, Retries: 1, SessionStats: tt.wantStats}, e.client.Stats())
		})
	}
}

// A waiter whose context ends gets its cause back; the refresh goes on and
// the other waiters succeed.
func TestCancelledWaiterLeavesRefreshRunning(t *testing.T) {
	errGone := errors.New("user navigated away")
	tests := []struct {
		name    string
		cancel  func(cancel context.CancelCauseFunc)
		wantErr error
	}{
		{"cause", func(c context.CancelCauseFunc) { c(errGone) }, errGone},
		{"plain cancel", func(c context.CancelCauseFunc) { c(nil) }, context.Canceled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr, release := heldTransport(answer{status: 200, body: okAnswer})
			defer release()
			e := newEnv(t, Tokens{"T1", "R1"}, "T2", tr, nil)
			e.api.unauthorized = make(chan string, 3)
			answerAll := e.api.holdAnswers(t, 4)

			ctx, cancel := context.WithCancelCause(context.Background())
			defer cancel(nil)
			leaving := goDo(ctx, e.client, e.api.request())
			staying := goDo(context.Background(), e.client, e.api.request())
			waitSignals(t, e.api.arrived, 2, "attempts")
			answerAll()
			waitSignals(t, e.api.unauthorized, 2, "401s")
			tr.waitArrived(t, 1)
			waitWaiting(t, 2, e.session)

			tt.cancel(cancel)
			r := recv(t, leaving) // returns while the refresh is still held
			assert.Nil(t, r.res)
			assert.Equal(t, tt.wantErr, r.err)
			assert.Equal(t, context.Cause(ctx), r.err)

			// A request that starts with its context already done, while the
			// refresh is held, returns its cause without being sent.
			early := recv(t, goDo(ctx, e.client, e.api.request()))
			assert.Equal(t, tt.wantErr, early.err)

			release()
			r = recv(t, staying)
			require.NoError(t, r.err)
			assert.Equal(t, 200, r.status())
			assert.Equal(t, map[string]int{"T1": 2, "T2": 1}, e.api.countSeen())
			assert.Equal(t, int64(1), tr.calls.Load())
			assert.Equal(t, Tokens{"T2", "R2"}, e.tokens())
			assert.Equal(t, ClientStats{Requests: 3, Retries: 1, SessionStats: SessionStats{Refreshes: 1}}, e.client.Stats())
		})
	}
}

// Client.Refresh joins the refresh in flight, from the same client or another
// client of the session, and reports its outcome.
func TestRefreshSharesTheOneInFlight(t *testing.T) {
	tests := []struct {
		name   string
		answer answer
		want   bool
		tokens Tokens
	}{
		{"refreshed", answer{status: 200, body: okAnswer}, true, Tokens{"T2", "R2"}},
		{"rejected", answer{status: 401}, false, Tokens{}},
		{"transient", answer{status: 503}, false, Tokens{"T1", "R1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr, release := heldTransport(tt.answer)
			defer release()
			e := newEnv(t, Tokens{"T1", "R1"}, "T2", tr, nil)
			other := NewClient(e.session, ClientConfig{
				AllowedOrigins: []string{apiOrigin}, RefreshOn: []int{401},
				Refresh: RefreshConfig{Transport: newFakeTransport(answer{status: 500})},
			})

			req := goDo(context.Background(), e.client, e.api.request())
			tr.waitArrived(t, 1)
			type refreshed struct {
				ok  bool
				err error
			}
			done := make(chan refreshed, 3)
			for _, c := range []*Client{e.client, other, e.client} {
				go func() {
					ok, err := c.Refresh(context.Background())
					done <- refreshed{ok, err}
				}()
			}
			waitWaiting(t, 4, e.session)
			release()
			for _, r := range waitSignals(t, done, 3, "refreshes") {
				assert.NoError(t, r.err)
				assert.Equal(t, tt.want, r.ok)
			}
			recv(t, req)
			assert.Equal(t, int64(1), tr.calls.Load(), "refresh calls: the one that started it")
			assert.Equal(t, tt.tokens, e.tokens())
		})
	}
}

func TestRefreshWithoutRefreshToken(t *testing.T) {
	tr := newFakeTransport(answer{status: 200, body: okAnswer})
	e := newEnv(t, Tokens{Access: "T1"}, "T1", tr, nil)
	ok, err := e.client.Refresh(context.Background())
	assert.NoError(t, err)
	assert.False(t, ok)
	assert.Equal(t, int64(0), tr.calls.Load())
	assert.Empty(t, e.events.all())
	assert.Equal(t, SessionStats{}, e.session.Stats())
}

func TestRefreshCancelledWhileWaiting(t *testing.T) {
	tr, release := heldTransport(answer{status: 200, body: okAnswer})
	defer release()
	e := newEnv(t, Tokens{"T1", "R1"}, "T2", tr, nil)
	refreshed := make(chan Event, 1)
	defer e.session.Subscribe(func(ev Event) {
		if ev.Kind == EventRefresh {
			refreshed <- ev
		}
	})()
	ctx, cancel := context.WithCancelCause(context.Background())
	errBye := errors.New("bye")
	type refreshResult struct {
		ok  bool
		err error
	}
	done := make(chan refreshResult, 1)
	go func() {
		ok, err := e.client.Refresh(ctx)
		done <- refreshResult{ok, err}
	}()
	tr.waitArrived(t, 1)
	cancel(errBye)
	assert.Equal(t, refreshResult{false, errBye}, waitSignals(t, done, 1, "results")[0])
	release()
	// The refresh itself went on and succeeded.
	assert.Equal(t, Event{Kind: EventRefresh, AccessToken: "T2"}, waitSignals(t, refreshed, 1, "refresh events")[0])
	assert.Equal(t, Tokens{"T2", "R2"}, e.tokens())
	assert.Equal(t, int64(1), tr.calls.Load())
}

// A transport that panics is a transient failure: every waiter is released
// with its own 401, the tokens are kept, refresherror fires once, and the
// next 401 tries again.
func TestPanickingTransportIsTransient(t *testing.T) {
	const n = 10
	tr, release := heldTransport(answer{panic: "transport exploded"})
	defer release()
	e := newEnv(t, Tokens{"T1", "R1"}, "T2", tr, nil)
	e.api.unauthorized = make(chan string, n+1)
	answerAll := e.api.holdAnswers(t, n+1)

	results := make([]<-chan result, n)
	for i := range results {
		results[i] = goDo(context.Background(), e.client, e.api.request())
	}
	waitSignals(t, e.api.arrived, n, "attempts")
	answerAll()
	waitSignals(t, e.api.unauthorized, n, "401s")
	tr.waitArrived(t, 1)
	waitWaiting(t, n, e.session)
	release()
	for i, ch := range results {
		r := recv(t, ch)
		require.NoError(t, r.err, "request %d", i)
		assert.Equal(t, &apiResponse{status: 401, bearer: "T1"}, r.res, "request %d", i)
	}
	assert.Equal(t, int64(1), tr.calls.Load())
	assert.Equal(t, Tokens{"T1", "R1"}, e.tokens())
	events := e.events.all()
	require.Len(t, events, 1)
	assert.Equal(t, Event{Kind: EventRefreshError}, withoutReasons(t, events)[0])
	assert.Contains(t, events[0].Reason, "transport exploded")
	assert.Equal(t, ClientStats{Requests: n, SessionStats: SessionStats{RefreshErrors: 1}}, e.client.Stats())

	// The next 401 refreshes again, and this time it works.
	tr.setAnswer(answer{status: 200, body: okAnswer})
	r := recv(t, goDo(context.Background(), e.client, e.api.request()))
	require.NoError(t, r.err)
	assert.Equal(t, 200, r.status())
	assert.Equal(t, int64(2), tr.calls.Load())
}

// A refresh uses the options of the client that started it.
func TestRefreshUsesStartingClientsConfig(t *testing.T) {
	tr := newFakeTransport(answer{status: 200, body: `{"access_token":"T2","refresh_token":"R2"}`})
	e := newEnv(t, Tokens{"T1", "R1"}, "T2", newFakeTransport(answer{status: 500}), nil)
	oauth := NewClient(e.session, ClientConfig{
		AllowedOrigins: []string{apiOrigin}, RefreshOn: []int{401},
		Refresh: RefreshConfig{Transport: tr, Format: FormatOAuth2, ClientID: "spa"},
	})
	r := recv(t, goDo(context.Background(), oauth, e.api.request()))
	require.NoError(t, r.err)
	assert.Equal(t, 200, r.status())
	assert.Equal(t, []string{"grant_type=refresh_token&refresh_token=R1&client_id=spa"}, tr.sentBodies())
	assert.Equal(t, int64(0), e.transport.calls.Load())
	// Both clients see the session's refresh; requests and retries are per client.
	assert.Equal(t, ClientStats{Requests: 1, Retries: 1, SessionStats: SessionStats{Refreshes: 1}}, oauth.Stats())
	assert.Equal(t, ClientStats{SessionStats: SessionStats{Refreshes: 1}}, e.client.Stats())
}
