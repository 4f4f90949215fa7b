//go:build !js

package main

import (
	"regexp"
	"time"

	"github.com/authfetch/authfetch/internal/browsertest"
)

// chaos is how the soak's API misbehaves: the rates and bounds of its
// revocations, delays, failed, rejected and late refreshes.
var chaos = browsertest.Chaos{
	Revoke:        1.0 / 120, // an API request revokes the valid access token it carries
	Reject:        0.03,      // a refresh is rejected: the session must log in again
	Transient:     0.15,      // a refresh fails transiently
	Late:          0.03,      // a refresh succeeds after the clients' refreshTimeoutMs
	APIDelay:      10 * time.Millisecond,
	RefreshDelay:  100 * time.Millisecond,
	LateAfter:     1500 * time.Millisecond,
	NoAnswerAfter: 2500 * time.Millisecond, // a refresh that "never answers" answers 503 this late
}

// tabChaos is chaos with more revocations, from a server that spends a
// refresh token as the call arrives: the tab mode's load is split across
// three tabs, and its point is what the tabs do around refreshes, a tab
// that leaves mid-refresh among them.
var tabChaos = func() browsertest.Chaos {
	c := chaos
	c.Revoke = 1.0 / 30
	c.SpendOnArrival = true
	return c
}()

// refreshTimeout is the clients' refreshTimeoutMs (page.js, tabpage.js).
const refreshTimeout = time.Second

// sessionNames are the single mode's sessions; the page's clients use them
// (see page.js). The tab mode's one session is tabSession.
var sessionNames = []string{"s1", "s2", "s3"}

// tabSession is the fake API's name of the tab mode's session, whose tokens
// the tabs' clients keep under authfetch's default keys.
const tabSession = "tabs"

// tokenPattern matches every token the fake API issues to the soak's sessions.
var tokenPattern = regexp.MustCompile(`(s\d+|tabs)-[ar]\d+`)

// servers are origin A (the application: the fake API with chaos, the page
// and the module) and origin B (another origin, which must never see a token).
type servers struct {
	api *browsertest.FakeAPI
	a   *browsertest.Server
	b   *browsertest.OtherOrigin
}

// startServers starts both origins, the chaos c seeded with seed.
func startServers(h *browsertest.Harness, c browsertest.Chaos, seed uint64) (*servers, error) {
	c.Seed = seed
	api := browsertest.NewFakeAPI(browsertest.Config{Record: true, Chaos: c, Files: h.Files()})
	a, err := browsertest.Serve(api)
	if err != nil {
		return nil, err
	}
	b, err := browsertest.StartOtherOrigin()
	if err != nil {
		a.Close()
		return nil, err
	}
	return &servers{api: api, a: a, b: b}, nil
}

func (s *servers) close() {
	s.api.Close()
	s.a.Close()
	s.b.Close()
}
