//go:build !js

package browsertest

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"

	"github.com/authfetch/authfetch/server/rotation"
)

// serveRefresh answers POST /auth/refresh-token {"refreshToken"} as the test
// scripted (AnswerRefresh, HoldRefreshes, HoldNext) or Chaos picks, and counts the call
// for the session whose family the token belongs to (the default session's
// when none does). A call with a token of a family that a login replaced is
// Superseded, never Unneeded: a client may have sent it before it learned
// of the login, and it is no duplicate of a refresh of the new family. Nor
// is a call with a spent token (Respent): the client lacks the tokens that
// replaced it, whose access token the server takes for valid.
func (a *FakeAPI) serveRefresh(w http.ResponseWriter, r *http.Request) {
	a.refreshCalls.Add(1)
	var body struct {
		RefreshToken string `json:"refreshToken"`
	}
	json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&body)

	call := &refreshCall{token: body.RefreshToken, current: true}
	call.rec, _ = r.Context().Value(recordKey{}).(*Record)
	a.mu.Lock()
	call.s = a.named("")
	if family, known := a.families.FamilyOf(body.RefreshToken); known {
		call.s = a.byFamily[family]
		call.current = family == call.s.family
	}
	s := call.s
	s.counts.Calls++
	if s.inFlight > 0 {
		s.counts.Concurrent++
	}
	s.inFlight++
	switch {
	case !call.current:
		s.counts.Superseded++
	case a.spent[call.token]:
	case s.live[s.access]:
		s.counts.Unneeded++
	}
	if a.spent[call.token] {
		s.counts.Respent++
	}
	call.answer = a.answer
	gate := a.gate
	a.mu.Unlock()
	if a.chaos.on {
		call.answer = a.chaos.refreshAnswer()
	}
	if call.answer.spendNow && call.answer.kind == rotated {
		a.answerSpentOnArrival(w, r, call)
		return
	}
	if !a.hold(r) {
		a.settle(call, transient)
		return
	}
	a.answerRefresh(w, r, call, gate)
}

// refreshCall is one call of the refresh endpoint, being answered.
type refreshCall struct {
	s       *session
	token   string  // the refresh token presented
	current bool    // token is of s's current family, or of no family
	answer  Answer  // how to answer
	rec     *Record // the call's record; nil without Config.Record
}

// answerRefresh waits as call.answer and gate say, then answers the call. A
// browser that leaves while it waits saw a transient failure. LoggedOut
// revokes the session's tokens only when the token presented is of its
// current family: a server does not log out a newer login for a call with a
// token that login replaced.
func (a *FakeAPI) answerRefresh(w http.ResponseWriter, r *http.Request, call *refreshCall, gate chan struct{}) {
	answer := call.answer
	if (gate != nil && !a.wait(r, gate)) || !a.pause(r, answer.after) {
		a.settle(call, transient)
		return
	}
	switch answer.kind {
	case rotated, keptRefreshToken:
	case loggedOut:
		a.mu.Lock()
		if call.current {
			a.logOut(call.s)
		}
		a.mu.Unlock()
		fallthrough
	default:
		a.settle(call, failureOutcome(answer))
		writeFailure(w, answer)
		return
	}
	if answer.bodyAfter > 0 {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
		http.NewResponseController(w).Flush()
		if !a.pause(r, answer.bodyAfter) {
			a.settle(call, transient)
			return
		}
		w = headerSent{w}
	}
	tokens, err := a.rotate(call)
	if err != nil {
		writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "invalid_grant", "error_description": err.Error()})
		return
	}
	writeJSON(w, http.StatusOK, tokens)
}

// answerSpentOnArrival rotates the call's token at once, then answers after
// a hold (HoldNext) and the pause, if the browser is still there to hear
// it: a page that leaves while the call is held has lost the answer.
func (a *FakeAPI) answerSpentOnArrival(w http.ResponseWriter, r *http.Request, call *refreshCall) {
	tokens, err := a.rotate(call)
	if !a.hold(r) || !a.pause(r, call.answer.after) {
		return
	}
	if err != nil {
		writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "invalid_grant", "error_description": err.Error()})
		return
	}
	writeJSON(w, http.StatusOK, tokens)
}

// settle counts how a refresh call ended. It runs before the answer goes
// out, so that whoever reads the counts after the answer sees it.
func (a *FakeAPI) settle(call *refreshCall, out outcome) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.settleLocked(call, out)
}

// settleLocked is settle with a.mu held. It notes the outcome in the call's
// record too.
func (a *FakeAPI) settleLocked(call *refreshCall, out outcome) {
	s := call.s
	s.inFlight--
	switch out {
	case success:
		s.counts.Successes++
		if call.answer.late {
			s.counts.Late++
		}
	case transient:
		s.counts.Transients++
	case rejection:
		s.counts.Rejections++
	}
	if call.rec != nil {
		call.rec.Outcome = out.String()
	}
}

// rotate spends the call's token, unless its answer keeps it, issues the
// session its next access token (and refresh token), and settles the call.
// A refresh token that is not good logs the session out when it was spent
// before: reuse detection.
func (a *FakeAPI) rotate(call *refreshCall) (map[string]string, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	s := call.s
	keep := call.answer.kind == keptRefreshToken
	rot, err := a.families.Rotate(call.token, func(string) (rotation.Pair, error) {
		s.n++
		a.setAccess(s, a.accessName(s, s.n), s.n)
		pair := rotation.Pair{AccessToken: s.access}
		if !keep {
			pair.RefreshToken = a.tokenName(s, "r", s.n)
		}
		return pair, nil
	})
	if err != nil {
		s.counts.Invalid++
		if errors.Is(err, rotation.ErrReused) {
			s.counts.Reused++
			if rot.Family == s.family {
				clear(s.live)
			}
		}
		a.settleLocked(call, rejection)
		return nil, err
	}
	pair := map[string]string{"accessToken": rot.Pair.AccessToken}
	if rot.Pair.RefreshToken != "" {
		if !a.cfg.KeepOldTokens && !rot.Replayed {
			a.spent[call.token] = true
		}
		s.refresh = rot.Pair.RefreshToken
		pair["refreshToken"] = rot.Pair.RefreshToken
	}
	a.settleLocked(call, success)
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
