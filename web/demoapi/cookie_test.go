package demoapi

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// cookieLogin switches cookie mode on, logs ada in and returns the access token and the
// refresh cookie, checking that the token is in the cookie only.
func (x *harness) cookieLogin() (access string, cookie *http.Cookie) {
	x.t.Helper()
	x.flip("/demo/refresh-cookie", `{"on":true}`)
	rec := x.do(http.MethodPost, "/auth/login", jsonBody(x.t, loginRequest{Email: "ada@example.com", Password: "demo"}), "")
	wantStatus(x.t, rec, http.StatusOK)
	tok := decode[tokenResponse](x.t, rec)
	if tok.AccessToken == "" || tok.RefreshToken != "" {
		x.t.Fatalf("cookie-mode login answered %+v: want an access token and no refresh token in the body", tok)
	}
	return tok.AccessToken, cookieOf(x.t, rec)
}

func TestCookieModeLoginSetsAStrictHttpOnlyCookie(t *testing.T) {
	x := newHarness(t)
	_, c := x.cookieLogin()
	if !c.HttpOnly || c.SameSite != http.SameSiteStrictMode || c.Path != "/auth" || c.Secure || c.Value == "" {
		t.Errorf("refresh cookie %+v: want a value, HttpOnly, SameSite=Strict, Path=/auth, not Secure on plain HTTP", c)
	}
}

// cookieRefresh posts body (none when empty) to the refresh endpoint with cookie, if any.
func (x *harness) cookieRefresh(cookie *http.Cookie, body string) *httptest.ResponseRecorder {
	x.t.Helper()
	req := request(http.MethodPost, "/auth/refresh-token", body)
	if cookie != nil {
		req.AddCookie(&http.Cookie{Name: cookie.Name, Value: cookie.Value})
	}
	return x.send(req)
}

func TestCookieModeRefresh(t *testing.T) {
	tests := []struct {
		name   string
		cookie bool   // the request carries the refresh cookie
		body   string // "token": {"refreshToken": <the cookie's token>}
		want   int
	}{
		{"the cookie alone", true, "", http.StatusOK},
		{"the cookie and the body authfetch sends", true, `{}`, http.StatusOK},
		{"the cookie and a token in the body", true, "token", http.StatusBadRequest},
		{"a token in the body alone", false, "token", http.StatusBadRequest},
		{"neither", false, "", http.StatusUnauthorized},
		{"a body that is not JSON", true, "{", http.StatusBadRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x := newHarness(t)
			_, c := x.cookieLogin()
			body := tt.body
			if body == "token" {
				body = jsonBody(t, refreshRequest{RefreshToken: c.Value})
			}
			var sent *http.Cookie
			if tt.cookie {
				sent = c
			}
			rec := x.cookieRefresh(sent, body)
			if tt.want != http.StatusOK {
				wantError(t, rec, tt.want, "")
				wantStatus(t, x.cookieRefresh(c, ""), http.StatusOK) // the refused call spent nothing
				return
			}
			wantStatus(t, rec, http.StatusOK)
			tok := decode[tokenResponse](t, rec)
			next := cookieOf(t, rec)
			if tok.RefreshToken != "" || next.Value == c.Value || !next.HttpOnly {
				t.Errorf("answer %+v with cookie %+v: want no refresh token in the body and a new HttpOnly cookie", tok, next)
			}
			wantStatus(t, x.get("/api/me", tok.AccessToken), http.StatusOK)
			wantStatus(t, x.cookieRefresh(next, ""), http.StatusOK)
		})
	}
}

func TestCookieModeDetectsReuse(t *testing.T) {
	x := newHarness(t)
	access, first := x.cookieLogin()
	second := cookieOf(t, x.cookieRefresh(first, ""))
	wantError(t, x.cookieRefresh(first, ""), http.StatusUnauthorized, "")
	wantError(t, x.cookieRefresh(second, ""), http.StatusUnauthorized, "")
	wantError(t, x.get("/api/me", access), http.StatusUnauthorized, invalidToken)
	if s := x.stats(); s.ReuseDetections != 1 {
		t.Errorf("reuseDetections %d, want 1", s.ReuseDetections)
	}
}

// The OAuth endpoint takes its token from a form, a body: cookie mode refuses it.
func TestCookieModeRefusesTheOAuthEndpoint(t *testing.T) {
	x := newHarness(t)
	_, c := x.cookieLogin()
	wantOAuthError(t, x.oauthRefresh("grant_type=refresh_token&refresh_token="+c.Value), http.StatusBadRequest, "invalid_request")
	wantStatus(t, x.cookieRefresh(c, ""), http.StatusOK)
}

func TestLogout(t *testing.T) {
	tests := []struct {
		name   string
		cookie bool // cookie mode; otherwise the token goes in the body
	}{
		{"cookie mode", true},
		{"body mode", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x := newHarness(t)
			var access string
			var present func() *httptest.ResponseRecorder // the refresh token after the logout
			req := request(http.MethodPost, "/auth/logout", "")
			if tt.cookie {
				var c *http.Cookie
				access, c = x.cookieLogin()
				req.AddCookie(&http.Cookie{Name: c.Name, Value: c.Value})
				present = func() *httptest.ResponseRecorder { return x.cookieRefresh(c, "") }
			} else {
				tok := x.login("ada@example.com")
				access = tok.AccessToken
				req = request(http.MethodPost, "/auth/logout", jsonBody(t, refreshRequest{RefreshToken: tok.RefreshToken}))
				present = func() *httptest.ResponseRecorder { return x.refresh(tok.RefreshToken) }
			}
			rec := x.send(req)
			wantStatus(t, rec, http.StatusNoContent)
			if c := cookieOf(t, rec); c.MaxAge >= 0 || c.Value != "" {
				t.Errorf("logout cookie %+v: want it dropped", c)
			}
			wantError(t, present(), http.StatusUnauthorized, "")
			wantError(t, x.get("/api/me", access), http.StatusUnauthorized, invalidToken)
			wantStatus(t, x.send(request(http.MethodPost, "/auth/logout", "")), http.StatusNoContent) // twice is fine
		})
	}
}
