package demoapi

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/authfetch/authfetch/server/dpop/dpoptest"
)

// The helpers of the tests of the switches, cookie mode and DPoP.

// origin is the origin httptest.NewRequest gives requests, which DPoP proofs name.
const origin = "http://example.com"

// send serves req and returns the answer.
func (x *harness) send(req *http.Request) *httptest.ResponseRecorder {
	x.t.Helper()
	rec := httptest.NewRecorder()
	x.api.ServeHTTP(rec, req)
	return rec
}

// request builds method path with a JSON body (none when empty) and the headers given
// as name, value pairs.
func request(method, path, body string, headers ...string) *http.Request {
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Add(headers[i], headers[i+1])
	}
	return req
}

// flip posts body to the switch at path and fails the test unless it is accepted.
func (x *harness) flip(path, body string) {
	x.t.Helper()
	wantStatus(x.t, x.do(http.MethodPost, path, body, ""), http.StatusOK)
}

// newKey makes a client's DPoP key.
func newKey(t *testing.T) *dpoptest.Key {
	t.Helper()
	k, err := dpoptest.NewKey()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// proof is a proof by k for method path, made now on the harness clock, with the access
// token's ath when token is set and the nonce when set.
func (x *harness) proof(k *dpoptest.Key, method, path, token, nonce string) string {
	x.t.Helper()
	p, err := k.Proof(dpoptest.Claims{Method: method, URL: origin + path, AccessToken: token, Nonce: nonce, IssuedAt: x.clock.Now()})
	if err != nil {
		x.t.Fatal(err)
	}
	return p
}

// cookieOf returns the refresh cookie that rec sets, failing the test without one.
func cookieOf(t *testing.T, rec *httptest.ResponseRecorder) *http.Cookie {
	t.Helper()
	for _, c := range rec.Result().Cookies() {
		if c.Name == refreshCookieName {
			return c
		}
	}
	t.Fatalf("no %s cookie in the answer; Set-Cookie %q", refreshCookieName, rec.Header().Values("Set-Cookie"))
	return nil
}
