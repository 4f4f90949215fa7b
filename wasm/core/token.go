package core

import "strings"

// validToken returns the token in v, or "" when v holds no usable token.
//
// Storage often holds leftovers that are not tokens: "undefined" and "null"
// (what localStorage.setItem makes of a missing value, as the seed's
// interceptor writes when an answer has no refreshToken), an empty string, or
// text that cannot travel in an HTTP header. Sending any of those as a bearer
// token would only earn a 401, or make Headers.set throw, so they count as no
// token at all.
func validToken(v string) string {
	v = strings.TrimSpace(v)
	switch v {
	case "", "undefined", "null":
		return ""
	}
	for i := 0; i < len(v); i++ {
		if c := v[i]; c < 0x20 || c > 0x7e {
			return ""
		}
	}
	return v
}
