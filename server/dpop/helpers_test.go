package dpop

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/json"
	"strconv"
	"sync/atomic"
	"testing"
	"time"
)

// t0 is the fixed "now" of the tests that make their own proofs.
var t0 = time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)

// fixedClock returns a clock that always says at.
func fixedClock(at time.Time) func() time.Time { return func() time.Time { return at } }

// testKey is a client's P-256 key pair, as authfetch keeps one in the browser.
type testKey struct {
	priv *ecdsa.PrivateKey
}

func newTestKey(t testing.TB) *testKey {
	t.Helper()
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return &testKey{priv: priv}
}

// jwk returns the public key as a proof header carries it.
func (k *testKey) jwk() map[string]any {
	pub, _ := k.priv.PublicKey.Bytes() // 0x04 || x || y
	return map[string]any{"kty": "EC", "crv": "P-256", "x": b64.EncodeToString(pub[1:33]), "y": b64.EncodeToString(pub[33:])}
}

// jkt returns the key's thumbprint, computed independently of JWK.Thumbprint.
func (k *testKey) jkt() string {
	j := k.jwk()
	canonical := `{"crv":"P-256","kty":"EC","x":"` + j["x"].(string) + `","y":"` + j["y"].(string) + `"}`
	sum := sha256.Sum256([]byte(canonical))
	return b64.EncodeToString(sum[:])
}

// header returns the header of a good proof by k.
func (k *testKey) header() map[string]any {
	return map[string]any{"typ": "dpop+jwt", "alg": "ES256", "jwk": k.jwk()}
}

var jtiCounter atomic.Int64

// claims returns the claims of a good proof for method and htu, made at t0
// with a fresh jti; with a token, it has the token's ath.
func claims(method, htu, token string) map[string]any {
	c := map[string]any{"jti": "jti-" + strconv.FormatInt(jtiCounter.Add(1), 10), "htm": method, "htu": htu, "iat": t0.Unix()}
	if token != "" {
		c["ath"] = accessTokenHash(token)
	}
	return c
}

// sign returns the compact JWS of header and claims, ES256-signed by k.
func (k *testKey) sign(t testing.TB, header, claims any) string {
	t.Helper()
	input := encodePart(t, header) + "." + encodePart(t, claims)
	digest := sha256.Sum256([]byte(input))
	r, s, err := ecdsa.Sign(rand.Reader, k.priv, digest[:])
	if err != nil {
		t.Fatal(err)
	}
	sig := make([]byte, 64)
	r.FillBytes(sig[:32])
	s.FillBytes(sig[32:])
	return input + "." + b64.EncodeToString(sig)
}

// proof returns a good proof by k for method and htu at t0.
func (k *testKey) proof(t testing.TB, method, htu, token string) string {
	return k.sign(t, k.header(), claims(method, htu, token))
}

// hs256 returns the compact JWS of header and claims with an HMAC "signature".
func hs256(t testing.TB, header, claims any, secret []byte) string {
	input := encodePart(t, header) + "." + encodePart(t, claims)
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte(input))
	return input + "." + b64.EncodeToString(mac.Sum(nil))
}

// encodePart returns v as base64url JSON; a string or []byte is taken as the
// JSON text itself, so tests can send JSON that json.Marshal would not make.
func encodePart(t testing.TB, v any) string {
	t.Helper()
	switch v := v.(type) {
	case string:
		return b64.EncodeToString([]byte(v))
	case []byte:
		return b64.EncodeToString(v)
	}
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b64.EncodeToString(data)
}

// with returns a copy of m with the given members set; a nil value deletes.
func with(m map[string]any, kv ...any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	for i := 0; i < len(kv); i += 2 {
		if kv[i+1] == nil {
			delete(out, kv[i].(string))
		} else {
			out[kv[i].(string)] = kv[i+1]
		}
	}
	return out
}
