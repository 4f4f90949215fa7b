package core

import (
	"encoding/base64"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestJWTExpiry(t *testing.T) {
	enc := func(payload string) string {
		return "eyJhbGciOiJIUzI1NiJ9." + base64.RawURLEncoding.EncodeToString([]byte(payload)) + ".sig"
	}
	padded := "h." + base64.URLEncoding.EncodeToString([]byte(`{"exp": 1900000000}`)) + ".s"
	require.Contains(t, padded, "=", "the padded case must have padding")
	std := "h." + base64.StdEncoding.EncodeToString([]byte(`{"exp":1900000000,"x":"??>>"}`)) + ".s"
	require.Regexp(t, `[+/]`, std, "the standard base64 case must differ from base64url")
	tests := []struct {
		name   string
		token  string
		want   time.Time
		wantOK bool
	}{
		{"valid", enc(`{"sub":"u","exp":1900000000}`), time.Unix(1900000000, 0), true},
		{"fractional", enc(`{"exp":1900000000.25}`), time.Unix(1900000000, 250_000_000), true},
		{"padded", padded, time.Unix(1900000000, 0), true},
		{"url-safe characters", enc(`{"exp":1900000000,"x":"??>>"}`), time.Unix(1900000000, 0), true},
		{"empty signature", "h." + base64.RawURLEncoding.EncodeToString([]byte(`{"exp":1}`)) + ".", time.Unix(1, 0), true},
		{"two parts", "h." + base64.RawURLEncoding.EncodeToString([]byte(`{"exp":1900000000}`)), time.Time{}, false},
		{"four parts", enc(`{"exp":1900000000}`) + ".x", time.Time{}, false},
		{"not a JWT", "opaque-token", time.Time{}, false},
		{"empty", "", time.Time{}, false},
		{"bad base64", "h.!!!.s", time.Time{}, false},
		{"standard base64", std, time.Time{}, false},
		{"payload not JSON", enc(`exp=1900000000`), time.Time{}, false},
		{"payload an array", enc(`[1900000000]`), time.Time{}, false},
		{"no exp", enc(`{"sub":"u"}`), time.Time{}, false},
		{"string exp", enc(`{"exp":"1900000000"}`), time.Time{}, false},
		{"null exp", enc(`{"exp":null}`), time.Time{}, false},
		{"bool exp", enc(`{"exp":true}`), time.Time{}, false},
		{"huge exp", enc(`{"exp":1e300}`), time.Time{}, false},
		{"just above the bound", enc(`{"exp":1000000000001}`), time.Time{}, false},
		{"at the bound", enc(`{"exp":1000000000000}`), time.Unix(1e12, 0), true},
		{"zero", enc(`{"exp":0}`), time.Time{}, false},
		{"negative", enc(`{"exp":-1}`), time.Time{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := jwtExpiry(tt.token, parseJSON)
			assert.Equal(t, tt.wantOK, ok)
			assert.True(t, tt.want.Equal(got), "got %v, want %v", got, tt.want)
		})
	}
	// A parser that hands back odd numbers is not trusted either.
	for _, v := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
		_, ok := jwtExpiry(enc(`{}`), func(string) (map[string]any, bool) { return map[string]any{"exp": v}, true })
		assert.False(t, ok, "exp %v", v)
	}
}

func FuzzJWTExpiry(f *testing.F) {
	for _, payload := range []string{`{"exp":1900000000}`, `{"exp":1.5}`, `{"exp":"1"}`, `{}`, `[]`, `{"exp":-1e308}`, `{"exp":1e12}`} {
		f.Add("h." + base64.RawURLEncoding.EncodeToString([]byte(payload)) + ".s")
		f.Add("h." + base64.URLEncoding.EncodeToString([]byte(payload)) + ".s")
	}
	f.Add("a.b.c")
	f.Add("..")
	f.Add("h.====.s")
	f.Fuzz(func(t *testing.T, token string) {
		exp, ok := jwtExpiry(token, parseJSON)
		if !ok {
			if !exp.IsZero() {
				t.Fatalf("not ok but exp %v", exp)
			}
			return
		}
		if strings.Count(token, ".") != 2 {
			t.Fatalf("ok for %q, which is not three parts", token)
		}
		if sec := exp.Unix(); sec < 0 || sec > maxUnixSeconds {
			t.Fatalf("exp %v out of range", exp)
		}
	})
}
