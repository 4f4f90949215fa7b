package dpop

import (
	"errors"
	"fmt"
)

// The RFC 9449 error codes that an *Error carries in its Code field.
const (
	// CodeInvalidProof is RFC 9449's invalid_dpop_proof: the proof is missing,
	// malformed, badly signed, for another request, too old, or replayed.
	CodeInvalidProof = "invalid_dpop_proof"
	// CodeUseNonce is RFC 9449's use_dpop_nonce: the server requires a nonce and
	// the proof has none, or one that is no longer accepted.
	CodeUseNonce = "use_dpop_nonce"
	// CodeInvalidToken is RFC 6750's invalid_token, which RFC 9449 uses when the
	// access token is bound to a key other than the proof's.
	CodeInvalidToken = "invalid_token"
)

// Sentinels for errors.Is. Every error that Verify and VerifyRequest return is an
// *Error, which matches the sentinel of its Code, so a caller can tell a nonce
// challenge from an invalid proof without reading messages:
//
//	if errors.Is(err, dpop.ErrUseNonce) { /* answer with a fresh nonce */ }
var (
	ErrInvalidProof = errors.New("dpop: invalid proof")
	ErrUseNonce     = errors.New("dpop: nonce required")
	ErrInvalidToken = errors.New("dpop: token bound to another key")

	// ErrReplay is matched, besides ErrInvalidProof, by the error for a proof
	// whose jti was accepted before: a proof is good for one request.
	ErrReplay = errors.New("dpop: proof replayed")
)

// An Error says which DPoP rule a request broke and how a server should answer.
// WriteResourceError and WriteTokenError turn it into RFC 9449's answers.
type Error struct {
	// Code is CodeInvalidProof, CodeUseNonce or CodeInvalidToken.
	Code string
	// Nonce is the nonce to send in the DPoP-Nonce header with a CodeUseNonce
	// answer; empty for the other codes.
	Nonce string
	// Reason says what failed, for logs: "htu mismatch: proof has …, request is …".
	// It can hold values the client chose, so it is never sent back to the client.
	Reason string
	// Err is the rule's own sentinel when it has one (ErrReplay), or nil.
	Err error
}

// Error returns "dpop: " and the reason.
func (e *Error) Error() string { return "dpop: " + e.Reason }

// Unwrap returns the rule's own sentinel, if any.
func (e *Error) Unwrap() error { return e.Err }

// Is reports whether target is the sentinel of e's Code.
func (e *Error) Is(target error) bool {
	switch target {
	case ErrInvalidProof:
		return e.Code == CodeInvalidProof
	case ErrUseNonce:
		return e.Code == CodeUseNonce
	case ErrInvalidToken:
		return e.Code == CodeInvalidToken
	}
	return false
}

// invalidf returns an invalid_dpop_proof error whose reason is formatted as by fmt.Sprintf.
func invalidf(format string, args ...any) *Error {
	return &Error{Code: CodeInvalidProof, Reason: fmt.Sprintf(format, args...)}
}
