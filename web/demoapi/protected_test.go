package demoapi

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

func TestProtectedRoutesAnswerWithAValidToken(t *testing.T) {
	tests := []struct {
		path string
		want string
	}{
		{"/api/me", `{"email":"ada@example.com","name":"ada"}`},
		{"/api/items", `"name":"Refresh once on 401"`},
		{"/api/slow", `{"waitedMs":0}`},
		{"/api/slow?ms=0", `{"waitedMs":0}`},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			x := newHarness(t)
			rec := x.get(tt.path, x.login("ada@example.com").AccessToken)
			wantStatus(t, rec, http.StatusOK)
			if !strings.Contains(rec.Body.String(), tt.want) {
				t.Errorf("body %s, want it to contain %s", rec.Body.String(), tt.want)
			}
		})
	}
}

func TestProtectedRoutesRefuse(t *testing.T) {
	forged := newHarness(t).login("ada@example.com").AccessToken
	tests := []struct {
		name          string
		authorization func(x *harness) string
		want          int
		challenge     string
	}{
		{"no Authorization header", func(*harness) string { return "" }, http.StatusUnauthorized, "Bearer"},
		{"Basic scheme", func(*harness) string { return "Basic YWRhOmRlbW8=" }, http.StatusUnauthorized, "Bearer"},
		{"Bearer without a token", func(*harness) string { return "Bearer " }, http.StatusUnauthorized, "Bearer"},
		{"not a JWT", func(*harness) string { return "Bearer garbage" }, http.StatusUnauthorized, invalidToken},
		{"signed by another server", func(*harness) string { return "Bearer " + forged }, http.StatusUnauthorized, invalidToken},
		{"alg none", func(x *harness) string { return "Bearer " + unsigned(t, x) }, http.StatusUnauthorized, invalidToken},
		{"a refresh token", func(x *harness) string { return "Bearer " + x.login("ada@example.com").RefreshToken }, http.StatusUnauthorized, invalidToken},
		{"expired", func(x *harness) string {
			tok := x.login("ada@example.com").AccessToken
			x.clock.Advance(testTTL)
			return "Bearer " + tok
		}, http.StatusUnauthorized, invalidToken},
		{"a second before it expires", func(x *harness) string {
			tok := x.login("ada@example.com").AccessToken
			x.clock.Advance(testTTL - time.Second)
			return "Bearer " + tok
		}, http.StatusOK, ""},
		{"lower-case scheme", func(x *harness) string { return "bearer " + x.login("ada@example.com").AccessToken }, http.StatusOK, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, path := range []string{"/api/me", "/api/items", "/api/slow?ms=0"} {
				x := newHarness(t)
				rec := x.do(http.MethodGet, path, "", tt.authorization(x))
				if tt.want == http.StatusOK {
					wantStatus(t, rec, http.StatusOK)
					continue
				}
				wantError(t, rec, tt.want, tt.challenge)
				if got := x.stats().API401s; got != 1 {
					t.Errorf("%s: api401s %d, want 1", path, got)
				}
			}
		})
	}
}

// unsigned returns a token with x's claims shape and alg "none".
func unsigned(t *testing.T, x *harness) string {
	t.Helper()
	c := claimsOf(t, x.login("ada@example.com").AccessToken)
	raw, err := jwt.NewWithClaims(jwt.SigningMethodNone, c).SignedString(jwt.UnsafeAllowNoneSignatureType)
	if err != nil {
		t.Fatalf("sign with alg none: %v", err)
	}
	return raw
}

func TestSlowRejectsABadDelay(t *testing.T) {
	for _, ms := range []string{"-1", "soon", "1.5"} {
		t.Run(ms, func(t *testing.T) {
			x := newHarness(t)
			wantError(t, x.get("/api/slow?ms="+ms, x.login("ada@example.com").AccessToken), http.StatusBadRequest, "")
		})
	}
}

func TestParseDelay(t *testing.T) {
	tests := []struct {
		ms   string
		want time.Duration
		ok   bool
	}{
		{"", 0, true},
		{"0", 0, true},
		{"250", 250 * time.Millisecond, true},
		{"5000", maxSlow, true},
		{"5001", maxSlow, true},
		{"9223372036854775807", maxSlow, true},
		{"-1", 0, false},
		{"1e3", 0, false},
		{"x", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.ms, func(t *testing.T) {
			got, err := parseDelay(tt.ms)
			if got != tt.want || (err == nil) != tt.ok {
				t.Errorf("parseDelay(%q) = %v, %v; want %v, ok %v", tt.ms, got, err, tt.want, tt.ok)
			}
		})
	}
}
