package authfetch_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/authfetch/authfetch"
)

// exampleAPI is an API whose access token "a1" has just been revoked; its
// refresh endpoint gives "a2" for the refresh token "r1".
func exampleAPI() (srv *httptest.Server, refreshes *atomic.Int64) {
	refreshes = new(atomic.Int64)
	mux := http.NewServeMux()
	mux.HandleFunc("POST /auth/refresh-token", func(w http.ResponseWriter, r *http.Request) {
		refreshes.Add(1)
		fmt.Fprint(w, `{"accessToken":"a2","refreshToken":"r2"}`)
	})
	mux.HandleFunc("/api/me", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer a2" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		fmt.Fprint(w, `{"name":"Ada"}`)
	})
	return httptest.NewServer(mux), refreshes
}

// A request whose token was revoked is refreshed and sent again.
func Example() {
	srv, _ := exampleAPI()
	defer srv.Close()

	client, err := authfetch.New(authfetch.Options{RefreshURL: srv.URL + "/auth/refresh-token"})
	if err != nil {
		panic(err)
	}
	client.SetTokens(authfetch.Tokens{Access: "a1", Refresh: "r1"}) // after a login

	res, err := client.HTTPClient().Get(srv.URL + "/api/me")
	if err != nil {
		panic(err)
	}
	defer res.Body.Close()
	fmt.Println(res.StatusCode, client.AccessToken())
	// Output: 200 a2
}

// Many requests that get a 401 at once share one refresh.
func ExampleClient_Fetch() {
	srv, refreshes := exampleAPI()
	defer srv.Close()
	client, _ := authfetch.New(authfetch.Options{RefreshURL: srv.URL + "/auth/refresh-token"})
	client.SetTokens(authfetch.Tokens{Access: "a1", Refresh: "r1"})

	var wg sync.WaitGroup
	var ok atomic.Int64
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, _ := http.NewRequest(http.MethodGet, srv.URL+"/api/me", nil)
			res, err := client.Fetch(context.Background(), req)
			if err == nil && res.StatusCode == http.StatusOK {
				ok.Add(1)
			}
			if err == nil {
				res.Body.Close()
			}
		}()
	}
	wg.Wait()
	fmt.Println(ok.Load(), "ok,", refreshes.Load(), "refresh")
	// Output: 20 ok, 1 refresh
}

// Subscribe hears what the JS API's on() hears.
func ExampleClient_Subscribe() {
	srv, _ := exampleAPI()
	defer srv.Close()
	client, _ := authfetch.New(authfetch.Options{RefreshURL: srv.URL + "/auth/refresh-token"})
	client.SetTokens(authfetch.Tokens{Access: "a1", Refresh: "r1"})
	stop := client.Subscribe(func(ev authfetch.Event) { fmt.Println(ev.Kind, ev.AccessToken) })
	defer stop()

	res, _ := client.HTTPClient().Post(srv.URL+"/api/me", "text/plain", strings.NewReader("hi"))
	res.Body.Close()
	// Output:
	// refresh a2
	// tokens a2
}

// Token hands what does not go through the Client, such as a WebSocket
// dial, a token that will not expire within the leeway: this one had 10 s
// left, so it is refreshed first.
func ExampleClient_Token() {
	srv, _ := exampleAPI()
	defer srv.Close()
	client, _ := authfetch.New(authfetch.Options{RefreshURL: srv.URL + "/auth/refresh-token"})
	client.SetTokensExpiring(authfetch.Tokens{Access: "a1", Refresh: "r1"}, 10*time.Second)

	tok, err := client.Token(context.Background())
	if err != nil {
		panic(err)
	}
	dial := http.Header{"Authorization": {"Bearer " + tok.AccessToken}}
	fmt.Println(dial.Get("Authorization"))
	// Output: Bearer a2
}
