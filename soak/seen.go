//go:build !js

package main

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/authfetch/authfetch/internal/browsertest"
)

// seen is what the servers saw, read from the fake API's counts and the
// records of both origins once the page is done.
type seen struct {
	attempts map[string][]int                    // request id → the statuses the API answered its attempts with
	badBody  int                                 // POSTs whose body differed from what the page sent
	sessions map[string]browsertest.SessionState // by name
	leaks    []string                            // what B saw of a token
	bSeen    int                                 // requests B received, preflights aside
}

// gather reads what the servers saw.
func gather(srv *servers) seen {
	s := seen{attempts: map[string][]int{}, sessions: map[string]browsertest.SessionState{}}
	for _, r := range srv.api.Requests("/api/item") {
		u, err := url.Parse(r.URI)
		if err != nil {
			continue
		}
		id := u.Query().Get("id")
		if r.Method == "POST" && r.Body != `{"id":"`+id+`"}` {
			s.badBody++
		}
		if r.Status != 0 { // answered: the browser had not left
			s.attempts[id] = append(s.attempts[id], r.Status)
		}
	}
	for _, name := range sessionNames {
		s.sessions[name] = srv.api.Session(name)
	}
	for _, r := range srv.b.Requests() {
		s.bSeen++
		s.leaks = append(s.leaks, leaksOf(r)...)
	}
	for _, h := range srv.b.Preflights() {
		if strings.Contains(strings.ToLower(h), "authorization") {
			s.leaks = append(s.leaks, "a preflight announced Authorization: "+h)
		}
	}
	return s
}

// leaksOf says where r carried a token.
func leaksOf(r browsertest.Record) []string {
	var out []string
	if r.Auth != "" {
		out = append(out, fmt.Sprintf("%s %s carried Authorization: %s", r.Method, r.URI, r.Auth))
	}
	for name, v := range r.Header {
		if name != "Authorization" && tokenPattern.MatchString(strings.Join(v, ",")) {
			out = append(out, fmt.Sprintf("%s %s: a token in the header %s", r.Method, r.URI, name))
		}
	}
	if tokenPattern.MatchString(r.URI) || tokenPattern.MatchString(r.Body) {
		out = append(out, fmt.Sprintf("%s %s: a token in the URL or body", r.Method, r.URI))
	}
	return out
}
