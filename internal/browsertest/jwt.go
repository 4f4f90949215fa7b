//go:build !js

package browsertest

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"time"
)

// UnsignedJWT returns a JWT "header.payload.sig" whose payload has exp and
// jti. authfetch only reads exp; nobody checks the signature.
func UnsignedJWT(exp time.Time, jti string) string {
	part := func(v any) string {
		b, _ := json.Marshal(v)
		return base64.RawURLEncoding.EncodeToString(b)
	}
	return part(map[string]any{"alg": "HS256", "typ": "JWT"}) + "." +
		part(map[string]any{"exp": exp.Unix(), "jti": jti, "sub": "e2e"}) + "." +
		base64.RawURLEncoding.EncodeToString([]byte("not-a-signature"))
}

// expired reports whether token is a JWT whose exp has passed: a server
// refuses it, however valid it was when issued.
func expired(token string, now time.Time) bool {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return false
	}
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	var claims struct {
		Exp int64 `json:"exp"`
	}
	if err != nil || json.Unmarshal(payload, &claims) != nil || claims.Exp == 0 {
		return false
	}
	return !now.Before(time.Unix(claims.Exp, 0))
}
