package dpop

import (
	"container/heap"
	"sync"
	"time"
)

// A ReplayCache remembers the proofs a Verifier has accepted, so that each proof
// is accepted once (RFC 9449 §11.1). A deployment of several server instances
// gives them one shared implementation; a single process can use the Verifier's
// default, a MemoryReplayCache. Implementations must be safe for concurrent use.
type ReplayCache interface {
	// Remember records id, which identifies one proof, as seen at now. It must
	// be remembered at least until expires, after which the proof's iat is out
	// of the window and the Verifier refuses it anyway. Remember returns nil
	// the first time it sees id, and an error otherwise (ErrReplay for an id
	// it has recorded; another error when it cannot tell, which the Verifier
	// treats as a refusal too).
	Remember(id string, expires, now time.Time) error
}

// DefaultMaxEntries is the bound of a MemoryReplayCache whose MaxEntries is zero.
// With the default 60 s window an entry lives at most 120 s, so the bound is
// reached only by more than about 500 accepted proofs per second.
const DefaultMaxEntries = 1 << 16

// A MemoryReplayCache is a ReplayCache in process memory, bounded in size. It
// forgets an id once its expiry has passed. When it is full it forgets the id
// that expires first, and from then on refuses every proof that expires no
// later than that one, since it could no longer tell whether such a proof is
// replayed: under a flood of proofs the window narrows, but a replay is never
// accepted.
//
// The zero value is ready to use. A MemoryReplayCache is safe for concurrent
// use and must not be copied after first use.
type MemoryReplayCache struct {
	// MaxEntries bounds the ids remembered; zero means DefaultMaxEntries.
	MaxEntries int

	mu sync.Mutex
	// ids holds every remembered id with its expiry; guarded by mu.
	ids map[string]time.Time
	// queue holds the same ids, the earliest expiry first; guarded by mu.
	queue expiryQueue
	// horizon is the latest expiry among ids forgotten before they expired;
	// guarded by mu. A proof that expires no later cannot be checked.
	horizon time.Time
}

// Remember implements ReplayCache.
func (c *MemoryReplayCache) Remember(id string, expires, now time.Time) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ids == nil {
		c.ids = make(map[string]time.Time)
	}
	for len(c.queue) > 0 && c.queue[0].expires.Before(now) {
		delete(c.ids, heap.Pop(&c.queue).(entry).id)
	}
	if _, seen := c.ids[id]; seen {
		return &Error{Code: CodeInvalidProof, Reason: "jti was used before: a proof is good for one request", Err: ErrReplay}
	}
	limit := c.MaxEntries
	if limit <= 0 {
		limit = DefaultMaxEntries
	}
	if !expires.After(c.horizon) || (len(c.queue) >= limit && !expires.After(c.queue[0].expires)) {
		return errCacheFull()
	}
	for len(c.queue) >= limit {
		e := heap.Pop(&c.queue).(entry)
		delete(c.ids, e.id)
		if e.expires.After(c.horizon) {
			c.horizon = e.expires
		}
	}
	if !expires.After(c.horizon) { // MaxEntries shrank, and an id forgotten expired later
		return errCacheFull()
	}
	c.ids[id] = expires
	heap.Push(&c.queue, entry{id: id, expires: expires})
	return nil
}

// errCacheFull refuses a proof that a full cache cannot check: one that expires
// no later than an id forgotten, or about to be forgotten, to make room.
func errCacheFull() *Error {
	return invalidf("replay cache is full: a proof issued this early cannot be checked for replay")
}

// Len returns the number of ids remembered, expired ones included until the
// next call of Remember forgets them.
func (c *MemoryReplayCache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.ids)
}

// entry is one remembered id.
type entry struct {
	id      string
	expires time.Time
}

// expiryQueue is a min-heap of entries by expiry, for container/heap.
type expiryQueue []entry

func (q expiryQueue) Len() int           { return len(q) }
func (q expiryQueue) Less(i, j int) bool { return q[i].expires.Before(q[j].expires) }
func (q expiryQueue) Swap(i, j int)      { q[i], q[j] = q[j], q[i] }
func (q *expiryQueue) Push(x any)        { *q = append(*q, x.(entry)) }
func (q *expiryQueue) Pop() any {
	old := *q
	e := old[len(old)-1]
	*q = old[:len(old)-1]
	return e
}
