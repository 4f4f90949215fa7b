package dpop

import (
	"testing"
	"time"
)

func TestVerifyAcceptsWhatTheRulesAllow(t *testing.T) {
	key := newTestKey(t)
	for _, tc := range []struct {
		name        string
		claims      map[string]any
		method, url string
		token       string
	}{
		{"query and fragment of the request ignored", claims("GET", apiURL, apiToken), "GET", apiURL + "?page=2#top", apiToken},
		{"query and fragment of htu ignored", claims("GET", apiURL+"?page=2#top", apiToken), "GET", apiURL, apiToken},
		{"scheme and host in upper case", claims("GET", "HTTPS://API.Example.COM/api/me", apiToken), "GET", apiURL, apiToken},
		{"default port written out", claims("GET", "https://api.example.com:443/api/me", apiToken), "GET", apiURL, apiToken},
		{"default port in the request URL", claims("GET", apiURL, apiToken), "GET", "https://api.example.com:443/api/me", apiToken},
		{"http default port", claims("GET", "http://localhost:80/api/me", apiToken), "GET", "http://localhost/api/me", apiToken},
		{"other port on both sides", claims("GET", "http://127.0.0.1:8080/api/me", apiToken), "GET", "http://127.0.0.1:8080/api/me", apiToken},
		{"empty path is /", claims("GET", "https://api.example.com", apiToken), "GET", "https://api.example.com/", apiToken},
		{"percent-encoded unreserved characters", claims("GET", "https://api.example.com/%61pi/m%65", apiToken), "GET", apiURL, apiToken},
		{"dot segments", claims("GET", "https://api.example.com/api/./x/../me", apiToken), "GET", apiURL, apiToken},
		{"token endpoint: no token, no ath", claims("POST", "https://api.example.com/auth/refresh-token", ""), "POST", "https://api.example.com/auth/refresh-token", ""},
		{"token endpoint: an ath is not checked", with(claims("POST", "https://api.example.com/auth/login", ""), "ath", "x"), "POST", "https://api.example.com/auth/login", ""},
		{"iat 60 s old", with(claims("GET", apiURL, apiToken), "iat", t0.Add(-60*time.Second).Unix()), "GET", apiURL, apiToken},
		{"iat 60 s ahead", with(claims("GET", apiURL, apiToken), "iat", t0.Add(60*time.Second).Unix()), "GET", apiURL, apiToken},
		{"iat with a fraction", with(claims("GET", apiURL, apiToken), "iat", float64(t0.Unix())+0.25), "GET", apiURL, apiToken},
		{"claims of other extensions", with(claims("GET", apiURL, apiToken), "exp", 1, "client", map[string]any{"a": 1}), "GET", apiURL, apiToken},
		{"jwk as WebCrypto exports it", nil, "GET", apiURL, apiToken},
		{"a nonce the server did not ask for", with(claims("GET", apiURL, apiToken), "nonce", "n"), "GET", apiURL, apiToken},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := &Verifier{Now: fixedClock(t0)}
			header := key.header()
			if tc.claims == nil { // the members crypto.subtle.exportKey("jwk", …) adds
				header["jwk"] = with(key.jwk(), "ext", true, "key_ops", []string{"verify"}, "alg", "ES256", "kid", "k1")
				tc.claims = claims("GET", apiURL, apiToken)
			}
			if _, err := v.Verify(tc.method, tc.url, key.sign(t, header, tc.claims), tc.token); err != nil {
				t.Fatalf("Verify: %v", err)
			}
		})
	}
}

func TestVerifyWindowIsConfigurable(t *testing.T) {
	key := newTestKey(t)
	v := &Verifier{Now: fixedClock(t0.Add(5 * time.Minute)), Window: 10 * time.Minute}
	if _, err := v.Verify("GET", apiURL, key.proof(t, "GET", apiURL, apiToken), apiToken); err != nil {
		t.Fatalf("a 5 min old proof with a 10 min window: %v", err)
	}
	v = &Verifier{Now: fixedClock(t0.Add(5 * time.Second)), Window: 2 * time.Second}
	_, err := v.Verify("GET", apiURL, key.proof(t, "GET", apiURL, apiToken), apiToken)
	assertRefused(t, err, CodeInvalidProof, "more than the window of 2s")
}
