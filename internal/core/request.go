package core

import (
	"context"
	"strings"
)

// Response is the answer to one attempt of a request. The core reads only its
// status; the front end hands its own response back untouched.
type Response interface {
	Status() int
}

// Redirected is implemented by a Response that can tell where it came from
// after a redirect: the final URL, and whether there was a redirect.
type Redirected interface {
	FinalURL() (url string, redirected bool)
}

// Discarder is implemented by a Response that holds something to release
// (an open body) when the core drops it to send the request again.
type Discarder interface {
	Discard()
}

// Request is what the core needs to know about a request to decide on its
// token. Send performs one attempt with bearer as the token ("" sends none);
// it is called at most twice, and a second time only when Replayable. When
// the first attempt's context ends with the cause ErrCalledOff, Send may stop
// it and return an error wrapping ErrCalledOff; the core then sends it again.
// That context also ends once Send has returned, so nothing that outlives the
// call (a response body) may depend on it.
type Request struct {
	URL              string // absolute, where the request is sent
	Method           string // "" means GET
	HasAuthorization bool   // the caller set its own Authorization header
	SkipAuth         bool   // send untouched, never refresh
	SkipAuthRefresh  bool   // attach the token, but return a refresh status as it is
	Replayable       bool   // the body can be sent a second time
	Send             func(ctx context.Context, bearer string) (Response, error)
}

// authorizes reports whether req gets the token, or why not: it goes to an
// allowed origin, has no Authorization header of its own, was not told
// skipAuth, and is not a call of the page's own to the refresh endpoint
// (with any query): the refresh token goes there, never the access token,
// and a 401 from it is no reason to spend the refresh token again.
func (c *Client) authorizes(req Request, origin string) (ok bool, whyNot string) {
	switch {
	case req.SkipAuth:
		return false, "skipAuth"
	case req.HasAuthorization:
		return false, "the request has an Authorization header of its own"
	case !originAllowed(origin, c.cfg.AllowedOrigins):
		return false, "its origin is not in allowedOrigins"
	case withoutQuery(req.URL) == withoutQuery(c.cfg.Refresh.URL):
		return false, "it is the refresh URL"
	}
	return true, ""
}

// mayCallOff reports whether the first attempt of req, sent with a token, is
// one that a refusal of that token may call off (ErrCalledOff): only where
// the transport queues requests, only a request that can be sent again, and
// only a safe method (RFC 9110 section 9.2.1), because the server may have
// seen the first attempt.
func (c *Client) mayCallOff(req Request) bool {
	return c.cfg.QueuesBeyond > 0 && req.Replayable && !req.SkipAuthRefresh && safeMethods[strings.ToUpper(orDefault(req.Method, "GET"))]
}

// safeMethods are the methods whose attempt may be aborted and sent again.
var safeMethods = map[string]bool{"GET": true, "HEAD": true, "OPTIONS": true}

// redirectedAway reports whether res came from another origin than the one
// the request was sent to. The browser drops the Authorization header on a
// cross-origin redirect, so such a refresh status is not about our token,
// and spending a refresh on it would be waste.
func redirectedAway(res Response, origin string) bool {
	r, ok := res.(Redirected)
	if !ok {
		return false
	}
	url, redirected := r.FinalURL()
	return redirected && Origin(url) != origin
}

// withoutQuery is url up to its query or fragment.
func withoutQuery(url string) string {
	if i := strings.IndexAny(url, "?#"); i >= 0 {
		return url[:i]
	}
	return url
}
