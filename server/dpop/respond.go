package dpop

import (
	"encoding/json"
	"errors"
	"net/http"
)

// The descriptions sent with each error code. They are fixed strings: an
// Error's Reason can hold what the client sent, and says more than a client
// needs to know; log it instead.
var (
	resourceDescription = map[string]string{
		CodeUseNonce:     "Resource server requires nonce in DPoP proof",
		CodeInvalidProof: "Invalid DPoP proof",
		CodeInvalidToken: "Invalid DPoP key binding",
	}
	tokenDescription = map[string]string{
		CodeUseNonce:     "Authorization server requires nonce in DPoP proof",
		CodeInvalidProof: "Invalid DPoP proof",
		CodeInvalidToken: "Refresh token is bound to another DPoP key",
	}
)

// WriteResourceError answers a request to a protected resource whose DPoP
// check failed with err, as RFC 9449 §7.1 and §9 say: 401 with
// WWW-Authenticate: DPoP error="…", and for CodeUseNonce the DPoP-Nonce header
// that a client such as authfetch answers with one resend. The body is
// {"error": code, "error_description": …}. An err that is not an *Error is
// answered as an invalid proof.
func WriteResourceError(w http.ResponseWriter, err error) {
	e := asError(err)
	desc := resourceDescription[e.Code]
	w.Header().Set("WWW-Authenticate", Scheme+` error="`+e.Code+`", error_description="`+desc+`", algs="ES256"`)
	writeError(w, http.StatusUnauthorized, e, e.Code, desc)
}

// WriteTokenError answers a request to a token endpoint (a login or a refresh)
// whose DPoP check failed with err, as RFC 9449 §5 and §8 say: 400 with
// {"error": code, "error_description": …}, and for CodeUseNonce the DPoP-Nonce
// header. A refresh token bound to another key (CodeInvalidToken) is answered
// as RFC 6749's invalid_grant. An err that is not an *Error is answered as an
// invalid proof.
func WriteTokenError(w http.ResponseWriter, err error) {
	e := asError(err)
	code := e.Code
	if code == CodeInvalidToken {
		code = "invalid_grant"
	}
	writeError(w, http.StatusBadRequest, e, code, tokenDescription[e.Code])
}

// asError returns err as an *Error, or an invalid-proof *Error for anything else.
func asError(err error) *Error {
	var e *Error
	if errors.As(err, &e) && resourceDescription[e.Code] != "" {
		return e
	}
	return &Error{Code: CodeInvalidProof}
}

// writeError writes the status, the nonce of a CodeUseNonce error, and the JSON body.
func writeError(w http.ResponseWriter, status int, e *Error, code, desc string) {
	h := w.Header()
	if e.Code == CodeUseNonce && e.Nonce != "" {
		h.Set(HeaderNonce, e.Nonce)
	}
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	// The status is sent: a failed write means the client went away.
	_ = json.NewEncoder(w).Encode(struct {
		Error       string `json:"error"`
		Description string `json:"error_description"`
	}{code, desc})
}
