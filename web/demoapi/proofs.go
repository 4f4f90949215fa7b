package demoapi

import (
	"net/http"
	"time"

	"github.com/authfetch/authfetch/server/dpop"
)

// proofs checks the demo's DPoP proofs with two verifiers that share one replay cache,
// one demanding nonces and one not, so that the nonce switch takes effect at once
// without changing a Verifier after its first use.
type proofs struct {
	plain, nonced *dpop.Verifier
}

func newProofs(now func() time.Time) *proofs {
	replay := new(dpop.MemoryReplayCache)
	return &proofs{
		plain:  &dpop.Verifier{Now: now, Replay: replay},
		nonced: &dpop.Verifier{Now: now, Replay: replay, Nonces: &dpop.RotatingNonces{Now: now}},
	}
}

// verifier returns the verifier of the nonce switch's setting.
func (p *proofs) verifier(nonce bool) *dpop.Verifier {
	if nonce {
		return p.nonced
	}
	return p.plain
}

// refreshProof checks the proof of a refresh that presents refreshToken: none is needed
// when the token's family is not bound to a key (or the token is unknown, which the
// rotation refuses), and otherwise a valid proof without ath, signed by the family's key.
// A family's binding is decided at its login and lasts its life, whatever the DPoP
// switch says later.
func (h *Handler) refreshProof(r *http.Request, refreshToken string, set settings) error {
	jkt, known := h.state.bindingOf(refreshToken)
	if !known || jkt == "" {
		return nil
	}
	proof, err := h.proofs.verifier(set.DPoPNonce).VerifyRequest(r, "")
	if err != nil {
		return err
	}
	return proof.CheckBinding(jkt)
}

// resourceProof checks a protected request's token against its binding: a token bound
// to a key must come as Authorization: DPoP with a valid proof signed by that key, whose
// ath is the token's hash; an unbound token must come as Bearer. A bound token sent as
// Bearer, the copy a thief made, is refused as RFC 9449 §7.2 says.
func (h *Handler) resourceProof(r *http.Request, scheme, token string, claims *accessClaims) error {
	jkt := claims.boundTo()
	switch {
	case jkt == "" && scheme == dpop.Scheme:
		return &dpop.Error{Code: dpop.CodeInvalidToken, Reason: "a token bound to no key sent with the DPoP scheme"}
	case jkt == "":
		return nil
	case scheme != dpop.Scheme:
		return &dpop.Error{Code: dpop.CodeInvalidToken, Reason: "a DPoP-bound token sent as " + scheme + ", without the proof of its key"}
	}
	proof, err := h.proofs.verifier(h.switches.get().DPoPNonce).VerifyRequest(r, token)
	if err != nil {
		return err
	}
	return proof.CheckBinding(jkt)
}
