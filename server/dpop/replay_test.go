package dpop

import (
	"crypto/elliptic"
	"errors"
	"math/big"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestMemoryReplayCacheForgetsExpiredIDs(t *testing.T) {
	var c MemoryReplayCache
	if err := c.Remember("a", t0.Add(time.Minute), t0); err != nil {
		t.Fatal(err)
	}
	if err := c.Remember("a", t0.Add(time.Minute), t0.Add(time.Minute)); !errors.Is(err, ErrReplay) {
		t.Fatalf("at its expiry, an id is still remembered: got %v", err)
	}
	if err := c.Remember("b", t0.Add(3*time.Minute), t0.Add(2*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if c.Len() != 1 {
		t.Fatalf("Len() = %d after a's expiry, want 1", c.Len())
	}
	if err := c.Remember("a", t0.Add(3*time.Minute), t0.Add(2*time.Minute)); err != nil {
		t.Fatalf("after its expiry, a is refused: %v", err)
	}
}

func TestMemoryReplayCacheIsBoundedAndNeverAcceptsAReplay(t *testing.T) {
	c := MemoryReplayCache{MaxEntries: 3}
	exp := func(sec int) time.Time { return t0.Add(time.Duration(sec) * time.Second) }
	for i, sec := range []int{10, 20, 30} {
		if err := c.Remember("id"+strconv.Itoa(i), exp(sec), t0); err != nil {
			t.Fatal(err)
		}
	}
	// Full: a proof expiring before every remembered one is refused as it is,
	// since making room would forget an id that outlives it.
	if err := c.Remember("early", exp(5), t0); err == nil || errors.Is(err, ErrReplay) {
		t.Fatalf("early proof in a full cache: %v, want a refusal that is not a replay", err)
	}
	// A later one makes room by forgetting id0, the first to expire...
	if err := c.Remember("late", exp(40), t0); err != nil {
		t.Fatal(err)
	}
	if c.Len() != 3 {
		t.Fatalf("Len() = %d, want 3", c.Len())
	}
	// ...after which id0, replayed, is still refused, and so is anything that
	// expires as early, while fresher proofs are taken.
	for _, early := range []struct {
		id  string
		sec int
	}{{"id0", 10}, {"new", 9}} {
		err := c.Remember(early.id, exp(early.sec), t0)
		assertRefused(t, err, CodeInvalidProof, "replay cache is full")
	}
	if err := c.Remember("fresh", exp(50), t0); err != nil {
		t.Fatalf("a fresh proof: %v", err)
	}
	for _, id := range []string{"id2", "late", "fresh"} {
		if err := c.Remember(id, exp(60), t0); !errors.Is(err, ErrReplay) {
			t.Fatalf("replayed %s: %v", id, err)
		}
	}
}

func TestMemoryReplayCacheConcurrentUse(t *testing.T) {
	var c MemoryReplayCache
	const ids, workers = 500, 8
	var accepted atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range ids {
				if c.Remember(strconv.Itoa(i), t0.Add(time.Minute), t0) == nil {
					accepted.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	if accepted.Load() != ids {
		t.Fatalf("%d ids accepted by %d workers, want each once: %d", accepted.Load(), workers, ids)
	}
}

func TestVerifierConcurrentReplays(t *testing.T) {
	key := newTestKey(t)
	v := &Verifier{Now: fixedClock(t0)}
	proof := key.proof(t, "GET", apiURL, apiToken)
	var accepted, replays atomic.Int64
	var wg sync.WaitGroup
	start := make(chan struct{})
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			_, err := v.Verify("GET", apiURL, proof, apiToken)
			switch {
			case err == nil:
				accepted.Add(1)
			case errors.Is(err, ErrReplay):
				replays.Add(1)
			default:
				t.Error(err)
			}
		}()
	}
	close(start)
	wg.Wait()
	if accepted.Load() != 1 || replays.Load() != 15 {
		t.Fatalf("one proof sent 16 times at once: %d accepted, %d replays; want 1 and 15", accepted.Load(), replays.Load())
	}
}

// failingCache is a ReplayCache that refuses every id with its err.
type failingCache struct{ err error }

func (c failingCache) Remember(string, time.Time, time.Time) error { return c.err }

func TestVerifierUsesTheGivenReplayCache(t *testing.T) {
	key := newTestKey(t)
	v := &Verifier{Now: fixedClock(t0), Replay: failingCache{errors.New("store down")}}
	_, err := v.Verify("GET", apiURL, key.proof(t, "GET", apiURL, apiToken), apiToken)
	assertRefused(t, err, CodeInvalidProof, "replay check failed: store down")
}

func TestVerifyRefusesAReplay(t *testing.T) {
	key, other := newTestKey(t), newTestKey(t)
	v := &Verifier{Now: fixedClock(t0)}
	c := claims("GET", apiURL, apiToken)
	proof := key.sign(t, key.header(), c)
	if _, err := v.Verify("GET", apiURL, proof, apiToken); err != nil {
		t.Fatal(err)
	}
	_, err := v.Verify("GET", apiURL, proof, apiToken)
	assertRefused(t, err, CodeInvalidProof, "jti was used before")
	if !errors.Is(err, ErrReplay) || !errors.Is(err, ErrInvalidProof) || errors.Is(err, ErrUseNonce) {
		t.Fatalf("errors.Is does not place %v", err)
	}
	// The same jti signed again by the same key is the same proof to the cache.
	_, err = v.Verify("GET", apiURL, key.sign(t, key.header(), c), apiToken)
	assertRefused(t, err, CodeInvalidProof, "jti was used before")
	// The other ECDSA signature of the same proof, (r, n-s), verifies too, and
	// is the same proof to the cache.
	parts := strings.Split(proof, ".")
	sig, _ := b64.DecodeString(parts[2])
	s := new(big.Int).SetBytes(sig[32:])
	new(big.Int).Sub(elliptic.P256().Params().N, s).FillBytes(sig[32:])
	twin := parts[0] + "." + parts[1] + "." + b64.EncodeToString(sig)
	if _, err := (&Verifier{Now: fixedClock(t0)}).Verify("GET", apiURL, twin, apiToken); err != nil {
		t.Fatalf("the (r, n-s) signature on its own: %v", err)
	}
	_, err = v.Verify("GET", apiURL, twin, apiToken)
	assertRefused(t, err, CodeInvalidProof, "jti was used before")
	// Another key's jti lives in another space: one client cannot burn another's.
	if _, err := v.Verify("GET", apiURL, other.sign(t, other.header(), c), apiToken); err != nil {
		t.Fatalf("the same jti from another key: %v", err)
	}
}

func TestVerifyRecordsOnlyAcceptedProofs(t *testing.T) {
	key := newTestKey(t)
	cache := new(MemoryReplayCache)
	v := &Verifier{Now: fixedClock(t0), Replay: cache}
	proof := key.proof(t, "GET", apiURL, apiToken)
	if _, err := v.Verify("POST", apiURL, proof, apiToken); err == nil {
		t.Fatal("accepted for another method")
	}
	if cache.Len() != 0 {
		t.Fatalf("a refused proof was remembered: %d ids", cache.Len())
	}
	if _, err := v.Verify("GET", apiURL, proof, apiToken); err != nil {
		t.Fatalf("the proof, refused for another request first: %v", err)
	}
	if cache.Len() != 1 {
		t.Fatalf("%d ids remembered, want 1", cache.Len())
	}
}
