//go:build !js

package browsertest

import (
	"io"
	"net/http"
	"strings"
	"time"
)

// serveProtected answers /api/…: 200 for the valid access token of a session,
// else 401. Chaos may delay it and revoke the token it carries.
func (a *FakeAPI) serveProtected(w http.ResponseWriter, r *http.Request) {
	a.apiCalls.Add(1)
	if !a.hold(r) || !a.pause(r, a.chaos.upTo(a.chaos.APIDelay)) {
		return
	}
	auth := r.Header.Get("Authorization")
	token, _ := strings.CutPrefix(auth, "Bearer ")
	valid := a.accepts(token, a.chaos.chance(a.chaos.Revoke))

	w.Header().Set("X-Test", "yes")
	switch {
	case r.URL.Path == "/api/always401" || !valid:
		w.Header().Set("WWW-Authenticate", "Bearer")
		writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "unauthorized", "uri": r.URL.RequestURI()})
	case r.URL.Path == "/api/echo":
		body, _ := io.ReadAll(r.Body)
		writeJSON(w, http.StatusOK, map[string]any{"method": r.Method, "uri": r.URL.RequestURI(), "headers": r.Header, "body": string(body)})
	default:
		writeJSON(w, http.StatusOK, map[string]string{"uri": r.URL.RequestURI(), "auth": auth})
	}
}

// accepts reports whether token is an access token that /api/ accepts, after
// revoking it first when revoke says so and it is its session's newest. It
// counts a token older than its session's newest as stale. A JWT (IssueJWTs)
// is refused once its exp has passed.
func (a *FakeAPI) accepts(token string, revoke bool) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	o, ok := a.owners[token]
	if !ok {
		return false
	}
	if o.n < o.s.n {
		o.s.counts.Stale++
	}
	if revoke && token == o.s.access {
		a.revokeAccess(o.s)
	}
	return o.s.live[token] && !expired(token, time.Now())
}
