package rotation

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"
)

// clock is a clock that moves only when told.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

// minter issues a2/r2, a3/r3… in order, as a server would mint fresh tokens,
// and counts its calls.
type minter struct{ n int }

func (m *minter) issue(string) (Pair, error) {
	m.n++
	return Pair{AccessToken: fmt.Sprint("a", m.n+1), RefreshToken: fmt.Sprint("r", m.n+1)}, nil
}

// TestRotate presents refresh tokens in the orders that matter, each step
// after the ones before it, on a family f started with r1. A step's want is
// the refresh token answered, or its error.
func TestRotate(t *testing.T) {
	const grace = 10 * time.Second
	type step struct {
		advance  time.Duration // the clock moves first
		present  string
		want     string // the answer's refresh token; with an error, none
		replayed bool
		err      error
	}
	tests := []struct {
		name    string
		opts    Options
		steps   []step
		minted  int  // pairs issue minted
		revoked bool // the family f after the steps
	}{
		{"each token is good once", Options{}, []step{
			{0, "r1", "r2", false, nil},
			{0, "r2", "r3", false, nil},
		}, 2, false},
		{"without a grace window a spent token revokes the family", Options{}, []step{
			{0, "r1", "r2", false, nil},
			{0, "r1", "", false, ErrReused},
			{0, "r2", "", false, ErrRevoked},
		}, 1, true},
		{"an unknown token changes nothing", Options{}, []step{
			{0, "nope", "", false, ErrUnknown},
			{0, "r1", "r2", false, nil},
		}, 1, false},
		{"with KeepSpent every token stays good and mints anew", Options{KeepSpent: true}, []step{
			{0, "r1", "r2", false, nil},
			{0, "r1", "r3", false, nil},
			{0, "r2", "r4", false, nil},
		}, 3, false},
		{"within the grace window a replay gets the same pair, as often as it comes", Options{GraceWindow: grace}, []step{
			{0, "r1", "r2", false, nil},
			{grace / 2, "r1", "r2", true, nil},
			{grace/2 - time.Nanosecond, "r1", "r2", true, nil},
			{0, "r2", "r3", false, nil},
		}, 2, false},
		{"a replay when the window has passed is reuse", Options{GraceWindow: grace}, []step{
			{0, "r1", "r2", false, nil},
			{grace, "r1", "", false, ErrReused},
			{0, "r2", "", false, ErrRevoked},
		}, 1, true},
		{"a replay after the successor was used is reuse, within the window too", Options{GraceWindow: grace}, []step{
			{0, "r1", "r2", false, nil},
			{0, "r2", "r3", false, nil},
			{time.Second, "r1", "", false, ErrReused},
			{0, "r3", "", false, ErrRevoked},
		}, 2, true},
		{"the successor's own replay is timed from its own rotation", Options{GraceWindow: grace}, []step{
			{0, "r1", "r2", false, nil},
			{grace - time.Second, "r2", "r3", false, nil},
			{2 * time.Second, "r2", "r3", true, nil},
			{0, "r1", "", false, ErrReused},
		}, 2, true},
		{"a clock that went back is within the window", Options{GraceWindow: grace}, []step{
			{0, "r1", "r2", false, nil},
			{-time.Hour, "r1", "r2", true, nil},
		}, 1, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &clock{t: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}
			tt.opts.Now = c.now
			f := New(tt.opts)
			f.Start("f", "r1")
			m := &minter{}
			for i, s := range tt.steps {
				c.t = c.t.Add(s.advance)
				rot, err := f.Rotate(s.present, m.issue)
				if !errors.Is(err, s.err) || (err == nil) != (s.err == nil) {
					t.Fatalf("step %d: Rotate(%q) error %v, want %v", i+1, s.present, err, s.err)
				}
				if rot.Pair.RefreshToken != s.want || rot.Replayed != s.replayed {
					t.Fatalf("step %d: Rotate(%q) = %+v, want refresh token %q, replayed %v", i+1, s.present, rot, s.want, s.replayed)
				}
				wantFamily := "f"
				if s.err == ErrUnknown {
					wantFamily = ""
				}
				if rot.Family != wantFamily {
					t.Fatalf("step %d: family %q, want %q", i+1, rot.Family, wantFamily)
				}
			}
			if m.n != tt.minted {
				t.Errorf("issue minted %d pairs, want %d", m.n, tt.minted)
			}
			if got := f.Revoked("f"); got != tt.revoked {
				t.Errorf("Revoked = %v, want %v", got, tt.revoked)
			}
		})
	}
}

