package dpop

import (
	"net/http"
	"strings"
)

// The HTTP names RFC 9449 uses.
const (
	// HeaderProof is the request header that carries the proof.
	HeaderProof = "DPoP"
	// HeaderNonce is the response header that carries a nonce the server
	// demands in the next proof. A server whose API is called cross-origin
	// lists it, and WWW-Authenticate, in Access-Control-Expose-Headers, or
	// the browser hides both from the client.
	HeaderNonce = "DPoP-Nonce"
	// Scheme is the authentication scheme of a DPoP-bound access token, in
	// Authorization and in WWW-Authenticate.
	Scheme = "DPoP"
)

// VerifyRequest is Verify for a request as an http.Handler receives it: the
// proof is r's one DPoP header (two or more are refused, RFC 9449 §4.3), the
// method is r.Method, and the URL is what RequestURL returns for r. accessToken
// is the token r carries, as AccessToken returns it, or "" for a token endpoint.
func (v *Verifier) VerifyRequest(r *http.Request, accessToken string) (*Proof, error) {
	proofs := r.Header.Values(HeaderProof)
	switch {
	case len(proofs) == 0:
		return nil, invalidf("no DPoP header")
	case len(proofs) > 1:
		return nil, invalidf("%d DPoP headers, want one", len(proofs))
	}
	return v.Verify(r.Method, v.requestURL(r), proofs[0], accessToken)
}

// requestURL returns the absolute URL the client sent r to.
func (v *Verifier) requestURL(r *http.Request) string {
	if v.RequestURL != nil {
		return v.RequestURL(r)
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host + r.URL.EscapedPath()
}

// AccessToken returns the token of r's Authorization header when its scheme is
// DPoP (RFC 9449 §7.1), and ok false when r has no such header. A token that
// r sends as a Bearer token is not returned: a server that binds tokens to keys
// refuses it as Bearer (RFC 9449 §7.2), or the binding is worth nothing.
func AccessToken(r *http.Request) (token string, ok bool) {
	scheme, token, found := strings.Cut(r.Header.Get("Authorization"), " ")
	if !found || !strings.EqualFold(scheme, Scheme) {
		return "", false
	}
	token = strings.TrimSpace(token)
	return token, token != ""
}
