package dpoptest

import (
	"errors"
	"testing"
	"time"

	"github.com/authfetch/authfetch/server/dpop"
)

// The proofs a Key signs are what a Verifier accepts, bound to the key's
// thumbprint, and each claim the caller sets reaches the checks.
func TestProofsVerify(t *testing.T) {
	now := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	nonces := &dpop.RotatingNonces{Now: func() time.Time { return now }}
	tests := []struct {
		name   string
		claims Claims
		token  string // the access token the request carries
		want   error
	}{
		{"a token endpoint's proof", Claims{Method: "POST", URL: "https://as.example/token", Nonce: nonces.Nonce()}, "", nil},
		{"a resource request's proof", Claims{Method: "GET", URL: "https://rs.example/me", AccessToken: "tok", Nonce: nonces.Nonce()}, "tok", nil},
		{"another token's proof", Claims{Method: "GET", URL: "https://rs.example/me", AccessToken: "tok", Nonce: nonces.Nonce()}, "other", dpop.ErrInvalidProof},
		{"a proof without the nonce", Claims{Method: "POST", URL: "https://as.example/token"}, "", dpop.ErrUseNonce},
		{"an old proof", Claims{Method: "POST", URL: "https://as.example/token", Nonce: nonces.Nonce(), IssuedAt: now.Add(-time.Hour)}, "", dpop.ErrInvalidProof},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			key, err := NewKey()
			if err != nil {
				t.Fatal(err)
			}
			if tt.claims.IssuedAt.IsZero() {
				tt.claims.IssuedAt = now
			}
			proof, err := key.Proof(tt.claims)
			if err != nil {
				t.Fatal(err)
			}
			v := &dpop.Verifier{Now: func() time.Time { return now }, Nonces: nonces}
			p, err := v.Verify(tt.claims.Method, tt.claims.URL, proof, tt.token)
			if !errors.Is(err, tt.want) || (err == nil) != (tt.want == nil) {
				t.Fatalf("Verify: %v, want %v", err, tt.want)
			}
			if err == nil && p.CheckBinding(key.JKT()) != nil {
				t.Errorf("proof key %s, want the Key's %s", p.JKT, key.JKT())
			}
		})
	}
}
