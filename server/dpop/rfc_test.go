package dpop

import (
	"errors"
	"testing"
	"time"
)

// The examples of RFC 9449 and RFC 7638, as the RFCs print them. Both proofs
// are signed with the key of RFC 9449 §4.2, whose private half the RFC does not
// give: a signature that verifies here is the RFC's own.
const (
	// rfcTokenProof is the DPoP header of RFC 9449's token request (§5,
	// Figure 5); §4.2 shows its decoded content.
	rfcTokenProof = "eyJ0eXAiOiJkcG9wK2p3dCIsImFsZyI6IkVTMjU2IiwiandrIjp7Imt0eSI6Ik" +
		"VDIiwieCI6Imw4dEZyaHgtMzR0VjNoUklDUkRZOXpDa0RscEJoRjQyVVFVZldWQVdCR" +
		"nMiLCJ5IjoiOVZFNGpmX09rX282NHpiVFRsY3VOSmFqSG10NnY5VERWclUwQ2R2R1JE" +
		"QSIsImNydiI6IlAtMjU2In19.eyJqdGkiOiItQndDM0VTYzZhY2MybFRjIiwiaHRtIj" +
		"oiUE9TVCIsImh0dSI6Imh0dHBzOi8vc2VydmVyLmV4YW1wbGUuY29tL3Rva2VuIiwia" +
		"WF0IjoxNTYyMjYyNjE2fQ.2-GxA6T8lP4vfrg8v-FdWP0A0zdrj8igiMLvqRMUvwnQg" +
		"4PtFLbdLXiOSsX0x7NVY-FNyJK70nfbV37xRZT3Lg"
	rfcTokenIAT = 1562262616

	// rfcResourceProof is the DPoP header of RFC 9449's request to a protected
	// resource (§7.1), sent with rfcAccessToken, whose hash is rfcATH.
	rfcResourceProof = "eyJ0eXAiOiJkcG9wK2p3dCIsImFsZyI6IkVTMjU2IiwiandrIjp7Imt0eSI6Ik" +
		"VDIiwieCI6Imw4dEZyaHgtMzR0VjNoUklDUkRZOXpDa0RscEJoRjQyVVFVZldWQVdCR" +
		"nMiLCJ5IjoiOVZFNGpmX09rX282NHpiVFRsY3VOSmFqSG10NnY5VERWclUwQ2R2R1JE" +
		"QSIsImNydiI6IlAtMjU2In19.eyJqdGkiOiJlMWozVl9iS2ljOC1MQUVCIiwiaHRtIj" +
		"oiR0VUIiwiaHR1IjoiaHR0cHM6Ly9yZXNvdXJjZS5leGFtcGxlLm9yZy9wcm90ZWN0Z" +
		"WRyZXNvdXJjZSIsImlhdCI6MTU2MjI2MjYxOCwiYXRoIjoiZlVIeU8ycjJaM0RaNTNF" +
		"c05yV0JiMHhXWG9hTnk1OUlpS0NBcWtzbVFFbyJ9.2oW9RP35yRqzhrtNP86L-Ey71E" +
		"OptxRimPPToA1plemAgR6pxHF8y6-yqyVnmcw6Fy1dqd-jfxSYoMxhAJpLjA"
	rfcResourceIAT = 1562262618
	rfcAccessToken = "Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU"
	rfcATH         = "fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo"

	// rfcJKT is the cnf.jkt that RFC 9449 §6.1 binds tokens to: the
	// thumbprint of the key of §4.2.
	rfcJKT = "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I"
)

// rfcKey is the public key of RFC 9449 §4.2.
var rfcKey = JWK{Kty: "EC", Crv: "P-256", X: "l8tFrhx-34tV3hRICRDY9zCkDlpBhF42UQUfWVAWBFs", Y: "9VE4jf_Ok_o64zbTTlcuNJajHmt6v9TDVrU0CdvGRDA"}

