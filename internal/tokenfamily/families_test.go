package tokenfamily

import (
	"cmp"
	"errors"
	"sync"
	"testing"
)

// TestRotate presents refresh tokens in the orders that matter, each step
// after the ones before it, on a family f started with r1.
func TestRotate(t *testing.T) {
	type step struct {
		old, next  string
		wantFamily string
		wantErr    error
	}
	tests := []struct {
		name      string
		keepSpent bool
		steps     []step
		revoked   bool // the family f after the steps
	}{
		{"each token is good once", false, []step{
			{"r1", "r2", "f", nil},
			{"r2", "r3", "f", nil},
		}, false},
		{"a spent token revokes the family", false, []step{
			{"r1", "r2", "f", nil},
			{"r1", "r9", "f", ErrReused},
			{"r2", "r3", "f", ErrRevoked},
		}, true},
		{"an answer that keeps the token leaves it good", false, []step{
			{"r1", "", "f", nil},
			{"r1", "r2", "f", nil},
		}, false},
		{"an unknown token changes nothing", false, []step{
			{"nope", "r2", "", ErrUnknown},
			{"r1", "r2", "f", nil},
		}, false},
		{"with KeepSpent every token stays good", true, []step{
			{"r1", "r2", "f", nil},
			{"r1", "r3", "f", nil},
			{"r2", "r4", "f", nil},
		}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := New(Options{KeepSpent: tt.keepSpent})
			f.Start("f", "r1")
			for i, s := range tt.steps {
				rot, err := f.Rotate(s.old, s.next)
				want := Rotation{Family: s.wantFamily}
				if err == nil {
					want.RefreshToken = cmp.Or(s.next, s.old)
				}
				if rot != want || !errors.Is(err, s.wantErr) {
					t.Fatalf("step %d: Rotate(%q, %q) = %+v, %v; want %+v, %v", i+1, s.old, s.next, rot, err, want, s.wantErr)
				}
			}
			if got := f.Revoked("f"); got != tt.revoked {
				t.Errorf("Revoked = %v, want %v", got, tt.revoked)
			}
		})
	}
}

func TestRevoke(t *testing.T) {
	f := New(Options{})
	f.Start("a", "ra")
	f.Start("b", "rb")
	if !f.Revoke("a") || f.Revoke("never") {
		t.Fatal("Revoke reports whether the family exists")
	}
	tests := []struct {
		token string
		want  error
	}{
		{"ra", ErrRevoked},
		{"rb", nil},
	}
	for _, tt := range tests {
		if _, err := f.Rotate(tt.token, tt.token+"2"); !errors.Is(err, tt.want) {
			t.Errorf("Rotate(%q) after revoking a: %v, want %v", tt.token, err, tt.want)
		}
	}
	if !f.Revoked("never") || f.Exists("never") || !f.Exists("a") {
		t.Error("a family never started counts as revoked and does not exist")
	}
}

// Refreshes that race with one token: exactly one wins, and the first to
// come after it finds the token spent and revokes the family.
func TestConcurrentRotationsOfOneToken(t *testing.T) {
	const n = 8
	f := New(Options{})
	f.Start("f", "r1")
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { _, errs[i] = f.Rotate("r1", "next"+string(rune('a'+i))) })
	}
	wg.Wait()
	counts := map[error]int{}
	for _, err := range errs {
		counts[err]++
	}
	if counts[nil] != 1 || counts[ErrReused] != 1 || counts[ErrRevoked] != n-2 {
		t.Errorf("outcomes %v: want one success, one reuse, %d revoked", counts, n-2)
	}
}
