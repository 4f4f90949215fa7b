package demoapi

import (
	"context"
	"net/http"
	"testing"
	"time"
)

// A spent refresh token presented again: with the grace window on, within it, the same
// pair again; otherwise reuse, and the family revoked.
func TestGraceWindowSwitch(t *testing.T) {
	tests := []struct {
		name    string
		on      bool
		after   time.Duration // between the refresh and the replay
		replays int           // graceReplays
		reuses  int           // reuseDetections
	}{
		{"on, within the window", true, DefaultGraceWindow - time.Second, 1, 0},
		{"on, when the window has passed", true, DefaultGraceWindow, 0, 1},
		{"off", false, time.Second, 0, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x := newHarness(t)
			x.flip("/demo/grace", jsonBody(t, map[string]bool{"on": tt.on}))
			if got := x.stats().GraceWindowMs; (got == DefaultGraceWindow.Milliseconds()) != tt.on || (got != 0) != tt.on {
				t.Fatalf("graceWindowMs %d with the switch on: %v", got, tt.on)
			}
			first := x.login("ada@example.com")
			second := wantTokens(t, x.refresh(first.RefreshToken))
			x.clock.Advance(tt.after)

			rec := x.refresh(first.RefreshToken)
			if tt.replays == 1 {
				wantStatus(t, rec, http.StatusOK)
				again := decode[tokenResponse](t, rec)
				left := int((testTTL - tt.after).Seconds())
				if again.AccessToken != second.AccessToken || again.RefreshToken != second.RefreshToken || again.ExpiresIn != left {
					t.Errorf("replay answered %+v, want the pair of the refresh %+v, with %d s left", again, second, left)
				}
				wantTokens(t, x.refresh(second.RefreshToken)) // the family lives on
			} else {
				wantError(t, rec, http.StatusUnauthorized, "")
				wantError(t, x.refresh(second.RefreshToken), http.StatusUnauthorized, "")
			}
			if s := x.stats(); s.GraceReplays != tt.replays || s.ReuseDetections != tt.reuses {
				t.Errorf("graceReplays %d, reuseDetections %d; want %d, %d", s.GraceReplays, s.ReuseDetections, tt.replays, tt.reuses)
			}
		})
	}
}

// With the delay switch a refresh spends its token on arrival and holds the answer; a
// client that leaves meanwhile loses it, and only the grace window saves its session.
// This is the tab closed mid-refresh, on the server's side.
func TestALostAnswerSpendsTheToken(t *testing.T) {
	for _, tt := range []struct {
		name  string
		grace bool
	}{{"grace window on", true}, {"grace window off", false}} {
		grace := tt.grace
		t.Run(tt.name, func(t *testing.T) {
			x := newHarness(t)
			x.flip("/demo/grace", jsonBody(t, map[string]bool{"on": grace}))
			x.flip("/demo/refresh-delay", `{"ms":1500}`)
			tok := x.login("ada@example.com")

			ctx, leave := context.WithCancel(context.Background())
			leave() // the tab is gone before the answer can be sent
			req := request(http.MethodPost, "/auth/refresh-token", jsonBody(t, refreshRequest{RefreshToken: tok.RefreshToken})).WithContext(ctx)
			if rec := x.send(req); rec.Body.Len() != 0 {
				t.Fatalf("a lost answer was written: %d %s", rec.Code, rec.Body.String())
			}

			x.flip("/demo/refresh-delay", `{"ms":0}`)
			rec := x.refresh(tok.RefreshToken) // the other tab, with the token it can see
			s := x.stats()
			if s.LostAnswers != 1 || s.RefreshCalls != 2 {
				t.Errorf("lostAnswers %d, refreshCalls %d; want 1, 2", s.LostAnswers, s.RefreshCalls)
			}
			if grace {
				wantStatus(t, x.get("/api/me", wantTokens(t, rec).AccessToken), http.StatusOK)
				return
			}
			wantError(t, rec, http.StatusUnauthorized, "")
			if s.ReuseDetections != 1 {
				t.Errorf("reuseDetections %d, want 1", s.ReuseDetections)
			}
		})
	}
}

func TestSwitchesRefuseBadBodies(t *testing.T) {
	tests := []struct{ path, body string }{
		{"/demo/grace", `{}`},
		{"/demo/grace", `{"on":"yes"}`},
		{"/demo/grace", `not json`},
		{"/demo/refresh-cookie", `{"on":null}`},
		{"/demo/dpop", `{"nonce":true}`},
		{"/demo/refresh-delay", `{}`},
		{"/demo/refresh-delay", `{"ms":-1}`},
		{"/demo/refresh-delay", `{"ms":5001}`},
		{"/demo/refresh-delay", `{"ms":"1500"}`},
		{"/demo/replay", `{}`},
		{"/demo/replay", `{"token":`},
	}
	for _, tt := range tests {
		t.Run(tt.path+" "+tt.body, func(t *testing.T) {
			x := newHarness(t)
			wantError(t, x.do(http.MethodPost, tt.path, tt.body, ""), http.StatusBadRequest, "")
			want := `{"logins":0,"refreshCalls":0,"reuseDetections":0,"graceReplays":0,"lostAnswers":0,"api401s":0,` +
				`"refreshMode":"ok","refreshCookie":false,"dpop":false,"dpopNonce":false,"graceWindowMs":0,"refreshDelayMs":0}` + "\n"
			if got := x.do(http.MethodGet, "/demo/stats", "", "").Body.String(); got != want {
				t.Errorf("after a refused switch, stats %s; want them untouched", got)
			}
		})
	}
}

func TestSwitchesAnswerTheStats(t *testing.T) {
	tests := []struct {
		path, body string
		check      func(statsResponse) bool
	}{
		{"/demo/grace", `{"on":true}`, func(s statsResponse) bool { return s.GraceWindowMs == DefaultGraceWindow.Milliseconds() }},
		{"/demo/refresh-delay", `{"ms":1500}`, func(s statsResponse) bool { return s.RefreshDelayMs == 1500 }},
		{"/demo/refresh-cookie", `{"on":true}`, func(s statsResponse) bool { return s.Cookie }},
		{"/demo/dpop", `{"on":true}`, func(s statsResponse) bool { return s.DPoP && !s.DPoPNonce }},
		{"/demo/dpop", `{"on":true,"nonce":true}`, func(s statsResponse) bool { return s.DPoP && s.DPoPNonce }},
		{"/demo/dpop", `{"on":false,"nonce":true}`, func(s statsResponse) bool { return !s.DPoP && !s.DPoPNonce }},
	}
	for _, tt := range tests {
		t.Run(tt.path+" "+tt.body, func(t *testing.T) {
			x := newHarness(t)
			rec := x.do(http.MethodPost, tt.path, tt.body, "")
			wantStatus(t, rec, http.StatusOK)
			if s := decode[statsResponse](t, rec); !tt.check(s) || s != x.stats() {
				t.Errorf("answer %+v, stats %+v: want the switch set in both", s, x.stats())
			}
		})
	}
}
