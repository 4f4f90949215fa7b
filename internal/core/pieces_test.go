package core

import (
	"encoding/base64"
	"encoding/json"
	"math"
	"testing"
	"time"

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

// The session's token API fires the tokens event with what is stored.
func TestSessionSetAndClearTokens(t *testing.T) {
	e := newEnv(t, Tokens{}, "", newFakeTransport(answer{}), nil)
	e.session.SetTokens(Tokens{"A1", "R1"})
	assert.Equal(t, "A1", e.session.AccessToken())
	e.session.SetTokens(Tokens{Access: "A2"})
	assert.Equal(t, Tokens{Access: "A2"}, e.tokens())
	e.session.SetTokens(Tokens{"undefined", "R3"})
	assert.Equal(t, Tokens{Refresh: "R3"}, e.tokens())
	e.session.SetTokens(Tokens{Access: "A2"})
	e.session.ClearTokens()
	e.session.ClearTokens()
	assert.Equal(t, Tokens{}, e.tokens())
	// tokens fires when the access token changes, not for every write.
	assert.Equal(t, []Event{
		{Kind: EventTokens, AccessToken: "A1"},
		{Kind: EventTokens, AccessToken: "A2"},
		{Kind: EventTokens},
		{Kind: EventTokens, AccessToken: "A2"},
		{Kind: EventTokens},
	}, e.events.all())
}

func TestSubscribeUnsubscribe(t *testing.T) {
	s := NewSession(NewTokenStore(&MemoryStorage{}, "a", "r"), parseJSON, nil)
	var a, b eventLog
	unA := s.Subscribe(a.record)
	unB := s.Subscribe(b.record)
	s.SetTokens(Tokens{Access: "A1"})
	unA()
	unA() // twice is harmless
	s.ClearTokens()
	unB()
	s.SetTokens(Tokens{Access: "A2"})
	assert.Equal(t, []Event{{Kind: EventTokens, AccessToken: "A1"}}, a.all())
	assert.Equal(t, []Event{{Kind: EventTokens, AccessToken: "A1"}, {Kind: EventTokens}}, b.all())
}

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

func TestClassifyAnswer(t *testing.T) {
	tests := []struct {
		name   string
		format Format
		status int
		text   string
		want   RefreshResult
	}{
		{"json full", FormatJSON, 200, `{"accessToken":"A","refreshToken":"R","expiresIn":60}`,
			RefreshResult{Outcome: Refreshed, Status: 200, Tokens: Tokens{"A", "R"}, ExpiresIn: time.Minute}},
		{"json fractional expiresIn", FormatJSON, 200, `{"accessToken":"A","expiresIn":1.5}`,
			RefreshResult{Outcome: Refreshed, Status: 200, Tokens: Tokens{Access: "A"}, ExpiresIn: 1500 * time.Millisecond}},
		{"json access only", FormatJSON, 200, `{"accessToken":"A"}`,
			RefreshResult{Outcome: Refreshed, Status: 200, Tokens: Tokens{Access: "A"}}},
		{"json refresh undefined", FormatJSON, 200, `{"accessToken":"A","refreshToken":"undefined"}`,
			RefreshResult{Outcome: Refreshed, Status: 200, Tokens: Tokens{Access: "A"}}},
		{"204, expiresIn negative", FormatJSON, 204, `{"accessToken":"A","expiresIn":-5}`,
			RefreshResult{Outcome: Refreshed, Status: 204, Tokens: Tokens{Access: "A"}}},
		{"json expiresIn too large", FormatJSON, 200, `{"accessToken":"A","expiresIn":1e300}`,
			RefreshResult{Outcome: Refreshed, Status: 200, Tokens: Tokens{Access: "A"}}},
		{"json expiresIn not a number", FormatJSON, 200, `{"accessToken":"A","expiresIn":"soon"}`,
			RefreshResult{Outcome: Refreshed, Status: 200, Tokens: Tokens{Access: "A"}}},
		{"json with oauth2 names", FormatJSON, 200, `{"access_token":"A"}`,
			RefreshResult{Outcome: Rejected, Status: 200, Reason: "answered 200 without accessToken"}},
		{"json access not a string", FormatJSON, 200, `{"accessToken":42}`,
			RefreshResult{Outcome: Rejected, Status: 200, Reason: "answered 200 without accessToken"}},
		{"json access empty", FormatJSON, 200, `{"accessToken":""}`,
			RefreshResult{Outcome: Rejected, Status: 200, Reason: "answered 200 without accessToken"}},
		{"json access with a newline", FormatJSON, 200, `{"accessToken":"a\nb"}`,
			RefreshResult{Outcome: Rejected, Status: 200, Reason: "answered 200 without accessToken"}},
		{"not JSON", FormatJSON, 200, `<html>`,
			RefreshResult{Outcome: Transient, Status: 200, Reason: "answered 200 with a body that is not a JSON object"}},
		{"empty body", FormatJSON, 200, ``,
			RefreshResult{Outcome: Transient, Status: 200, Reason: "answered 200 with a body that is not a JSON object"}},
		{"JSON array", FormatJSON, 200, `[{"accessToken":"A"}]`,
			RefreshResult{Outcome: Transient, Status: 200, Reason: "answered 200 with a body that is not a JSON object"}},
		{"JSON null", FormatJSON, 200, `null`,
			RefreshResult{Outcome: Transient, Status: 200, Reason: "answered 200 with a body that is not a JSON object"}},
		{"400 with error", FormatJSON, 400, `{"error":"invalid_grant"}`,
			RefreshResult{Outcome: Rejected, Status: 400, Reason: "answered 400 invalid_grant"}},
		{"401 plain", FormatJSON, 401, `Unauthorized`,
			RefreshResult{Outcome: Rejected, Status: 401, Reason: "answered 401"}},
		{"403 error not a string", FormatJSON, 403, `{"error":{"code":1}}`,
			RefreshResult{Outcome: Rejected, Status: 403, Reason: "answered 403"}},
		{"404", FormatJSON, 404, ``,
			RefreshResult{Outcome: Transient, Status: 404, Reason: "answered 404"}},
		{"429", FormatJSON, 429, `{"error":"slow down"}`,
			RefreshResult{Outcome: Transient, Status: 429, Reason: "answered 429 slow down"}},
		{"500", FormatJSON, 500, `{"accessToken":"A"}`,
			RefreshResult{Outcome: Transient, Status: 500, Reason: "answered 500"}},
		{"503", FormatJSON, 503, `{"error":"maintenance"}`,
			RefreshResult{Outcome: Transient, Status: 503, Reason: "answered 503 maintenance"}},
		{"302", FormatJSON, 302, ``,
			RefreshResult{Outcome: Transient, Status: 302, Reason: "answered 302"}},
		{"0 (opaque)", FormatJSON, 0, ``,
			RefreshResult{Outcome: Transient, Status: 0, Reason: "answered 0"}},
		{"oauth2 full", FormatOAuth2, 200, `{"access_token":"A","refresh_token":"R","expires_in":3600,"token_type":"Bearer"}`,
			RefreshResult{Outcome: Refreshed, Status: 200, Tokens: Tokens{"A", "R"}, ExpiresIn: time.Hour}},
		{"oauth2 expires_in as a string", FormatOAuth2, 200, `{"access_token":"A","expires_in":"3600"}`,
			RefreshResult{Outcome: Refreshed, Status: 200, Tokens: Tokens{Access: "A"}, ExpiresIn: time.Hour}},
		{"oauth2 with json names", FormatOAuth2, 200, `{"accessToken":"A"}`,
			RefreshResult{Outcome: Rejected, Status: 200, Reason: "answered 200 without access_token"}},
		{"oauth2 invalid_grant", FormatOAuth2, 400, `{"error":"invalid_grant","error_description":"revoked"}`,
			RefreshResult{Outcome: Rejected, Status: 400, Reason: "answered 400 invalid_grant"}},
		{"oauth2 invalid_client", FormatOAuth2, 401, `{"error":"invalid_client"}`,
			RefreshResult{Outcome: Rejected, Status: 401, Reason: "answered 401 invalid_client"}},
		{"oauth2 server_error", FormatOAuth2, 500, `{"error":"server_error"}`,
			RefreshResult{Outcome: Transient, Status: 500, Reason: "answered 500 server_error"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, classifyAnswer(tt.format, tt.status, tt.text, parseJSON))
		})
	}
}

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

