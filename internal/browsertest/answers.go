//go:build !js

package browsertest

import (
	"encoding/json"
	"io"
	"net/http"
	"time"
)

// Answer is how the fake answers one refresh. It is decided when the
// request arrives, so that a refresh a test releases late answers as it was
// told then.
type Answer struct {
	kind      answerKind
	status    int           // of AnswerStatus
	after     time.Duration // the answer waits this long first
	bodyAfter time.Duration // a success sends its status at once, its body (and the new tokens) this late
	late      bool          // a success counts as Counts.Late
	spendNow  bool          // a success rotates on arrival, before it waits (SpentOnArrival)
}

type answerKind int

const (
	rotated answerKind = iota
	keptRefreshToken
	withStatus
	notJSON
	noAccessToken
	networkError
	loggedOut
)

// The answers, besides AnswerStatus.
var (
	// Rotated is 200 {accessToken, refreshToken}: a new pair, and the
	// refresh token presented is spent. A refresh token that is not good
	// (unknown, revoked, spent) gets 401 invalid_grant instead.
	Rotated = Answer{kind: rotated}
	// KeptRefreshToken is 200 {accessToken}: the refresh token stays good.
	KeptRefreshToken = Answer{kind: keptRefreshToken}
	// NotJSON is 200 with an HTML body.
	NotJSON = Answer{kind: notJSON}
	// NoAccessToken is 200 with JSON that has no accessToken.
	NoAccessToken = Answer{kind: noAccessToken}
	// NetworkError is an answer with two Content-Lengths, which the browser
	// refuses: fetch fails with a network error. A bare close, or bytes
	// that are not HTTP, would make Chromium send the POST again.
	NetworkError = Answer{kind: networkError}
	// LoggedOut is 401 invalid_grant, and the session's tokens revoked: its
	// user must log in again.
	LoggedOut = Answer{kind: loggedOut}
)

// AnswerStatus answers status with a JSON error body; the tokens stay as
// they are.
func AnswerStatus(status int) Answer { return Answer{kind: withStatus, status: status} }

// After is a that waits d before it answers. A browser that leaves first
// saw a transient failure, and nothing rotates.
func (a Answer) After(d time.Duration) Answer {
	a.after += d
	return a
}

// SpentOnArrival is a success that rotates as soon as the request arrives,
// before it waits as After says: a browser that leaves meanwhile (a tab
// closed mid-refresh) never learns the new tokens, and the token it spent is
// spent all the same, as on a real server that rotates at once.
func (a Answer) SpentOnArrival() Answer {
	a.spendNow = true
	return a
}

// BodyAfter is a success that sends its status and headers at once and its
// body d later; the tokens rotate when the body goes out, and never if the
// browser left before.
func (a Answer) BodyAfter(d time.Duration) Answer {
	a.bodyAfter = d
	return a
}

// outcome is how authfetch classes a refresh answer.
type outcome int

const (
	success outcome = iota
	transient
	rejection
)

// String is how a Record names the outcome.
func (o outcome) String() string {
	switch o {
	case success:
		return "success"
	case rejection:
		return "rejection"
	}
	return "transient"
}

// classify is the outcome of answering status with an error body.
func classify(status int) outcome {
	switch status {
	case http.StatusBadRequest, http.StatusUnauthorized, http.StatusForbidden:
		return rejection
	}
	return transient
}

// failureOutcome is the outcome of an answer that is not a success.
func failureOutcome(a Answer) outcome {
	switch a.kind {
	case withStatus:
		return classify(a.status)
	case noAccessToken, loggedOut:
		return rejection
	}
	return transient
}

// writeFailure writes an answer that is not a success.
func writeFailure(w http.ResponseWriter, a Answer) {
	switch a.kind {
	case withStatus:
		writeJSON(w, a.status, map[string]string{"error": http.StatusText(a.status)})
	case notJSON:
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, "<html><body>Bad Gateway, but with a 200</body></html>")
	case noAccessToken:
		writeJSON(w, http.StatusOK, map[string]string{"message": "ok"})
	case networkError:
		if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
			io.WriteString(conn, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}")
			conn.Close()
		}
	default:
		writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "invalid_grant"})
	}
}

// writeJSON answers status with v as JSON.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// headerSent is a ResponseWriter whose status line has gone out already.
type headerSent struct{ http.ResponseWriter }

func (headerSent) WriteHeader(int) {}
