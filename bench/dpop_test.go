//go:build !js

package main

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/authfetch/authfetch/server/dpop/dpoptest"
)

func TestDPoPAPIPassesAProvenTokenAsBearerAndRefusesAnyOther(t *testing.T) {
	var seen string // the Authorization the fake API got
	api := newDPoPAPI(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen = r.Header.Get("Authorization")
	}))
	const url = "http://127.0.0.1:1/api/item"
	send := func(scheme string, key *dpoptest.Key, proof string) int {
		t.Helper()
		seen = ""
		r := httptest.NewRequest(http.MethodGet, url, nil)
		r.Header.Set("Authorization", scheme+" a1")
		if key != nil && proof == "" {
			var err error
			if proof, err = key.Proof(dpoptest.Claims{Method: "GET", URL: url, AccessToken: "a1"}); err != nil {
				t.Fatal(err)
			}
		}
		if proof != "" {
			r.Header.Set("DPoP", proof)
		}
		w := httptest.NewRecorder()
		api.ServeHTTP(w, r)
		return w.Code
	}
	key, err := dpoptest.NewKey()
	if err != nil {
		t.Fatal(err)
	}
	other, err := dpoptest.NewKey()
	if err != nil {
		t.Fatal(err)
	}

	if code := send("DPoP", key, ""); code != http.StatusOK || seen != "Bearer a1" {
		t.Fatalf("a proven DPoP token: %d, the fake saw %q; want 200 and Bearer a1", code, seen)
	}
	if code := send("DPoP", other, ""); code != http.StatusUnauthorized || seen != "" {
		t.Errorf("the token with another key's proof: %d, the fake saw %q; want 401 before the fake", code, seen)
	}
	if code := send("DPoP", nil, ""); code != http.StatusUnauthorized || seen != "" {
		t.Errorf("the token as DPoP without a proof: %d, the fake saw %q; want 401 before the fake", code, seen)
	}
	proof, err := key.Proof(dpoptest.Claims{Method: "GET", URL: url, AccessToken: "a1"})
	if err != nil {
		t.Fatal(err)
	}
	send("DPoP", key, proof)
	if code := send("DPoP", key, proof); code != http.StatusUnauthorized {
		t.Errorf("a proof sent twice: %d, want 401", code)
	}
	if code := send("Bearer", nil, ""); code != http.StatusOK || seen != "Bearer a1" {
		t.Errorf("a Bearer token: %d, the fake saw %q; want it passed as it is", code, seen)
	}
}
