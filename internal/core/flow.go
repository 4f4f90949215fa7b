package core

import (
	"context"
	"slices"
)

// Flow is one request on its way through a client, as steps: Begin decides
// the first attempt's token without waiting, Token waits when a refresh must
// come first, and AfterAnswer or AfterCalledOff decide the one retry. A
// front end that sends the attempts itself (the module's JS helper, which
// calls fetch without a goroutine or a Promise per request) takes the steps
// one by one; Do takes them with Send. A Flow is used by one goroutine.
type Flow struct {
	c          *Client
	req        Request
	origin     string
	authorized bool
	token      string       // the first attempt's token, once known
	wait       *refreshCall // the refresh to wait for first, or nil
}

// Begin counts req and decides, without waiting, how its first attempt
// goes: with Token() at once when Ready, or after a refresh.
func (c *Client) Begin(req Request) *Flow {
	c.requests.Add(1)
	f := &Flow{c: c, req: req, origin: Origin(req.URL)}
	ok, whyNot := c.authorizes(req, f.origin)
	if !ok {
		c.decide(func() Decision { return Decision{Type: DecisionSkip, URL: req.URL, Reason: whyNot} })
		return f
	}
	f.authorized = true
	access := c.session.store.Access()
	if f.wait = c.session.callBefore(access, c.cfg.Leeway, c.refresher); f.wait == nil {
		f.token = access
		f.decideToken()
	} else {
		c.decide(func() Decision { return Decision{Type: DecisionWait, URL: req.URL} })
	}
	return f
}

// Sent returns the flow of req whose first attempt went with token, for a
// front end that keeps no Flow between its steps: it takes AfterAnswer or
// AfterCalledOff from there. The request was counted by Begin.
func (c *Client) Sent(req Request, token string) *Flow {
	return &Flow{c: c, req: req, origin: Origin(req.URL), authorized: true, token: token}
}

// Ready reports whether the first attempt can go at once.
func (f *Flow) Ready() bool { return f.wait == nil }

// Token returns the first attempt's token ("" sends none), waiting for the
// refresh first when the flow is not Ready. Only ctx ending makes it return
// an error (context.Cause(ctx)).
func (f *Flow) Token(ctx context.Context) (string, error) {
	if f.wait == nil {
		return f.token, nil
	}
	token, err := f.c.session.tokenAfter(ctx, f.wait)
	if err != nil {
		return "", err
	}
	f.token, f.wait = token, nil
	f.decideToken()
	return token, nil
}

func (f *Flow) decideToken() {
	f.c.decide(func() Decision {
		if f.token == "" {
			return Decision{Type: DecisionSkip, URL: f.req.URL, Reason: "no access token is stored"}
		}
		return Decision{Type: DecisionAttach, URL: f.req.URL}
	})
}

// Track registers the first attempt, sent with Token(), among those that a
// refusal of that token may call off, and returns the function to call when
// it has its answer (or failed). arm is called only when the attempt is one
// that can be called off; it returns how to stop it (the front end then
// fails the attempt with an error wrapping ErrCalledOff). Attempts without a
// token, or that may not be called off (mayCallOff), are not tracked: done
// is nil.
func (f *Flow) Track(arm func() (stop func(cause error))) (done func()) {
	if !f.trackable() {
		return nil
	}
	return f.c.session.attempts.register(f.token, f.origin, f.c.cfg.QueuesBeyond, arm)
}

// trackable reports whether the first attempt is one to track: it carries a
// token, and mayCallOff allows calling it off.
func (f *Flow) trackable() bool { return f.authorized && f.token != "" && f.c.mayCallOff(f.req) }

// AfterAnswer decides, from the first attempt's answer, whether the request
// is sent once more and with which token: after a refresh status to a
// request that carried the token, when a refresh (shared with everyone) got
// a new one, or someone else already had. It waits for that refresh; only
// ctx ending makes it return an error.
func (f *Flow) AfterAnswer(ctx context.Context, res Response) (retryToken string, retry bool, err error) {
	if !f.authorized || f.token == "" || f.req.SkipAuthRefresh || !f.req.Replayable ||
		!slices.Contains(f.c.cfg.RefreshOn, res.Status()) || redirectedAway(res, f.origin) {
		return "", false, nil
	}
	retryToken, retry, err = f.c.session.afterRefused(ctx, f.token, f.c.refresher)
	if retry {
		f.retried("it got a refresh status")
	}
	return retryToken, retry, err
}

// AfterCalledOff returns the token to send the request again with after its
// first attempt was called off: its one retry.
func (f *Flow) AfterCalledOff(ctx context.Context) (string, error) {
	token, err := f.c.session.afterCalledOff(ctx)
	if err == nil {
		f.retried("it was called off")
	}
	return token, err
}

func (f *Flow) retried(why string) {
	f.c.retries.Add(1)
	f.c.decide(func() Decision { return Decision{Type: DecisionRetry, URL: f.req.URL, Reason: why} })
}
