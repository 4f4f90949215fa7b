package dpop

import "time"

// proofClaims are the claims of a proof's payload (RFC 9449 §4.2) that Verify
// checks.
type proofClaims struct {
	jti, htm, htu string
	iat           time.Time
	ath           string
	hasATH        bool
	nonce         string
	hasNonce      bool
}

// readClaims reads the required claims jti, htm, htu and iat, and the optional
// ath and nonce, each of its JSON type.
func readClaims(obj object) (proofClaims, *Error) {
	var c proofClaims
	var err error
	for _, m := range []struct {
		name string
		to   *string
	}{{"jti", &c.jti}, {"htm", &c.htm}, {"htu", &c.htu}} {
		if *m.to, err = obj.requiredString(m.name); err != nil {
			return proofClaims{}, invalidf("proof %v", err)
		}
	}
	if c.iat, err = obj.numericDate("iat"); err != nil {
		return proofClaims{}, invalidf("proof %v", err)
	}
	if c.ath, c.hasATH, err = obj.string("ath"); err != nil {
		return proofClaims{}, invalidf("proof %v", err)
	}
	if c.nonce, c.hasNonce, err = obj.string("nonce"); err != nil {
		return proofClaims{}, invalidf("proof %v", err)
	}
	return c, nil
}

// matchHTU checks that a proof's htu names the URL the request went to.
func matchHTU(htu, requestURL string) *Error {
	want, err := normalizeHTU(requestURL)
	if err != nil {
		return invalidf("request URL %s: %v", quote(requestURL), err)
	}
	got, err := normalizeHTU(htu)
	if err != nil {
		return invalidf("htu %s: %v", quote(htu), err)
	}
	if got != want {
		return invalidf("htu mismatch: proof has %s, request is %s", quote(htu), quote(want))
	}
	return nil
}
