// Package dpop lets a Go server accept DPoP proofs (RFC 9449): the signed
// proofs that bind a client's tokens to a key pair the client keeps, so that a
// token copied out of the browser is useless without the key.
//
// The authfetch client, with its dpop option, sends a proof with every request
// to an allowed origin: a DPoP header holding a JWT signed with ES256 by a P-256
// key, whose header carries the public key (jwk) and whose claims name the
// request (htm, htu), the time (iat) and a unique id (jti), plus the hash of the
// access token (ath) when one is attached as Authorization: DPoP <token>, and
// the server's nonce when the server demands one. Its refresh and login
// requests carry a proof without ath.
//
// A Verifier checks such a proof against its request and remembers it, so it is
// accepted once. A token endpoint binds the tokens it issues to the proof's key
// by putting the returned Proof.JKT into them as cnf.jkt; a resource server
// checks a bound token with Proof.CheckBinding. Failures are *Error values whose
// Code says how to answer; WriteResourceError and WriteTokenError write those
// answers, including the nonce challenges that the client answers with one
// resend.
//
// A resource server:
//
//	var verifier = &dpop.Verifier{Nonces: new(dpop.RotatingNonces)}
//
//	func me(w http.ResponseWriter, r *http.Request) {
//		token, ok := dpop.AccessToken(r) // from Authorization: DPoP <token>
//		if !ok {
//			w.Header().Set("WWW-Authenticate", `DPoP algs="ES256"`)
//			w.WriteHeader(http.StatusUnauthorized)
//			return
//		}
//		proof, err := verifier.VerifyRequest(r, token)
//		if err == nil {
//			err = proof.CheckBinding(jktOf(token)) // the token's cnf.jkt
//		}
//		if err != nil {
//			log.Print(err) // dpop: htu mismatch: proof has …, request is …
//			dpop.WriteResourceError(w, err)
//			return
//		}
//		// serve the request
//	}
//
// A token endpoint calls VerifyRequest(r, "") and WriteTokenError instead, and
// binds the new tokens to proof.JKT.
//
// Only ES256 with P-256 keys is accepted, which is what authfetch signs with.
// The package uses the standard library alone.
package dpop
