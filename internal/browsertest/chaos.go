//go:build !js

package browsertest

import (
	"math/rand/v2"
	"net/http"
	"sync"
	"time"
)

// Chaos makes the fake answer at random, as a server under load and under
// attack would: the soak's server. Rates are chances between 0 and 1; the
// zero value is no chaos.
type Chaos struct {
	Seed      uint64  // seeds the choices
	Revoke    float64 // an API request revokes the valid access token it carries
	Reject    float64 // a refresh is LoggedOut: the page must log in again
	Transient float64 // a refresh fails transiently: 500, 502, 503, 429, not JSON, a network error, or no answer before NoAnswerAfter
	Late      float64 // a refresh succeeds LateAfter late
	// SpendOnArrival makes every success rotate as soon as the refresh
	// arrives, before its delay (Answer.SpentOnArrival): a page that leaves
	// meanwhile loses the answer, as from a server that rotates at once.
	SpendOnArrival bool

	APIDelay      time.Duration // an API request waits up to this long, at random
	RefreshDelay  time.Duration // a refresh waits up to this long, at random, before anything else
	LateAfter     time.Duration // how late a late success comes
	NoAnswerAfter time.Duration // how late the failure "no answer" answers 503
}

// chaos is Chaos with its random source.
type chaos struct {
	Chaos
	on bool

	mu  sync.Mutex
	rng *rand.Rand // guarded by mu
}

func newChaos(c Chaos) *chaos {
	return &chaos{
		Chaos: c,
		on:    c.Revoke+c.Reject+c.Transient+c.Late > 0 || c.APIDelay+c.RefreshDelay > 0,
		rng:   rand.New(rand.NewPCG(c.Seed, 0x50a4)),
	}
}

// transients are the transient failures Chaos picks from, alike.
func (c *chaos) transients() []Answer {
	return []Answer{
		AnswerStatus(http.StatusInternalServerError),
		AnswerStatus(http.StatusBadGateway),
		AnswerStatus(http.StatusServiceUnavailable),
		AnswerStatus(http.StatusTooManyRequests),
		NotJSON,
		NetworkError,
		AnswerStatus(http.StatusServiceUnavailable).After(c.NoAnswerAfter),
	}
}

// chance reports true with probability p.
func (c *chaos) chance(p float64) bool {
	if p <= 0 {
		return false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.rng.Float64() < p
}

// upTo is a random duration from 0 to max.
func (c *chaos) upTo(max time.Duration) time.Duration {
	if max <= 0 {
		return 0
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Duration(c.rng.Int64N(int64(max) + 1))
}

// refreshAnswer picks the answer of one refresh.
func (c *chaos) refreshAnswer() Answer {
	transients := c.transients()
	c.mu.Lock()
	roll, kind := c.rng.Float64(), c.rng.IntN(len(transients))
	c.mu.Unlock()
	var a Answer
	switch {
	case roll < c.Reject:
		a = LoggedOut
	case roll < c.Reject+c.Transient:
		a = transients[kind]
	case roll < c.Reject+c.Transient+c.Late:
		a = Rotated.After(c.LateAfter)
		a.late = true
	default:
		a = Rotated
	}
	a = a.After(c.upTo(c.RefreshDelay))
	if c.SpendOnArrival && a.kind == rotated {
		a = a.SpentOnArrival()
	}
	return a
}
