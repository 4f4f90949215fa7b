//go:build !js

package browsertest

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"

	"github.com/authfetch/authfetch/internal/tokenfamily"
)

// serveRefresh answers POST /auth/refresh-token {"refreshToken"} as the test
// scripted (AnswerRefresh, HoldRefreshes) or Chaos picks, and counts the call
// for the session whose family the token belongs to (the default session's
// when none does). A call with a token of a family that a login replaced is
// Superseded, never Unneeded: a client may have sent it before it learned
// of the login, and it is no duplicate of a refresh of the new family.
func (a *FakeAPI) serveRefresh(w http.ResponseWriter, r *http.Request) {
	a.refreshCalls.Add(1)
	var body struct {
		RefreshToken string `json:"refreshToken"`
	}
	json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&body)

	a.mu.Lock()
	s := a.named("")
	family, known := a.families.FamilyOf(body.RefreshToken)
	if known {
		s = a.byFamily[family]
	}
	s.counts.Calls++
	if s.inFlight > 0 {
		s.counts.Concurrent++
	}
	s.inFlight++
	switch {
	case known && family != s.family:
		s.counts.Superseded++
	case s.live[s.access]:
		s.counts.Unneeded++
	}
	answer, gate := a.answer, a.gate
	a.mu.Unlock()
	if a.chaos.on {
		answer = a.chaos.refreshAnswer()
	}
	a.answerRefresh(w, r, s, body.RefreshToken, answer, gate)
}

// answerRefresh waits as answer and gate say, then answers token of s. A
// browser that leaves while it waits saw a transient failure.
func (a *FakeAPI) answerRefresh(w http.ResponseWriter, r *http.Request, s *session, token string, answer Answer, gate chan struct{}) {
	if (gate != nil && !a.wait(r, gate)) || !a.pause(r, answer.after) {
		a.settle(s, transient, answer)
		return
	}
	switch answer.kind {
	case rotated, keptRefreshToken:
	case loggedOut:
		a.mu.Lock()
		a.logOut(s)
		a.mu.Unlock()
		fallthrough
	default:
		a.settle(s, failureOutcome(answer), answer)
		writeFailure(w, answer)
		return
	}
	if answer.bodyAfter > 0 {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
		http.NewResponseController(w).Flush()
		if !a.pause(r, answer.bodyAfter) {
			a.settle(s, transient, answer)
			return
		}
		w = headerSent{w}
	}
	tokens, err := a.rotate(s, token, answer)
	if err != nil {
		writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "invalid_grant", "error_description": err.Error()})
		return
	}
	writeJSON(w, http.StatusOK, tokens)
}

// settle counts how a refresh call of s ended. It runs before the answer
// goes out, so that whoever reads the counts after the answer sees it.
func (a *FakeAPI) settle(s *session, out outcome, answer Answer) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.settleLocked(s, out, answer)
}

// settleLocked is settle with a.mu held.
func (a *FakeAPI) settleLocked(s *session, out outcome, answer Answer) {
	s.inFlight--
	switch out {
	case success:
		s.counts.Successes++
		if answer.late {
			s.counts.Late++
		}
	case transient:
		s.counts.Transients++
	case rejection:
		s.counts.Rejections++
	}
}

// rotate spends token, unless answer keeps it, issues s its next access
// token (and refresh token), and settles the call. A refresh token that is
// not good logs s out when it was spent before: reuse detection.
func (a *FakeAPI) rotate(s *session, token string, answer Answer) (map[string]string, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	keep := answer.kind == keptRefreshToken
	next := ""
	if !keep {
		next = a.tokenName(s, "r", s.n+1)
	}
	rot, err := a.families.Rotate(token, next)
	if err != nil {
		s.counts.Invalid++
		if errors.Is(err, tokenfamily.ErrReused) {
			s.counts.Reused++
			if rot.Family == s.family {
				clear(s.live)
			}
		}
		a.settleLocked(s, rejection, answer)
		return nil, err
	}
	s.n++
	a.setAccess(s, a.accessName(s, s.n), s.n)
	pair := map[string]string{"accessToken": s.access}
	if !keep {
		s.refresh = rot.RefreshToken
		pair["refreshToken"] = rot.RefreshToken
	}
	a.settleLocked(s, success, answer)
	return pair, nil
}

// logOut revokes s's tokens, access and refresh. a.mu must be held.
func (a *FakeAPI) logOut(s *session) {
	clear(s.live)
	if s.family != "" {
		a.families.Revoke(s.family)
	}
}

// AnswerRefresh sets how refreshes answer from now on (when Chaos is off).
func (a *FakeAPI) AnswerRefresh(answer Answer) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.answer = answer
}
