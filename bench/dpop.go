//go:build !js

package main

import (
	"net/http"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/authfetch/authfetch/internal/browsertest"
	"github.com/authfetch/authfetch/server/dpop"
)

// dpopAPI puts server/dpop in front of the fake API for the DPoP contender
// (authfetch with dpop: true), which sends Authorization: DPoP <token> and a
// DPoP proof with every request. Such a request under /api/ must carry a
// proof that the Verifier accepts for it (form, ES256 signature, htm, htu,
// iat window, ath, replay; no nonces) and the key its token is bound to, as
// a resource server does; the fake then sees the token as Bearer, and its
// own rules (a revoked token is refused) apply as to every contender. A
// refresh that carries a proof must carry a valid one. Every other request
// passes as it is: the other contenders send Bearer tokens and no proof.
//
// The bench logs in with plain fetch, so its tokens are issued unbound; a
// token is bound to the key of the first proof it comes with, the cnf.jkt
// that a DPoP login would have put into it, and from then on must come with
// that key.
type dpopAPI struct {
	next     http.Handler
	verifier dpop.Verifier
	proven   atomic.Int64 // requests under /api/ that passed with a proof

	mu    sync.Mutex
	bound map[string]string // guarded by mu: access token → the thumbprint of its key
}

func newDPoPAPI(next http.Handler) *dpopAPI {
	return &dpopAPI{next: next, bound: map[string]string{}}
}

func (d *dpopAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch {
	case strings.HasPrefix(r.URL.Path, "/api/"):
		token, ok := dpop.AccessToken(r)
		if !ok {
			break // Bearer, or none: the fake's own answer
		}
		proof, err := d.verifier.VerifyRequest(r, token)
		if err == nil {
			err = proof.CheckBinding(d.bindOnce(token, proof.JKT))
		}
		if err != nil {
			w.Header().Set("Cache-Control", "no-store")
			dpop.WriteResourceError(w, err)
			return
		}
		d.proven.Add(1)
		r = r.Clone(r.Context())
		r.Header.Set("Authorization", "Bearer "+token)
		r.Header.Del(dpop.HeaderProof)
	case r.URL.Path == browsertest.RefreshPath && r.Header.Get(dpop.HeaderProof) != "":
		if _, err := d.verifier.VerifyRequest(r, ""); err != nil {
			w.Header().Set("Cache-Control", "no-store")
			dpop.WriteTokenError(w, err)
			return
		}
	}
	d.next.ServeHTTP(w, r)
}

// bindOnce is the thumbprint token is bound to: jkt, the first time.
func (d *dpopAPI) bindOnce(token, jkt string) string {
	d.mu.Lock()
	defer d.mu.Unlock()
	if bound, ok := d.bound[token]; ok {
		return bound
	}
	d.bound[token] = jkt
	return jkt
}
