//go:build !js

package browsertest

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

// client talks to a FakeAPI served on 127.0.0.1, as a browser would.
type client struct {
	t   *testing.T
	api *FakeAPI
	url string
}

func newClient(t *testing.T, cfg Config) *client {
	t.Helper()
	api := NewFakeAPI(cfg)
	srv, err := Serve(api)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { api.Close(); srv.Close() })
	return &client{t: t, api: api, url: srv.URL}
}

// do sends method path with body and bearer (none when empty) and returns
// the status and the decoded JSON body (nil when it is not JSON).
func (c *client) do(method, path, body, bearer string) (int, map[string]string) {
	c.t.Helper()
	req, err := http.NewRequest(method, c.url+path, strings.NewReader(body))
	if err != nil {
		c.t.Fatal(err)
	}
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, nil // a network error, which is what NetworkError is for
	}
	defer res.Body.Close()
	var got map[string]string
	json.NewDecoder(res.Body).Decode(&got)
	return res.StatusCode, got
}

func (c *client) refresh(token string) (int, map[string]string) {
	c.t.Helper()
	return c.do(http.MethodPost, RefreshPath, `{"refreshToken":"`+token+`"}`, "")
}

func (c *client) get(token string) int {
	c.t.Helper()
	status, _ := c.do(http.MethodGet, "/api/me", "", token)
	return status
}

func TestTheFakeRotatesAndDetectsReuse(t *testing.T) {
	c := newClient(t, Config{})
	access, refresh := c.api.Login()
	if access != "a1" || refresh != "r1" {
		t.Fatalf("first pair %s %s, want a1 r1", access, refresh)
	}
	status, pair := c.refresh("r1")
	if status != http.StatusOK || pair["accessToken"] != "a2" || pair["refreshToken"] != "r2" {
		t.Fatalf("refresh: %d %v, want a2 r2", status, pair)
	}
	steps := []struct {
		name string
		do   func() int
		want int
	}{
		{"the new access token", func() int { return c.get("a2") }, http.StatusOK},
		{"the replaced access token", func() int { return c.get("a1") }, http.StatusUnauthorized},
		{"the spent refresh token again", func() int { s, _ := c.refresh("r1"); return s }, http.StatusUnauthorized},
		{"the access token of the revoked family", func() int { return c.get("a2") }, http.StatusUnauthorized},
		{"the refresh token of the revoked family", func() int { s, _ := c.refresh("r2"); return s }, http.StatusUnauthorized},
	}
	for _, s := range steps {
		if got := s.do(); got != s.want {
			t.Errorf("%s: %d, want %d", s.name, got, s.want)
		}
	}
	got := c.api.Session("")
	want := Counts{Logins: 1, Calls: 3, Successes: 1, Rejections: 2, Unneeded: 1, Reused: 1, Respent: 1, Invalid: 2, Stale: 1}
	if got.Counts != want || got.AccessValid || got.RefreshValid {
		t.Errorf("session %+v, want counts %+v and both tokens revoked", got, want)
	}
}

func TestTheFakeAnswersRefreshesAsScripted(t *testing.T) {
	tests := []struct {
		name       string
		answer     Answer
		status     int    // 0: a network error
		access     string // the accessToken answered
		refreshed  string // the refresh token the session holds after
		successes  int
		rejections int
		transients int
	}{
		{"rotated", Rotated, http.StatusOK, "a2", "r2", 1, 0, 0},
		{"the refresh token kept", KeptRefreshToken, http.StatusOK, "a2", "r1", 1, 0, 0},
		{"a rejection", AnswerStatus(http.StatusForbidden), http.StatusForbidden, "", "r1", 0, 1, 0},
		{"a 503", AnswerStatus(http.StatusServiceUnavailable), http.StatusServiceUnavailable, "", "r1", 0, 0, 1},
		{"not JSON", NotJSON, http.StatusOK, "", "r1", 0, 0, 1},
		{"no access token", NoAccessToken, http.StatusOK, "", "r1", 0, 1, 0},
		{"a network error", NetworkError, 0, "", "r1", 0, 0, 1},
		{"logged out", LoggedOut, http.StatusUnauthorized, "", "r1", 0, 1, 0},
		{"a body that comes later", Rotated.BodyAfter(time.Millisecond), http.StatusOK, "a2", "r2", 1, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newClient(t, Config{})
			c.api.Login()
			c.api.AnswerRefresh(tt.answer)
			status, body := c.refresh("r1")
			_, refresh := c.api.Tokens()
			got := c.api.Session("").Counts
			if status != tt.status || body["accessToken"] != tt.access || refresh != tt.refreshed ||
				got.Successes != tt.successes || got.Rejections != tt.rejections || got.Transients != tt.transients {
				t.Errorf("%d %v, session holds %s, counts %+v; want %d, accessToken %q, %s, %d/%d/%d successes/rejections/transients",
					status, body, refresh, got, tt.status, tt.access, tt.refreshed, tt.successes, tt.rejections, tt.transients)
			}
		})
	}
}

