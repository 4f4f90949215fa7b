package demoapi

import (
	"errors"
	"sync"
	"time"

	"github.com/authfetch/authfetch/server/rotation"
)

// A refresh token is refused with the errors of package rotation, all of them 401:
// unknown, revoked (its family is), or reused (which revokes its family).

// Reasons a well-signed, unexpired access token is refused.
var (
	errUnknownFamily = errors.New("access token of an unknown session")
	errRevokedFamily = errors.New("access token of a revoked session")
	errRevokedAccess = errors.New("access token revoked")
)

// grant is one issue of tokens: an access token and the refresh token that succeeds it,
// bound to the DPoP key whose thumbprint is jkt, or to none.
type grant struct {
	email, family, jkt, jti, refreshToken string
	issuedAt, expires                     time.Time
}

// family is what the demo keeps of the chain of tokens that one login starts and each
// refresh extends; which refresh tokens are spent, and whether the family is revoked, is
// the business of package rotation.
type family struct {
	email string
	// jkt is the thumbprint of the DPoP key the login bound the family to, or "": every
	// token of the family is bound to it, for the family's whole life.
	jkt string
	// access maps the jti of each access token not yet revoked to its expiry, so that
	// revoking can reach tokens that are still cryptographically valid.
	access map[string]time.Time
}

// familyInfo is what minting a family's next pair needs to know of it.
type familyInfo struct{ id, email, jkt string }

// counters count what the demo API saw since it started, for GET /demo/stats.
type counters struct {
	Logins          int `json:"logins"`          // successful logins
	RefreshCalls    int `json:"refreshCalls"`    // requests to the refresh endpoints, whatever their answer
	ReuseDetections int `json:"reuseDetections"` // spent refresh tokens presented again, revoking their family
	GraceReplays    int `json:"graceReplays"`    // spent refresh tokens presented again within the grace window
	LostAnswers     int `json:"lostAnswers"`     // refreshes whose client left while the delay switch held the answer
	API401s         int `json:"api401s"`         // 401 answers from the protected /api routes
}

// store is the demo API's memory of sessions and what happened to them. It is safe for
// concurrent use.
type store struct {
	// tokens is every refresh token issued and its family. Rotations happen under mu,
	// so that a family and its access tokens change together.
	tokens *rotation.Families

	mu sync.Mutex
	// families maps a family id to its family. Guarded by mu.
	families map[string]*family
	// counts are the counters of GET /demo/stats. Guarded by mu.
	counts counters
}

// newStore returns a store whose refresh tokens time their grace window on now; the
// window is off until the demo switch sets it.
func newStore(now func() time.Time) *store {
	return &store{
		tokens:   rotation.New(rotation.Options{Now: now}),
		families: make(map[string]*family),
	}
}

// login starts the family g.family with g's tokens.
func (s *store) login(g grant) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.counts.Logins++
	s.families[g.family] = &family{email: g.email, jkt: g.jkt, access: make(map[string]time.Time)}
	s.tokens.Start(g.family, g.refreshToken)
	s.record(g)
}

// bindingOf returns the DPoP key thumbprint that the family of refreshToken is bound to
// ("" for none), and whether the token was ever issued.
func (s *store) bindingOf(refreshToken string) (jkt string, known bool) {
	id, ok := s.tokens.FamilyOf(refreshToken)
	if !ok {
		return "", false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.families[id].jkt, true
}

// rotate presents the refresh token old: mint makes the pair that replaces it, or a
// replay within the grace window gets the pair its rotation made. A spent token
// presented outside the window revokes its family, and with it the family's access
// tokens.
func (s *store) rotate(old string, mint func(familyInfo) (grant, rotation.Pair, error)) (rotation.Rotation, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rot, err := s.tokens.Rotate(old, func(id string) (rotation.Pair, error) {
		fam := s.families[id]
		g, pair, err := mint(familyInfo{id: id, email: fam.email, jkt: fam.jkt})
		if err == nil {
			s.record(g)
		}
		return pair, err
	})
	switch {
	case errors.Is(err, rotation.ErrReused):
		s.counts.ReuseDetections++
		clear(s.families[rot.Family].access)
	case err == nil && rot.Replayed:
		s.counts.GraceReplays++
	}
	return rot, err
}

// logout revokes the family of refreshToken, access tokens included, and reports whether
// the token was ever issued.
func (s *store) logout(refreshToken string) bool {
	id, ok := s.tokens.FamilyOf(refreshToken)
	if !ok {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tokens.Revoke(id)
	clear(s.families[id].access)
	return true
}

// record adds g's access token to its family, which must exist, and forgets the family's
// access tokens that expired by the time g was issued. s.mu must be held.
func (s *store) record(g grant) {
	fam := s.families[g.family]
	for jti, exp := range fam.access {
		if !g.issuedAt.Before(exp) {
			delete(fam.access, jti)
		}
	}
	fam.access[g.jti] = g.expires
}

// checkAccess reports why the access token jti of family may not be used, or nil.
// Expiry is the JWT's business; this checks revocation only.
func (s *store) checkAccess(family, jti string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	fam, ok := s.families[family]
	switch {
	case !ok:
		return errUnknownFamily
	case s.tokens.Revoked(family):
		return errRevokedFamily
	}
	if _, live := fam.access[jti]; !live {
		return errRevokedAccess
	}
	return nil
}

// countRefreshCall counts a call of a refresh endpoint.
func (s *store) countRefreshCall() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.counts.RefreshCalls++
}

// countAPI401 counts a 401 answer from a protected route.
func (s *store) countAPI401() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.counts.API401s++
}

// countLostAnswer counts a refresh answer whose client left before it was sent.
func (s *store) countLostAnswer() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.counts.LostAnswers++
}

// revokeAllAccess revokes every access token of every family and says how many of them
// had not expired at now. Refresh tokens are untouched.
func (s *store) revokeAllAccess(now time.Time) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, fam := range s.families {
		for _, exp := range fam.access {
			if now.Before(exp) {
				n++
			}
		}
		clear(fam.access)
	}
	return n
}

// snapshot returns the counters.
func (s *store) snapshot() counters {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.counts
}
