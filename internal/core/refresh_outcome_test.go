package core

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRefreshOutcomes runs each answer of the refresh endpoint (the contract's
// Refresh outcomes) twice: once directly, for the outcome, and once behind two requests that
// got a 401, for what they get, the tokens, the events and the counters.
func TestRefreshOutcomes(t *testing.T) {
	refreshed := func(access string) []Event {
		return []Event{{Kind: EventRefresh, AccessToken: access}, {Kind: EventTokens, AccessToken: access}}
	}
	rejected := func(status int) []Event {
		return []Event{{Kind: EventAuthFailure, Status: status}, {Kind: EventTokens}}
	}
	transient := func(status int) []Event { return []Event{{Kind: EventRefreshError, Status: status}} }

	tests := []struct {
		name       string
		answer     answer
		timeout    time.Duration
		unanswered bool // the call is still waiting for its answer after the timeout
		want       Outcome
		wantStatus int
		wantReason string // contained in the result's and the event's reason
		wantTokens Tokens
		wantEvents []Event // reasons blanked
		wantStats  SessionStats
	}{
		{
			name:       "200 with both tokens",
			answer:     answer{status: 200, body: `{"accessToken":"T2","refreshToken":"R2","expiresIn":3600}`},
			want:       Refreshed,
			wantStatus: 200,
			wantTokens: Tokens{"T2", "R2"},
			wantEvents: refreshed("T2"),
			wantStats:  SessionStats{Refreshes: 1},
		},
		{
			name:       "200 without refreshToken keeps the old one",
			answer:     answer{status: 200, body: `{"accessToken":"T2"}`},
			want:       Refreshed,
			wantStatus: 200,
			wantTokens: Tokens{"T2", "R1"},
			wantEvents: refreshed("T2"),
			wantStats:  SessionStats{Refreshes: 1},
		},
		{
			name:       "200 with refreshToken null keeps the old one",
			answer:     answer{status: 200, body: `{"accessToken":"T2","refreshToken":null}`},
			want:       Refreshed,
			wantStatus: 200,
			wantTokens: Tokens{"T2", "R1"},
			wantEvents: refreshed("T2"),
			wantStats:  SessionStats{Refreshes: 1},
		},
		{
			name:       "201 counts as success",
			answer:     answer{status: 201, body: `{"accessToken":"T2","refreshToken":"R2"}`},
			want:       Refreshed,
			wantStatus: 201,
			wantTokens: Tokens{"T2", "R2"},
			wantEvents: refreshed("T2"),
			wantStats:  SessionStats{Refreshes: 1},
		},
		{
			name:       "200 without accessToken",
			answer:     answer{status: 200, body: `{"refreshToken":"R2"}`},
			want:       Rejected,
			wantStatus: 200,
			wantReason: "without accessToken",
			wantEvents: rejected(200),
			wantStats:  SessionStats{AuthFailures: 1},
		},
		{
			name:       "200 with accessToken undefined",
			answer:     answer{status: 200, body: `{"accessToken":"undefined"}`},
			want:       Rejected,
			wantStatus: 200,
			wantReason: "without accessToken",
			wantEvents: rejected(200),
			wantStats:  SessionStats{AuthFailures: 1},
		},
		{
			name:       "200 not JSON",
			answer:     answer{status: 200, body: `<html>maintenance</html>`},
			want:       Transient,
			wantStatus: 200,
			wantReason: "not a JSON object",
			wantTokens: Tokens{"T1", "R1"},
			wantEvents: transient(200),
			wantStats:  SessionStats{RefreshErrors: 1},
		},
		{
			name:       "400",
			answer:     answer{status: 400, body: `{"error":"invalid_grant"}`},
			want:       Rejected,
			wantStatus: 400,
			wantReason: "answered 400 invalid_grant",
			wantEvents: rejected(400),
			wantStats:  SessionStats{AuthFailures: 1},
		},
		{
			name:       "401",
			answer:     answer{status: 401},
			want:       Rejected,
			wantStatus: 401,
			wantReason: "answered 401",
			wantEvents: rejected(401),
			wantStats:  SessionStats{AuthFailures: 1},
		},
		{
			name:       "403",
			answer:     answer{status: 403, body: `forbidden`},
			want:       Rejected,
			wantStatus: 403,
			wantReason: "answered 403",
			wantEvents: rejected(403),
			wantStats:  SessionStats{AuthFailures: 1},
		},
		{
			name:       "500",
			answer:     answer{status: 500, body: `{"error":"db down"}`},
			want:       Transient,
			wantStatus: 500,
			wantReason: "answered 500 db down",
			wantTokens: Tokens{"T1", "R1"},
			wantEvents: transient(500),
			wantStats:  SessionStats{RefreshErrors: 1},
		},
		{
			name:       "429",
			answer:     answer{status: 429},
			want:       Transient,
			wantStatus: 429,
			wantReason: "answered 429",
			wantTokens: Tokens{"T1", "R1"},
			wantEvents: transient(429),
			wantStats:  SessionStats{RefreshErrors: 1},
		},
		{
			name:       "unexpected 302",
			answer:     answer{status: 302},
			want:       Transient,
			wantStatus: 302,
			wantReason: "answered 302",
			wantTokens: Tokens{"T1", "R1"},
			wantEvents: transient(302),
			wantStats:  SessionStats{RefreshErrors: 1},
		},
		{
			name:       "network error",
			answer:     answer{err: errors.New("Failed to fetch")},
			want:       Transient,
			wantReason: "network error: Failed to fetch",
			wantTokens: Tokens{"T1", "R1"},
			wantEvents: transient(0),
			wantStats:  SessionStats{RefreshErrors: 1},
		},
		{
			name:       "timeout",
			answer:     answer{blockUntilDone: true},
			timeout:    20 * time.Millisecond,
			unanswered: true,
			want:       Transient,
			wantReason: "timed out after 20 ms",
			wantTokens: Tokens{"T1", "R1"},
			wantEvents: transient(0),
			wantStats:  SessionStats{RefreshErrors: 1},
		},
	}
	for _, tt := range tests {
		setup := func(t *testing.T, held bool) (e *env, release func()) {
			ft, release := newFakeTransport(tt.answer), func() {}
			if held {
				ft, release = heldTransport(tt.answer)
				t.Cleanup(release)
			}
			e = newEnv(t, Tokens{"T1", "R1"}, "T2", ft, func(c *ClientConfig) {
				c.Refresh.Timeout = tt.timeout
			})
			return e, release
		}
		t.Run(tt.name+"/result", func(t *testing.T) {
			e, _ := setup(t, false)
			res, err := e.session.refresh(context.Background(), e.client.refresher)
			require.NoError(t, err)
			assert.Equal(t, tt.want, res.Outcome)
			assert.Equal(t, tt.wantStatus, res.Status)
			if tt.want == Refreshed {
				assert.Empty(t, res.Reason)
				assert.Equal(t, tt.wantTokens, res.Tokens)
			} else {
				assert.Contains(t, res.Reason, tt.wantReason)
				assert.Equal(t, Tokens{}, res.Tokens)
			}
			ok, err := e.client.Refresh(context.Background())
			require.NoError(t, err)
			assert.Equal(t, tt.want == Refreshed, ok, "Client.Refresh")
		})
		t.Run(tt.name+"/requests", func(t *testing.T) {
			e, release := setup(t, true)
			e.api.unauthorized = make(chan string, 4)
			answerAll := e.api.holdAnswers(t, 4)
			a := goDo(context.Background(), e.client, e.api.request())
			b := goDo(context.Background(), e.client, e.api.request())
			waitSignals(t, e.api.arrived, 2, "attempts")
			answerAll()
			waitSignals(t, e.api.unauthorized, 2, "401s")
			e.transport.waitArrived(t, 1)
			if tt.timeout == 0 { // else the timeout may have released them already
				waitWaiting(t, 2, e.session) // both wait for the one refresh
			}
			release()
			ra, rb := recv(t, a), recv(t, b)
			require.NoError(t, ra.err)
			require.NoError(t, rb.err)

			if tt.want == Refreshed {
				assert.Equal(t, &apiResponse{status: 200, bearer: "T2"}, ra.res)
				assert.Equal(t, &apiResponse{status: 200, bearer: "T2"}, rb.res)
				assert.Equal(t, []string{"T1", "T1", "T2", "T2"}, e.api.seen())
				assert.Equal(t, ClientStats{Requests: 2, Retries: 2, SessionStats: tt.wantStats}, e.client.Stats())
			} else {
				// Each gets its own 401, and nothing is sent again.
				assert.Equal(t, &apiResponse{status: 401, bearer: "T1"}, ra.res)
				assert.Equal(t, &apiResponse{status: 401, bearer: "T1"}, rb.res)
				assert.NotSame(t, ra.res, rb.res)
				assert.Equal(t, []string{"T1", "T1"}, e.api.seen())
				assert.Equal(t, ClientStats{Requests: 2, SessionStats: tt.wantStats}, e.client.Stats())
			}
			assert.Equal(t, int64(1), e.transport.calls.Load(), "refresh calls")
			assert.Equal(t, tt.wantTokens, e.tokens())
			assert.Equal(t, tt.wantTokens, Tokens{e.storage.raw("accessToken"), e.storage.raw("refreshToken")}, "what the storage holds")
			events := e.events.all()
			assert.Equal(t, tt.wantEvents, withoutReasons(t, events))
			for _, ev := range events {
				if ev.Reason != "" {
					assert.Contains(t, ev.Reason, tt.wantReason)
				}
			}

			// After a transient failure the next 401 tries again; after a
			// rejection there is nothing to refresh with.
			e.transport.setAnswer(answer{status: 200, body: `{"accessToken":"T3"}`})
			if tt.want == Transient {
				e.api.setValid("T3")
			}
			r := recv(t, goDo(context.Background(), e.client, e.api.request()))
			require.NoError(t, r.err)
			switch tt.want {
			case Refreshed:
				assert.Equal(t, &apiResponse{status: 200, bearer: "T2"}, r.res)
				assert.Equal(t, int64(1), e.transport.calls.Load())
			case Rejected:
				assert.Equal(t, &apiResponse{status: 401, bearer: ""}, r.res, "sent with no token")
				assert.Equal(t, int64(1), e.transport.calls.Load())
			case Transient:
				want, calls := &apiResponse{status: 200, bearer: "T3"}, int64(2)
				if tt.unanswered {
					// The refresh token may be spent already: it is not sent
					// again while the first call can still answer.
					want, calls = &apiResponse{status: 401, bearer: "T1"}, 1
				}
				assert.Equal(t, want, r.res)
				assert.Equal(t, calls, e.transport.calls.Load())
			}
		})
	}
}

// TestARefreshAnswerAfterTheTimeoutIsKept: the waiters are released with a
// transient failure at the timeout, but the answer that comes later is
// stored, because a rotating server has spent the old refresh token by then;
// until it comes, no other refresh spends that token again.
func TestARefreshAnswerAfterTheTimeoutIsKept(t *testing.T) {
	tr, release := heldTransport(answer{status: 200, body: `{"accessToken":"T2","refreshToken":"R2"}`})
	t.Cleanup(release)
	e := newEnv(t, Tokens{"T1", "R1"}, "T2", tr, func(c *ClientConfig) { c.Refresh.Timeout = 20 * time.Millisecond })
	stored := make(chan Event, 1)
	t.Cleanup(e.session.Subscribe(func(ev Event) {
		if ev.Kind == EventTokens { // the last event of a refresh
			stored <- ev
		}
	}))

	a, b := goDo(context.Background(), e.client, e.api.request()), goDo(context.Background(), e.client, e.api.request())
	assert.Equal(t, 401, recv(t, a).status(), "released at the timeout")
	assert.Equal(t, 401, recv(t, b).status())
	assert.Equal(t, 401, recv(t, goDo(context.Background(), e.client, e.api.request())).status(), "while the call is unanswered")
	tr.waitArrived(t, 1)
	assert.Equal(t, int64(1), tr.calls.Load(), "R1 is not sent again while it may be spent")

	release()
	waitSignals(t, stored, 1, "the late refresh")
	assert.Equal(t, Tokens{"T2", "R2"}, e.tokens())
	assert.Equal(t, 200, recv(t, goDo(context.Background(), e.client, e.api.request())).status())
	assert.Equal(t, int64(1), tr.calls.Load())
	assert.Equal(t, []Event{
		{Kind: EventRefreshError},
		{Kind: EventRefresh, AccessToken: "T2"},
		{Kind: EventTokens, AccessToken: "T2"},
	}, withoutReasons(t, e.events.all()))
	assert.Equal(t, SessionStats{Refreshes: 1, RefreshErrors: 1}, e.session.Stats())
}

func TestClassifyAnswer(t *testing.T) {
	tests := []struct {
		name   string
		format Format
		status int
		text   string
		want   RefreshResult
	}{
		{"json full", FormatJSON, 200, `{"accessToken":"A","refreshToken":"R","expiresIn":60}`,
			RefreshResult{Outcome: Refreshed, Status: 200, Tokens: Tokens{"A", "R"}, ExpiresIn: time.Minute}},
		{"json fractional expiresIn", FormatJSON, 200, `{"accessToken":"A","expiresIn":1.5}`,
			RefreshResult{Outcome: Refreshed, Status: 200, Tokens: Tokens{Access: "A"}, ExpiresIn: 1500 * time.Millisecond}},
		{"json access only", FormatJSON, 200, `{"accessToken":"A"}`,
			RefreshResult{Outcome: Refreshed, Status: 200, Tokens: Tokens{Access: "A"}}},
		{"json refresh undefined", FormatJSON, 200, `{"accessToken":"A","refreshToken":"undefined"}`,
			RefreshResult{Outcome: Refreshed, Status: 200, Tokens: Tokens{Access: "A"}}},
		{"204, expiresIn negative", FormatJSON, 204, `{"accessToken":"A","expiresIn":-5}`,
			RefreshResult{Outcome: Refreshed, Status: 204, Tokens: Tokens{Access: "A"}}},
		{"json expiresIn too large", FormatJSON, 200, `{"accessToken":"A","expiresIn":1e300}`,
			RefreshResult{Outcome: Refreshed, Status: 200, Tokens: Tokens{Access: "A"}}},
		{"json expiresIn not a number", FormatJSON, 200, `{"accessToken":"A","expiresIn":"soon"}`,
			RefreshResult{Outcome: Refreshed, Status: 200, Tokens: Tokens{Access: "A"}}},
		{"json with oauth2 names", FormatJSON, 200, `{"access_token":"A"}`,
			RefreshResult{Outcome: Rejected, Status: 200, Reason: "answered 200 without accessToken"}},
		{"json access not a string", FormatJSON, 200, `{"accessToken":42}`,
			RefreshResult{Outcome: Rejected, Status: 200, Reason: "answered 200 without accessToken"}},
		{"json access empty", FormatJSON, 200, `{"accessToken":""}`,
			RefreshResult{Outcome: Rejected, Status: 200, Reason: "answered 200 without accessToken"}},
		{"json access with a newline", FormatJSON, 200, `{"accessToken":"a\nb"}`,
			RefreshResult{Outcome: Rejected, Status: 200, Reason: "answered 200 without accessToken"}},
		{"not JSON", FormatJSON, 200, `<html>`,
			RefreshResult{Outcome: Transient, Status: 200, Reason: "answered 200 with a body that is not a JSON object"}},
		{"empty body", FormatJSON, 200, ``,
			RefreshResult{Outcome: Transient, Status: 200, Reason: "answered 200 with a body that is not a JSON object"}},
		{"JSON array", FormatJSON, 200, `[{"accessToken":"A"}]`,
			RefreshResult{Outcome: Transient, Status: 200, Reason: "answered 200 with a body that is not a JSON object"}},
		{"JSON null", FormatJSON, 200, `null`,
			RefreshResult{Outcome: Transient, Status: 200, Reason: "answered 200 with a body that is not a JSON object"}},
		{"400 with error", FormatJSON, 400, `{"error":"invalid_grant"}`,
			RefreshResult{Outcome: Rejected, Status: 400, Reason: "answered 400 invalid_grant"}},
		{"401 plain", FormatJSON, 401, `Unauthorized`,
			RefreshResult{Outcome: Rejected, Status: 401, Reason: "answered 401"}},
		{"403 error not a string", FormatJSON, 403, `{"error":{"code":1}}`,
			RefreshResult{Outcome: Rejected, Status: 403, Reason: "answered 403"}},
		{"404", FormatJSON, 404, ``,
			RefreshResult{Outcome: Transient, Status: 404, Reason: "answered 404"}},
		{"429", FormatJSON, 429, `{"error":"slow down"}`,
			RefreshResult{Outcome: Transient, Status: 429, Reason: "answered 429 slow down"}},
		{"500", FormatJSON, 500, `{"accessToken":"A"}`,
			RefreshResult{Outcome: Transient, Status: 500, Reason: "answered 500"}},
		{"503", FormatJSON, 503, `{"error":"maintenance"}`,
			RefreshResult{Outcome: Transient, Status: 503, Reason: "answered 503 maintenance"}},
		{"302", FormatJSON, 302, ``,
			RefreshResult{Outcome: Transient, Status: 302, Reason: "answered 302"}},
		{"0 (opaque)", FormatJSON, 0, ``,
			RefreshResult{Outcome: Transient, Status: 0, Reason: "answered 0"}},
		{"oauth2 full", FormatOAuth2, 200, `{"access_token":"A","refresh_token":"R","expires_in":3600,"token_type":"Bearer"}`,
			RefreshResult{Outcome: Refreshed, Status: 200, Tokens: Tokens{"A", "R"}, ExpiresIn: time.Hour}},
		{"oauth2 expires_in as a string", FormatOAuth2, 200, `{"access_token":"A","expires_in":"3600"}`,
			RefreshResult{Outcome: Refreshed, Status: 200, Tokens: Tokens{Access: "A"}, ExpiresIn: time.Hour}},
		{"oauth2 with json names", FormatOAuth2, 200, `{"accessToken":"A"}`,
			RefreshResult{Outcome: Rejected, Status: 200, Reason: "answered 200 without access_token"}},
		{"oauth2 invalid_grant", FormatOAuth2, 400, `{"error":"invalid_grant","error_description":"revoked"}`,
			RefreshResult{Outcome: Rejected, Status: 400, Reason: "answered 400 invalid_grant"}},
		{"oauth2 invalid_client", FormatOAuth2, 401, `{"error":"invalid_client"}`,
			RefreshResult{Outcome: Rejected, Status: 401, Reason: "answered 401 invalid_client"}},
		{"oauth2 server_error", FormatOAuth2, 500, `{"error":"server_error"}`,
			RefreshResult{Outcome: Transient, Status: 500, Reason: "answered 500 server_error"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, classifyAnswer(tt.format, tt.status, tt.text, parseJSON))
		})
	}
}

