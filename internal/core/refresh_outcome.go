package core

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Outcome is how a refresh ended.
type Outcome int

const (
	// Refreshed: the endpoint returned a new access token.
	Refreshed Outcome = iota
	// Rejected: the endpoint refused the refresh token (400, 401, 403, or a
	// 2xx without an access token); the tokens are removed.
	Rejected
	// Transient: the refresh failed for a reason that may pass (network error,
	// timeout, 5xx, 429, a body that is not JSON); the tokens are kept.
	Transient
	// NoRefreshToken: there was no refresh token to send; nothing was sent.
	NoRefreshToken
)

// RefreshResult is what one refresh call produced.
type RefreshResult struct {
	Outcome   Outcome
	Tokens    Tokens        // Refreshed: the new pair (Refresh "" keeps the old one)
	ExpiresIn time.Duration // Refreshed: the answer's expiresIn, 0 when absent
	Status    int           // the HTTP status, 0 when no answer came
	Reason    string        // Rejected, Transient: a short account of what went wrong
	Adopted   bool          // another tab made the call; this is its recorded outcome

	// What the answer tells of the server's clock, for serverClock.learn:
	// when it arrived by the device's clock, and its Date header.
	Arrived    time.Time // zero for an adopted result
	ServerDate time.Time // zero when the answer had no Date
}

// classifyAnswer turns the refresh endpoint's answer into a result.
func classifyAnswer(f Format, status int, text string, parse ParseJSON) RefreshResult {
	fail := func(o Outcome, reason string) RefreshResult {
		return RefreshResult{Outcome: o, Status: status, Reason: reason}
	}
	if status < 200 || status > 299 {
		reason := fmt.Sprintf("answered %d", status)
		if obj, ok := parse(text); ok {
			if e := stringField(obj, "error"); e != "" {
				reason += " " + e
			}
		}
		switch status {
		case 400, 401, 403:
			return fail(Rejected, reason)
		}
		return fail(Transient, reason)
	}
	obj, ok := parse(text)
	if !ok {
		return fail(Transient, fmt.Sprintf("answered %d with a body that is not a JSON object", status))
	}
	names := f.fields()
	access := validToken(stringField(obj, names.access))
	if access == "" {
		return fail(Rejected, fmt.Sprintf("answered %d without %s", status, names.access))
	}
	res := RefreshResult{Outcome: Refreshed, Status: status, Tokens: Tokens{Access: access, Refresh: validToken(stringField(obj, names.refresh))}}
	if sec, ok := secondsField(obj, names.expiresIn); ok && sec < float64(1<<31) {
		res.ExpiresIn = time.Duration(sec * float64(time.Second))
	}
	return res
}

// classifyError turns a refresh call that got no answer into a transient result.
func classifyError(ctx context.Context, err error, timeout time.Duration) RefreshResult {
	reason := "network error: " + err.Error()
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		reason = fmt.Sprintf("timed out after %d ms", timeout.Milliseconds())
	}
	return RefreshResult{Outcome: Transient, Reason: reason}
}
