package core

import (
	"encoding/base64"
	"math"
	"strings"
	"time"
)

// maxUnixSeconds bounds the exp claims taken seriously (year 33658), far
// below where converting to int64 nanoseconds would overflow.
const maxUnixSeconds = 1e12

// jwtExpiry returns the expiry time in a JWT's "exp" claim. It reads the
// payload without verifying the signature: the server verifies it, authfetch
// only wants to know when to refresh. Tokens that are not JWTs, or have no
// numeric exp, report false.
func jwtExpiry(token string, parse ParseJSON) (time.Time, bool) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return time.Time{}, false
	}
	payload, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return time.Time{}, false
	}
	claims, ok := parse(string(payload))
	if !ok {
		return time.Time{}, false
	}
	exp, ok := claims["exp"].(float64)
	if !ok || math.IsNaN(exp) || exp <= 0 || exp > maxUnixSeconds {
		return time.Time{}, false
	}
	sec, frac := math.Modf(exp)
	return time.Unix(int64(sec), int64(frac*float64(time.Second))), true
}