// TestRotateRefusesWhatIssueGets covers the answers of issue that spend
// nothing: an error, a pair that keeps the token, a successor issued before.
func TestRotateRefusesWhatIssueGets(t *testing.T) {
	errMint := errors.New("signing key unavailable")
	tests := []struct {
		name    string
		pair    Pair
		err     error
		wantErr bool
		want    Pair // the answer when there is no error
	}{
		{"an error from issue", Pair{}, errMint, true, Pair{}},
		{"a successor issued before", Pair{AccessToken: "a9", RefreshToken: "other"}, nil, true, Pair{}},
		{"no refresh token keeps the one presented", Pair{AccessToken: "a2"}, nil, false, Pair{AccessToken: "a2"}},
		{"the same refresh token keeps it too", Pair{AccessToken: "a2", RefreshToken: "r1"}, nil, false, Pair{AccessToken: "a2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := New(Options{})
			f.Start("f", "r1")
			f.Start("g", "other")
			rot, err := f.Rotate("r1", func(string) (Pair, error) { return tt.pair, tt.err })
			if (err != nil) != tt.wantErr || (tt.err != nil && !errors.Is(err, tt.err)) {
				t.Fatalf("Rotate error %v, want an error: %v (wrapping %v)", err, tt.wantErr, tt.err)
			}
			if !tt.wantErr && rot.Pair != tt.want {
				t.Fatalf("Rotate = %+v, want pair %+v", rot, tt.want)
			}
			// Nothing was spent: r1 rotates normally now.
			if rot, err := f.Rotate("r1", (&minter{}).issue); err != nil || rot.Pair.RefreshToken != "r2" {
				t.Errorf("r1 after that: %+v, %v; want r2", rot, err)
			}
		})
	}
}

func TestRevoke(t *testing.T) {
	f := New(Options{GraceWindow: time.Hour})
	f.Start("a", "ra")
	f.Start("b", "rb")
	if _, err := f.Rotate("ra", (&minter{}).issue); err != nil {
		t.Fatal(err)
	}
	if !f.Revoke("a") || f.Revoke("never") {
		t.Fatal("Revoke reports whether the family exists")
	}
	tests := []struct {
		token string
		want  error
	}{
		{"ra", ErrRevoked}, // spent, within the grace window: revoked still wins
		{"r2", ErrRevoked},
		{"rb", nil},
	}
	for _, tt := range tests {
		if _, err := f.Rotate(tt.token, (&minter{n: 10}).issue); !errors.Is(err, tt.want) || (err == nil) != (tt.want == nil) {
			t.Errorf("Rotate(%q) after revoking a: %v, want %v", tt.token, err, tt.want)
		}
	}
	if !f.Revoked("never") {
		t.Error("a family never started counts as revoked")
	}
	if id, ok := f.FamilyOf("r2"); id != "a" || !ok {
		t.Errorf("FamilyOf(r2) = %q, %v; want a, true", id, ok)
	}
}

// A grace window switched off applies to tokens spent before: their replay
// is reuse from then on.
func TestSetGraceWindow(t *testing.T) {
	f := New(Options{GraceWindow: time.Hour})
	f.Start("f", "r1")
	if _, err := f.Rotate("r1", (&minter{}).issue); err != nil {
		t.Fatal(err)
	}
	f.SetGraceWindow(0)
	if got := f.GraceWindow(); got != 0 {
		t.Fatalf("GraceWindow = %v, want 0", got)
	}
	if _, err := f.Rotate("r1", (&minter{}).issue); !errors.Is(err, ErrReused) {
		t.Errorf("replay after the window was switched off: %v, want ErrReused", err)
	}
}

// Refreshes that race with one token, as tabs without a shared lock send
// them: without a window exactly one wins, the first after it is reuse and
// the rest find the family revoked; with one, all get the winner's pair.
func TestConcurrentRotationsOfOneToken(t *testing.T) {
	const n = 8
	tests := []struct {
		name  string
		grace time.Duration
		want  map[string]int // outcome → count
	}{
		{"no grace window", 0, map[string]int{"r2": 1, "reused": 1, "revoked": n - 2}},
		{"a grace window", time.Hour, map[string]int{"r2": n}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := New(Options{GraceWindow: tt.grace})
			f.Start("f", "r1")
			m := &minter{}
			outcomes := make([]string, n)
			var wg sync.WaitGroup
			for i := range n {
				wg.Go(func() {
					rot, err := f.Rotate("r1", m.issue)
					switch {
					case errors.Is(err, ErrReused):
						outcomes[i] = "reused"
					case errors.Is(err, ErrRevoked):
						outcomes[i] = "revoked"
					case err != nil:
						outcomes[i] = err.Error()
					default:
						outcomes[i] = rot.Pair.RefreshToken
					}
				})
			}
			wg.Wait()
			counts := map[string]int{}
			for _, o := range outcomes {
				counts[o]++
			}
			if fmt.Sprint(counts) != fmt.Sprint(tt.want) || m.n != 1 {
				t.Errorf("outcomes %v, %d minted; want %v, 1 minted", counts, m.n, tt.want)
			}
		})
	}
}
