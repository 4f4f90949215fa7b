package core

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// heldAPI is the fake API of the call-off tests. It holds every attempt
// until the test answers it, as the browser holds a burst in its queue, and
// stops a held attempt whose context is called off, as the bridge aborts it.
type heldAPI struct {
	arrived   chan string   // the bearer of each attempt, on arrival
	answerAll chan struct{} // closed: every attempt goes through

	mu        sync.Mutex
	gates     []chan struct{} // guarded by mu; per attempt, in order of arrival: closed to answer it
	valid     string          // guarded by mu
	answered  []string        // guarded by mu; bearers of the attempts answered
	calledOff []string        // guarded by mu; bearers of the attempts called off
}

func newHeldAPI(valid string) *heldAPI {
	return &heldAPI{arrived: make(chan string, 100), answerAll: make(chan struct{}), valid: valid}
}

// answer lets the i-th attempt to arrive through.
func (a *heldAPI) answer(i int) {
	a.mu.Lock()
	defer a.mu.Unlock()
	close(a.gates[i])
}

func (a *heldAPI) send(ctx context.Context, bearer string) (Response, error) {
	gate := make(chan struct{})
	a.mu.Lock()
	a.gates = append(a.gates, gate)
	a.mu.Unlock()
	a.arrived <- bearer
	select {
	case <-gate:
	case <-a.answerAll:
	case <-ctx.Done():
		a.mu.Lock()
		defer a.mu.Unlock()
		a.calledOff = append(a.calledOff, bearer)
		return nil, fmt.Errorf("fetch aborted: %w", context.Cause(ctx))
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	a.answered = append(a.answered, bearer)
	if bearer != "" && bearer == a.valid {
		return &apiResponse{status: 200, bearer: bearer}, nil
	}
	return &apiResponse{status: 401, bearer: bearer}, nil
}

func (a *heldAPI) request() Request {
	return Request{URL: apiOrigin + "/api/item", Replayable: true, Send: a.send}
}

func (a *heldAPI) seen() (answered, calledOff []string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]string(nil), a.answered...), append([]string(nil), a.calledOff...)
}

func repeat(s string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = s
	}
	return out
}

// When the first of a burst sent with a revoked token gets its 401, the rest
// of the burst beyond the BrowserConnectionsPerOrigin oldest, still unanswered, is called off and
// sent once more after the one refresh, whatever its outcome: with the new
// token, with none after a rejection, with the old one after a transient
// failure (which is not tried again for them). The oldest get their 401s and
// go the usual way.
func TestABurstBeyondWhatIsOnTheWireIsCalledOffByTheFirst401(t *testing.T) {
	const n = 1 + BrowserConnectionsPerOrigin + 3
	tests := []struct {
		name       string
		refresh    answer
		wantStatus int
		wantSeen   map[string]int // bearers of the attempts answered
		wantStats  SessionStats
	}{
		{"refreshed", answer{status: 200, body: okAnswer}, 200, map[string]int{"T1": 1 + BrowserConnectionsPerOrigin, "T2": n}, SessionStats{Refreshes: 1}},
		{"rejected", answer{status: 401}, 401, map[string]int{"T1": 1 + BrowserConnectionsPerOrigin, "": 3}, SessionStats{AuthFailures: 1}},
		{"transient", answer{status: 503}, 401, map[string]int{"T1": n}, SessionStats{RefreshErrors: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr, release := heldTransport(tt.refresh)
			defer release()
			e := newEnv(t, Tokens{"T1", "R1"}, "T2", tr, nil)
			api := newHeldAPI("T2")

			results := make([]<-chan result, n)
			for i := range results {
				results[i] = goDo(context.Background(), e.client, api.request())
				waitSignals(t, api.arrived, 1, "attempts") // in order, as the browser queues them
			}
			api.answer(0) // one 401
			tr.waitArrived(t, 1)
			waitWaiting(t, 1+3, e.session)
			_, calledOff := api.seen()
			require.Equal(t, repeat("T1", 3), calledOff, "called off while the refresh is held")
			close(api.answerAll) // the oldest get their 401s and join the refresh
			waitWaiting(t, n, e.session)
			release()

			for i, ch := range results {
				r := recv(t, ch)
				require.NoError(t, r.err, "request %d", i)
				assert.Equal(t, tt.wantStatus, r.status(), "request %d", i)
			}
			answered, _ := api.seen()
			seen := map[string]int{}
			for _, b := range answered {
				seen[b]++
			}
			assert.Equal(t, tt.wantSeen, seen)
			assert.Equal(t, int64(1), tr.calls.Load(), "refresh calls")
			assert.Equal(t, tt.wantStats, e.client.Stats().SessionStats)
			assert.Equal(t, int64(n), e.client.Stats().Requests)
		})
	}
}

