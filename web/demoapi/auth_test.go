package demoapi

import (
	"net/http"
	"sync"
	"testing"
)

func TestLogin(t *testing.T) {
	tests := []struct {
		name, method, body string
		want               int
	}{
		{"any email with the demo password", http.MethodPost, `{"email":"ada@example.com","password":"demo"}`, http.StatusOK},
		{"wrong password", http.MethodPost, `{"email":"ada@example.com","password":"hunter2"}`, http.StatusUnauthorized},
		{"empty email", http.MethodPost, `{"email":"","password":"demo"}`, http.StatusUnauthorized},
		{"blank email", http.MethodPost, `{"email":"  ","password":"demo"}`, http.StatusUnauthorized},
		{"no password", http.MethodPost, `{"email":"ada@example.com"}`, http.StatusUnauthorized},
		{"bad JSON", http.MethodPost, `{"email":`, http.StatusBadRequest},
		{"GET", http.MethodGet, "", http.StatusMethodNotAllowed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x := newHarness(t)
			rec := x.do(tt.method, "/auth/login", tt.body, "")
			switch tt.want {
			case http.StatusOK:
				tok := wantTokens(t, rec)
				c := claimsOf(t, tok.AccessToken)
				now := x.clock.Now()
				if c.Subject != "ada@example.com" || c.Family == "" || c.ID == "" ||
					!c.IssuedAt.Equal(now) || !c.ExpiresAt.Equal(now.Add(testTTL)) {
					t.Errorf("claims %+v: want sub, fam, jti, iat now, exp now+%v", c, testTTL)
				}
				if got := x.stats().Logins; got != 1 {
					t.Errorf("logins %d, want 1", got)
				}
			case http.StatusMethodNotAllowed:
				wantStatus(t, rec, tt.want)
			default:
				wantError(t, rec, tt.want, "")
				if got := x.stats().Logins; got != 0 {
					t.Errorf("logins %d, want 0", got)
				}
			}
		})
	}
}

func TestRefreshRotates(t *testing.T) {
	x := newHarness(t)
	first := x.login("ada@example.com")
	second := wantTokens(t, x.refresh(first.RefreshToken))
	third := wantTokens(t, x.refresh(second.RefreshToken))

	if second.RefreshToken == first.RefreshToken || third.RefreshToken == second.RefreshToken {
		t.Errorf("refresh tokens did not rotate: %q, %q, %q", first.RefreshToken, second.RefreshToken, third.RefreshToken)
	}
	c1, c3 := claimsOf(t, first.AccessToken), claimsOf(t, third.AccessToken)
	if c1.Family != c3.Family || c1.ID == c3.ID || c3.Subject != "ada@example.com" {
		t.Errorf("claims after two refreshes %+v, first %+v: want the same family and email, a new jti", c3, c1)
	}
	for _, tok := range []string{first.AccessToken, second.AccessToken, third.AccessToken} {
		wantStatus(t, x.get("/api/me", tok), http.StatusOK)
	}
	if got := x.stats().RefreshCalls; got != 2 {
		t.Errorf("refreshCalls %d, want 2", got)
	}
}

func TestRefreshRefuses(t *testing.T) {
	tests := []struct {
		name string
		body string
		want int
	}{
		{"bad JSON", `{"refreshToken":`, http.StatusBadRequest},
		{"no body", "", http.StatusBadRequest},
		{"no refresh token", `{}`, http.StatusBadRequest},
		{"unknown refresh token", `{"refreshToken":"nope"}`, http.StatusUnauthorized},
		{"access token as refresh token", "access", http.StatusUnauthorized},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x := newHarness(t)
			tok := x.login("ada@example.com")
			body := tt.body
			if body == "access" {
				body = jsonBody(t, refreshRequest{RefreshToken: tok.AccessToken})
			}
			wantError(t, x.do(http.MethodPost, "/auth/refresh-token", body, ""), tt.want, "")
			// A refused call spends nothing.
			wantTokens(t, x.refresh(tok.RefreshToken))
		})
	}
}

func TestReusedRefreshTokenRevokesItsFamily(t *testing.T) {
	x := newHarness(t)
	first := x.login("ada@example.com")
	other := x.login("bob@example.com")
	second := wantTokens(t, x.refresh(first.RefreshToken))

	wantError(t, x.refresh(first.RefreshToken), http.StatusUnauthorized, "")

	tests := []struct {
		name   string
		status func() int
		want   int
	}{
		{"the rotated refresh token", func() int { return x.refresh(second.RefreshToken).Code }, http.StatusUnauthorized},
		{"the reused refresh token again", func() int { return x.refresh(first.RefreshToken).Code }, http.StatusUnauthorized},
		{"the first access token", func() int { return x.get("/api/me", first.AccessToken).Code }, http.StatusUnauthorized},
		{"the rotated access token", func() int { return x.get("/api/items", second.AccessToken).Code }, http.StatusUnauthorized},
		{"another family's access token", func() int { return x.get("/api/me", other.AccessToken).Code }, http.StatusOK},
		{"another family's refresh token", func() int { return x.refresh(other.RefreshToken).Code }, http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.status(); got != tt.want {
				t.Errorf("status %d, want %d", got, tt.want)
			}
		})
	}
	wantError(t, x.get("/api/me", second.AccessToken), http.StatusUnauthorized, invalidToken)
	if got := x.stats().ReuseDetections; got != 1 {
		t.Errorf("reuseDetections %d, want 1 (a token of a revoked family is refused, not reused)", got)
	}
}

// Clients that refresh without sharing one refresh (the bug authfetch fixes) present the
// same token at once: exactly one wins, the first to come after it is a reuse that revokes
// the family, winner included, and the rest find the family revoked.
func TestConcurrentRefreshesOfOneToken(t *testing.T) {
	const n = 8
	x := newHarness(t)
	tok := x.login("ada@example.com")

	codes := make([]int, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { codes[i] = x.refresh(tok.RefreshToken).Code })
	}
	wg.Wait()

	ok := 0
	for _, code := range codes {
		if code == http.StatusOK {
			ok++
		} else if code != http.StatusUnauthorized {
			t.Errorf("status %d, want 200 or 401", code)
		}
	}
	s := x.stats()
	if ok != 1 || s.ReuseDetections != 1 || s.RefreshCalls != n {
		t.Errorf("%d succeeded, %d reuses, %d calls; want 1, 1, %d", ok, s.ReuseDetections, s.RefreshCalls, n)
	}
	wantError(t, x.get("/api/me", tok.AccessToken), http.StatusUnauthorized, invalidToken)
}
