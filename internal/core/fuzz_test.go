package core

import (
	"encoding/base64"
	"encoding/json"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"
)

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

func FuzzClassifyAnswer(f *testing.F) {
	f.Add(200, `{"accessToken":"A","refreshToken":"R","expiresIn":60}`, false)
	f.Add(200, `{"access_token":"A","expires_in":"3600"}`, true)
	f.Add(200, `{"accessToken":"undefined"}`, false)
	f.Add(200, `not json`, false)
	f.Add(400, `{"error":"invalid_grant"}`, true)
	f.Add(401, ``, false)
	f.Add(503, `{"error":"x"}`, false)
	f.Add(-1, `{}`, true)
	f.Fuzz(func(t *testing.T, status int, text string, oauth2 bool) {
		format := FormatJSON
		if oauth2 {
			format = FormatOAuth2
		}
		res := classifyAnswer(format, status, text, parseJSON)
		if res.Status != status {
			t.Fatalf("status %d, want %d", res.Status, status)
		}
		switch res.Outcome {
		case Refreshed:
			if status < 200 || status > 299 {
				t.Fatalf("refreshed on %d", status)
			}
			if res.Tokens.Access == "" || validToken(res.Tokens.Access) != res.Tokens.Access {
				t.Fatalf("refreshed with access token %q", res.Tokens.Access)
			}
			if validToken(res.Tokens.Refresh) != res.Tokens.Refresh {
				t.Fatalf("refreshed with refresh token %q", res.Tokens.Refresh)
			}
			if res.ExpiresIn < 0 || res.Reason != "" {
				t.Fatalf("refreshed with %+v", res)
			}
		case Rejected, Transient:
			if res.Reason == "" || res.Tokens != (Tokens{}) || res.ExpiresIn != 0 {
				t.Fatalf("failed with %+v", res)
			}
			if (status == 400 || status == 401 || status == 403) && res.Outcome != Rejected {
				t.Fatalf("%d not rejected", status)
			}
		default:
			t.Fatalf("outcome %v", res.Outcome)
		}
	})
}

func FuzzOrigin(f *testing.F) {
	for _, s := range []string{"https://example.com/x", "HTTP://A.B:80/", "https://a:443", "http://[::1]:8080", "/rel", "mailto:x", "http://%zz", "http://u:p@h/"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		o := Origin(raw)
		if o == "" {
			return
		}
		u, err := url.Parse(o)
		if err != nil {
			t.Fatalf("Origin(%q) = %q, which does not parse: %v", raw, o, err)
		}
		if o != strings.ToLower(o) {
			t.Fatalf("Origin(%q) = %q, not lower case", raw, o)
		}
		if u.Scheme == "" || u.Host == "" || u.Path != "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
			t.Fatalf("Origin(%q) = %q, not scheme://host[:port]", raw, o)
		}
		if !strings.HasPrefix(o, u.Scheme+"://") {
			t.Fatalf("Origin(%q) = %q", raw, o)
		}
		if Origin(o+"/some/path?q#f") != o {
			t.Fatalf("Origin(%q) = %q, but Origin(%q) = %q", raw, o, o+"/some/path?q#f", Origin(o+"/some/path?q#f"))
		}
	})
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
