package demoapi

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/authfetch/authfetch/server/dpop"
	"github.com/authfetch/authfetch/server/dpop/dpoptest"
)

// dpopLogin switches DPoP on (with nonces when nonce is set) and logs ada in with a
// proof by k, and returns the tokens, which must be bound to k.
func (x *harness) dpopLogin(k *dpoptest.Key) tokenResponse {
	x.t.Helper()
	x.flip("/demo/dpop", `{"on":true}`)
	body := jsonBody(x.t, loginRequest{Email: "ada@example.com", Password: "demo"})
	rec := x.send(request(http.MethodPost, "/auth/login", body, dpop.HeaderProof, x.proof(k, http.MethodPost, "/auth/login", "", "")))
	tok := wantTokens(x.t, rec)
	if c := claimsOf(x.t, tok.AccessToken); tok.TokenType != "DPoP" || c.boundTo() != k.JKT() {
		x.t.Fatalf("DPoP login answered token type %q, cnf %+v; want DPoP, bound to %s", tok.TokenType, c.Cnf, k.JKT())
	}
	return tok
}

// wantDPoPError checks a 401 from a protected route with RFC 9449's challenge for code.
func wantDPoPError(t *testing.T, rec *httptest.ResponseRecorder, code string) {
	t.Helper()
	wantStatus(t, rec, http.StatusUnauthorized)
	if got := rec.Header().Get("WWW-Authenticate"); !strings.HasPrefix(got, `DPoP error="`+code+`"`) {
		t.Errorf("WWW-Authenticate %q, want DPoP error=%q", got, code)
	}
}

// A bound token works with a proof of its key, and in no other way.
func TestDPoPBoundTokensNeedTheirProof(t *testing.T) {
	key, thief := newKey(t), newKey(t)
	tests := []struct {
		name    string
		headers func(x *harness, token string) []string
		code    string // the error; "" for 200
	}{
		{"DPoP and a proof by the key", func(x *harness, tok string) []string {
			return []string{"Authorization", "DPoP " + tok, dpop.HeaderProof, x.proof(key, http.MethodGet, "/api/me", tok, "")}
		}, ""},
		{"as Bearer, as a thief replays it", func(x *harness, tok string) []string {
			return []string{"Authorization", "Bearer " + tok}
		}, dpop.CodeInvalidToken},
		{"as Bearer with a proof", func(x *harness, tok string) []string {
			return []string{"Authorization", "Bearer " + tok, dpop.HeaderProof, x.proof(key, http.MethodGet, "/api/me", tok, "")}
		}, dpop.CodeInvalidToken},
		{"DPoP without a proof", func(x *harness, tok string) []string {
			return []string{"Authorization", "DPoP " + tok}
		}, dpop.CodeInvalidProof},
		{"a proof by another key", func(x *harness, tok string) []string {
			return []string{"Authorization", "DPoP " + tok, dpop.HeaderProof, x.proof(thief, http.MethodGet, "/api/me", tok, "")}
		}, dpop.CodeInvalidToken},
		{"a proof for another URL", func(x *harness, tok string) []string {
			return []string{"Authorization", "DPoP " + tok, dpop.HeaderProof, x.proof(key, http.MethodGet, "/api/items", tok, "")}
		}, dpop.CodeInvalidProof},
		{"a proof without ath", func(x *harness, tok string) []string {
			return []string{"Authorization", "DPoP " + tok, dpop.HeaderProof, x.proof(key, http.MethodGet, "/api/me", "", "")}
		}, dpop.CodeInvalidProof},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x := newHarness(t)
			tok := x.dpopLogin(key).AccessToken
			rec := x.send(request(http.MethodGet, "/api/me", "", tt.headers(x, tok)...))
			if tt.code == "" {
				wantStatus(t, rec, http.StatusOK)
				return
			}
			wantDPoPError(t, rec, tt.code)
			if got := x.stats().API401s; got != 1 {
				t.Errorf("api401s %d, want 1", got)
			}
		})
	}
}

// The same proof twice is a replay, refused the second time.
func TestDPoPProofIsGoodForOneRequest(t *testing.T) {
	x := newHarness(t)
	key := newKey(t)
	tok := x.dpopLogin(key).AccessToken
	headers := []string{"Authorization", "DPoP " + tok, dpop.HeaderProof, x.proof(key, http.MethodGet, "/api/me", tok, "")}
	wantStatus(t, x.send(request(http.MethodGet, "/api/me", "", headers...)), http.StatusOK)
	wantDPoPError(t, x.send(request(http.MethodGet, "/api/me", "", headers...)), dpop.CodeInvalidProof)
}

func TestDPoPLoginNeedsAProof(t *testing.T) {
	x := newHarness(t)
	x.flip("/demo/dpop", `{"on":true}`)
	body := jsonBody(t, loginRequest{Email: "ada@example.com", Password: "demo"})
	rec := x.send(request(http.MethodPost, "/auth/login", body))
	wantStatus(t, rec, http.StatusBadRequest)
	if e := decode[errorBody](t, rec); e.Error != dpop.CodeInvalidProof {
		t.Errorf("error %q, want %q", e.Error, dpop.CodeInvalidProof)
	}
	if got := x.stats().Logins; got != 0 {
		t.Errorf("logins %d, want 0", got)
	}
}

