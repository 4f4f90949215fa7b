package core

import (
	"sync"
	"time"
)

// expiry knows when access tokens expire, and which of them were refreshed
// ahead of time already. It is safe for concurrent use.
//
// Each access token is refreshed ahead at most once, and a token that a
// refresh returned with a whole life shorter than the leeway never is, so
// such a token does not cause a refresh per request.
type expiry struct {
	parse ParseJSON
	now   func() time.Time

	mu         sync.Mutex
	aheadDone  string        // guarded by mu; the access token last refreshed ahead of time
	issued     string        // guarded by mu; the access token the last refresh returned
	issuedLife time.Duration // guarded by mu; that token's whole life, 0 when unknown
	issuedExp  time.Time     // guarded by mu; its expiry from expiresIn, zero when unknown
	cache      cachedExpiry  // guarded by mu; the last JWT whose exp was read
}

// cachedExpiry remembers one token's JWT expiry, so that the payload is not
// decoded again for every request that carries the same token.
type cachedExpiry struct {
	token string
	exp   time.Time
	ok    bool
}

// noteIssued remembers the access token a refresh returned and how long it
// lives, from expiresIn or else its JWT exp.
func (x *expiry) noteIssued(res RefreshResult) {
	now := x.now()
	var exp time.Time
	if res.ExpiresIn > 0 {
		exp = now.Add(res.ExpiresIn)
	} else if e, ok := jwtExpiry(res.Tokens.Access, x.parse); ok {
		exp = e
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	x.issued = res.Tokens.Access
	x.issuedExp = exp
	x.cache = cachedExpiry{}
	x.issuedLife = 0
	if !exp.IsZero() {
		x.issuedLife = exp.Sub(now)
	}
}

// dueAhead reports whether access, which expires within leeway (or is
// missing: ""), may be refreshed ahead of time: it was not already, and it is
// not a token a refresh returned with a life shorter than leeway.
func (x *expiry) dueAhead(access string, leeway time.Duration) bool {
	if access == "" {
		return true
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	return access != x.aheadDone && !(access == x.issued && x.issuedLife <= leeway)
}

// markAhead records that access is being refreshed ahead of time.
func (x *expiry) markAhead(access string) {
	if access == "" {
		return
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	x.aheadDone = access
}

// within reports whether access has a known expiry within leeway. A leeway of
// 0 turns refreshing ahead off.
func (x *expiry) within(access string, leeway time.Duration) bool {
	if leeway <= 0 {
		return false
	}
	exp, ok := x.of(access)
	return ok && !x.now().Add(leeway).Before(exp)
}

// of returns when access expires: its JWT exp, or the expiresIn that came
// with it from a refresh.
func (x *expiry) of(access string) (time.Time, bool) {
	x.mu.Lock()
	if c := x.cache; c.token == access {
		x.mu.Unlock()
		return c.exp, c.ok
	}
	issued, issuedExp := x.issued, x.issuedExp
	x.mu.Unlock()
	exp, ok := jwtExpiry(access, x.parse)
	if !ok && access == issued && !issuedExp.IsZero() {
		exp, ok = issuedExp, true
	}
	x.mu.Lock()
	x.cache = cachedExpiry{token: access, exp: exp, ok: ok}
	x.mu.Unlock()
	return exp, ok
}
