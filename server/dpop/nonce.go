package dpop

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"sync"
	"time"
)

// A NonceSource issues the nonces a server demands in proofs (RFC 9449 §8 and
// §9), which bound how long a proof made in advance stays usable. A Verifier
// with a NonceSource refuses, with a CodeUseNonce error carrying a fresh
// nonce, every proof without a nonce that Valid accepts. Implementations must
// be safe for concurrent use.
type NonceSource interface {
	// Nonce returns the nonce to send in a DPoP-Nonce header now.
	Nonce() string
	// Valid reports whether a proof's nonce is still accepted.
	Valid(nonce string) bool
}

// DefaultNoncePeriod is the Period of a RotatingNonces whose Period is zero.
const DefaultNoncePeriod = 5 * time.Minute

// RotatingNonces is a NonceSource that needs no storage: the nonce is an HMAC of
// the current time slot, so every server instance that shares the Secret issues
// and accepts the same nonces. A nonce is accepted during the slot it was issued
// in and the next one, so it lives between one and two Periods; a client whose
// nonce has expired is sent a fresh one, and resends once.
//
// The zero value is ready to use, with a random secret of its own. A
// RotatingNonces is safe for concurrent use and must not be copied after first
// use; its fields must not change after first use.
type RotatingNonces struct {
	// Secret keys the HMAC. Nil means 32 random bytes chosen at first use,
	// which only this RotatingNonces knows: fine for a single process.
	Secret []byte
	// Period is the length of a time slot; zero means DefaultNoncePeriod.
	Period time.Duration
	// Now is the clock; nil means time.Now.
	Now func() time.Time

	once sync.Once
	key  []byte // Secret, or the random one; set once
}

// Nonce implements NonceSource.
func (n *RotatingNonces) Nonce() string {
	return n.forSlot(n.slot())
}

// Valid implements NonceSource.
func (n *RotatingNonces) Valid(nonce string) bool {
	slot := n.slot()
	// Both are computed and compared, so the time taken says nothing about
	// which slot matched.
	current := hmac.Equal([]byte(nonce), []byte(n.forSlot(slot)))
	previous := hmac.Equal([]byte(nonce), []byte(n.forSlot(slot-1)))
	return current || previous
}

// slot returns the number of the current time slot.
func (n *RotatingNonces) slot() int64 {
	now := time.Now
	if n.Now != nil {
		now = n.Now
	}
	period := n.Period
	if period <= 0 {
		period = DefaultNoncePeriod
	}
	return now().UnixNano() / int64(period)
}

// forSlot returns the nonce of a time slot: 16 bytes of HMAC-SHA256, base64url.
func (n *RotatingNonces) forSlot(slot int64) string {
	n.once.Do(func() {
		n.key = n.Secret
		if n.key == nil {
			n.key = make([]byte, 32)
			rand.Read(n.key) // never fails (crypto/rand, Go 1.24 and later)
		}
	})
	mac := hmac.New(sha256.New, n.key)
	mac.Write([]byte("authfetch dpop nonce\x00"))
	mac.Write(binary.BigEndian.AppendUint64(nil, uint64(slot)))
	return b64.EncodeToString(mac.Sum(nil)[:16])
}
