package demoapi

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

const testTTL = 30 * time.Second

// fakeClock is a clock that moves only when told, so tests expire tokens without sleeping.
// It keeps its offset from a fixed start in an atomic, which the handlers read concurrently.
type fakeClock struct {
	start   time.Time
	elapsed atomic.Int64 // nanoseconds since start
}

func (c *fakeClock) Now() time.Time { return c.start.Add(time.Duration(c.elapsed.Load())) }

func (c *fakeClock) Advance(d time.Duration) { c.elapsed.Add(int64(d)) }

// harness drives one Handler through httptest recorders.
type harness struct {
	t     *testing.T
	api   *Handler
	clock *fakeClock
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	clock := &fakeClock{start: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}
	return &harness{t: t, api: New(Config{AccessTTL: testTTL, Now: clock.Now}), clock: clock}
}

// do sends method path with body (none when empty) and, when not empty, the Authorization header.
func (x *harness) do(method, path, body, authorization string) *httptest.ResponseRecorder {
	x.t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if authorization != "" {
		req.Header.Set("Authorization", authorization)
	}
	rec := httptest.NewRecorder()
	x.api.ServeHTTP(rec, req)
	return rec
}

// get sends GET path with the access token.
func (x *harness) get(path, accessToken string) *httptest.ResponseRecorder {
	x.t.Helper()
	return x.do(http.MethodGet, path, "", "Bearer "+accessToken)
}

// login logs email in and fails the test unless it succeeds.
func (x *harness) login(email string) tokenResponse {
	x.t.Helper()
	rec := x.do(http.MethodPost, "/auth/login", jsonBody(x.t, loginRequest{Email: email, Password: "demo"}), "")
	return wantTokens(x.t, rec)
}

// refresh presents refreshToken to the refresh endpoint.
func (x *harness) refresh(refreshToken string) *httptest.ResponseRecorder {
	x.t.Helper()
	return x.do(http.MethodPost, "/auth/refresh-token", jsonBody(x.t, refreshRequest{RefreshToken: refreshToken}), "")
}

// setMode flips the fail-refresh switch and fails the test unless it is accepted.
func (x *harness) setMode(mode refreshMode) {
	x.t.Helper()
	rec := x.do(http.MethodPost, "/demo/fail-refresh", jsonBody(x.t, modeRequest{Mode: mode}), "")
	wantStatus(x.t, rec, http.StatusOK)
}

func (x *harness) stats() statsResponse {
	x.t.Helper()
	rec := x.do(http.MethodGet, "/demo/stats", "", "")
	wantStatus(x.t, rec, http.StatusOK)
	return decode[statsResponse](x.t, rec)
}

func jsonBody(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("marshal %#v: %v", v, err)
	}
	return string(b)
}

func decode[T any](t *testing.T, rec *httptest.ResponseRecorder) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(rec.Body.Bytes(), &v); err != nil {
		t.Fatalf("decode %T from %q: %v", v, rec.Body.String(), err)
	}
	return v
}

func wantStatus(t *testing.T, rec *httptest.ResponseRecorder, want int) {
	t.Helper()
	if rec.Code != want {
		t.Fatalf("status %d, want %d; body %s", rec.Code, want, rec.Body.String())
	}
}

// wantTokens checks a 200 token answer and returns it.
func wantTokens(t *testing.T, rec *httptest.ResponseRecorder) tokenResponse {
	t.Helper()
	wantStatus(t, rec, http.StatusOK)
	if got := rec.Header().Get("Cache-Control"); got != "no-store" {
		t.Errorf("Cache-Control %q, want no-store", got)
	}
	tok := decode[tokenResponse](t, rec)
	if tok.AccessToken == "" || tok.RefreshToken == "" || tok.ExpiresIn != int(testTTL.Seconds()) {
		t.Fatalf("token answer %+v: want both tokens and expiresIn %d", tok, int(testTTL.Seconds()))
	}
	return tok
}

// wantError checks an error answer: its status, its {"error"} body and, for 401s from
// protected routes, its challenge (empty: none expected).
func wantError(t *testing.T, rec *httptest.ResponseRecorder, status int, challenge string) {
	t.Helper()
	wantStatus(t, rec, status)
	if body := decode[errorBody](t, rec); body.Error == "" {
		t.Errorf("error answer %q has no error message", rec.Body.String())
	}
	if got := rec.Header().Get("WWW-Authenticate"); got != challenge {
		t.Errorf("WWW-Authenticate %q, want %q", got, challenge)
	}
}

// claimsOf reads a JWT's claims without checking it.
func claimsOf(t *testing.T, raw string) accessClaims {
	t.Helper()
	var c accessClaims
	if _, _, err := jwt.NewParser().ParseUnverified(raw, &c); err != nil {
		t.Fatalf("parse JWT %q: %v", raw, err)
	}
	return c
}

const invalidToken = `Bearer error="invalid_token"`
