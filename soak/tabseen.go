//go:build !js

package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/authfetch/authfetch/internal/browsertest"
)

// serverCall is one refresh call as the fake API saw it.
type serverCall struct {
	call     string // "tab.life.n", its X-Soak-Call header
	life     string // "tab.life" of the page life that made it
	token    string // the refresh token it presented
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
		var body struct{ RefreshToken string }
		json.Unmarshal([]byte(r.Body), &body)
		out = append(out, serverCall{call: call, life: life, token: body.RefreshToken, outcome: r.Outcome, status: r.Status, answered: r.Answered, left: r.Canceled})
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

// spentAgain describes each call that presented a refresh token an earlier
// call had spent: which call spent it, in which page life, and whether a
// reload ended that life, for the report of a reuse.
func spentAgain(calls []serverCall, cut map[string]bool) []string {
	var out []string
	spentBy := map[string]serverCall{}
	for _, c := range calls {
		if first, ok := spentBy[c.token]; ok {
			out = append(out, fmt.Sprintf("call %s presented %s (%s), which call %s spent, answered %s before (its page life %s; ended by a reload: %v)",
				c.call, c.token, c.outcome, first.call, c.answered.Sub(first.answered).Round(time.Millisecond), first.life, cut[first.life]))
		}
		if c.outcome == "success" {
			spentBy[c.token] = c
		}
	}
	return out
}
