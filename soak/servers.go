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

// refreshTimeout is the clients' refreshTimeoutMs (page.go).
const refreshTimeout = time.Second

// sessionNames are the page's sessions; the page's clients use them (see page.go).
var sessionNames = []string{"s1", "s2", "s3"}

// tokenPattern matches every token the fake API issues to the soak's sessions.
var tokenPattern = regexp.MustCompile(`s\d+-[ar]\d+`)

// servers are origin A (the application: the fake API with chaos, the page
// and the module) and origin B (another origin, which must never see a token).
type servers struct {
	api *browsertest.FakeAPI
	a   *browsertest.Server
	b   *browsertest.OtherOrigin
}

// startServers starts both origins, the chaos seeded with seed.
func startServers(h *browsertest.Harness, seed uint64) (*servers, error) {
	c := chaos
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
