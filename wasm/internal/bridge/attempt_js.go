//go:build js && wasm

package bridge

import (
	"context"
	"sync"
	"syscall/js"

	"github.com/authfetch/authfetch/internal/core"
	"github.com/authfetch/authfetch/internal/jsutil"
)

// The steps of api.fetch that js/request.js takes in the module. The helper
// builds the Request and calls fetch itself; the module is asked once per
// request on the common way (begin, and end when the attempt was tracked),
// and again only for a refresh status (answered) or a call-off (calledOff).
// Nothing of a request lives here between the steps but a tracked attempt.

// Flags of a request, as js/request.js packs them.
const (
	flagSkipAuth = 1 << iota
	flagSkipAuthRefresh
	flagHasAuthorization
	flagNotReplayable
)

// request describes a request to the core from what the helper hands over.
// An empty method is a GET.
func request(url, method js.Value, flags int) core.Request {
	req := core.Request{
		URL:              url.String(),
		HasAuthorization: flags&flagHasAuthorization != 0,
		SkipAuth:         flags&flagSkipAuth != 0,
		SkipAuthRefresh:  flags&flagSkipAuthRefresh != 0,
		Replayable:       flags&flagNotReplayable == 0,
	}
	if method.Type() == js.TypeString {
		req.Method = method.String()
	}
	return req
}

// begin decides the first attempt of a request: it returns the token to send
// it with ("" for none), or a Promise of it when a refresh must come first.
// A tracked attempt gets its id in slot.attempt, for end; one that a refusal
// of its token may call off gets slot.signal, which aborts it then.
func (c *client) begin(url, method js.Value, flags int, slot js.Value) any {
	f := c.core.Begin(request(url, method, flags))
	if !f.Ready() {
		return jsutil.Async(func() (js.Value, error) {
			token, err := f.Token(context.Background())
			return js.ValueOf(token), err
		})
	}
	token, _ := f.Token(context.Background())
	done := f.Track(func() func(error) {
		ctrl := abortController.New()
		slot.Set("signal", ctrl.Get("signal"))
		return func(error) { ctrl.Call("abort") }
	})
	if done != nil {
		slot.Set("attempt", c.tracked.add(done))
	}
	return token
}

// answered decides after a refresh status to an attempt sent with token: a
// Promise of the token to send the request again with, or of null when its
// answer stands. finalURL is where a redirect ended, or null.
func (c *client) answered(token, url, method js.Value, flags, status int, finalURL js.Value) js.Value {
	f := c.core.Sent(request(url, method, flags), token.String())
	res := answer{status: status}
	if finalURL.Type() == js.TypeString {
		res.finalURL, res.redirected = finalURL.String(), true
	}
	return jsutil.Async(func() (js.Value, error) {
		retry, ok, err := f.AfterAnswer(context.Background(), res)
		if !ok || err != nil {
			return js.Null(), err
		}
		return js.ValueOf(retry), nil
	})
}

// calledOff is a Promise of the token to send a called-off request again with.
func (c *client) calledOff(url, method js.Value, flags int) js.Value {
	f := c.core.Sent(request(url, method, flags), "")
	return jsutil.Async(func() (js.Value, error) {
		token, err := f.AfterCalledOff(context.Background())
		return js.ValueOf(token), err
	})
}

// answer is what the core needs of a response: its status, and where it
// came from after a redirect.
type answer struct {
	status     int
	finalURL   string
	redirected bool
}

func (a answer) Status() int              { return a.status }
func (a answer) FinalURL() (string, bool) { return a.finalURL, a.redirected }

// trackedAttempts are a client's attempts in flight that the core tracks,
// by the id the helper hands back to end.
type trackedAttempts struct {
	mu   sync.Mutex
	next int
	done map[int]func() // guarded by mu
}

func (t *trackedAttempts) add(done func()) int {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.done == nil {
		t.done = map[int]func(){}
	}
	t.next++
	t.done[t.next] = done
	return t.next
}

// end tells the core that the attempt id has its answer, or failed.
func (t *trackedAttempts) end(id int) {
	t.mu.Lock()
	done := t.done[id]
	delete(t.done, id)
	t.mu.Unlock()
	if done != nil {
		done()
	}
}
