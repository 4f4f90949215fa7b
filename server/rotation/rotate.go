package rotation

import (
	"errors"
	"fmt"
	"time"
)

// The refusals of Rotate; the error returned matches one of them with errors.Is.
var (
	// ErrUnknown refuses a refresh token that was never issued.
	ErrUnknown = errors.New("rotation: unknown refresh token")
	// ErrRevoked refuses a refresh token whose family is revoked.
	ErrRevoked = errors.New("rotation: refresh token of a revoked family")
	// ErrReused refuses a spent refresh token presented again outside the
	// grace window, and says that Rotate revoked its family just now: the
	// caller revokes what it keeps per family, such as access tokens.
	ErrReused = errors.New("rotation: spent refresh token presented again: its family is revoked")
)

// Pair is what one refresh answers: an access token and the refresh token
// that replaces the one presented.
type Pair struct {
	AccessToken string
	// RefreshToken is the successor. Empty means the answer keeps the token
	// presented, which then stays good and is not spent.
	RefreshToken string
	// Expires is when AccessToken expires, if the caller says: a replay
	// answers the same token later, with less of its life left.
	Expires time.Time
}

// Rotation is what presenting a refresh token bought.
type Rotation struct {
	Family string // the family of the token presented
	Pair   Pair   // the pair to answer with
	// Replayed says that Pair is the one an earlier rotation of the same token
	// issued, answered again within the grace window: nothing new was minted.
	Replayed bool
}

// Rotate presents the refresh token presented for a refresh.
//
// A good token is spent: issue is called, with the token's family and with
// Families locked (it must not call Families' methods), to mint the pair that
// replaces it; its RefreshToken joins the family, and the pair is recorded as
// the token's successor. A token spent before, presented within the grace
// window of its rotation while its successor is still unspent, gets that
// recorded pair again, Replayed, and issue is not called: each token has at
// most one successor. Any other presentation of a spent token is reuse: the
// family is revoked and the error matches ErrReused.
//
// A token that is unknown, or whose family is revoked, is refused and changes
// nothing; so does an error from issue, or a pair whose refresh token was
// issued before. The Rotation of an error names the family when the token has
// one.
func (f *Families) Rotate(presented string, issue func(family string) (Pair, error)) (Rotation, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	e, ok := f.tokens[presented]
	switch {
	case !ok:
		return Rotation{}, ErrUnknown
	case f.revoked[e.family]:
		return Rotation{Family: e.family}, ErrRevoked
	case e.spent:
		return f.presentSpent(e)
	}
	pair, err := issue(e.family)
	if err != nil {
		return Rotation{Family: e.family}, fmt.Errorf("rotation: issuing the successor of a refresh token of family %q: %w", e.family, err)
	}
	if pair.RefreshToken == "" || pair.RefreshToken == presented {
		pair.RefreshToken = ""
		return Rotation{Family: e.family, Pair: pair}, nil
	}
	if _, taken := f.tokens[pair.RefreshToken]; taken {
		return Rotation{Family: e.family}, fmt.Errorf("rotation: issue for family %q returned a refresh token that was issued before", e.family)
	}
	if !f.keepSpent {
		e.spent, e.spentAt, e.successor = true, f.now(), pair
	}
	f.tokens[pair.RefreshToken] = &entry{family: e.family}
	return Rotation{Family: e.family, Pair: pair}, nil
}

// presentSpent answers e, a spent token presented again: its successor
// within the grace window, or reuse. f.mu must be held.
func (f *Families) presentSpent(e *entry) (Rotation, error) {
	age := f.now().Sub(e.spentAt)
	switch {
	case f.grace <= 0:
		f.revoked[e.family] = true
		return Rotation{Family: e.family}, fmt.Errorf("%w (no grace window)", ErrReused)
	case age >= f.grace:
		f.revoked[e.family] = true
		return Rotation{Family: e.family}, fmt.Errorf("%w (spent %v ago, after the grace window of %v)", ErrReused, age, f.grace)
	case f.tokens[e.successor.RefreshToken].spent:
		// Someone got the answer and used it: this copy of the old token
		// is not a client that lost its answer.
		f.revoked[e.family] = true
		return Rotation{Family: e.family}, fmt.Errorf("%w (its successor was spent already)", ErrReused)
	}
	return Rotation{Family: e.family, Pair: e.successor, Replayed: true}, nil
}