// Only first attempts that carry the refused token and may be sent again are
// called off: the 401 of a request that cannot be replayed, or that asked
// for refresh statuses as they are, is its answer; an attempt with another
// token is not concerned.
func TestWhatIsNotCalledOff(t *testing.T) {
	tests := []struct {
		name    string
		request func(api *heldAPI) Request
		before  func(e *env) // runs after the first request is out, before this one starts
		want    string       // the bearer it carries
	}{
		{"a body that cannot be replayed", func(api *heldAPI) Request {
			r := api.request()
			r.Replayable = false
			return r
		}, nil, "T1"},
		{"skipAuthRefresh", func(api *heldAPI) Request {
			r := api.request()
			r.SkipAuthRefresh = true
			return r
		}, nil, "T1"},
		{"a POST: the server may have acted on it", func(api *heldAPI) Request {
			r := api.request()
			r.Method = "POST"
			return r
		}, nil, "T1"},
		{"a transport that does not queue", (*heldAPI).request, func(e *env) {
			e.client = NewClient(e.session, ClientConfig{AllowedOrigins: []string{apiOrigin}, RefreshOn: []int{401}, Refresh: e.client.cfg.Refresh})
		}, "T1"},
		{"another token", (*heldAPI).request, func(e *env) { e.session.SetTokens(Tokens{"T3", "R3"}, 0) }, "T3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, Tokens{"T1", "R1"}, "T2", newFakeTransport(answer{status: 200, body: okAnswer}), nil)
			api := newHeldAPI("T2")
			first := goDo(context.Background(), e.client, api.request())
			require.Equal(t, "T1", waitSignals(t, api.arrived, 1, "attempts")[0])
			// The wire is full: what comes next would be called off if it could.
			onWire := make([]<-chan result, BrowserConnectionsPerOrigin)
			for i := range onWire {
				onWire[i] = goDo(context.Background(), e.client, api.request())
				waitSignals(t, api.arrived, 1, "attempts")
			}
			if tt.before != nil {
				tt.before(e)
			}
			other := goDo(context.Background(), e.client, tt.request(api))
			require.Equal(t, tt.want, waitSignals(t, api.arrived, 1, "attempts")[0])

			api.answer(0)
			waitSignals(t, api.arrived, 1, "retries")
			_, calledOff := api.seen()
			assert.Empty(t, calledOff)
			close(api.answerAll)
			require.NoError(t, recv(t, first).err)
			require.NoError(t, recv(t, other).err)
			for _, ch := range onWire {
				require.NoError(t, recv(t, ch).err)
			}
		})
	}
}

// callOff reaches the attempts in flight with the token, beyond the
// BrowserConnectionsPerOrigin oldest of each origin, and no others; an attempt that is done is
// forgotten.
func TestAttemptsCallOffByTokenBeyondTheWire(t *testing.T) {
	var a attempts
	var dones []func()
	start := func(token, origin string) context.Context {
		ctx, done := a.start(context.Background(), token, origin, BrowserConnectionsPerOrigin)
		dones = append(dones, done)
		return ctx
	}
	_, doneEarly := a.start(context.Background(), "T1", apiOrigin, BrowserConnectionsPerOrigin)
	doneEarly() // forgotten: it does not count as on the wire
	var onWire, beyond []context.Context
	for range BrowserConnectionsPerOrigin {
		onWire = append(onWire, start("T1", apiOrigin))
	}
	for i, ctx := range onWire {
		require.False(t, CanBeCalledOff(ctx), "on the wire %d", i)
		require.Nil(t, ctx.Done(), "on the wire %d: nothing can call it off, so its context cannot end", i)
	}
	other := start("T2", apiOrigin)
	beyond = append(beyond, start("T1", apiOrigin), start("T1", apiOrigin))
	elsewhere := start("T1", otherOrigin)

	for i, ctx := range append([]context.Context{other}, beyond...) {
		require.True(t, CanBeCalledOff(ctx), "beyond the wire %d", i)
	}
	a.callOff("T1")
	for i, ctx := range onWire {
		require.NoError(t, ctx.Err(), "on the wire %d", i)
	}
	for i, ctx := range beyond {
		require.ErrorIs(t, context.Cause(ctx), ErrCalledOff, "beyond the wire %d", i)
	}
	require.NoError(t, other.Err(), "another token")
	require.NoError(t, elsewhere.Err(), "the first of another origin")
	for _, done := range dones {
		done()
	}
	require.False(t, errors.Is(context.Cause(other), ErrCalledOff), "done is not a call-off")
	require.Empty(t, a.live)
	require.Empty(t, a.perOrigin)
}

// Each refusal in a burst calls off again, but an attempt called off already
// is not stopped a second time: in the browser, each stop is a call into JS.
func TestAnAttemptIsCalledOffOnce(t *testing.T) {
	var a attempts
	stops := 0
	for range BrowserConnectionsPerOrigin + 3 {
		a.register("T1", apiOrigin, BrowserConnectionsPerOrigin, func() func(error) {
			return func(error) { stops++ }
		})
	}
	require.Equal(t, 3, a.callOff("T1"), "the first refusal")
	require.Equal(t, 0, a.callOff("T1"), "the next refusal")
	require.Equal(t, 3, stops)
}
