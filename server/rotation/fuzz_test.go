package rotation

import (
	"errors"
	"fmt"
	"testing"
	"time"
)

// fuzzGrace is the grace window of the fuzzed Families; clock moves are
// multiples of a tenth of it, so they land before, on and after its end.
const fuzzGrace = 5 * time.Second

// model is what the fuzz test expects of Families, kept independently: the
// rotation of each token, and which families are revoked.
type model struct {
	family    map[string]string    // token → its family
	spentAt   map[string]time.Time // token → when its first rotation happened
	successor map[string]Pair      // token → what that rotation answered
	revoked   map[string]bool      // family → revoked
	tokens    []string             // every token issued, in order, for the fuzzer to pick
	families  []string
}

// FuzzRotate runs random sequences of logins, rotations, replays, unknown
// tokens, clock moves, revocations and grace switches, and checks each
// answer against the rules: each token has at most one successor (a replay
// gets the identical pair, and issue mints only for fresh rotations), a replay
// within the window whose successor is unused gets that pair, any other
// second presentation revokes the family, and a revoked family refuses all.
func FuzzRotate(f *testing.F) {
	f.Add([]byte{0, 0, 1, 0, 1, 0, 3, 4, 1, 0, 3, 9, 1, 0, 1, 1})
	f.Add([]byte{0, 0, 1, 0, 3, 10, 1, 0, 1, 1})
	f.Add([]byte{0, 0, 0, 0, 1, 0, 1, 1, 1, 2, 1, 0, 4, 1, 1, 3})
	f.Add([]byte{0, 0, 1, 0, 1, 1, 1, 0, 5, 0, 1, 0, 2, 0})
	f.Fuzz(func(t *testing.T, ops []byte) {
		now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
		fam := New(Options{GraceWindow: fuzzGrace, Now: func() time.Time { return now }})
		m := &model{family: map[string]string{}, spentAt: map[string]time.Time{}, successor: map[string]Pair{}, revoked: map[string]bool{}}
		grace := fuzzGrace
		minted := 0
		issue := func(family string) (Pair, error) {
			minted++
			return Pair{AccessToken: fmt.Sprint("a", minted), RefreshToken: fmt.Sprint("r", minted)}, nil
		}
		for i := 0; i+1 < len(ops); i += 2 {
			op, arg := ops[i]%6, int(ops[i+1])
			switch {
			case op == 0: // a login
				id, token := fmt.Sprint("f", len(m.families)), fmt.Sprint("login", len(m.families))
				fam.Start(id, token)
				m.families = append(m.families, id)
				m.family[token] = id
				m.tokens = append(m.tokens, token)
			case op == 1 && len(m.tokens) > 0: // a token issued before, spent or not
				m.present(t, fam, m.tokens[arg%len(m.tokens)], now, grace, issue, &minted)
			case op == 2: // a token never issued
				if _, err := fam.Rotate(fmt.Sprint("forged", arg), issue); !errors.Is(err, ErrUnknown) {
					t.Fatalf("a forged token: %v, want ErrUnknown", err)
				}
			case op == 3: // the clock moves by tenths of the window
				now = now.Add(time.Duration(arg%25) * fuzzGrace / 10)
			case op == 4 && len(m.families) > 0: // a logout
				id := m.families[arg%len(m.families)]
				fam.Revoke(id)
				m.revoked[id] = true
			case op == 5: // the window switched off or on
				grace = time.Duration(arg%2) * fuzzGrace
				fam.SetGraceWindow(grace)
			}
		}
	})
}

// present presents token to fam and checks the answer against the model,
// then updates the model.
func (m *model) present(t *testing.T, fam *Families, token string, now time.Time, grace time.Duration, issue func(string) (Pair, error), minted *int) {
	t.Helper()
	family := m.family[token]
	before := *minted
	rot, err := fam.Rotate(token, issue)
	spentAt, spent := m.spentAt[token]
	next := m.successor[token]
	_, successorUsed := m.spentAt[next.RefreshToken]
	switch {
	case m.revoked[family]:
		if !errors.Is(err, ErrRevoked) {
			t.Fatalf("%s of revoked family %s: %+v, %v; want ErrRevoked", token, family, rot, err)
		}
	case !spent:
		if err != nil || rot.Replayed || rot.Pair.RefreshToken == "" || *minted != before+1 {
			t.Fatalf("%s, never spent: %+v, %v, minted %d→%d; want a fresh pair", token, rot, err, before, *minted)
		}
		m.spentAt[token], m.successor[token] = now, rot.Pair
		m.family[rot.Pair.RefreshToken] = family
		m.tokens = append(m.tokens, rot.Pair.RefreshToken)
	case now.Sub(spentAt) < grace && !successorUsed:
		if err != nil || !rot.Replayed || rot.Pair != next || *minted != before {
			t.Fatalf("%s replayed %v after its rotation, within %v: %+v, %v; want the identical pair %+v, nothing minted", token, now.Sub(spentAt), grace, rot, err, next)
		}
	default:
		if !errors.Is(err, ErrReused) || !fam.Revoked(family) {
			t.Fatalf("%s replayed %v after its rotation (window %v, successor used %v): %v; want ErrReused and family %s revoked", token, now.Sub(spentAt), grace, successorUsed, err, family)
		}
		m.revoked[family] = true
	}
	if err != nil && *minted != before {
		t.Fatalf("%s: refused with %v, yet issue minted", token, err)
	}
	if rot.Family != family {
		t.Fatalf("%s: family %q, want %q", token, rot.Family, family)
	}
}
