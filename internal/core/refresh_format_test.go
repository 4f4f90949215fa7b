package core

import (
	"encoding/json"
	"fmt"
	"net/url"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestQuoteJSON(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"", `""`},
		{"abc", `"abc"`},
		{`a"b`, `"a\"b"`},
		{`a\b`, `"a\\b"`},
		{`\"`, `"\\\""`},
		{"\n\r\t", `"\u000a\u000d\u0009"`},
		{"\x00\x01\x1f", `"\u0000\u0001\u001f"`},
		{"\x7f", "\"\x7f\""},
		{"</script>&", `"</script>&"`},
		{"tök€😀", `"tök€😀"`},
		{"\u2028\u2029", "\"\u2028\u2029\""},
		{"a\xffb", "\"a\ufffdb\""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got := quoteJSON(tt.in)
			assert.Equal(t, tt.want, got)
			// It means what encoding/json's own quoting means.
			std, err := json.Marshal(tt.in)
			require.NoError(t, err)
			var fromOurs, fromStd string
			require.NoError(t, json.Unmarshal([]byte(got), &fromOurs), got)
			require.NoError(t, json.Unmarshal(std, &fromStd))
			assert.Equal(t, fromStd, fromOurs)
		})
	}
}

func TestRefreshBody(t *testing.T) {
	tests := []struct {
		name            string
		format          Format
		token, clientID string
		wantType        string
		wantBody        string
	}{
		{"json", FormatJSON, "R1", "", "application/json", `{"refreshToken":"R1"}`},
		{"json ignores the client id", FormatJSON, "R1", "spa", "application/json", `{"refreshToken":"R1"}`},
		{"json escapes", FormatJSON, "a\"b\\c", "", "application/json", `{"refreshToken":"a\"b\\c"}`},
		{"oauth2", FormatOAuth2, "R1", "", "application/x-www-form-urlencoded", "grant_type=refresh_token&refresh_token=R1"},
		{"oauth2 with client id", FormatOAuth2, "R1", "my app", "application/x-www-form-urlencoded", "grant_type=refresh_token&refresh_token=R1&client_id=my+app"},
		{"json without a refresh token of ours (a cookie holds it)", FormatJSON, "", "spa", "application/json", `{}`},
		{"oauth2 without a refresh token of ours", FormatOAuth2, "", "spa", "application/x-www-form-urlencoded", "grant_type=refresh_token&client_id=spa"},
		{"oauth2 escapes", FormatOAuth2, "a+b/c=d&e f", "x&y=z", "application/x-www-form-urlencoded", "grant_type=refresh_token&refresh_token=a%2Bb%2Fc%3Dd%26e+f&client_id=x%26y%3Dz"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ct, body := refreshBody(tt.format, tt.token, tt.clientID)
			assert.Equal(t, tt.wantType, ct)
			assert.Equal(t, tt.wantBody, body)
		})
	}
}

func TestParseFormat(t *testing.T) {
	f, err := ParseFormat("json")
	assert.NoError(t, err)
	assert.Equal(t, FormatJSON, f)
	f, err = ParseFormat("oauth2")
	assert.NoError(t, err)
	assert.Equal(t, FormatOAuth2, f)
	_, err = ParseFormat("OAuth2")
	assert.EqualError(t, err, `must be 'json' or 'oauth2', got "OAuth2"`)
}

func FuzzQuoteJSON(f *testing.F) {
	for _, s := range []string{"", "R1", `a"b\c`, "\x00\n\x1f\x7f", "tök€😀", "\u2028", "a\xffb", "\xed\xa0\x80"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q := quoteJSON(s)
		var back string
		if err := json.Unmarshal([]byte(q), &back); err != nil {
			t.Fatalf("quoteJSON(%q) = %s, not a JSON string: %v", s, q, err)
		}
		std, _ := json.Marshal(s)
		var want string
		if err := json.Unmarshal(std, &want); err != nil {
			t.Fatal(err)
		}
		if back != want {
			t.Fatalf("quoteJSON(%q) decodes to %q, encoding/json's to %q", s, back, want)
		}
		if utf8.ValidString(s) && back != s {
			t.Fatalf("quoteJSON(%q) decodes to %q", s, back)
		}
	})
}

// FuzzFormEscape checks formEscape against net/url, which it stands in for.
func FuzzFormEscape(f *testing.F) {
	for _, s := range []string{"", "r1", "a b+c&d=e", "é/?#%", "\x00\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := formEscape(s), url.QueryEscape(s); got != want {
			t.Fatalf("formEscape(%q) = %q, net/url gives %q", s, got, want)
		}
	})
}

// FuzzRefreshBody checks that the refresh body carries exactly the refresh
// token (and client_id), whatever bytes the tokens hold: the JSON body decodes
// to {"refreshToken": rt}, the form to grant_type, refresh_token and client_id
// and nothing else, so no token can smuggle in a field of its own.
func FuzzRefreshBody(f *testing.F) {
	f.Add("r1", "", false)
	f.Add("r1", "app", true)
	f.Add(`r"1\`, "", false)
	f.Add("r1&grant_type=password&scope=admin", "a&b=c", true)
	f.Add("r1\x00\n\u2028", "é ü+", true)
	f.Add(`","refreshToken":"evil`, "", false)
	f.Add("", "app", true)
	f.Fuzz(func(t *testing.T, rt, clientID string, oauth2 bool) {
		if !oauth2 {
			ct, body := refreshBody(FormatJSON, rt, clientID)
			if ct != "application/json" {
				t.Fatalf("content type %q", ct)
			}
			var got map[string]any
			if err := json.Unmarshal([]byte(body), &got); err != nil {
				t.Fatalf("body %s for %q is not JSON: %v", body, rt, err)
			}
			if rt == "" {
				if len(got) != 0 {
					t.Fatalf("no refresh token: body %s, want {}", body)
				}
				return
			}
			want := string([]rune(rt)) // each invalid byte becomes U+FFFD, as quoteJSON documents
			if len(got) != 1 || got["refreshToken"] != want {
				t.Fatalf("body %s decodes to %v, want only refreshToken %q", body, got, want)
			}
			return
		}
		ct, body := refreshBody(FormatOAuth2, rt, clientID)
		if ct != "application/x-www-form-urlencoded" {
			t.Fatalf("content type %q", ct)
		}
		got, err := url.ParseQuery(body)
		if err != nil {
			t.Fatalf("body %q does not parse as a form: %v", body, err)
		}
		want := url.Values{"grant_type": {"refresh_token"}}
		if rt != "" {
			want.Set("refresh_token", rt)
		}
		if clientID != "" {
			want.Set("client_id", clientID)
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("form %q decodes to %v, want %v", body, got, want)
		}
	})
}
