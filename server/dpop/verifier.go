package dpop

import (
	"crypto/sha256"
	"crypto/subtle"
	"net/http"
	"sync"
	"time"
)

// DefaultWindow is the Window of a Verifier whose Window is zero.
const DefaultWindow = 60 * time.Second

// A Verifier checks DPoP proofs (RFC 9449 §4.3) against the requests they came
// with, for a resource server or for a token endpoint.
//
// The zero value is ready to use: a 60 s window, the system clock, no nonces,
// and an in-memory replay cache of its own. A Verifier is safe for concurrent
// use. Its fields must not change after first use, and it must not be copied
// after first use.
type Verifier struct {
	// Window bounds how far a proof's iat may be from Now, either way. Zero
	// means DefaultWindow. A proof is remembered for replay checks until its
	// iat is a Window in the past.
	Window time.Duration

	// Now is the clock; nil means time.Now.
	Now func() time.Time

	// Nonces, when set, makes a nonce that Nonces accepts required in every
	// proof; a proof without one fails with a CodeUseNonce error that carries
	// a fresh nonce. Nil means nonces are neither required nor checked.
	Nonces NonceSource

	// Replay remembers accepted proofs. Nil means a MemoryReplayCache owned by
	// the Verifier: right for one process, while several instances behind one
	// address need a shared cache, or a replay can go to another instance.
	Replay ReplayCache

	// RequestURL returns the URL the client sent r to, for VerifyRequest. Nil
	// means the scheme from r.TLS, the host from r.Host and the path from
	// r.URL: a server behind a proxy that terminates TLS or rewrites paths
	// sets it to return the public URL.
	RequestURL func(r *http.Request) string

	once   sync.Once
	replay ReplayCache // Replay, or the Verifier's own cache; set once
}

// A Proof is what a verified DPoP proof tells the server.
type Proof struct {
	// JKT is the RFC 7638 SHA-256 thumbprint of the proof's key: the cnf.jkt a
	// token endpoint binds the tokens it issues to (RFC 9449 §6).
	JKT string
	// JWK is the proof's public key.
	JWK JWK
	// JTI is the proof's unique identifier.
	JTI string
	// IssuedAt is the proof's iat.
	IssuedAt time.Time
	// Nonce is the proof's nonce, or "" when it has none.
	Nonce string
}

// Verify checks proof, the value of a request's DPoP header, against the
// request's method and absolute URL (its query and fragment are ignored), and
// against accessToken, the token from its Authorization: DPoP header. A token
// endpoint, which receives no access token, passes "".
//
// Verify checks the proof's form, typ, alg (ES256), public jwk and signature;
// that htm is method and htu is requestURL (RFC 3986 normalized); that iat is
// within the Window; the nonce, when the Verifier has Nonces; ath, when there
// is an access token; and, last, that the proof was not accepted before. A
// token that is bound to a key (cnf.jkt) is then checked with Proof.CheckBinding.
//
// Every error is an *Error, which names the rule that failed.
func (v *Verifier) Verify(method, requestURL, proof, accessToken string) (*Proof, error) {
	p, err := v.verify(method, requestURL, proof, accessToken)
	if err != nil {
		return nil, err // an untyped nil, not a nil *Error
	}
	return p, nil
}

func (v *Verifier) verify(method, requestURL, proof, accessToken string) (*Proof, *Error) {
	if proof == "" {
		return nil, invalidf("no DPoP proof")
	}
	sp, e := parseProof(proof)
	if e != nil {
		return nil, e
	}
	claims, e := readClaims(sp.claims)
	if e != nil {
		return nil, e
	}
	if claims.htm != method {
		return nil, invalidf("htm mismatch: proof has %s, request is %s", quote(claims.htm), quote(method))
	}
	if e := matchHTU(claims.htu, requestURL); e != nil {
		return nil, e
	}
	now := v.now()
	window := v.window()
	if e := checkIAT(claims.iat, now, window); e != nil {
		return nil, e
	}
	if e := v.checkNonce(claims.nonce, claims.hasNonce); e != nil {
		return nil, e
	}
	if e := checkATH(claims.ath, claims.hasATH, accessToken); e != nil {
		return nil, e
	}
	jkt, err := sp.jwk.Thumbprint()
	if err != nil { // parseProof accepted the key, so its members are there
		return nil, invalidf("jwk: %v", err)
	}
	if err := v.replayCache().Remember(replayID(jkt, claims.jti), claims.iat.Add(window), now); err != nil {
		if e, ok := err.(*Error); ok {
			return nil, e
		}
		return nil, invalidf("replay check failed: %v", err)
	}
	return &Proof{JKT: jkt, JWK: sp.jwk, JTI: claims.jti, IssuedAt: claims.iat, Nonce: claims.nonce}, nil
}

