package dpop

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestWriteResourceError(t *testing.T) {
	for _, tc := range []struct {
		name      string
		err       error
		challenge string
		nonce     string
	}{
		{"nonce", &Error{Code: CodeUseNonce, Nonce: "n-1", Reason: "nonce required"},
			`DPoP error="use_dpop_nonce", error_description="Resource server requires nonce in DPoP proof", algs="ES256"`, "n-1"},
		{"invalid proof", invalidf("htu mismatch: proof has \"x\"\r\nSet-Cookie: a=b"),
			`DPoP error="invalid_dpop_proof", error_description="Invalid DPoP proof", algs="ES256"`, ""},
		{"binding", &Error{Code: CodeInvalidToken, Reason: "token is bound to key x"},
			`DPoP error="invalid_token", error_description="Invalid DPoP key binding", algs="ES256"`, ""},
		{"not an *Error", errors.New("boom"),
			`DPoP error="invalid_dpop_proof", error_description="Invalid DPoP proof", algs="ES256"`, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := httptest.NewRecorder()
			WriteResourceError(w, tc.err)
			if w.Code != http.StatusUnauthorized {
				t.Fatalf("status %d, want 401", w.Code)
			}
			if got := w.Header().Get("WWW-Authenticate"); got != tc.challenge {
				t.Fatalf("WWW-Authenticate: %s\nwant: %s", got, tc.challenge)
			}
			if got := w.Header().Get(HeaderNonce); got != tc.nonce {
				t.Fatalf("DPoP-Nonce: %q, want %q", got, tc.nonce)
			}
			if strings.Contains(w.Body.String(), "mismatch") {
				t.Fatalf("the reason reached the client: %s", w.Body)
			}
		})
	}
}

func TestWriteTokenError(t *testing.T) {
	for _, tc := range []struct {
		name  string
		err   error
		body  string
		nonce string
	}{
		{"nonce", &Error{Code: CodeUseNonce, Nonce: "n-2"},
			`{"error":"use_dpop_nonce","error_description":"Authorization server requires nonce in DPoP proof"}`, "n-2"},
		{"invalid proof", invalidf("jti was used before"),
			`{"error":"invalid_dpop_proof","error_description":"Invalid DPoP proof"}`, ""},
		{"refresh token of another key", &Error{Code: CodeInvalidToken},
			`{"error":"invalid_grant","error_description":"Refresh token is bound to another DPoP key"}`, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := httptest.NewRecorder()
			WriteTokenError(w, tc.err)
			if w.Code != http.StatusBadRequest {
				t.Fatalf("status %d, want 400", w.Code)
			}
			if got := strings.TrimSpace(w.Body.String()); got != tc.body {
				t.Fatalf("body %s\nwant %s", got, tc.body)
			}
			h := w.Header()
			if h.Get(HeaderNonce) != tc.nonce || h.Get("Content-Type") != "application/json" || h.Get("Cache-Control") != "no-store" || h.Get("WWW-Authenticate") != "" {
				t.Fatalf("headers %v", h)
			}
		})
	}
}

// TestNonceChallengeOverHTTP is the exchange the authfetch client has with a
// resource server that demands nonces: a proof without one gets the 401 and a
// nonce, and the one resend with it gets through.
func TestNonceChallengeOverHTTP(t *testing.T) {
	v := &Verifier{Now: fixedClock(t0), Nonces: &RotatingNonces{Now: fixedClock(t0)}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		token, ok := AccessToken(r)
		if !ok {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		p, err := v.VerifyRequest(r, token)
		if err == nil {
			err = p.CheckBinding(r.Header.Get("X-Test-Bound-To")) // a real server reads cnf.jkt from the token
		}
		if err != nil {
			WriteResourceError(w, err)
			return
		}
		io.WriteString(w, "ok")
	}))
	defer srv.Close()

	key := newTestKey(t)
	send := func(nonce string) *http.Response {
		c := claims("GET", srv.URL+"/api/me", apiToken)
		if nonce != "" {
			c["nonce"] = nonce
		}
		req, _ := http.NewRequest("GET", srv.URL+"/api/me?x=1", nil)
		req.Header.Set("Authorization", "DPoP "+apiToken)
		req.Header.Set(HeaderProof, key.sign(t, key.header(), c))
		req.Header.Set("X-Test-Bound-To", key.jkt())
		res, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		io.Copy(io.Discard, res.Body)
		return res
	}

	first := send("")
	nonce := first.Header.Get(HeaderNonce)
	if first.StatusCode != http.StatusUnauthorized || nonce == "" ||
		!strings.HasPrefix(first.Header.Get("WWW-Authenticate"), `DPoP error="use_dpop_nonce"`) {
		t.Fatalf("first answer %d %v, want a nonce challenge", first.StatusCode, first.Header)
	}
	if second := send(nonce); second.StatusCode != http.StatusOK {
		t.Fatalf("resend with the nonce: %d %v", second.StatusCode, second.Header)
	}
}

func TestErrorBodyIsJSON(t *testing.T) {
	w := httptest.NewRecorder()
	WriteResourceError(w, &Error{Code: CodeUseNonce, Nonce: "n"})
	var body map[string]string
	if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil || body["error"] != CodeUseNonce {
		t.Fatalf("body %s: %v", w.Body, err)
	}
}
