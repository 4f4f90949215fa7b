package dpop

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

// assertRefused fails t unless err is an *Error with code whose message has
// the "dpop: " prefix and contains want.
func assertRefused(t *testing.T, err error, code, want string) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("err = %v (%T), want an *Error with %s", err, err, code)
	}
	if e.Code != code {
		t.Fatalf("code %s, want %s: %v", e.Code, code, err)
	}
	if msg := err.Error(); !strings.HasPrefix(msg, "dpop: ") || !strings.Contains(msg, want) {
		t.Fatalf("err = %q, want it to contain %q", msg, want)
	}
}

// mustJSON returns v as JSON text.
func mustJSON(t testing.TB, v any) string {
	t.Helper()
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}
