// Package tokenfamily keeps refresh tokens in families, the rotation scheme
// of OAuth 2.0 for browser-based apps: one login starts a family, each refresh
// spends the family's refresh token and records its successor, and a spent
// token presented again revokes the whole family, because either the client
// or a thief holds a copy that should not exist.
//
// It knows tokens only as opaque strings and families only by id: what an
// access token looks like, who the family belongs to and how answers are
// written are its callers' business (the demo API signs JWTs; the browser
// tests' fake API issues a1, a2…). That keeps the one decision that matters,
// what presenting a token costs, in one place, Families.Rotate: a grace
// window (a spent token presented again shortly after its rotation gets the
// same successor instead of a revocation) would be a change there and
// nowhere else.
package tokenfamily
