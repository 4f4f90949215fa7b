//go:build !js

package browsertest

import (
	"encoding/base64"
	"encoding/json"
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
