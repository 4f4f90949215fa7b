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

// gather reads what the servers saw, and the counts of the sessions names.
func gather(srv *servers, names []string) seen {
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
	for _, name := range names {
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

// sends adds the checks of how often each request was sent to t: at most
// twice, and twice only after a 401 or after authfetch called the first
// attempt off (another request with its token got a 401 while it waited in
// the browser's queue or was on its way back). calledOff are the ids of the
// attempts called off; unsure are ids whose call-offs may have gone
// unrecorded (their page went away), left out of the check.
func sends(t *table, saw seen, calledOff []string, unsure map[string]bool) {
	off := map[string]bool{}
	for _, id := range calledOff {
		off[id] = true
	}
	var doubled, retried, resent int
	patterns := map[string]int{}
	for id, statuses := range saw.attempts {
		patterns[strings.Trim(fmt.Sprint(statuses), "[]")]++
		switch {
		case unsure[id]:
		case len(statuses) > 2 || len(statuses) == 2 && statuses[0] != 401 && !off[id]:
			doubled++
		case len(statuses) == 2 && statuses[0] == 401:
			retried++
		case len(statuses) == 2:
			resent++
		}
	}
	t.add("requests sent more than twice, or again without a 401 or a call-off", doubled == 0,
		"%d (retried after a 401: %d; after a call-off: %d)", doubled, retried, resent)
	t.info("  attempts called off", "%d", len(calledOff))
	// "401 401": the retry's new token was revoked again before it arrived
	// (the chaos revokes fresh tokens too); a retry is never retried.
	t.info("  statuses of the attempts, as the API answered them", "%s", joinCounts(patterns))
}
