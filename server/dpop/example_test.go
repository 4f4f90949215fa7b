package dpop_test

import (
	"fmt"
	"time"

	"github.com/authfetch/authfetch/server/dpop"
)

// The proof of RFC 9449's token request (§5), checked on the clock of the
// moment it was made.
const tokenRequestProof = "eyJ0eXAiOiJkcG9wK2p3dCIsImFsZyI6IkVTMjU2IiwiandrIjp7Imt0eSI6IkVDIiwieCI6Imw4dEZyaHgtMzR0VjNoUklDUkRZOXpDa0RscEJoRjQyVVFVZldWQVdCRnMiLCJ5IjoiOVZFNGpmX09rX282NHpiVFRsY3VOSmFqSG10NnY5VERWclUwQ2R2R1JEQSIsImNydiI6IlAtMjU2In19.eyJqdGkiOiItQndDM0VTYzZhY2MybFRjIiwiaHRtIjoiUE9TVCIsImh0dSI6Imh0dHBzOi8vc2VydmVyLmV4YW1wbGUuY29tL3Rva2VuIiwiaWF0IjoxNTYyMjYyNjE2fQ.2-GxA6T8lP4vfrg8v-FdWP0A0zdrj8igiMLvqRMUvwnQg4PtFLbdLXiOSsX0x7NVY-FNyJK70nfbV37xRZT3Lg"

func ExampleVerifier_Verify() {
	verifier := &dpop.Verifier{Now: func() time.Time { return time.Unix(1562262616, 0) }}

	// A token endpoint: no access token yet, so "" for it.
	proof, err := verifier.Verify("POST", "https://server.example.com/token", tokenRequestProof, "")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("bind the tokens to cnf.jkt", proof.JKT)

	// The same proof again is a replay.
	_, err = verifier.Verify("POST", "https://server.example.com/token", tokenRequestProof, "")
	fmt.Println(err)
	// Output:
	// bind the tokens to cnf.jkt 0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I
	// dpop: jti was used before: a proof is good for one request
}