// A bound family refreshes only with a proof by its key, whatever the switch says now.
func TestDPoPRefresh(t *testing.T) {
	key, other := newKey(t), newKey(t)
	tests := []struct {
		name    string
		off     bool          // the DPoP switch is off again by the refresh
		proof   *dpoptest.Key // who signs the refresh's proof; nil: none
		want    int
		errCode string // the error of a refusal
	}{
		{"a proof by the family's key", false, key, http.StatusOK, ""},
		{"the switch off, a proof by the key", true, key, http.StatusOK, ""},
		{"no proof", false, nil, http.StatusBadRequest, dpop.CodeInvalidProof},
		{"the switch off, no proof", true, nil, http.StatusBadRequest, dpop.CodeInvalidProof},
		{"a proof by another key", false, other, http.StatusBadRequest, "invalid_grant"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x := newHarness(t)
			first := x.dpopLogin(key)
			if tt.off {
				x.flip("/demo/dpop", `{"on":false}`)
			}
			refresh := func(signer *dpoptest.Key) *httptest.ResponseRecorder {
				var headers []string
				if signer != nil {
					headers = []string{dpop.HeaderProof, x.proof(signer, http.MethodPost, "/auth/refresh-token", "", "")}
				}
				return x.send(request(http.MethodPost, "/auth/refresh-token", jsonBody(t, refreshRequest{RefreshToken: first.RefreshToken}), headers...))
			}
			rec := refresh(tt.proof)
			if tt.want == http.StatusOK {
				next := wantTokens(t, rec)
				if c := claimsOf(t, next.AccessToken); c.boundTo() != key.JKT() || next.TokenType != "DPoP" {
					t.Errorf("refreshed token cnf %+v, type %q: want bound to the family's key", c.Cnf, next.TokenType)
				}
				return
			}
			wantStatus(t, rec, tt.want)
			if e := decode[errorBody](t, rec); e.Error != tt.errCode {
				t.Errorf("error %q, want %q", e.Error, tt.errCode)
			}
			wantTokens(t, refresh(key)) // the refused call spent nothing
		})
	}
}

func TestDPoPNonces(t *testing.T) {
	x := newHarness(t)
	key := newKey(t)
	x.flip("/demo/dpop", `{"on":true,"nonce":true}`)
	body := jsonBody(t, loginRequest{Email: "ada@example.com", Password: "demo"})

	rec := x.send(request(http.MethodPost, "/auth/login", body, dpop.HeaderProof, x.proof(key, http.MethodPost, "/auth/login", "", "")))
	wantStatus(t, rec, http.StatusBadRequest)
	nonce := rec.Header().Get(dpop.HeaderNonce)
	if e := decode[errorBody](t, rec); e.Error != dpop.CodeUseNonce || nonce == "" {
		t.Fatalf("login without a nonce: error %q, DPoP-Nonce %q; want use_dpop_nonce and a nonce", e.Error, nonce)
	}
	rec = x.send(request(http.MethodPost, "/auth/login", body, dpop.HeaderProof, x.proof(key, http.MethodPost, "/auth/login", "", nonce)))
	tok := wantTokens(t, rec).AccessToken

	rec = x.send(request(http.MethodGet, "/api/me", "", "Authorization", "DPoP "+tok, dpop.HeaderProof, x.proof(key, http.MethodGet, "/api/me", tok, "")))
	wantDPoPError(t, rec, dpop.CodeUseNonce)
	if rec.Header().Get(dpop.HeaderNonce) == "" {
		t.Error("a use_dpop_nonce answer without DPoP-Nonce")
	}
	rec = x.send(request(http.MethodGet, "/api/me", "", "Authorization", "DPoP "+tok, dpop.HeaderProof, x.proof(key, http.MethodGet, "/api/me", tok, nonce)))
	wantStatus(t, rec, http.StatusOK)
}

// A token bound to no key is a bearer token: the DPoP scheme does not make it one.
func TestUnboundTokenWithTheDPoPScheme(t *testing.T) {
	x := newHarness(t)
	key := newKey(t)
	tok := x.login("ada@example.com").AccessToken
	rec := x.send(request(http.MethodGet, "/api/me", "", "Authorization", "DPoP "+tok, dpop.HeaderProof, x.proof(key, http.MethodGet, "/api/me", tok, "")))
	wantDPoPError(t, rec, dpop.CodeInvalidToken)
	wantStatus(t, x.get("/api/me", tok), http.StatusOK)
}

// POST /demo/replay is the thief: the token as Bearer, without a proof.
func TestReplayEndpoint(t *testing.T) {
	tests := []struct {
		name      string
		token     func(x *harness) string
		status    int
		challenge string // prefix of the replay's WWW-Authenticate
		errCode   string
	}{
		{"a bearer token works for anyone", func(x *harness) string { return x.login("ada@example.com").AccessToken }, http.StatusOK, "", ""},
		{"a DPoP-bound token is refused", func(x *harness) string { return x.dpopLogin(newKey(x.t)).AccessToken }, http.StatusUnauthorized, `DPoP error="invalid_token"`, dpop.CodeInvalidToken},
		{"garbage is refused", func(*harness) string { return "garbage" }, http.StatusUnauthorized, `Bearer error="invalid_token"`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x := newHarness(t)
			rec := x.do(http.MethodPost, "/demo/replay", jsonBody(t, replayRequest{Token: tt.token(x)}), "")
			wantStatus(t, rec, http.StatusOK)
			got := decode[replayResponse](t, rec)
			if got.Status != tt.status || !strings.HasPrefix(got.WWWAuthenticate, tt.challenge) || (tt.errCode != "" && got.Error != tt.errCode) {
				t.Errorf("replay %+v: want status %d, challenge %q…, error %q", got, tt.status, tt.challenge, tt.errCode)
			}
		})
	}
}
