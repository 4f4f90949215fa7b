package core

import (
	"regexp"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTokenStoreFallsBackToMemory(t *testing.T) {
	tests := []struct {
		name         string
		before       Tokens // written through the store while the storage works
		breakGet     bool
		breakSet     bool
		after        *Tokens // written through the store once it is broken; nil: nothing
		wantTokens   Tokens
		wantFellBack bool
		wantRaw      Tokens // what the storage itself holds at the end
	}{
		{
			name:       "working storage",
			before:     Tokens{"A1", "R1"},
			after:      &Tokens{"A2", "R2"},
			wantTokens: Tokens{"A2", "R2"},
			wantRaw:    Tokens{"A2", "R2"},
		},
		{
			name:         "Get fails: the last tokens written are kept",
			before:       Tokens{"A1", "R1"},
			breakGet:     true,
			wantTokens:   Tokens{"A1", "R1"},
			wantFellBack: true,
			wantRaw:      Tokens{"A1", "R1"},
		},
		{
			name:         "Get fails, then a write goes to memory only",
			before:       Tokens{"A1", "R1"},
			breakGet:     true,
			after:        &Tokens{"A2", "R2"},
			wantTokens:   Tokens{"A2", "R2"},
			wantFellBack: true,
			wantRaw:      Tokens{"A1", "R1"},
		},
		{
			name:         "Set fails: the tokens are kept in memory",
			before:       Tokens{"A1", "R1"},
			breakSet:     true,
			after:        &Tokens{"A2", "R2"},
			wantTokens:   Tokens{"A2", "R2"},
			wantFellBack: true,
			wantRaw:      Tokens{"A1", "R1"},
		},
		{
			name:         "Remove fails on a logout: the tokens are gone all the same",
			before:       Tokens{"A1", "R1"},
			breakSet:     true,
			after:        &Tokens{},
			wantTokens:   Tokens{},
			wantFellBack: true,
			wantRaw:      Tokens{"A1", "R1"},
		},
		{
			name:         "Get fails before anything was written",
			breakGet:     true,
			wantTokens:   Tokens{},
			wantFellBack: true,
		},
		{
			name:       "an omitted refresh token is removed",
			before:     Tokens{"A1", "R1"},
			after:      &Tokens{Access: "A2"},
			wantTokens: Tokens{Access: "A2"},
			wantRaw:    Tokens{Access: "A2"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := &failingStorage{}
			ts := NewTokenStore(st, "at", "rt")
			ts.Set(tt.before)
			require.Equal(t, tt.before, Tokens{ts.Access(), ts.Refresh()})
			st.failGet.Store(tt.breakGet)
			st.failSet.Store(tt.breakSet)
			if tt.breakGet {
				ts.Access() // the store notices
			}
			if tt.after != nil {
				ts.Set(*tt.after)
			}
			// Once fallen back, the storage is never asked again, even if it
			// recovers.
			st.failGet.Store(false)
			st.failSet.Store(false)
			assert.Equal(t, tt.wantTokens, Tokens{ts.Access(), ts.Refresh()})
			assert.Equal(t, tt.wantFellBack, ts.FellBack())
			assert.Equal(t, tt.wantRaw, Tokens{st.raw("at"), st.raw("rt")})
		})
	}
}

// Tokens that other code wrote to the storage are read where it wrote them.
func TestTokenStoreReadsForeignWrites(t *testing.T) {
	st := &failingStorage{}
	ts := NewTokenStore(st, "at", "rt")
	assert.Equal(t, "", ts.Access())
	_ = st.MemoryStorage.Set("at", "fromLoginForm")
	_ = st.MemoryStorage.Set("rt", "R0")
	assert.Equal(t, Tokens{"fromLoginForm", "R0"}, Tokens{ts.Access(), ts.Refresh()})
	_ = st.MemoryStorage.Remove("at")
	assert.Equal(t, "", ts.Access())
	assert.False(t, ts.FellBack())
}

func TestTokenStoreLeftovers(t *testing.T) {
	tests := []struct {
		stored, want string
	}{
		{"", ""},
		{"undefined", ""},
		{"null", ""},
		{" null ", ""},
		{"   ", ""},
		{"abc\ndef", ""},
		{"abc\x00", ""},
		{"\tabc\r\n", "abc"},
		{"abc\x7f", ""},
		{"tök", ""},
		{"Undefined", "Undefined"},
		{"nullable", "nullable"},
		{" eyJ.a.b ", "eyJ.a.b"},
		{"a+/~-._==", "a+/~-._=="}, // every b64token character (RFC 6750 section 2.1)
		{"a+/=~-._", ""},           // "=" only as padding at the end
		{"==", ""},
		{`{"accessToken":"a1"}`, ""}, // an auth object stored under the key
		{"a b", ""},
		{"Bearer abc", ""},
	}
	for _, tt := range tests {
		t.Run(tt.stored, func(t *testing.T) {
			st := &failingStorage{}
			_ = st.MemoryStorage.Set("at", tt.stored)
			_ = st.MemoryStorage.Set("rt", tt.stored)
			ts := NewTokenStore(st, "at", "rt")
			assert.Equal(t, tt.want, ts.Access())
			assert.Equal(t, tt.want, ts.Refresh())

			// Written through the store, a leftover removes the key.
			st2 := &failingStorage{}
			ts2 := NewTokenStore(st2, "at", "rt")
			ts2.Set(Tokens{"x", "y"})
			ts2.Set(Tokens{tt.stored, tt.stored})
			assert.Equal(t, tt.want, st2.raw("at"))
			_, present := st2.values["at"]
			assert.Equal(t, tt.want != "", present)
		})
	}
}

// FuzzValidToken checks that what validToken lets through is an RFC 6750
// b64token (so "Bearer <token>" is a valid header: Headers.set throws on
// less), that it is the stored value minus surrounding space, and that the
// leftovers the README lists never count as a token.
func FuzzValidToken(f *testing.F) {
	for _, s := range []string{"", " ", "a1", " a1 ", "undefined", " null ", "NULL", "tök", "a\nb", "a\x7fb", "a b", "\t", strings.Repeat("x", 5000), `{"accessToken":"a1"}`, "eyJhbGciOi.eyJleHAi.c2ln"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		tok := validToken(v)
		if validToken(tok) != tok {
			t.Fatalf("validToken is not idempotent on %q: %q then %q", v, tok, validToken(tok))
		}
		if tok == "" {
			return
		}
		if tok != strings.TrimSpace(v) {
			t.Fatalf("validToken(%q) = %q, not the value without surrounding space", v, tok)
		}
		switch tok {
		case "undefined", "null":
			t.Fatalf("validToken(%q) = %q, a leftover", v, tok)
		}
		if !b64token.MatchString(tok) {
			t.Fatalf("validToken(%q) = %q, which is not an RFC 6750 b64token", v, tok)
		}
	})
}

