//go:build !js

package e2e

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/authfetch/authfetch/internal/browsertest"
	"github.com/authfetch/authfetch/server/dpop"
	"github.com/authfetch/authfetch/server/dpop/dpoptest"
)

// dpopSite is an API that binds its tokens to the key of the proof they were
// issued against (server/dpop), with the module and a blank page: POST
// /login issues a pair, POST /auth/refresh-token rotates it (same key only),
// and /api/ answers 200 for a token presented as DPoP with a proof of the
// key it is bound to.
type dpopSite struct {
	URL      string
	verifier *dpop.Verifier

	mu        sync.Mutex
	bound     map[string]string // guarded by mu: a live token (access or refresh) → the jkt it is bound to
	n         int               // guarded by mu: the last pair issued
	refreshes int               // guarded by mu
	apiCalls  int               // guarded by mu
	nonceAsks int               // guarded by mu: answers that demanded a nonce
	jkts      []string          // guarded by mu: the key of each proof accepted
}

// newDPoPSite serves the API; with nonces, every proof must carry a nonce
// the server gave.
func newDPoPSite(t *testing.T, nonces bool) *dpopSite {
	t.Helper()
	s := &dpopSite{verifier: &dpop.Verifier{}, bound: map[string]string{}}
	if nonces {
		s.verifier.Nonces = &dpop.RotatingNonces{}
	}
	mux := http.NewServeMux()
	mux.Handle("/", harness.Files())
	mux.HandleFunc("POST /login", s.login)
	mux.HandleFunc("POST "+browsertest.RefreshPath, s.refresh)
	mux.HandleFunc("/api/", s.api)
	s.URL = serve(t, browsertest.NoStore(mux))
	return s
}

// proven verifies r's proof, with token ("" at the token endpoints), and
// answers a failure itself.
func (s *dpopSite) proven(w http.ResponseWriter, r *http.Request, token string, write func(http.ResponseWriter, error)) (*dpop.Proof, bool) {
	proof, err := s.verifier.VerifyRequest(r, token)
	s.mu.Lock()
	defer s.mu.Unlock()
	if err != nil {
		if errors.Is(err, dpop.ErrUseNonce) {
			s.nonceAsks++
		}
		write(w, err)
		return nil, false
	}
	s.jkts = append(s.jkts, proof.JKT)
	return proof, true
}

func (s *dpopSite) login(w http.ResponseWriter, r *http.Request) {
	if proof, ok := s.proven(w, r, "", dpop.WriteTokenError); ok {
		writeTokens(w, s.issue(proof.JKT))
	}
}

func (s *dpopSite) refresh(w http.ResponseWriter, r *http.Request) {
	proof, ok := s.proven(w, r, "", dpop.WriteTokenError)
	if !ok {
		return
	}
	var body struct{ RefreshToken string }
	_ = json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&body)
	s.mu.Lock()
	s.refreshes++
	jkt, live := s.bound[body.RefreshToken]
	delete(s.bound, body.RefreshToken)
	s.mu.Unlock()
	if !live || jkt != proof.JKT {
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	writeTokens(w, s.issue(jkt))
}

func (s *dpopSite) api(w http.ResponseWriter, r *http.Request) {
	token, ok := dpop.AccessToken(r)
	if !ok {
		w.Header().Set("WWW-Authenticate", dpop.Scheme+` algs="ES256"`)
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	proof, ok := s.proven(w, r, token, dpop.WriteResourceError)
	if !ok {
		return
	}
	s.mu.Lock()
	s.apiCalls++
	jkt, live := s.bound[token]
	s.mu.Unlock()
	if !live || jkt != proof.JKT {
		w.Header().Set("WWW-Authenticate", dpop.Scheme+` error="invalid_token"`)
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	fmt.Fprint(w, `{"ok":true}`)
}

// issue binds a new pair to jkt.
func (s *dpopSite) issue(jkt string) [2]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.n++
	pair := [2]string{fmt.Sprint("a", s.n), fmt.Sprint("r", s.n)}
	s.bound[pair[0]], s.bound[pair[1]] = jkt, jkt
	return pair
}

// revoke unbinds every access token, so the next request gets a 401.
func (s *dpopSite) revoke() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for tok := range s.bound {
		if strings.HasPrefix(tok, "a") {
			delete(s.bound, tok)
		}
	}
}

func (s *dpopSite) counts() (refreshes, apiCalls, nonceAsks int, jkts []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.refreshes, s.apiCalls, s.nonceAsks, append([]string(nil), s.jkts...)
}

func writeTokens(w http.ResponseWriter, pair [2]string) {
	w.Header().Set("Content-Type", "application/json")
	fmt.Fprintf(w, `{"accessToken":%q,"refreshToken":%q}`, pair[0], pair[1])
}

// replay sends the stored access token from outside the page to /api/me:
// with scheme ("Bearer" or "DPoP"), and a proof from key when key is not nil.
func (s *dpopSite) replay(t *testing.T, scheme, token string, key *dpoptest.Key) int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, s.URL+"/api/me", nil)
	req.Header.Set("Authorization", scheme+" "+token)
	if key != nil {
		proof, err := key.Proof(dpoptest.Claims{Method: "GET", URL: s.URL + "/api/me", AccessToken: token})
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("DPoP", proof)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode
}

// newAttackerKey is a key of the thief's own: its proofs are well formed and
// signed, but not by the key the token is bound to.
func newAttackerKey(t *testing.T) *dpoptest.Key {
	t.Helper()
	key, err := dpoptest.NewKey()
	if err != nil {
		t.Fatal(err)
	}
	return key
}
