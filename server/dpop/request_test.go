package dpop

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestVerifyRequest(t *testing.T) {
	key := newTestKey(t)
	v := &Verifier{Now: fixedClock(t0)}
	r := httptest.NewRequest("GET", apiURL+"?page=2", nil) // https: r.TLS is set
	r.Header.Set(HeaderProof, key.proof(t, "GET", apiURL, apiToken))
	r.Header.Set("Authorization", "DPoP "+apiToken)
	token, ok := AccessToken(r)
	if !ok || token != apiToken {
		t.Fatalf("AccessToken = %q, %v", token, ok)
	}
	p, err := v.VerifyRequest(r, token)
	if err != nil || p.JKT != key.jkt() {
		t.Fatalf("VerifyRequest = %+v, %v", p, err)
	}

	plain := httptest.NewRequest("GET", "http://api.example.com/api/me", nil)
	plain.Header.Set(HeaderProof, key.proof(t, "GET", apiURL, apiToken))
	_, err = v.VerifyRequest(plain, apiToken)
	assertRefused(t, err, CodeInvalidProof, `request is "http://api.example.com/api/me"`)
}

func TestVerifyRequestWantsOneProof(t *testing.T) {
	key := newTestKey(t)
	v := &Verifier{Now: fixedClock(t0)}
	r := httptest.NewRequest("GET", apiURL, nil)
	_, err := v.VerifyRequest(r, apiToken)
	assertRefused(t, err, CodeInvalidProof, "no DPoP header")

	r.Header.Add(HeaderProof, key.proof(t, "GET", apiURL, apiToken))
	r.Header.Add(HeaderProof, key.proof(t, "GET", apiURL, apiToken))
	_, err = v.VerifyRequest(r, apiToken)
	assertRefused(t, err, CodeInvalidProof, "2 DPoP headers, want one")
}

func TestVerifyRequestBehindAProxy(t *testing.T) {
	key := newTestKey(t)
	v := &Verifier{
		Now:        fixedClock(t0),
		RequestURL: func(r *http.Request) string { return "https://api.example.com" + r.URL.EscapedPath() },
	}
	r := httptest.NewRequest("GET", "http://10.0.0.7:8080/api/me", nil) // as the proxy forwards it
	r.Header.Set(HeaderProof, key.proof(t, "GET", apiURL, apiToken))
	if _, err := v.VerifyRequest(r, apiToken); err != nil {
		t.Fatalf("VerifyRequest with RequestURL: %v", err)
	}
}

func TestAccessToken(t *testing.T) {
	for _, tc := range []struct {
		header string
		token  string
		ok     bool
	}{
		{"DPoP abc.def", "abc.def", true},
		{"dpop abc", "abc", true},
		{"DPoP  abc ", "abc", true},
		{"Bearer abc", "", false},
		{"DPoP", "", false},
		{"DPoP ", "", false},
		{"", "", false},
	} {
		r := httptest.NewRequest("GET", apiURL, nil)
		if tc.header != "" {
			r.Header.Set("Authorization", tc.header)
		}
		if token, ok := AccessToken(r); token != tc.token || ok != tc.ok {
			t.Errorf("AccessToken(Authorization: %q) = %q, %v; want %q, %v", tc.header, token, ok, tc.token, tc.ok)
		}
	}
}
