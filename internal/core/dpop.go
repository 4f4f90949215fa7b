package core

import (
	"context"
	"strings"
	"sync"
)

// DPoP (RFC 9449) as the client's policy: which requests carry a proof, what
// the proof says, and the nonces each origin asked for. The proofs are signed
// behind a seam (Prover; WebCrypto in the module, with a key no script can
// read): no cryptography is linked here.

// ProofRequest is what a proof says, short of the key that signs it and its
// jti, which the Prover adds.
type ProofRequest struct {
	Method      string // htm
	URL         string // htu: the request's URL without query and fragment
	IssuedAt    int64  // iat, in seconds, by the server's clock
	Nonce       string // the nonce the origin asked for, "" when it asked none
	AccessToken string // hashed into ath; "" for none (a refresh, a login)
}

// Prover signs DPoP proofs with the session's key.
type Prover interface {
	Prove(ctx context.Context, p ProofRequest) (proof string, err error)
}

// nonces are the DPoP nonces each origin asked for, by origin. The zero
// value is ready to use and safe for concurrent use.
type nonces struct {
	mu       sync.Mutex
	byOrigin map[string]string // guarded by mu
}

func (n *nonces) get(origin string) string {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.byOrigin[origin]
}

func (n *nonces) set(origin, nonce string) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.byOrigin == nil {
		n.byOrigin = map[string]string{}
	}
	n.byOrigin[origin] = nonce
}

// proofFor is the proof request of an attempt of method to url, sent with
// accessToken ("" for none).
func (s *Session) proofFor(method, url, accessToken string) ProofRequest {
	return ProofRequest{
		Method:      strings.ToUpper(orDefault(method, "GET")),
		URL:         withoutQuery(url),
		IssuedAt:    s.expiry.clock.now().Unix(),
		Nonce:       s.nonces.get(Origin(url)),
		AccessToken: accessToken,
	}
}

// NoteNonce keeps the DPoP-Nonce an answer from url carried (any answer, a
// 200 included): the origin's proofs carry it from now on.
func (s *Session) NoteNonce(url, nonce string) {
	if nonce != "" {
		s.nonces.set(Origin(url), nonce)
	}
}

// NonceChallenge reports whether an answer asks for the request to be sent
// again with a DPoP nonce (RFC 9449 sections 8 and 9): a 401 whose
// WWW-Authenticate says error="use_dpop_nonce" for the DPoP scheme, or a
// 400 whose body's error is use_dpop_nonce; either with the DPoP-Nonce to
// use. Such a resend is neither a refresh nor a retry.
func NonceChallenge(status int, nonce, wwwAuthenticate, body string, parse ParseJSON) bool {
	if nonce == "" {
		return false
	}
	switch status {
	case 401:
		return dpopChallengeSays(wwwAuthenticate, "use_dpop_nonce")
	case 400:
		obj, ok := parse(body)
		return ok && stringField(obj, "error") == "use_dpop_nonce"
	}
	return false
}

// dpopChallengeSays reports whether a WWW-Authenticate header has a DPoP
// challenge whose error is want. It reads the parameters loosely (quoted or
// not, any order), as a client must accept what servers send.
func dpopChallengeSays(header, want string) bool {
	lower := strings.ToLower(header)
	i := strings.Index(lower, "dpop")
	if i < 0 {
		return false
	}
	rest := lower[i+len("dpop"):]
	j := strings.Index(rest, "error")
	if j < 0 {
		return false
	}
	value := strings.TrimLeft(rest[j+len("error"):], " =\"")
	return strings.HasPrefix(value, want)
}

// Claims is what the DPoP proof of an attempt of req says, short of ath,
// which the front end hashes from the token it sends: for a client with DPoP,
// every request that would get the token carries a proof, also when there is
// no token yet (a login through api.fetch is how the server binds the tokens
// it issues). False when no proof is due.
func (c *Client) Claims(req Request) (ProofRequest, bool) {
	if !c.cfg.DPoP {
		return ProofRequest{}, false
	}
	if ok, _ := c.authorizes(req, Origin(req.URL)); !ok {
		return ProofRequest{}, false
	}
	return c.session.proofFor(req.Method, req.URL, ""), true
}

// NonceAnswer keeps the DPoP-Nonce an answer from url carried, and reports
// whether the answer is a nonce challenge: the attempt is then sent once more
// with a fresh proof that carries the nonce.
func (c *Client) NonceAnswer(url string, status int, nonce, wwwAuthenticate, body string) (resend bool) {
	c.session.NoteNonce(url, nonce)
	return NonceChallenge(status, nonce, wwwAuthenticate, body, c.session.expiry.parse)
}

// ClaimsFor is what the proof of a request of the app's own says (the
// refresh option's, to its refresh endpoint or elsewhere): no token, and no
// check that the request would get one.
func (c *Client) ClaimsFor(method, url string) ProofRequest {
	return c.session.proofFor(method, url, "")
}
