package demoapi

import (
	"net/http"
	"testing"
)

func TestRevokeKillsAccessTokensButNotRefreshTokens(t *testing.T) {
	x := newHarness(t)
	ada, bob := x.login("ada@example.com"), x.login("bob@example.com")
	adaNext := wantTokens(t, x.refresh(ada.RefreshToken))

	rec := x.do(http.MethodPost, "/demo/revoke", "", "")
	wantStatus(t, rec, http.StatusOK)
	if got := decode[revokeResponse](t, rec).Revoked; got != 3 {
		t.Errorf("revoked %d, want 3", got)
	}
	for _, tok := range []string{ada.AccessToken, adaNext.AccessToken, bob.AccessToken} {
		wantError(t, x.get("/api/items", tok), http.StatusUnauthorized, invalidToken)
	}
	for _, rt := range []string{adaNext.RefreshToken, bob.RefreshToken} {
		fresh := wantTokens(t, x.refresh(rt))
		wantStatus(t, x.get("/api/items", fresh.AccessToken), http.StatusOK)
	}
	if s := x.stats(); s.API401s != 3 || s.ReuseDetections != 0 {
		t.Errorf("stats %+v: want 3 API 401s and no reuse", s)
	}
}

func TestRevokeCountsOnlyUnexpiredTokens(t *testing.T) {
	x := newHarness(t)
	x.login("ada@example.com")
	x.clock.Advance(testTTL)
	x.login("bob@example.com")

	rec := x.do(http.MethodPost, "/demo/revoke", "", "")
	if got := decode[revokeResponse](t, rec).Revoked; got != 1 {
		t.Errorf("revoked %d, want 1", got)
	}
}

func TestFailRefreshModes(t *testing.T) {
	tests := []struct {
		mode refreshMode
		want int
	}{
		{modeOK, http.StatusOK},
		{mode500, http.StatusInternalServerError},
		{mode401, http.StatusUnauthorized},
	}
	for _, tt := range tests {
		t.Run(string(tt.mode), func(t *testing.T) {
			x := newHarness(t)
			tok := x.login("ada@example.com")
			x.setMode(tt.mode)
			if got := x.stats().RefreshMode; got != tt.mode {
				t.Errorf("refreshMode %q, want %q", got, tt.mode)
			}
			rec := x.refresh(tok.RefreshToken)
			if tt.want == http.StatusOK {
				wantTokens(t, rec)
			} else {
				wantError(t, rec, tt.want, "")
				// A simulated failure spends nothing: the same token works once the switch is back.
				x.setMode(modeOK)
				wantTokens(t, x.refresh(tok.RefreshToken))
			}
			if s := x.stats(); s.ReuseDetections != 0 {
				t.Errorf("stats %+v: want no reuse", s)
			}
		})
	}
}

func TestFailRefreshRejectsBadModes(t *testing.T) {
	for _, body := range []string{`{"mode":"maybe"}`, `{}`, `{"mode":500}`, `not json`} {
		t.Run(body, func(t *testing.T) {
			x := newHarness(t)
			wantError(t, x.do(http.MethodPost, "/demo/fail-refresh", body, ""), http.StatusBadRequest, "")
			if got := x.stats().RefreshMode; got != modeOK {
				t.Errorf("refreshMode %q after a refused switch, want ok", got)
			}
		})
	}
}

func TestStartsEmpty(t *testing.T) {
	rec := newHarness(t).do(http.MethodGet, "/demo/stats", "", "")
	wantStatus(t, rec, http.StatusOK)
	want := `{"logins":0,"refreshCalls":0,"reuseDetections":0,"graceReplays":0,"lostAnswers":0,"api401s":0,` +
		`"refreshMode":"ok","refreshCookie":false,"dpop":false,"dpopNonce":false,"graceWindowMs":0,"refreshDelayMs":0}` + "\n"
	if got := rec.Body.String(); got != want {
		t.Errorf("stats %s, want %s", got, want)
	}
}

func TestUnknownRoutes(t *testing.T) {
	tests := []struct {
		method, path string
		want         int
	}{
		{http.MethodGet, "/api/nope", http.StatusNotFound},
		{http.MethodPost, "/api/me", http.StatusMethodNotAllowed},
		{http.MethodGet, "/demo/revoke", http.StatusMethodNotAllowed},
		{http.MethodGet, "/auth/refresh-token", http.StatusMethodNotAllowed},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			wantStatus(t, newHarness(t).do(tt.method, tt.path, "", ""), tt.want)
		})
	}
}
