//go:build !js

package main

import (
	"strings"
	"time"

	"github.com/authfetch/authfetch/internal/browsertest"
)

// serverCall is one refresh call as the fake API saw it.
type serverCall struct {
	life     string // "tab.life" of the page life that made it (its X-Soak-Call header)
	outcome  string // "success", "transient" or "rejection", as the fake counted it
	status   int
	answered time.Time // when its status went out; zero when none did
	left     bool      // the browser left while the fake made it wait: a page that navigated away
}

// serverCalls returns the tab mode's refresh calls, in order of arrival.
func serverCalls(api *browsertest.FakeAPI) []serverCall {
	var out []serverCall
	for _, r := range api.Requests(browsertest.RefreshPath) {
		call := r.Header.Get("X-Soak-Call")
		life := call
		if i := strings.LastIndexByte(call, '.'); i >= 0 {
			life = call[:i]
		}
		out = append(out, serverCall{life: life, outcome: r.Outcome, status: r.Status, answered: r.Answered, left: r.Canceled})
	}
	return out
}

// byLife groups calls of one outcome by page life.
func byLife(calls []serverCall, outcome string) map[string][]serverCall {
	out := map[string][]serverCall{}
	for _, c := range calls {
		if c.outcome == outcome {
			out[c.life] = append(out[c.life], c)
		}
	}
	return out
}
