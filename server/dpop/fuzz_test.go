package dpop

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/sha256"
	"encoding/asn1"
	"encoding/json"
	"errors"
	"math/big"
	"strings"
	"sync"
	"testing"
)

// FuzzParseProof feeds the proof parser arbitrary header values. It must never
// panic, and whatever it accepts must be a JWS whose signature verifies with
// its jwk when checked another way: the jwk read by encoding/json, and the
// signature turned into ASN.1 for ecdsa.VerifyASN1.
func FuzzParseProof(f *testing.F) {
	f.Add(rfcTokenProof)
	f.Add(rfcResourceProof)
	f.Add(fuzzKey(f).proof(f, "GET", apiURL, apiToken))
	f.Add(fuzzKey(f).sign(f, with(fuzzKey(f).header(), "alg", "none"), claims("GET", apiURL, "")))
	f.Add(hs256(f, with(fuzzKey(f).header(), "alg", "HS256"), claims("GET", apiURL, ""), []byte("k")))
	f.Add(rfcTokenProof[:strings.LastIndex(rfcTokenProof, ".")+1])
	f.Add("..")
	f.Add("e30.e30.")
	f.Add("")
	f.Fuzz(func(t *testing.T, compact string) {
		p, err := parseProof(compact)
		if err != nil {
			if p != nil || err.Code != CodeInvalidProof || !strings.HasPrefix(err.Error(), "dpop: ") {
				t.Fatalf("refused as %#v with %+v", err, p)
			}
			return
		}
		if !independentlyVerified(compact) {
			t.Fatalf("accepted a proof whose signature does not verify: %q", compact)
		}
	})
}

// FuzzVerifySigned signs arbitrary header and payload JSON with one key, so the
// fuzzer gets past the signature to the header, key and claim checks. Verify
// must never panic, and what it accepts must hold, read another way, what the
// rules demand.
func FuzzVerifySigned(f *testing.F) {
	key := fuzzKey(f)
	header := mustJSON(f, key.header())
	f.Add([]byte(header), []byte(mustJSON(f, claims("GET", apiURL, apiToken))))
	f.Add([]byte(header), []byte(`{"jti":"a","htm":"GET","htu":"HTTPS://API.example.com:443/api/./me?x#y","iat":1796299200.5,"ath":"`+accessTokenHash(apiToken)+`"}`))
	f.Add([]byte(header), []byte(`{"jti":"a","htm":"GET","htu":"https://api.example.com/api/me","iat":"1796299200"}`))
	f.Add([]byte(header), []byte(`{"jti":"a","jti":"b","htm":"GET","htu":"https://api.example.com/api/me","iat":1796299200}`))
	f.Add([]byte(`{"typ":"dpop+jwt","alg":"ES256","jwk":{"kty":"EC","crv":"P-256","x":"","y":"","d":null}}`), []byte(`{}`))
	f.Add([]byte(strings.Replace(header, `"alg":"ES256"`, `"ALG":"ES256","alg":"ES256"`, 1)), []byte(`null`))
	f.Fuzz(func(t *testing.T, header, payload []byte) {
		proof := key.sign(t, header, payload)
		v := &Verifier{Now: fixedClock(t0)}
		p, err := v.Verify("GET", apiURL, proof, apiToken)
		if err != nil {
			var e *Error
			if p != nil || !errors.As(err, &e) || e.Code != CodeInvalidProof {
				t.Fatalf("refused as %#v with %+v", err, p)
			}
			return
		}
		// Maps, whose keys encoding/json matches exactly, unlike struct fields.
		var h, c map[string]any
		if json.Unmarshal(header, &h) != nil || json.Unmarshal(payload, &c) != nil {
			t.Fatalf("accepted JSON that encoding/json refuses: %s . %s", header, payload)
		}
		jwk, _ := h["jwk"].(map[string]any)
		if _, private := jwk["d"]; h["typ"] != "dpop+jwt" || h["alg"] != "ES256" || private || p.JKT != key.jkt() {
			t.Fatalf("accepted header %s", header)
		}
		htu, _ := c["htu"].(string)
		if norm, _ := normalizeHTU(htu); c["htm"] != "GET" || norm != apiURL || c["ath"] != accessTokenHash(apiToken) || p.JTI == "" || p.JTI != c["jti"] {
			t.Fatalf("accepted claims %s", payload)
		}
		if age := t0.Sub(p.IssuedAt); age > DefaultWindow || age < -DefaultWindow {
			t.Fatalf("accepted iat %v", p.IssuedAt)
		}
	})
}

var (
	fuzzKeyOnce sync.Once
	fuzzKeyPair *testKey
)

// fuzzKey returns one key for all the fuzz inputs of a process.
func fuzzKey(t testing.TB) *testKey {
	fuzzKeyOnce.Do(func() { fuzzKeyPair = newTestKey(t) })
	return fuzzKeyPair
}

// independentlyVerified reports whether compact is header.payload.signature
// whose ES256 signature verifies with the P-256 jwk in its header, without the
// code under test.
func independentlyVerified(compact string) bool {
	parts := strings.Split(compact, ".")
	if len(parts) != 3 {
		return false
	}
	headerJSON, err1 := b64.DecodeString(parts[0])
	sig, err2 := b64.DecodeString(parts[2])
	if err1 != nil || err2 != nil || len(sig) != 64 {
		return false
	}
	var h struct {
		JWK struct{ Crv, X, Y string } `json:"jwk"`
	}
	if json.Unmarshal(headerJSON, &h) != nil || h.JWK.Crv != "P-256" {
		return false
	}
	x, err1 := b64.DecodeString(h.JWK.X)
	y, err2 := b64.DecodeString(h.JWK.Y)
	if err1 != nil || err2 != nil {
		return false
	}
	pub, err := ecdsa.ParseUncompressedPublicKey(elliptic.P256(), append(append([]byte{4}, x...), y...))
	if err != nil {
		return false
	}
	der, err := asn1.Marshal(struct{ R, S *big.Int }{new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:])})
	if err != nil {
		return false
	}
	digest := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	return ecdsa.VerifyASN1(pub, digest[:], der)
}
