// Package dpoptest makes DPoP proofs (RFC 9449) for the tests of servers that
// verify them, as package httptest makes requests: a client key pair, as
// authfetch keeps one in the browser, that signs a proof for a request.
package dpoptest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"time"

	"github.com/authfetch/authfetch/server/dpop"
)

var b64 = base64.RawURLEncoding

// A Key is a client's P-256 key pair. It is safe for concurrent use.
type Key struct {
	priv *ecdsa.PrivateKey
	jwk  dpop.JWK
}

// NewKey makes a fresh key pair.
func NewKey() (*Key, error) {
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("dpoptest: generating a P-256 key: %w", err)
	}
	pub, err := priv.PublicKey.Bytes() // 0x04 || x || y
	if err != nil {
		return nil, fmt.Errorf("dpoptest: encoding the public key: %w", err)
	}
	jwk := dpop.JWK{Kty: "EC", Crv: "P-256", X: b64.EncodeToString(pub[1:33]), Y: b64.EncodeToString(pub[33:])}
	return &Key{priv: priv, jwk: jwk}, nil
}

// JKT returns the key's thumbprint: the cnf.jkt of the tokens bound to it.
func (k *Key) JKT() string {
	jkt, err := k.jwk.Thumbprint()
	if err != nil { // every member of a P-256 JWK is set by NewKey
		panic("dpoptest: " + err.Error())
	}
	return jkt
}

// Claims says what a proof is for.
type Claims struct {
	Method string // htm
	URL    string // htu, the request's absolute URL
	// AccessToken, when set, is hashed into ath, for a request that carries it.
	AccessToken string
	Nonce       string    // the server's nonce, when it demands one
	IssuedAt    time.Time // iat; zero means now
	JTI         string    // zero means a random one
}

// Proof returns a proof signed by k, for a request's DPoP header.
func (k *Key) Proof(c Claims) (string, error) {
	iat := c.IssuedAt
	if iat.IsZero() {
		iat = time.Now()
	}
	jti := c.JTI
	if jti == "" {
		jti = rand.Text()
	}
	payload := map[string]any{"jti": jti, "htm": c.Method, "htu": c.URL, "iat": iat.Unix()}
	if c.AccessToken != "" {
		sum := sha256.Sum256([]byte(c.AccessToken))
		payload["ath"] = b64.EncodeToString(sum[:])
	}
	if c.Nonce != "" {
		payload["nonce"] = c.Nonce
	}
	header := map[string]any{"typ": "dpop+jwt", "alg": "ES256", "jwk": k.jwk}
	input, err := encode(header, payload)
	if err != nil {
		return "", err
	}
	digest := sha256.Sum256([]byte(input))
	r, s, err := ecdsa.Sign(rand.Reader, k.priv, digest[:])
	if err != nil {
		return "", fmt.Errorf("dpoptest: signing a proof: %w", err)
	}
	sig := make([]byte, 64) // JWS carries r||s, 32 bytes each
	r.FillBytes(sig[:32])
	s.FillBytes(sig[32:])
	return input + "." + b64.EncodeToString(sig), nil
}

// encode returns the JWS signing input of header and payload.
func encode(header, payload any) (string, error) {
	h, err := json.Marshal(header)
	if err != nil {
		return "", fmt.Errorf("dpoptest: encoding the proof header: %w", err)
	}
	p, err := json.Marshal(payload)
	if err != nil {
		return "", fmt.Errorf("dpoptest: encoding the proof claims: %w", err)
	}
	return b64.EncodeToString(h) + "." + b64.EncodeToString(p), nil
}