// b64token is RFC 6750 section 2.1's b64token.
var b64token = regexp.MustCompile(`^[A-Za-z0-9\-._~+/]+=*$`)

// fzStorage is a Storage whose reads and writes fail on demand.
type fzStorage struct {
	MemoryStorage
	failGet, failSet atomic.Bool
}

func (s *fzStorage) Get(k string) (string, error) {
	if s.failGet.Load() {
		return "", errStorage
	}
	return s.MemoryStorage.Get(k)
}

func (s *fzStorage) Set(k, v string) error {
	if s.failSet.Load() {
		return errStorage
	}
	return s.MemoryStorage.Set(k, v)
}

func (s *fzStorage) Remove(k string) error {
	if s.failSet.Load() {
		return errStorage
	}
	return s.MemoryStorage.Remove(k)
}

// FuzzTokenStoreKeepsTheLastWrite checks the contract's Storage trouble:
// whatever the storage does (reads or writes start failing at any point), the
// store reads back the last tokens it wrote, filtered by validToken.
func FuzzTokenStoreKeepsTheLastWrite(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3, 4, 5, 6, 7}, "a1", "r1")
	f.Add([]byte{2, 0, 4, 0}, "undefined", " r1 ")
	f.Add([]byte{6, 0, 7, 0, 1}, "", "r\n1")
	f.Fuzz(func(t *testing.T, ops []byte, access, refresh string) {
		s := &fzStorage{}
		store := NewTokenStore(s, "accessToken", "refreshToken")
		want := Tokens{}
		for i, op := range ops {
			switch op % 8 {
			case 0:
				store.Set(Tokens{access, refresh})
				want = Tokens{validToken(access), validToken(refresh)}
			case 1:
				store.Clear()
				want = Tokens{}
			case 2:
				s.failGet.Store(true)
			case 3:
				s.failSet.Store(true)
			case 4:
				store.Set(Tokens{Access: refresh})
				want = Tokens{Access: validToken(refresh)}
			case 5:
				s.failGet.Store(false)
				s.failSet.Store(false)
			default:
				if got := (Tokens{store.Access(), store.Refresh()}); got != want {
					t.Fatalf("after ops %v: read %+v, last wrote %+v", ops[:i+1], got, want)
				}
			}
		}
		if got := (Tokens{store.Access(), store.Refresh()}); got != want {
			t.Fatalf("after ops %v: read %+v, last wrote %+v", ops, got, want)
		}
	})
}
