package core

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// funcEnv is an env whose client refreshes with fn instead of the endpoint.
func funcEnv(t *testing.T, fn RefreshFunc, timeout time.Duration) *env {
	t.Helper()
	return newEnv(t, Tokens{"T1", "R1"}, "T2", newFakeTransport(answer{status: 500}), func(c *ClientConfig) {
		c.Refresh.Func = fn
		c.Refresh.Timeout = timeout
	})
}

// A refresh function's answer is an outcome like the endpoint's: tokens are
// a success, null a rejection, anything else a transient failure.
func TestARefreshFunctionsAnswerIsAnOutcome(t *testing.T) {
	tests := []struct {
		name       string
		fn         RefreshFunc
		wantStatus int
		wantTokens Tokens
		wantEvents []EventKind
	}{
		{"tokens", func(context.Context, string) (FuncAnswer, error) {
			return FuncAnswer{Tokens: Tokens{"T2", "R2"}}, nil
		}, 200, Tokens{"T2", "R2"}, []EventKind{EventRefresh, EventTokens}},
		{"tokens without a refresh token keep the old one", func(context.Context, string) (FuncAnswer, error) {
			return FuncAnswer{Tokens: Tokens{Access: "T2"}}, nil
		}, 200, Tokens{"T2", "R1"}, []EventKind{EventRefresh, EventTokens}},
		{"null", func(context.Context, string) (FuncAnswer, error) {
			return FuncAnswer{Rejected: true}, nil
		}, 401, Tokens{}, []EventKind{EventAuthFailure, EventTokens}},
		{"a throw", func(context.Context, string) (FuncAnswer, error) {
			return FuncAnswer{}, errors.New("GraphQL: network down")
		}, 401, Tokens{"T1", "R1"}, []EventKind{EventRefreshError}},
		{"no access token", func(context.Context, string) (FuncAnswer, error) {
			return FuncAnswer{Tokens: Tokens{Access: "not a token"}}, nil
		}, 401, Tokens{"T1", "R1"}, []EventKind{EventRefreshError}},
		{"a panic", func(context.Context, string) (FuncAnswer, error) {
			panic("bug in the app")
		}, 401, Tokens{"T1", "R1"}, []EventKind{EventRefreshError}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := funcEnv(t, tt.fn, time.Second)
			res, err := e.client.Do(context.Background(), e.api.request())
			require.NoError(t, err)
			assert.Equal(t, tt.wantStatus, res.Status())
			assert.Equal(t, tt.wantTokens, e.tokens())
			var kinds []EventKind
			for _, ev := range e.events.all() {
				kinds = append(kinds, ev.Kind)
			}
			assert.Equal(t, tt.wantEvents, kinds)
			assert.Zero(t, e.transport.calls.Load(), "the endpoint is never called")
		})
	}
}

// A burst of revoked requests makes one call of the function, which gets the
// stored refresh token.
func TestABurstMakesOneCallOfTheRefreshFunction(t *testing.T) {
	const n = 10
	var calls atomic.Int64
	gate := make(chan struct{})
	e := funcEnv(t, func(_ context.Context, rt string) (FuncAnswer, error) {
		calls.Add(1)
		<-gate
		assert.Equal(t, "R1", rt)
		return FuncAnswer{Tokens: Tokens{"T2", "R2"}}, nil
	}, time.Minute)
	results := make([]<-chan result, n)
	for i := range results {
		results[i] = goDo(context.Background(), e.client, e.api.request())
	}
	waitWaiting(t, n, e.session)
	close(gate)
	for _, ch := range results {
		r := recv(t, ch)
		require.NoError(t, r.err)
		assert.Equal(t, 200, r.status())
	}
	assert.Equal(t, int64(1), calls.Load())
}

// The function's ctx ends at the refresh timeout, which releases the waiting
// requests; an answer it still gives is kept, as a late answer of the
// endpoint is.
func TestARefreshFunctionPastTheTimeoutIsAbortedAndItsLateAnswerKept(t *testing.T) {
	aborted := make(chan struct{})
	answered := make(chan struct{})
	e := funcEnv(t, func(ctx context.Context, _ string) (FuncAnswer, error) {
		<-ctx.Done()
		close(aborted)
		<-answered
		return FuncAnswer{Tokens: Tokens{"T2", "R2"}}, nil
	}, 20*time.Millisecond)

	res, err := e.client.Do(context.Background(), e.api.request())
	require.NoError(t, err)
	assert.Equal(t, 401, res.Status(), "released at the timeout with its own 401")
	<-aborted
	assert.Equal(t, Tokens{"T1", "R1"}, e.tokens())
	refreshed := make(chan Event, 1)
	t.Cleanup(e.session.Subscribe(func(ev Event) {
		if ev.Kind == EventRefresh {
			refreshed <- ev
		}
	}))
	close(answered)
	waitSignals(t, refreshed, 1, "late refreshes")
	assert.Equal(t, Tokens{"T2", "R2"}, e.tokens())
}

// FuzzClassifyFuncAnswer: whatever a refresh function resolves, the outcome
// is a success only with a valid access token, and never keeps what is not a
// token.
func FuzzClassifyFuncAnswer(f *testing.F) {
	f.Add(false, "A2", "R2", int64(3600), "")
	f.Add(true, "", "", int64(0), "")
	f.Add(false, "undefined", "null", int64(-5), "")
	f.Add(false, "A2", "", int64(0), "network down")
	f.Fuzz(func(t *testing.T, rejected bool, access, refresh string, seconds int64, failure string) {
		got := funcAnswer{answer: FuncAnswer{Rejected: rejected, Tokens: Tokens{access, refresh}, ExpiresIn: time.Duration(seconds) * time.Second}}
		if failure != "" {
			got.err = errors.New(failure)
		}
		res := classifyFuncAnswer(got)
		switch {
		case failure != "" && res.Outcome != Transient:
			t.Fatalf("an error gave %v", res.Outcome)
		case res.Outcome == Refreshed && (validToken(res.Tokens.Access) != res.Tokens.Access || res.Tokens.Access == "" || validToken(res.Tokens.Refresh) != res.Tokens.Refresh):
			t.Fatalf("kept %+v", res.Tokens)
		case res.Outcome != Refreshed && res.Reason == "":
			t.Fatalf("%v without a reason", res.Outcome)
		}
	})
}
