package core

import (
	"context"
	"time"
)

// logoutLockWait bounds how long a logout waits for the cross-tab lock to
// drop the other tabs' records; it runs in the background, and nothing waits
// for it.
const logoutLockWait = time.Minute

// minLockWait is how long a refresh waits for the cross-tab lock at the
// least: nobody waits with it past the refresh timeout, so a short timeout
// need not make a busy browser's late grant a failure.
const minLockWait = 5 * time.Second

// minAnswerWait is how long a refresh request is given to answer at the
// least, however short the refresh timeout.
const minAnswerWait = time.Minute

// timeouts is the one policy for how long a refresh may make anyone wait. All
// of it derives from the refresh timeout (refreshTimeoutMs), and a refresh
// timeout of 0 sets no limit at all.
type timeouts struct {
	// release: the requests waiting for a refresh are released with a
	// transient failure (each resolves with its own 401) once the refresh
	// has taken this long. The refresh itself goes on.
	release time.Duration
	// lock: how long a refresh waits for the cross-tab lock before it fails
	// transiently: at least minLockWait, and longer than release, so that a
	// tab behind a slow one (or a browser slow to grant it) still gets its
	// turn once the waiting requests were answered.
	lock time.Duration
	// records: how long each read or write of the other tabs' records of
	// spent refresh tokens (IndexedDB) may take inside the lock. They only
	// help tabs hand tokens over: past this, the tab goes on without them,
	// early enough that the refresh still answers the requests waiting.
	records time.Duration
	// answer: how long the refresh request itself is given before it is
	// abandoned. Long past release, because a late answer is still stored:
	// a rotating server has spent the old refresh token by then.
	answer time.Duration
}

// timeoutsFor derives the policy from the refresh timeout.
func timeoutsFor(refreshTimeout time.Duration) timeouts {
	if refreshTimeout <= 0 {
		return timeouts{}
	}
	return timeouts{
		release: refreshTimeout,
		lock:    max(minLockWait, 2*refreshTimeout),
		records: refreshTimeout / 4,
		answer:  max(minAnswerWait, 4*refreshTimeout),
	}
}

// context returns a context that ends after d, or never when d is 0 (no
// refresh timeout).
func (timeouts) context(d time.Duration) (context.Context, context.CancelFunc) {
	if d <= 0 {
		return context.WithCancel(context.Background())
	}
	return context.WithTimeout(context.Background(), d)
}
