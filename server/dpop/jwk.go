package dpop

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
)

// b64 is the unpadded base64url of JOSE (RFC 7515 §2). Strict: it refuses the
// unused low bits that a lax decoder ignores, so every value has one spelling.
var b64 = base64.RawURLEncoding.Strict()

// A JWK is a public JSON Web Key (RFC 7517) as it appears in a proof's header.
// Only the members that RFC 7638 thumbprints need are kept: EC keys use Crv, X
// and Y; RSA keys use N and E.
type JWK struct {
	Kty string `json:"kty"`
	Crv string `json:"crv,omitempty"`
	X   string `json:"x,omitempty"`
	Y   string `json:"y,omitempty"`
	N   string `json:"n,omitempty"`
	E   string `json:"e,omitempty"`
}

// Thumbprint returns the key's RFC 7638 SHA-256 thumbprint, base64url without
// padding: the value an access token's cnf.jkt holds (RFC 9449 §6). It is
// defined for EC and RSA keys, and fails when a member they require is empty.
func (k JWK) Thumbprint() (string, error) {
	// RFC 7638 §3.2: the required members only, in lexicographic order, no
	// whitespace. Struct fields are encoded in their declared order.
	var canonical any
	switch k.Kty {
	case "EC":
		if k.Crv == "" || k.X == "" || k.Y == "" {
			return "", errors.New("dpop: thumbprint of an EC key needs crv, x and y")
		}
		canonical = struct {
			Crv string `json:"crv"`
			Kty string `json:"kty"`
			X   string `json:"x"`
			Y   string `json:"y"`
		}{k.Crv, k.Kty, k.X, k.Y}
	case "RSA":
		if k.N == "" || k.E == "" {
			return "", errors.New("dpop: thumbprint of an RSA key needs n and e")
		}
		canonical = struct {
			E   string `json:"e"`
			Kty string `json:"kty"`
			N   string `json:"n"`
		}{k.E, k.Kty, k.N}
	default:
		return "", fmt.Errorf("dpop: no thumbprint for key type %q", k.Kty)
	}
	// RFC 7638 §3.3 wants no escaping beyond JSON's own: json.Marshal would turn
	// <, > and & into \u003c and so on.
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(canonical); err != nil {
		return "", fmt.Errorf("dpop: thumbprint: %v", err)
	}
	sum := sha256.Sum256(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
	return b64.EncodeToString(sum[:]), nil
}

// privateMembers are the JWK members that hold private or symmetric key material
// (RFC 7518 §6). RFC 9449 §4.3 refuses a proof whose jwk has any of them.
var privateMembers = []string{"d", "p", "q", "dp", "dq", "qi", "oth", "k"}

// parseJWK reads the jwk member of a proof's header: a public EC P-256 key, the
// only kind an ES256 proof can be signed with. The point must be on the curve:
// a verifier that skips that check can be fed keys that make forgeries easy.
func parseJWK(raw []byte) (JWK, *ecdsa.PublicKey, error) {
	obj, err := parseObject(raw)
	if err != nil {
		return JWK{}, nil, fmt.Errorf("jwk: %v", err)
	}
	for _, name := range privateMembers {
		if obj.has(name) {
			return JWK{}, nil, fmt.Errorf("jwk has the private or symmetric member %q: a proof carries a public key only", name)
		}
	}
	var k JWK
	for _, m := range []struct {
		name string
		to   *string
	}{{"kty", &k.Kty}, {"crv", &k.Crv}, {"x", &k.X}, {"y", &k.Y}} {
		if *m.to, _, err = obj.string(m.name); err != nil {
			return JWK{}, nil, fmt.Errorf("jwk: %v", err)
		}
	}
	if k.Kty != "EC" || k.Crv != "P-256" {
		return JWK{}, nil, fmt.Errorf("jwk is kty %s crv %s, want an EC P-256 key for ES256", quote(k.Kty), quote(k.Crv))
	}
	x, errX := b64.DecodeString(k.X)
	y, errY := b64.DecodeString(k.Y)
	if errX != nil || errY != nil || len(x) != 32 || len(y) != 32 {
		return JWK{}, nil, errors.New("jwk x and y must each be 32 bytes of unpadded base64url")
	}
	point := append(append([]byte{4}, x...), y...) // SEC 1 uncompressed form
	pub, err := ecdsa.ParseUncompressedPublicKey(elliptic.P256(), point)
	if err != nil {
		return JWK{}, nil, fmt.Errorf("jwk is not a P-256 public key: %v", err)
	}
	return k, pub, nil
}