func TestTheFakeKeepsOldTokensWhenAsked(t *testing.T) {
	c := newClient(t, Config{KeepOldTokens: true})
	c.api.Login()
	c.refresh("r1")
	c.refresh("r1")
	for _, tok := range []string{"a1", "a2", "a3"} {
		if got := c.get(tok); got != http.StatusOK {
			t.Errorf("%s: %d, want 200", tok, got)
		}
	}
	c.api.RevokeAccess()
	if c.get("a3") != http.StatusUnauthorized || c.get("a2") != http.StatusOK {
		t.Error("RevokeAccess revokes the newest access token only")
	}
	if c.api.RefreshCalls() != 2 || c.api.APICalls() != 5 {
		t.Errorf("%d refresh calls, %d API calls; want 2, 5", c.api.RefreshCalls(), c.api.APICalls())
	}
}

func TestTheFakeHoldsRefreshesAndSaysWhatArrived(t *testing.T) {
	c := newClient(t, Config{Record: true})
	c.api.Login()
	release := c.api.HoldRefreshes()
	arrived := c.api.Arrived(RefreshPath, 1)
	done := make(chan int)
	go func() { s, _ := c.refresh("r1"); done <- s }()
	<-arrived
	select {
	case s := <-done:
		t.Fatalf("a held refresh answered %d", s)
	default:
	}
	release()
	if s := <-done; s != http.StatusOK {
		t.Fatalf("released refresh: %d", s)
	}
	recs := c.api.Requests(RefreshPath)
	if len(recs) != 1 || recs[0].Status != http.StatusOK || recs[0].Body != `{"refreshToken":"r1"}` {
		t.Errorf("records %+v", recs)
	}
}

// Under Chaos, every refresh call still ends as exactly one outcome, which
// is what the soak's own checks rely on.
func TestChaosCountsEveryRefreshOnce(t *testing.T) {
	c := newClient(t, Config{Chaos: Chaos{Seed: 7, Revoke: 0.3, Reject: 0.2, Transient: 0.3, Late: 0.1,
		LateAfter: time.Millisecond, NoAnswerAfter: time.Millisecond}})
	for range 200 {
		c.do(http.MethodPost, "/login?s=s1", "", "")
		st := c.api.Session("s1")
		c.get(st.Access)
		c.refresh(st.Refresh)
	}
	got := c.api.Session("s1").Counts
	if got.Calls != 200 || got.Successes+got.Transients+got.Rejections != got.Calls || got.Late == 0 || got.Revocations == 0 {
		t.Errorf("counts %+v: want 200 calls, each counted once, some late, some revocations", got)
	}
}

// Under Chaos with SpendOnArrival, a success spends the token as the
// refresh arrives: a client that leaves before the answer comes has lost
// it, and the token presented again is reuse. Without, leaving spends
// nothing.
func TestChaosSpendOnArrival(t *testing.T) {
	for _, spend := range []bool{true, false} {
		c := newClient(t, Config{Chaos: Chaos{Late: 1, LateAfter: time.Second, SpendOnArrival: spend}})
		c.do(http.MethodPost, "/login?s=s1", "", "")
		refresh := c.api.Session("s1").Refresh
		req, _ := http.NewRequest(http.MethodPost, c.url+RefreshPath, strings.NewReader(`{"refreshToken":"`+refresh+`"}`))
		if _, err := (&http.Client{Timeout: 100 * time.Millisecond}).Do(req); err == nil {
			t.Fatalf("SpendOnArrival %v: the refresh answered before its second", spend)
		}
		wantReused := 0
		if spend {
			wantReused = 1
		}
		c.refresh(refresh)
		if got := c.api.Session("s1").Reused; got != wantReused {
			t.Errorf("SpendOnArrival %v: the token presented again after the client left: %d reuse detections, want %d", spend, got, wantReused)
		}
	}
}