func FuzzClassifyAnswer(f *testing.F) {
	f.Add(200, `{"accessToken":"A","refreshToken":"R","expiresIn":60}`, false)
	f.Add(200, `{"access_token":"A","expires_in":"3600"}`, true)
	f.Add(200, `{"accessToken":"undefined"}`, false)
	f.Add(200, `not json`, false)
	f.Add(400, `{"error":"invalid_grant"}`, true)
	f.Add(401, ``, false)
	f.Add(503, `{"error":"x"}`, false)
	f.Add(-1, `{}`, true)
	f.Fuzz(func(t *testing.T, status int, text string, oauth2 bool) {
		format := FormatJSON
		if oauth2 {
			format = FormatOAuth2
		}
		res := classifyAnswer(format, status, text, parseJSON)
		if res.Status != status {
			t.Fatalf("status %d, want %d", res.Status, status)
		}
		switch res.Outcome {
		case Refreshed:
			if status < 200 || status > 299 {
				t.Fatalf("refreshed on %d", status)
			}
			if res.Tokens.Access == "" || validToken(res.Tokens.Access) != res.Tokens.Access {
				t.Fatalf("refreshed with access token %q", res.Tokens.Access)
			}
			if validToken(res.Tokens.Refresh) != res.Tokens.Refresh {
				t.Fatalf("refreshed with refresh token %q", res.Tokens.Refresh)
			}
			if res.ExpiresIn < 0 || res.Reason != "" {
				t.Fatalf("refreshed with %+v", res)
			}
		case Rejected, Transient:
			if res.Reason == "" || res.Tokens != (Tokens{}) || res.ExpiresIn != 0 {
				t.Fatalf("failed with %+v", res)
			}
			if (status == 400 || status == 401 || status == 403) && res.Outcome != Rejected {
				t.Fatalf("%d not rejected", status)
			}
		default:
			t.Fatalf("outcome %v", res.Outcome)
		}
	})
}