func TestRFCThumbprints(t *testing.T) {
	rsa := JWK{ // RFC 7638 §3.1
		Kty: "RSA",
		N:   "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw",
		E:   "AQAB",
	}
	for _, tc := range []struct {
		name string
		key  JWK
		want string
	}{
		{"RFC 7638 §3.1 RSA key", rsa, "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"},
		{"RFC 9449 §4.2 EC key, cnf.jkt of §6.1", rfcKey, rfcJKT},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.key.Thumbprint()
			if err != nil || got != tc.want {
				t.Fatalf("Thumbprint() = %q, %v; want %q", got, err, tc.want)
			}
		})
	}
}

func TestRFCAccessTokenHash(t *testing.T) {
	if got := accessTokenHash(rfcAccessToken); got != rfcATH {
		t.Fatalf("ath of the RFC 9449 §7.1 token = %q, want %q", got, rfcATH)
	}
}

func TestRFCProofs(t *testing.T) {
	for _, tc := range []struct {
		name               string
		proof              string
		iat                int64
		method, url, token string
		wantJTI            string
		wantNonce          string
	}{
		{"token request", rfcTokenProof, rfcTokenIAT, "POST", "https://server.example.com/token", "", "-BwC3ESc6acc2lTc", ""},
		{"token request, other spelling of the URL", rfcTokenProof, rfcTokenIAT, "POST", "HTTPS://Server.Example.COM:443/token?x=1#f", "", "-BwC3ESc6acc2lTc", ""},
		{"resource request", rfcResourceProof, rfcResourceIAT, "GET", "https://resource.example.org/protectedresource", rfcAccessToken, "e1j3V_bKic8-LAEB", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := &Verifier{Now: fixedClock(time.Unix(tc.iat, 0))}
			p, err := v.Verify(tc.method, tc.url, tc.proof, tc.token)
			if err != nil {
				t.Fatalf("Verify: %v", err)
			}
			if p.JKT != rfcJKT || p.JTI != tc.wantJTI || !p.IssuedAt.Equal(time.Unix(tc.iat, 0)) || p.JWK != rfcKey {
				t.Fatalf("Verify = %+v", p)
			}
			if err := p.CheckBinding(rfcJKT); err != nil {
				t.Fatalf("CheckBinding(cnf.jkt of §6.1): %v", err)
			}
			if _, err := v.Verify(tc.method, tc.url, tc.proof, tc.token); !errors.Is(err, ErrReplay) || !errors.Is(err, ErrInvalidProof) {
				t.Fatalf("second Verify: %v, want a replay", err)
			}
		})
	}
}

func TestRFCProofsRefused(t *testing.T) {
	at := func(sec int64) func() time.Time { return fixedClock(time.Unix(sec, 0)) }
	for _, tc := range []struct {
		name               string
		clock              func() time.Time
		proof              string
		method, url, token string
		want               string
	}{
		{"another method", at(rfcTokenIAT), rfcTokenProof, "GET", "https://server.example.com/token", "", `htm mismatch: proof has "POST", request is "GET"`},
		{"another path", at(rfcTokenIAT), rfcTokenProof, "POST", "https://server.example.com/token2", "", `htu mismatch: proof has "https://server.example.com/token", request is "https://server.example.com/token2"`},
		{"an hour later", at(rfcTokenIAT + 3600), rfcTokenProof, "POST", "https://server.example.com/token", "", "is 1h0m0s before now"},
		{"another access token", at(rfcResourceIAT), rfcResourceProof, "GET", "https://resource.example.org/protectedresource", "another", "ath mismatch"},
		{"the token proof with a token", at(rfcTokenIAT), rfcTokenProof, "POST", "https://server.example.com/token", rfcAccessToken, "ath missing"},
		{"one bit of the signature", at(rfcTokenIAT), rfcTokenProof[:len(rfcTokenProof)-1] + "w", "POST", "https://server.example.com/token", "", "signature does not verify"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := &Verifier{Now: tc.clock}
			_, err := v.Verify(tc.method, tc.url, tc.proof, tc.token)
			assertRefused(t, err, CodeInvalidProof, tc.want)
		})
	}
}
