package core

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNonceChallenge(t *testing.T) {
	tests := []struct {
		name                 string
		status               int
		nonce, wwwAuth, body string
		want                 bool
	}{
		{"a resource server's 401", 401, "n1", `DPoP error="use_dpop_nonce", error_description="Resource server requires nonce in DPoP proof"`, "", true},
		{"unquoted, another order", 401, "n1", `DPoP algs="ES256", error=use_dpop_nonce`, "", true},
		{"a 401 without the nonce to use", 401, "", `DPoP error="use_dpop_nonce"`, "", false},
		{"a 401 for another reason", 401, "n1", `DPoP error="invalid_token"`, "", false},
		{"a Bearer challenge", 401, "n1", `Bearer error="use_dpop_nonce"`, "", false},
		{"the token endpoint's 400", 400, "n1", "", `{"error":"use_dpop_nonce","error_description":"Authorization server requires nonce in DPoP proof"}`, true},
		{"a 400 for another reason", 400, "n1", "", `{"error":"invalid_grant"}`, false},
		{"a 200 with a new nonce", 200, "n2", "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, NonceChallenge(tt.status, tt.nonce, tt.wwwAuth, tt.body, parseJSON))
		})
	}
}

// Claims: every request that would get the token carries a proof, of its
// method and URL without query and fragment, at the server's time, with the
// origin's nonce once it gave one.
func TestClaimsOfTheRequestsThatGetTheToken(t *testing.T) {
	e := newEnv(t, Tokens{"T1", "R1"}, "T1", newFakeTransport(answer{}), func(c *ClientConfig) { c.DPoP = true })
	req := e.api.request()
	req.URL, req.Method = apiOrigin+"/api/item?x=1#f", "post"

	claims, ok := e.client.Claims(req)
	require.True(t, ok)
	assert.Equal(t, ProofRequest{Method: "POST", URL: apiOrigin + "/api/item", IssuedAt: epoch.Unix()}, claims)

	e.client.NonceAnswer(apiOrigin+"/anything", 200, "n1", "", "")
	claims, _ = e.client.Claims(req)
	assert.Equal(t, "n1", claims.Nonce, "a nonce from any answer of the origin")

	for name, change := range map[string]func(*Request){
		"skipAuth":       func(r *Request) { r.SkipAuth = true },
		"another origin": func(r *Request) { r.URL = otherOrigin + "/x" },
		"its own header": func(r *Request) { r.HasAuthorization = true },
	} {
		r := req
		change(&r)
		_, ok := e.client.Claims(r)
		assert.False(t, ok, name)
	}
	without := newEnv(t, Tokens{"T1", "R1"}, "T1", newFakeTransport(answer{}), nil)
	_, ok = without.client.Claims(req)
	assert.False(t, ok, "a client without DPoP")
}

// fakeProver signs nothing: it records what it was asked and returns a
// proof that names the nonce.
type fakeProver struct {
	mu    sync.Mutex
	asked []ProofRequest
}

func (p *fakeProver) Prove(_ context.Context, r ProofRequest) (string, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.asked = append(p.asked, r)
	return "proof-with-nonce-" + r.Nonce, nil
}

// The refresh request carries a proof without ath; a nonce challenge from
// the refresh endpoint is answered by one resend with the nonce, within the
// one refresh.
func TestTheRefreshCarriesAProofAndAnswersANonceChallengeOnce(t *testing.T) {
	prover := &fakeProver{}
	tr := &nonceEndpoint{}
	e := newEnv(t, Tokens{"T1", "R1"}, "T2", nil, func(c *ClientConfig) {
		c.DPoP = true
		c.Refresh.Transport, c.Refresh.Prover, c.Refresh.URL = tr, prover, apiOrigin+"/auth/refresh-token"
	})
	e.clock.Advance(time.Minute)

	assert.Equal(t, 200, e.do(e.api.request()).Status())
	assert.Equal(t, []ProofRequest{
		{Method: "POST", URL: apiOrigin + "/auth/refresh-token", IssuedAt: epoch.Add(time.Minute).Unix()},
		{Method: "POST", URL: apiOrigin + "/auth/refresh-token", IssuedAt: epoch.Add(time.Minute).Unix(), Nonce: "n1"},
	}, prover.asked)
	assert.Equal(t, []string{"proof-with-nonce-", "proof-with-nonce-n1"}, tr.proofs)
	assert.Equal(t, SessionStats{Refreshes: 1}, e.session.Stats())
}

// nonceEndpoint asks for a nonce the first time, then refreshes.
type nonceEndpoint struct {
	proofs []string
}

func (n *nonceEndpoint) Post(_ context.Context, req RefreshRequest) (RefreshAnswer, error) {
	n.proofs = append(n.proofs, req.DPoP)
	if len(n.proofs) == 1 {
		return RefreshAnswer{Status: 400, Body: `{"error":"use_dpop_nonce"}`, DPoPNonce: "n1"}, nil
	}
	return RefreshAnswer{Status: 200, Body: `{"accessToken":"T2","refreshToken":"R2"}`}, nil
}
