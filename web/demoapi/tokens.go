package demoapi

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"

	"github.com/golang-jwt/jwt/v5"
)

// accessClaims are the claims of an access token: sub (the email), exp, iat, jti, and fam,
// the family the token belongs to, so that revoking a family reaches its access tokens.
type accessClaims struct {
	Family string `json:"fam"`
	jwt.RegisteredClaims
}

// newGrant makes fresh token ids for email's family, issued now.
func (h *Handler) newGrant(email, family string) grant {
	now := h.now()
	return grant{
		email:        email,
		family:       family,
		jti:          randomToken(16),
		refreshToken: randomToken(32),
		issuedAt:     now,
		expires:      now.Add(h.ttl),
	}
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
