// Package authfetch is authfetch for Go programs: an HTTP client that attaches
// the bearer token, refreshes it once for every request that gets a 401,
// queues the others behind that refresh, and retries each once. It is the same
// refresh logic (package internal/core) that the WebAssembly module gives web
// pages through js/authfetch.js, behind an http.RoundTripper instead of the
// page's fetch.
//
// It works in native programs (a CLI, a service calling an API on a user's
// behalf) and in Go WebAssembly apps (go-app, Vecty), where net/http itself
// calls the browser's fetch; there, LocalStorage keeps the tokens where a
// login page writes them.
//
//	client, err := authfetch.New(authfetch.Options{RefreshURL: "https://api.example.com/auth/refresh-token"})
//	client.SetTokens(authfetch.Tokens{Access: access, Refresh: refresh})
//	res, err := client.HTTPClient().Get("https://api.example.com/me")
package authfetch
