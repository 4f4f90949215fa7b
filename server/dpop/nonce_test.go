package dpop

import (
	"errors"
	"testing"
	"time"
)

func TestRotatingNonces(t *testing.T) {
	now := t0
	n := &RotatingNonces{Secret: []byte("k"), Period: time.Minute, Now: func() time.Time { return now }}
	first := n.Nonce()
	if first == "" || len(first) != 22 {
		t.Fatalf("Nonce() = %q, want 22 characters of base64url", first)
	}
	if n.Nonce() != first {
		t.Fatal("two nonces in one slot differ")
	}
	if !n.Valid(first) {
		t.Fatal("the current nonce is not valid")
	}
	now = now.Add(time.Minute)
	second := n.Nonce()
	if second == first {
		t.Fatal("the next slot has the same nonce")
	}
	if !n.Valid(first) || !n.Valid(second) {
		t.Fatal("in the next slot, the previous nonce or the current one is not valid")
	}
	now = now.Add(time.Minute)
	if n.Valid(first) {
		t.Fatal("a nonce two slots old is still valid")
	}
	for _, bad := range []string{"", "x", second + "x", second[:21]} {
		if n.Valid(bad) {
			t.Fatalf("Valid(%q)", bad)
		}
	}

	// Instances that share the secret share the nonces; others do not.
	shared := &RotatingNonces{Secret: []byte("k"), Period: time.Minute, Now: func() time.Time { return now }}
	if shared.Nonce() != n.Nonce() {
		t.Fatal("two sources with one secret disagree")
	}
	own := &RotatingNonces{Period: time.Minute, Now: func() time.Time { return now }}
	if own.Nonce() == n.Nonce() || !own.Valid(own.Nonce()) {
		t.Fatal("a source with a random secret of its own is not on its own")
	}
}

func TestRotatingNoncesZeroValue(t *testing.T) {
	var n RotatingNonces
	if nonce := n.Nonce(); !n.Valid(nonce) {
		t.Fatalf("the zero value refuses its own nonce %q", nonce)
	}
}

func TestVerifyWithNonces(t *testing.T) {
	key := newTestKey(t)
	now := t0
	nonces := &RotatingNonces{Secret: []byte("k"), Period: time.Minute, Now: func() time.Time { return now }}
	v := &Verifier{Now: fixedClock(t0), Nonces: nonces}
	current := nonces.Nonce()

	_, err := v.Verify("GET", apiURL, key.proof(t, "GET", apiURL, apiToken), apiToken)
	assertRefused(t, err, CodeUseNonce, "nonce required: the proof has none")
	var e *Error
	if !errors.As(err, &e) || e.Nonce != current || !errors.Is(err, ErrUseNonce) || errors.Is(err, ErrInvalidProof) {
		t.Fatalf("a nonce challenge %#v does not carry the current nonce %q", e, current)
	}

	p, err := v.Verify("GET", apiURL, key.sign(t, key.header(), with(claims("GET", apiURL, apiToken), "nonce", current)), apiToken)
	if err != nil || p.Nonce != current {
		t.Fatalf("the current nonce: %+v, %v", p, err)
	}

	_, err = v.Verify("GET", apiURL, key.sign(t, key.header(), with(claims("GET", apiURL, apiToken), "nonce", "made-up")), apiToken)
	assertRefused(t, err, CodeUseNonce, `nonce "made-up" is stale or unknown`)

	now = now.Add(2 * time.Minute)
	_, err = v.Verify("GET", apiURL, key.sign(t, key.header(), with(claims("GET", apiURL, apiToken), "nonce", current)), apiToken)
	assertRefused(t, err, CodeUseNonce, "is stale or unknown")
	if errors.As(err, &e); e.Nonce != nonces.Nonce() || e.Nonce == current {
		t.Fatalf("a stale nonce is answered with %q, want the new %q", e.Nonce, nonces.Nonce())
	}

	_, err = v.Verify("GET", apiURL, key.sign(t, key.header(), with(claims("GET", apiURL, apiToken), "nonce", 7)), apiToken)
	assertRefused(t, err, CodeInvalidProof, "nonce is not a string")
}
