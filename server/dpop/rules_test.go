package dpop

import (
	"errors"
	"strings"
	"testing"
	"time"
)

const (
	apiURL   = "https://api.example.com/api/me"
	apiToken = "access-token-1"
)

// TestVerifyAcceptsAGoodProof is the baseline that the refusals below differ
// from by one thing each.
func TestVerifyAcceptsAGoodProof(t *testing.T) {
	key := newTestKey(t)
	v := &Verifier{Now: fixedClock(t0)}
	c := claims("GET", apiURL, apiToken)
	p, err := v.Verify("GET", apiURL, key.sign(t, key.header(), c), apiToken)
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	if p.JKT != key.jkt() || p.JTI != c["jti"] || !p.IssuedAt.Equal(t0) || p.Nonce != "" {
		t.Fatalf("Verify = %+v, want jkt %s", p, key.jkt())
	}
	if err := p.CheckBinding(key.jkt()); err != nil {
		t.Fatalf("CheckBinding(own key): %v", err)
	}
}

func TestVerifyRefusesEachBrokenRule(t *testing.T) {
	key, other := newTestKey(t), newTestKey(t)
	good := func() (map[string]any, map[string]any) { return key.header(), claims("GET", apiURL, apiToken) }
	signed := func(edit func(h, c map[string]any) (map[string]any, map[string]any)) func(t *testing.T) string {
		return func(t *testing.T) string { h, c := edit(good()); return key.sign(t, h, c) }
	}
	header := func(kv ...any) func(t *testing.T) string {
		return signed(func(h, c map[string]any) (map[string]any, map[string]any) { return with(h, kv...), c })
	}
	claim := func(kv ...any) func(t *testing.T) string {
		return signed(func(h, c map[string]any) (map[string]any, map[string]any) { return h, with(c, kv...) })
	}
	jwk := func(kv ...any) func(t *testing.T) string { return header("jwk", with(key.jwk(), kv...)) }
	raw := func(proof string) func(t *testing.T) string { return func(*testing.T) string { return proof } }

	for _, tc := range []struct {
		name   string
		proof  func(t *testing.T) string
		method string // default GET
		url    string // default apiURL
		want   string
	}{
		// The form.
		{name: "empty", proof: raw(""), want: "no DPoP proof"},
		{name: "two parts", proof: raw("a.b"), want: "2 parts, want 3"},
		{name: "JWE form", proof: raw("a.b.c.d.e"), want: "5 parts, want 3"},
		{name: "header not base64url", proof: raw("e30=.e30.AA"), want: "header is not base64url"},
		{name: "header not an object", proof: func(t *testing.T) string { return key.sign(t, `[1]`, claims("GET", apiURL, apiToken)) }, want: "header: not a JSON object"},
		{name: "too long", proof: raw(strings.Repeat("a", maxProofLen+1)), want: "more than 8192"},

		// The header.
		{name: "typ JWT", proof: header("typ", "JWT"), want: `typ is "JWT", want "dpop+jwt"`},
		{name: "no typ", proof: header("typ", nil), want: "no typ"},
		{name: "typ not a string", proof: header("typ", 1), want: "typ is not a string"},
		{name: "typ in other case", proof: header("typ", nil, "TYP", "dpop+jwt"), want: "no typ"},
		{name: "alg none", proof: func(t *testing.T) string {
			return encodePart(t, with(key.header(), "alg", "none")) + "." + encodePart(t, claims("GET", apiURL, apiToken)) + "."
		}, want: `alg is "none": an unsigned proof proves nothing`},
		{name: "alg HS256", proof: func(t *testing.T) string {
			return hs256(t, with(key.header(), "alg", "HS256"), claims("GET", apiURL, apiToken), []byte("shared"))
		}, want: `alg is "HS256", a symmetric algorithm`},
		{name: "alg RS256", proof: header("alg", "RS256"), want: `alg is "RS256", want ES256`},
		{name: "alg ES384", proof: header("alg", "ES384"), want: `alg is "ES384", want ES256`},
		{name: "no alg", proof: header("alg", nil), want: "no alg"},
		{name: "crit", proof: header("crit", []string{"exp"}), want: "crit"},
		{name: "duplicate alg", proof: func(t *testing.T) string {
			h := `{"typ":"dpop+jwt","alg":"ES256","alg":"ES256","jwk":` + mustJSON(t, key.jwk()) + `}`
			return key.sign(t, h, claims("GET", apiURL, apiToken))
		}, want: `member "alg" appears twice`},

		// The key.
		{name: "no jwk", proof: header("jwk", nil), want: "no jwk"},
		{name: "private jwk", proof: jwk("d", b64.EncodeToString(make([]byte, 32))), want: `private or symmetric member "d"`},
		{name: "null private member", proof: header("jwk", map[string]any{"kty": "EC", "crv": "P-256", "x": key.jwk()["x"], "y": key.jwk()["y"], "d": nil}), want: `private or symmetric member "d"`},
		{name: "symmetric jwk", proof: header("jwk", map[string]any{"kty": "oct", "k": "c2VjcmV0"}), want: `private or symmetric member "k"`},
		{name: "RSA jwk", proof: jwk("kty", "RSA"), want: `jwk is kty "RSA" crv "P-256"`},
		{name: "P-384 jwk", proof: jwk("crv", "P-384"), want: `crv "P-384"`},
		{name: "short x", proof: jwk("x", b64.EncodeToString(make([]byte, 31))), want: "32 bytes"},
		{name: "point off the curve", proof: jwk("y", b64.EncodeToString(make([]byte, 32))), want: "not a P-256 public key"},
		{name: "another key's jwk", proof: header("jwk", other.jwk()), want: "signature does not verify"},

		// The signature.
		{name: "no signature", proof: func(t *testing.T) string {
			p := key.proof(t, "GET", apiURL, apiToken)
			return p[:strings.LastIndex(p, ".")+1]
		}, want: "signature is 0 bytes"},
		{name: "ASN.1 signature length", proof: func(t *testing.T) string {
			p := key.proof(t, "GET", apiURL, apiToken)
			return p[:strings.LastIndex(p, ".")+1] + b64.EncodeToString(make([]byte, 70))
		}, want: "signature is 70 bytes"},
		{name: "zero signature", proof: func(t *testing.T) string {
			p := key.proof(t, "GET", apiURL, apiToken)
			return p[:strings.LastIndex(p, ".")+1] + b64.EncodeToString(make([]byte, 64))
		}, want: "signature does not verify"},
		{name: "payload swapped after signing", proof: func(t *testing.T) string {
			p := strings.Split(key.proof(t, "GET", apiURL, apiToken), ".")
			return p[0] + "." + encodePart(t, claims("GET", apiURL, apiToken)) + "." + p[2]
		}, want: "signature does not verify"},

		// The claims.
		{name: "payload not an object", proof: func(t *testing.T) string { return key.sign(t, key.header(), `"x"`) }, want: "payload: not a JSON object"},
		{name: "no jti", proof: claim("jti", nil), want: "jti is missing"},
		{name: "empty jti", proof: claim("jti", ""), want: "jti is missing"},
		{name: "no htm", proof: claim("htm", nil), want: "htm is missing"},
		{name: "no htu", proof: claim("htu", nil), want: "htu is missing"},
		{name: "no iat", proof: claim("iat", nil), want: "iat is missing"},
		{name: "iat a string", proof: claim("iat", "1796299200"), want: "iat is not a number"},
		{name: "iat negative", proof: claim("iat", -1), want: "iat is not a date"},
		{name: "ath a number", proof: claim("ath", 1), want: "ath is not a string"},

		// The request.
		{name: "htm POST for GET", method: "POST", proof: claim(), want: `htm mismatch: proof has "GET", request is "POST"`},
		{name: "htm in lower case", proof: claim("htm", "get"), want: `htm mismatch: proof has "get", request is "GET"`},
		{name: "htu other path", url: "https://api.example.com/api/items", proof: claim(), want: `htu mismatch: proof has "https://api.example.com/api/me", request is "https://api.example.com/api/items"`},
		{name: "htu other host", proof: claim("htu", "https://evil.example.com/api/me"), want: "htu mismatch"},
		{name: "htu other port", proof: claim("htu", "https://api.example.com:8443/api/me"), want: "htu mismatch"},
		{name: "htu other scheme", proof: claim("htu", "http://api.example.com/api/me"), want: "htu mismatch"},
		{name: "htu path prefix", proof: claim("htu", "https://api.example.com/api"), want: "htu mismatch"},
		{name: "htu relative", proof: claim("htu", "/api/me"), want: `htu "/api/me": scheme "" is not http or https`},
		{name: "request URL relative", url: "/api/me", proof: claim(), want: `request URL "/api/me"`},

		// Time.
		{name: "iat 61 s old", proof: claim("iat", t0.Add(-61*time.Second).Unix()), want: "iat 2026-12-03T11:58:59Z is 1m1s before now 2026-12-03T12:00:00Z, more than the window of 1m0s"},
		{name: "iat 61 s ahead", proof: claim("iat", t0.Add(61*time.Second).Unix()), want: "iat 2026-12-03T12:01:01Z is 1m1s after now"},

		// The access token.
		{name: "ath of another token", proof: claim("ath", accessTokenHash("another")), want: "ath mismatch"},
		{name: "ath missing", proof: claim("ath", nil), want: "ath missing"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			method, url := "GET", apiURL
			if tc.method != "" {
				method = tc.method
			}
			if tc.url != "" {
				url = tc.url
			}
			v := &Verifier{Now: fixedClock(t0)}
			p, err := v.Verify(method, url, tc.proof(t), apiToken)
			if p != nil {
				t.Errorf("Verify returned a proof with its error: %+v", p)
			}
			assertRefused(t, err, CodeInvalidProof, tc.want)
		})
	}
}

func TestCheckBinding(t *testing.T) {
	key, other := newTestKey(t), newTestKey(t)
	v := &Verifier{Now: fixedClock(t0)}
	p, err := v.Verify("GET", apiURL, key.proof(t, "GET", apiURL, apiToken), apiToken)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.CheckBinding(key.jkt()); err != nil {
		t.Fatalf("own key: %v", err)
	}
	err = p.CheckBinding(other.jkt())
	assertRefused(t, err, CodeInvalidToken, "token is bound to key "+quote(other.jkt())+", proof is signed by key "+key.jkt())
	if !errors.Is(err, ErrInvalidToken) || errors.Is(err, ErrInvalidProof) {
		t.Fatalf("errors.Is does not place %v", err)
	}
	assertRefused(t, p.CheckBinding(""), CodeInvalidToken, "not bound")
}