// CheckBinding checks that a token bound to the key whose thumbprint is jkt
// (its cnf.jkt, RFC 9449 §6) came with a proof signed by that key. The error is
// a CodeInvalidToken *Error: a token presented with another key is stolen or
// mixed up, and the client cannot repair it with a new proof.
func (p *Proof) CheckBinding(jkt string) error {
	if jkt == "" {
		return &Error{Code: CodeInvalidToken, Reason: "token is not bound to a key: no cnf.jkt"}
	}
	if subtle.ConstantTimeCompare([]byte(jkt), []byte(p.JKT)) != 1 {
		return &Error{Code: CodeInvalidToken, Reason: "token is bound to key " + quote(jkt) + ", proof is signed by key " + p.JKT}
	}
	return nil
}

// checkIAT checks that iat is within window of now, either way: a proof made
// long ago may have been stolen and kept, and one from the future was made on
// a clock that is wrong, or to be kept.
func checkIAT(iat, now time.Time, window time.Duration) *Error {
	const layout = "2006-01-02T15:04:05Z07:00"
	switch age := now.Sub(iat); {
	case age > window:
		return invalidf("iat %s is %s before now %s, more than the window of %s",
			iat.Format(layout), age, now.Format(layout), window)
	case age < -window:
		return invalidf("iat %s is %s after now %s, more than the window of %s",
			iat.Format(layout), -age, now.Format(layout), window)
	}
	return nil
}

// checkNonce applies the Verifier's NonceSource, if any, to the proof's nonce.
func (v *Verifier) checkNonce(nonce string, present bool) *Error {
	if v.Nonces == nil {
		return nil
	}
	switch {
	case !present:
		return &Error{Code: CodeUseNonce, Nonce: v.Nonces.Nonce(), Reason: "nonce required: the proof has none"}
	case !v.Nonces.Valid(nonce):
		return &Error{Code: CodeUseNonce, Nonce: v.Nonces.Nonce(), Reason: "nonce " + quote(nonce) + " is stale or unknown"}
	}
	return nil
}

// checkATH checks the proof's ath against the access token it came with (RFC
// 9449 §4.3): the base64url SHA-256 of the token, which ties the proof to it.
// Without an access token (a token endpoint) ath is not checked.
func checkATH(ath string, present bool, accessToken string) *Error {
	if accessToken == "" {
		return nil
	}
	if !present {
		return invalidf("ath missing: a proof sent with an access token must carry its hash")
	}
	if want := accessTokenHash(accessToken); subtle.ConstantTimeCompare([]byte(ath), []byte(want)) != 1 {
		return invalidf("ath mismatch: proof has %s, the access token hashes to %s", quote(ath), want)
	}
	return nil
}

// accessTokenHash returns the ath of an access token: base64url(SHA-256(token)).
func accessTokenHash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return b64.EncodeToString(sum[:])
}

// replayID names a proof in the replay cache: its jti within its key, so one
// client's jti values can never collide with another's. Hashed, so every id has
// the same short length whatever jti the client chose. The signature is left
// out on purpose: ECDSA signatures are malleable ((r, s) and (r, n-s) both
// verify), so a replay with the other one must still be the same proof.
func replayID(jkt, jti string) string {
	sum := sha256.Sum256([]byte(jkt + "." + jti))
	return b64.EncodeToString(sum[:])
}

func (v *Verifier) now() time.Time {
	if v.Now != nil {
		return v.Now()
	}
	return time.Now()
}

func (v *Verifier) window() time.Duration {
	if v.Window > 0 {
		return v.Window
	}
	return DefaultWindow
}

func (v *Verifier) replayCache() ReplayCache {
	v.once.Do(func() {
		v.replay = v.Replay
		if v.replay == nil {
			v.replay = new(MemoryReplayCache)
		}
	})
	return v.replay
}
