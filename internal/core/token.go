package core

import "strings"

// validToken returns the token in v, or "" when v holds no usable token.
//
// A bearer token has the syntax of RFC 6750 section 2.1: b64token, that is
// letters, digits and "-._~+/", then optional "=" padding. Storage often holds
// leftovers that are not tokens: "undefined" and "null" (what
// localStorage.setItem makes of a missing value, as the seed's interceptor
// writes when an answer has no refreshToken), an empty string, or a JSON
// object that some login code stores under the key. Sending one of those as a
// bearer token would only earn a 401, or make Headers.set throw, so they count
// as no token at all.
func validToken(v string) string {
	v = strings.TrimSpace(v)
	switch v {
	case "", "undefined", "null":
		return ""
	}
	body := strings.TrimRight(v, "=")
	if body == "" {
		return ""
	}
	for i := 0; i < len(body); i++ {
		if !isB64TokenChar(body[i]) {
			return ""
		}
	}
	return v
}

// isB64TokenChar reports whether c may appear in an RFC 6750 b64token before
// its padding.
func isB64TokenChar(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return strings.IndexByte("-._~+/", c) >= 0
}
