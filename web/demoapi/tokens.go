package demoapi

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"

	"github.com/authfetch/authfetch/server/rotation"
	"github.com/golang-jwt/jwt/v5"
)

// accessClaims are the claims of an access token: sub (the email), exp, iat, jti, fam,
// the family the token belongs to, so that revoking a family reaches its access tokens,
// and cnf when the token is bound to a DPoP key.
type accessClaims struct {
	Family string        `json:"fam"`
	Cnf    *confirmation `json:"cnf,omitempty"`
	jwt.RegisteredClaims
}

// confirmation is RFC 7800's cnf claim with RFC 9449's member: the thumbprint of the key
// whose proofs must come with the token.
type confirmation struct {
	JKT string `json:"jkt"`
}

// boundTo returns the thumbprint of the key the token is bound to, or "".
func (c *accessClaims) boundTo() string {
	if c.Cnf == nil {
		return ""
	}
	return c.Cnf.JKT
}

// newGrant makes fresh token ids for the family of email, issued now and bound to the DPoP
// key whose thumbprint is jkt ("" for bearer tokens).
func (h *Handler) newGrant(email, family, jkt string) grant {
	now := h.now()
	return grant{
		email:        email,
		family:       family,
		jkt:          jkt,
		jti:          randomToken(16),
		refreshToken: randomToken(32),
		issuedAt:     now,
		expires:      now.Add(h.ttl),
	}
}

// mint issues the next pair of a family: the grant to record and the pair to answer.
func (h *Handler) mint(f familyInfo) (grant, rotation.Pair, error) {
	g := h.newGrant(f.email, f.id, f.jkt)
	access, err := h.signAccess(g)
	return g, rotation.Pair{AccessToken: access, RefreshToken: g.refreshToken, Expires: g.expires}, err
}

// signAccess returns g's access token, an HS256 JWT.
func (h *Handler) signAccess(g grant) (string, error) {
	claims := accessClaims{
		Family: g.family,
		RegisteredClaims: jwt.RegisteredClaims{
			Subject:   g.email,
			ID:        g.jti,
			IssuedAt:  jwt.NewNumericDate(g.issuedAt),
			ExpiresAt: jwt.NewNumericDate(g.expires),
		},
	}
	if g.jkt != "" {
		claims.Cnf = &confirmation{JKT: g.jkt}
	}
	signed, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString(h.secret)
	if err != nil {
		return "", fmt.Errorf("demoapi: sign access token for %s: %w", g.email, err)
	}
	return signed, nil
}

// parseAccess checks raw's signature, algorithm and expiry against h's clock and returns
// its claims. Revocation is checked by the store, not here.
func (h *Handler) parseAccess(raw string) (*accessClaims, error) {
	var claims accessClaims
	_, err := jwt.ParseWithClaims(raw, &claims,
		func(*jwt.Token) (any, error) { return h.secret, nil },
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
		jwt.WithTimeFunc(h.now),
		jwt.WithExpirationRequired(),
	)
	if err != nil {
		return nil, err
	}
	return &claims, nil
}

// randomToken returns n random bytes, base64url-encoded without padding.
func randomToken(n int) string {
	return base64.RawURLEncoding.EncodeToString(randomBytes(n))
}

// randomBytes returns n bytes from crypto/rand, whose Read never fails (it crashes the
// program instead).
func randomBytes(n int) []byte {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return b
}