func TestOrigin(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"https://example.com/path?q=1#f", "https://example.com"},
		{"https://example.com", "https://example.com"},
		{"HTTPS://EXAMPLE.COM/", "https://example.com"},
		{"https://Api.Example.com:8443/x", "https://api.example.com:8443"},
		{"http://localhost:8080/api", "http://localhost:8080"},
		{"http://127.0.0.1:0/", "http://127.0.0.1:0"},
		{"http://[::1]:8080/", "http://[::1]:8080"},
		{"http://user:pw@example.com/", "http://example.com"},
		// Default ports are dropped, as the browser's URL.origin drops them.
		{"https://example.com:443/", "https://example.com"},
		{"http://example.com:80/", "http://example.com"},
		{"http://example.com:443/", "http://example.com:443"},
		{"https://example.com:80/", "https://example.com:80"},
		{"http://example.com:/", "http://example.com"},
		{"http://example.com:8o/", ""},
		{"http://[::1/", ""},
		{"http://[::ffff:10.0.0.1]:81/", "http://[::ffff:10.0.0.1]:81"},
		{"http://[1:2:3:4:5:6:7:8]/", "http://[1:2:3:4:5:6:7:8]"},
		{"http://[0:]/", ""},
		{"http://[:]/", ""},
		{"http://[1::2::3]/", ""},
		{"http://[::]::/", ""},
		{"http://[::1]::80/", ""},
		// No origin.
		{"", ""},
		{"/api/me", ""},
		{"api/me", ""},
		{"example.com/api", ""},
		{"//example.com/api", ""},
		{"http://", ""},
		{"http:///path", ""},
		{"mailto:someone@example.com", ""},
		{"javascript:alert(1)", ""},
		{"file:///etc/passwd", ""},
		{"::garbage", ""},
		{"http://exa mple.com/", ""},
		{"http://%zz/", ""},
		{"\x00http://example.com", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			assert.Equal(t, tt.want, Origin(tt.in))
		})
	}
}

func TestOriginAllowed(t *testing.T) {
	allowed := []string{"https://app.example.com", "http://localhost:8080"}
	tests := []struct {
		origin string
		want   bool
	}{
		{"https://app.example.com", true},
		{"http://localhost:8080", true},
		{"http://app.example.com", false},
		{"https://app.example.com:8443", false},
		{"https://evil.app.example.com", false},
		{"https://app.example.com.evil.net", false},
		{"", false},
	}
	for _, tt := range tests {
		t.Run(tt.origin, func(t *testing.T) {
			assert.Equal(t, tt.want, originAllowed(tt.origin, allowed))
		})
	}
	assert.False(t, originAllowed("", []string{""}), "an empty origin is never allowed")
	assert.False(t, originAllowed("https://app.example.com", nil))
}

func TestSetTokensFiresWhenOnlyTheRefreshTokenChanges(t *testing.T) {
	e := newEnv(t, Tokens{"A1", "R1"}, "", newFakeTransport(answer{}), nil)
	e.session.SetTokens(Tokens{"A1", "R2"})
	e.session.SetTokens(Tokens{"A1", "R2"}) // the same pair: nothing changed
	assert.Equal(t, []Event{{Kind: EventTokens, AccessToken: "A1"}}, e.events.all())
}
