package demoapi

import (
	"errors"
	"sync"
	"time"

	"github.com/authfetch/authfetch/server/rotation"
)

// A refresh token is refused with the errors of package rotation, all of
// them 401: unknown, revoked (its family is), or reused (which revokes its
// family).

// Reasons a well-signed, unexpired access token is refused.
var (
	errUnknownFamily = errors.New("access token of an unknown session")
	errRevokedFamily = errors.New("access token of a revoked session")
	errRevokedAccess = errors.New("access token revoked")
)

// refreshMode is what POST /auth/refresh-token does, set by POST /demo/fail-refresh.
type refreshMode string

const (
	modeOK  refreshMode = "ok"  // answer normally
	mode500 refreshMode = "500" // fail transiently, keeping the token unspent
	mode401 refreshMode = "401" // reject, keeping the token unspent
)

// grant is one issue of tokens: an access token and the refresh token that succeeds it.
type grant struct {
	email, family, jti, refreshToken string
	issuedAt, expires                time.Time
}

// family is what the demo keeps of the chain of tokens that one login starts and each
// refresh extends; which refresh tokens are spent, and whether the family is revoked, is
// the business of package rotation.
type family struct {
	email string
	// access maps the jti of each access token not yet revoked to its expiry, so that
	// revoking can reach tokens that are still cryptographically valid.
	access map[string]time.Time
}

// counters count what the demo API saw since it started, for GET /demo/stats.
type counters struct {
	Logins          int `json:"logins"`          // successful logins
	RefreshCalls    int `json:"refreshCalls"`    // requests to the refresh endpoint, whatever their answer
	ReuseDetections int `json:"reuseDetections"` // spent refresh tokens presented again
	API401s         int `json:"api401s"`         // 401 answers from the protected /api routes
}

// store is the demo API's memory of sessions and switches. It is safe for concurrent use.
type store struct {
	// tokens is every refresh token issued and its family. Rotations happen under mu,
	// so that a family and its access tokens change together.
	tokens *rotation.Families

	mu sync.Mutex
	// families maps a family id to its family. Guarded by mu.
	families map[string]*family
	// mode is what the refresh endpoint does. Guarded by mu.
	mode refreshMode
	// counts are the counters of GET /demo/stats. Guarded by mu.
	counts counters
}

func newStore() *store {
	return &store{
		tokens:   rotation.New(rotation.Options{}),
		families: make(map[string]*family),
		mode:     modeOK,
	}
}

// login starts the family g.family with g's tokens.
func (s *store) login(g grant) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.counts.Logins++
	s.families[g.family] = &family{email: g.email, access: make(map[string]time.Time)}
	s.tokens.Start(g.family, g.refreshToken)
	s.record(g)
}

// beginRefresh counts a call of the refresh endpoint and says what it should do.
func (s *store) beginRefresh() refreshMode {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.counts.RefreshCalls++
	return s.mode
}

// rotate spends the refresh token old and records next as its successor in the same
// family, filling in next's email and family. A spent token revokes its family, and with
// it the family's access tokens.
func (s *store) rotate(old string, next grant) (grant, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rot, err := s.tokens.Rotate(old, func(string) (rotation.Pair, error) {
		return rotation.Pair{RefreshToken: next.refreshToken}, nil
	})
	if errors.Is(err, rotation.ErrReused) {
		s.counts.ReuseDetections++
		clear(s.families[rot.Family].access)
	}
	if err != nil {
		return grant{}, err
	}
	fam := s.families[rot.Family]
	next.email, next.family, next.refreshToken = fam.email, rot.Family, rot.Pair.RefreshToken
	s.record(next)
	return next, nil
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

// countAPI401 counts a 401 answer from a protected route.
func (s *store) countAPI401() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.counts.API401s++
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

// setMode sets what the refresh endpoint does.
func (s *store) setMode(m refreshMode) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mode = m
}

// snapshot returns the counters and the refresh mode.
func (s *store) snapshot() (counters, refreshMode) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.counts, s.mode
}
