package demoapi

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// oauthRefresh posts form to /oauth/token.
func (x *harness) oauthRefresh(form string) *httptest.ResponseRecorder {
	x.t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/oauth/token", strings.NewReader(form))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec := httptest.NewRecorder()
	x.api.ServeHTTP(rec, req)
	return rec
}

func TestOAuthTokenRotatesAndAnswersPerRFC6749(t *testing.T) {
	x := newHarness(t)
	first := x.login("ada@example.com")

	rec := x.oauthRefresh("grant_type=refresh_token&refresh_token=" + first.RefreshToken + "&client_id=demo-spa")
	wantStatus(t, rec, http.StatusOK)
	var got oauthTokenResponse
	if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if got.TokenType != "Bearer" || got.ExpiresIn != int(testTTL.Seconds()) || got.RefreshToken == first.RefreshToken || got.RefreshToken == "" {
		t.Errorf("answer %+v: want a Bearer token, expires_in %v and a new refresh token", got, testTTL.Seconds())
	}
	wantStatus(t, x.get("/api/me", got.AccessToken), http.StatusOK)

	// The spent token again is reuse: invalid_grant, and the family is revoked.
	wantOAuthError(t, x.oauthRefresh("grant_type=refresh_token&refresh_token="+first.RefreshToken), http.StatusBadRequest, "invalid_grant")
	wantStatus(t, x.get("/api/me", got.AccessToken), http.StatusUnauthorized)
}

func TestOAuthTokenErrors(t *testing.T) {
	tests := []struct {
		name, form string
		mode       refreshMode
		status     int
		error      string
	}{
		{"wrong grant type", "grant_type=password&username=a", modeOK, http.StatusBadRequest, "unsupported_grant_type"},
		{"no refresh token", "grant_type=refresh_token", modeOK, http.StatusBadRequest, "invalid_request"},
		{"unknown refresh token", "grant_type=refresh_token&refresh_token=nope", modeOK, http.StatusBadRequest, "invalid_grant"},
		{"switch 500", "grant_type=refresh_token&refresh_token=nope", mode500, http.StatusInternalServerError, "server_error"},
		{"switch 401", "grant_type=refresh_token&refresh_token=nope", mode401, http.StatusBadRequest, "invalid_grant"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x := newHarness(t)
			x.setMode(tt.mode)
			wantOAuthError(t, x.oauthRefresh(tt.form), tt.status, tt.error)
			if got := x.stats().RefreshCalls; got != 1 {
				t.Errorf("refreshCalls %d, want 1", got)
			}
		})
	}
}

func wantOAuthError(t *testing.T, rec *httptest.ResponseRecorder, status int, code string) {
	t.Helper()
	wantStatus(t, rec, status)
	var got oauthError
	if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil || got.Error != code {
		t.Errorf("body %s: want error %q", rec.Body, code)
	}
}
