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
// call had spent: which call spent it, in which page life. It is lost when
// a reload ended that life before it applied the success (the life applied
// fewer than the server gave it): the server rotated, and the page that was
// to store the new tokens was gone, so the other tabs still held the spent
// token. That is what the refresh courier is for: with it on, none may be
// lost either.
func spentAgain(calls []serverCall, lives []lifeSnapshot) (lost, other []string) {
	successes := byLife(calls, "success")
	gone := map[string]bool{}
	for _, l := range lives {
		gone[l.Life] = l.Cut && l.Events["refresh"] < len(successes[l.Life])
	}
	spentBy := map[string]serverCall{}
	for _, c := range calls {
		if first, ok := spentBy[c.token]; ok {
			when := "its answer never went out"
			if !first.answered.IsZero() {
				when = "answered " + c.answered.Sub(first.answered).Round(time.Millisecond).String() + " before"
			}
			s := fmt.Sprintf("call %s presented %s (%s), which call %s of page life %s spent, %s",
				c.call, c.token, c.outcome, first.call, first.life, when)
			if gone[first.life] {
				lost = append(lost, s)
			} else {
				other = append(other, s)
			}
		}
		if c.outcome == "success" {
			spentBy[c.token] = c
		}
	}
	return lost, other
}
