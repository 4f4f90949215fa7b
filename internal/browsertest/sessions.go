//go:build !js

package browsertest

import (
	"fmt"
	"net/http"
	"time"
)

// session is one user's tokens at the fake: the family of its refresh
// tokens, the access tokens /api/ accepts, and what happened to them.
type session struct {
	name     string
	n        int             // the number of the last pair issued
	access   string          // the last access token issued or set
	live     map[string]bool // the access tokens /api/ accepts
	refresh  string          // the last refresh token issued or set
	family   string          // the family of refresh, "" before the first login
	started  int             // families started, to name the next
	inFlight int             // refresh calls being answered
	counts   Counts
}

// owner is the session an access token was issued to, and its pair number.
type owner struct {
	s *session
	n int
}

// Counts is what happened to one session. Every refresh call ends as one
// of Successes, Transients and Rejections.
type Counts struct {
	Logins      int // by POST /login or Login
	Revocations int // access tokens revoked while valid, by RevokeAccess or Chaos
	Calls       int // refresh calls
	Successes   int // refresh calls answered with new tokens
	Transients  int // refresh calls answered with a transient failure, or that the browser left first
	Rejections  int // refresh calls answered 400, 401, 403 or 200 without an access token
	Late        int // successes that Chaos sent after Chaos.LateAfter
	Unneeded    int // refresh calls, Superseded and Respent ones aside, that arrived while the session's access token was valid
	Superseded  int // refresh calls with a refresh token of a family that a later login replaced
	Concurrent  int // refresh calls that arrived while another of the session's was answered
	Reused      int // refresh calls with a refresh token that a refresh had rotated: reuse detections
	Respent     int // refresh calls with a refresh token that a refresh had rotated, its family revoked since or not (Reused counts the latter)
	Invalid     int // refresh calls with a refresh token that was not good: unknown, revoked or reused
	Stale       int // API requests with an access token older than the session's newest
}

// SessionState is a copy of one session's tokens and counts.
type SessionState struct {
	Access, Refresh           string // the last tokens issued or set
	AccessValid, RefreshValid bool   // whether /api/ accepts Access, and the refresh endpoint Refresh
	Counts
}

// Login logs the default session in: a new pair, and a new family.
func (a *FakeAPI) Login() (access, refresh string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.logIn(a.named(""))
}

// serveLogin answers POST /login?s=S with a new pair for session S.
func (a *FakeAPI) serveLogin(w http.ResponseWriter, r *http.Request) {
	a.mu.Lock()
	access, refresh := a.logIn(a.named(r.URL.Query().Get("s")))
	a.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]string{"accessToken": access, "refreshToken": refresh})
}

// SetTokens makes access and refresh the default session's tokens, as a
// login elsewhere would, without counting a login.
func (a *FakeAPI) SetTokens(access, refresh string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	s := a.named("")
	a.startFamily(s, refresh)
	a.setAccess(s, access, s.n)
}

// Tokens returns the default session's last access and refresh tokens.
func (a *FakeAPI) Tokens() (access, refresh string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	s := a.named("")
	return s.access, s.refresh
}

// RevokeAccess revokes the default session's last access token: /api/
// answers it 401 until a refresh issues the next.
func (a *FakeAPI) RevokeAccess() {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.revokeAccess(a.named(""))
}

// IssueJWTs makes the access tokens issued from now on unsigned JWTs that
// expire ttl after they are issued; 0 goes back to opaque tokens.
func (a *FakeAPI) IssueJWTs(ttl time.Duration) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.jwtTTL = ttl
}

// Session returns a copy of the state of the session named name.
func (a *FakeAPI) Session(name string) SessionState {
	a.mu.Lock()
	defer a.mu.Unlock()
	s := a.named(name)
	return SessionState{
		Access: s.access, Refresh: s.refresh,
		AccessValid:  s.live[s.access],
		RefreshValid: s.family != "" && !a.families.Revoked(s.family),
		Counts:       s.counts,
	}
}

// named returns the session name, made on first use. a.mu must be held.
func (a *FakeAPI) named(name string) *session {
	s := a.sessions[name]
	if s == nil {
		s = &session{name: name, live: map[string]bool{}}
		a.sessions[name] = s
	}
	return s
}

// logIn issues s a new pair in a new family. a.mu must be held.
func (a *FakeAPI) logIn(s *session) (access, refresh string) {
	s.counts.Logins++
	s.n++
	a.startFamily(s, a.tokenName(s, "r", s.n))
	a.setAccess(s, a.accessName(s, s.n), s.n)
	return s.access, s.refresh
}

// startFamily starts s's next family with refresh; a session holds one
// family at a time, so the last one is revoked, unless old tokens are kept.
// a.mu must be held.
func (a *FakeAPI) startFamily(s *session, refresh string) {
	if s.family != "" && !a.cfg.KeepOldTokens {
		a.families.Revoke(s.family)
	}
	s.started++
	s.family = fmt.Sprintf("%s#%d", s.name, s.started)
	a.byFamily[s.family] = s
	a.families.Start(s.family, refresh)
	s.refresh = refresh
}

// setAccess makes access s's newest access token, number n: the only one
// /api/ accepts, unless old tokens are kept. a.mu must be held.
func (a *FakeAPI) setAccess(s *session, access string, n int) {
	if !a.cfg.KeepOldTokens {
		clear(s.live)
	}
	s.live[access] = true
	s.access = access
	a.owners[access] = owner{s: s, n: n}
}

// revokeAccess revokes s's newest access token. a.mu must be held.
func (a *FakeAPI) revokeAccess(s *session) {
	if s.live[s.access] {
		delete(s.live, s.access)
		s.counts.Revocations++
	}
}

// tokenName is the kind ("a" or "r") of token number n of s.
func (a *FakeAPI) tokenName(s *session, kind string, n int) string {
	if s.name == "" {
		return fmt.Sprint(kind, n)
	}
	return fmt.Sprint(s.name, "-", kind, n)
}

// accessName is s's access token number n: opaque, or a JWT when IssueJWTs
// says so. a.mu must be held.
func (a *FakeAPI) accessName(s *session, n int) string {
	name := a.tokenName(s, "a", n)
	if a.jwtTTL > 0 {
		return UnsignedJWT(time.Now().Add(a.jwtTTL), name)
	}
	return name
}
