package dpop

import (
	"crypto/ecdsa"
	"crypto/sha256"
	"math/big"
	"strings"
)

// maxProofLen bounds the DPoP header values that are parsed at all. A proof with
// a P-256 key, an ath and a nonce is well under 1 KiB.
const maxProofLen = 8 << 10

// proofType is the typ every DPoP proof carries (RFC 9449 §4.2): it keeps any
// other JWT signed by the client's key (or anyone's) from passing for a proof.
const proofType = "dpop+jwt"

// signedProof is a proof whose form, header and signature are checked but not
// yet its claims against a request: the stateless half of RFC 9449 §4.3.
type signedProof struct {
	jwk    JWK
	claims object
}

// parseProof checks that compact is a compact JWS (RFC 7515 §7.1) with typ
// dpop+jwt, alg ES256 and a public P-256 jwk, signed by that jwk's private key,
// whose payload is a JSON object. The payload is read only once the signature
// verifies: nothing a forger wrote reaches the claim checks.
func parseProof(compact string) (*signedProof, *Error) {
	if len(compact) > maxProofLen {
		return nil, invalidf("proof is %d bytes, more than %d", len(compact), maxProofLen)
	}
	parts := strings.Split(compact, ".")
	if len(parts) != 3 {
		return nil, invalidf("proof is not a compact JWS: %d parts, want 3", len(parts))
	}
	headerJSON, err := b64.DecodeString(parts[0])
	if err != nil {
		return nil, invalidf("proof header is not base64url: %v", err)
	}
	header, err := parseObject(headerJSON)
	if err != nil {
		return nil, invalidf("proof header: %v", err)
	}
	jwk, key, e := checkHeader(header)
	if e != nil {
		return nil, e
	}
	sig, err := b64.DecodeString(parts[2])
	if err != nil {
		return nil, invalidf("proof signature is not base64url: %v", err)
	}
	if len(sig) != 64 {
		return nil, invalidf("proof signature is %d bytes, want 64: ES256 in JWS is r||s", len(sig))
	}
	if !verifyES256(key, parts[0]+"."+parts[1], sig) {
		return nil, invalidf("proof signature does not verify with its jwk")
	}
	payload, err := b64.DecodeString(parts[1])
	if err != nil {
		return nil, invalidf("proof payload is not base64url: %v", err)
	}
	claims, err := parseObject(payload)
	if err != nil {
		return nil, invalidf("proof payload: %v", err)
	}
	return &signedProof{jwk: jwk, claims: claims}, nil
}

// checkHeader checks the proof's JOSE header: typ, alg, crit and jwk.
func checkHeader(h object) (JWK, *ecdsa.PublicKey, *Error) {
	typ, ok, err := h.string("typ")
	switch {
	case err != nil:
		return JWK{}, nil, invalidf("proof header: %v", err)
	case !ok:
		return JWK{}, nil, invalidf("proof header has no typ")
	case typ != proofType:
		return JWK{}, nil, invalidf("typ is %s, want %q", quote(typ), proofType)
	}
	alg, _, err := h.string("alg")
	if err != nil {
		return JWK{}, nil, invalidf("proof header: %v", err)
	}
	if e := checkAlg(alg); e != nil {
		return JWK{}, nil, e
	}
	// RFC 7515 §4.1.11: extensions listed in crit must be understood, and this
	// verifier understands none.
	if h.has("crit") {
		return JWK{}, nil, invalidf("proof header has crit, and no extension is supported")
	}
	raw, ok := h["jwk"]
	if !ok {
		return JWK{}, nil, invalidf("proof header has no jwk")
	}
	jwk, key, err := parseJWK(raw)
	if err != nil {
		return JWK{}, nil, invalidf("%v", err)
	}
	return jwk, key, nil
}

// checkAlg accepts ES256, the algorithm authfetch signs with, and says why any
// other is refused. RFC 9449 §4.3 forbids none and symmetric algorithms: a MAC
// key known to the server proves nothing about the client.
func checkAlg(alg string) *Error {
	switch {
	case alg == "ES256":
		return nil
	case alg == "":
		return invalidf("proof header has no alg")
	case strings.EqualFold(alg, "none"):
		return invalidf("alg is %s: an unsigned proof proves nothing", quote(alg))
	case strings.HasPrefix(alg, "HS"):
		return invalidf("alg is %s, a symmetric algorithm: a proof must be signed with a private key", quote(alg))
	}
	return invalidf("alg is %s, want ES256", quote(alg))
}

// verifyES256 reports whether sig is an ES256 signature of signingInput by key.
// JWS carries ECDSA signatures as r||s, 32 bytes each (RFC 7518 §3.4), not ASN.1.
func verifyES256(key *ecdsa.PublicKey, signingInput string, sig []byte) bool {
	if len(sig) != 64 {
		return false
	}
	digest := sha256.Sum256([]byte(signingInput))
	r := new(big.Int).SetBytes(sig[:32])
	s := new(big.Int).SetBytes(sig[32:])
	return ecdsa.Verify(key, digest[:], r, s)
}
