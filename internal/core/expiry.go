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
	clock serverClock // expiry is the server's word, judged by its clock

	mu         sync.Mutex
	aheadDone  string        // guarded by mu; the access token last refreshed ahead of time
	issued     string        // guarded by mu; the access token the last refresh returned
	issuedLife time.Duration // guarded by mu; that token's whole life, 0 when unknown
	told       cachedExpiry  // guarded by mu; the last token whose life an expiresIn told
	cache      cachedExpiry  // guarded by mu; the last token whose expiry was looked up
}

// cachedExpiry remembers one token's JWT expiry, so that the payload is not
// decoded again for every request that carries the same token.
type cachedExpiry struct {
	token string
	exp   time.Time
	ok    bool
}

// noteIssued learns the server's clock from the answer of a refresh, then
// remembers the access token it returned and how long it lives, from
// expiresIn or else its JWT exp.
func (x *expiry) noteIssued(res RefreshResult) {
	jwtExp, _ := jwtExpiry(res.Tokens.Access, x.parse)
	x.clock.learn(res, jwtExp)
	now := x.clock.now()
	exp := jwtExp
	if res.ExpiresIn > 0 {
		exp = now.Add(res.ExpiresIn)
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	x.issued = res.Tokens.Access
	x.cache = cachedExpiry{}
	x.issuedLife = 0
	if !exp.IsZero() {
		x.issuedLife = exp.Sub(now)
	}
	if res.ExpiresIn > 0 {
		x.told = cachedExpiry{token: res.Tokens.Access, exp: exp, ok: true}
	}
}

// noteLife remembers that access lives for expiresIn from now, as setTokens
// was told: it counts where the token itself does not say.
func (x *expiry) noteLife(access string, expiresIn time.Duration) {
	exp := x.clock.now().Add(expiresIn)
	x.mu.Lock()
	defer x.mu.Unlock()
	x.told = cachedExpiry{token: access, exp: exp, ok: true}
	x.cache = cachedExpiry{}
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
	return ok && !x.clock.now().Add(leeway).Before(exp)
}

// of returns when access expires: its JWT exp, or the expiresIn that came
// with it (from a refresh, or setTokens).
func (x *expiry) of(access string) (time.Time, bool) {
	x.mu.Lock()
	if c := x.cache; c.token == access {
		x.mu.Unlock()
		return c.exp, c.ok
	}
	told := x.told
	x.mu.Unlock()
	exp, ok := jwtExpiry(access, x.parse)
	if !ok && access == told.token {
		exp, ok = told.exp, told.ok
	}
	x.mu.Lock()
	x.cache = cachedExpiry{token: access, exp: exp, ok: ok}
	x.mu.Unlock()
	return exp, ok
}