// A spent refresh token presented again counts as Respent even where its
// family was revoked first, which hides the reuse from reuse detection.
func TestASpentTokenOfARevokedFamilyIsRespent(t *testing.T) {
	c := newClient(t, Config{})
	_, first := c.api.Login()
	c.refresh(first)
	c.api.Login()
	if status, _ := c.refresh(first); status != http.StatusUnauthorized {
		t.Fatalf("the spent token again: %d, want 401", status)
	}
	if got := c.api.Session("").Counts; got.Respent != 1 || got.Reused != 0 {
		t.Errorf("counts %+v: want Respent 1, Reused 0", got)
	}
}

// A refresh with a token of the family that a second login replaced is
// refused, counted as Superseded rather than as a duplicate, and does not
// log the second login out, even when told to answer LoggedOut.
func TestARefreshOfAFamilyALoginReplacedIsSuperseded(t *testing.T) {
	c := newClient(t, Config{Record: true})
	_, first := c.api.Login()
	c.api.Login()
	c.api.AnswerRefresh(LoggedOut)
	before := time.Now()
	if status, _ := c.refresh(first); status != http.StatusUnauthorized {
		t.Fatalf("refresh with the replaced family's token: %d, want 401", status)
	}
	got := c.api.Session("")
	want := Counts{Logins: 2, Calls: 1, Rejections: 1, Superseded: 1}
	if got.Counts != want || !got.AccessValid || !got.RefreshValid {
		t.Errorf("session %+v, want counts %+v and the second login's tokens good", got, want)
	}
	recs := c.api.Requests(RefreshPath)
	if len(recs) != 1 || recs[0].Outcome != "rejection" || recs[0].Answered.Before(before) || recs[0].Answered.After(time.Now()) {
		t.Errorf("records %+v: want one rejection, answered during the call", recs)
	}
}

// Each refresh call's record names the outcome the fake counted.
func TestRecordsNameTheOutcomeOfEachRefresh(t *testing.T) {
	c := newClient(t, Config{Record: true})
	_, refresh := c.api.Login()
	for _, a := range []Answer{AnswerStatus(http.StatusServiceUnavailable), NotJSON, Rotated, LoggedOut} {
		c.api.AnswerRefresh(a)
		_, pair := c.refresh(refresh)
		if pair["refreshToken"] != "" {
			refresh = pair["refreshToken"]
		}
	}
	var got []string
	for _, r := range c.api.Requests(RefreshPath) {
		got = append(got, r.Outcome)
	}
	if want := []string{"transient", "transient", "success", "rejection"}; !slices.Equal(got, want) {
		t.Errorf("outcomes %v, want %v", got, want)
	}
}

// HoldNext holds the next refresh only, and a Hold released before any
// refresh came holds none.
func TestHoldNextHoldsTheNextRefresh(t *testing.T) {
	c := newClient(t, Config{})
	_, refresh := c.api.Login()
	c.api.HoldNext(RefreshPath).Release()
	if status, _ := c.refresh(refresh); status != http.StatusOK {
		t.Fatalf("a refresh after a released hold: %d", status)
	}
	_, refresh = c.api.Tokens()
	h := c.api.HoldNext(RefreshPath)
	done := make(chan int)
	go func() { s, _ := c.refresh(refresh); done <- s }()
	<-h.Entered
	if h.Header.Get("User-Agent") == "" {
		t.Errorf("the held refresh's headers are not in Hold.Header: %v", h.Header)
	}
	select {
	case s := <-done:
		t.Fatalf("a held refresh answered %d", s)
	default:
	}
	h.Release()
	if s := <-done; s != http.StatusOK {
		t.Fatalf("released refresh: %d", s)
	}
	_, refresh = c.api.Tokens()
	if s, _ := c.refresh(refresh); s != http.StatusOK || c.api.Session("").Calls != 3 {
		t.Errorf("the refresh after: %d, calls %d; want 200, 3", s, c.api.Session("").Calls)
	}
}
