package core

import (
	"context"
	"fmt"
	"time"
)

// RefreshTransport posts the refresh request. It returns the answer, or an
// error when no answer came (network error, ctx done). Implementations must
// honour ctx: it carries the time the answer is given.
type RefreshTransport interface {
	Post(ctx context.Context, req RefreshRequest) (RefreshAnswer, error)
}

// RefreshRequest is the body of a refresh request, in the format's terms,
// and its DPoP proof ("" without DPoP).
type RefreshRequest struct {
	ContentType  string
	Body         string
	DPoP         string
	RefreshToken string // the refresh token the body spends ("" where the server holds it)
}

// RefreshAnswer is what the refresh endpoint answered.
type RefreshAnswer struct {
	Status          int
	Body            string
	Date            string // the Date header: the server's clock
	DPoPNonce       string // the DPoP-Nonce header
	WWWAuthenticate string // the WWW-Authenticate header, for a DPoP nonce challenge
}

// RefreshConfig is how a client refreshes. A refresh uses the config of the
// client that started it. Func, when set, replaces the POST to URL that
// Transport sends.
type RefreshConfig struct {
	Func      RefreshFunc
	Transport RefreshTransport
	Format    Format
	ClientID  string        // sent as client_id in FormatOAuth2
	Timeout   time.Duration // the refresh timeout that timeouts derives from; 0: no limit
	URL       string        // the refresh endpoint, named in the reasons of failures
	Prover    Prover        // signs a DPoP proof for the refresh request; nil without DPoP
}

// refresher is one client's way to refresh, bound when the client is made:
// its RefreshConfig, the timeouts derived from it, and its session (the
// parser, the clocks, the DPoP nonces).
type refresher struct {
	cfg      RefreshConfig
	timeouts timeouts
	s        *Session
}

func newRefresher(cfg RefreshConfig, s *Session) *refresher {
	return &refresher{cfg: cfg, timeouts: timeoutsFor(cfg.Timeout), s: s}
}

// where prefixes a failure's reason with the request that failed, so that an
// app's log says what failed and where.
func (r *refresher) where(reason string) string {
	if r.cfg.URL == "" {
		return reason
	}
	return "POST " + r.cfg.URL + ": " + reason
}

// post sends refreshToken and classifies what came back. It waits for a late
// answer until timeouts.answer; only a call that never answers is abandoned.
func (r *refresher) post(refreshToken string) RefreshResult {
	if r.cfg.Func != nil {
		return r.callFunc(refreshToken)
	}
	ctx := context.Background()
	if limit := r.timeouts.answer; limit > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, limit)
		defer cancel()
	}
	contentType, body := refreshBody(r.cfg.Format, refreshToken, r.cfg.ClientID)
	answer, err := r.send(ctx, RefreshRequest{ContentType: contentType, Body: body, RefreshToken: refreshToken})
	var res RefreshResult
	switch {
	case err != nil:
		res = classifyError(ctx, err, r.timeouts.answer)
	case ctx.Err() != nil:
		res = classifyError(ctx, ctx.Err(), r.timeouts.answer)
	default:
		res = classifyAnswer(r.cfg.Format, answer.Status, answer.Body, r.s.expiry.parse)
		res.Arrived, res.ServerDate = r.s.expiry.clock.device(), parseHTTPDate(answer.Date)
	}
	if res.Reason != "" {
		res.Reason = r.where(res.Reason)
	}
	return res
}

// send posts req, with a DPoP proof when the client has a Prover, and sends
// it once more when the answer is a nonce challenge: that resend is part of
// the one refresh.
func (r *refresher) send(ctx context.Context, req RefreshRequest) (RefreshAnswer, error) {
	for resent := false; ; resent = true {
		if r.cfg.Prover != nil {
			proof, err := r.cfg.Prover.Prove(ctx, r.s.proofFor("POST", r.cfg.URL, ""))
			if err != nil {
				return RefreshAnswer{}, err
			}
			req.DPoP = proof
		}
		answer, err := r.cfg.Transport.Post(ctx, req)
		if err != nil || r.cfg.Prover == nil {
			return answer, err
		}
		r.s.NoteNonce(r.cfg.URL, answer.DPoPNonce)
		if resent || !NonceChallenge(answer.Status, answer.DPoPNonce, answer.WWWAuthenticate, answer.Body, r.s.expiry.parse) {
			return answer, nil
		}
	}
}

// postRecovered is post with a panic of the transport turned into a
// transient result, so that it is applied (refresherror fires) like any other.
func (r *refresher) postRecovered(refreshToken string) (res RefreshResult) {
	defer func() {
		if p := recover(); p != nil {
			res = RefreshResult{Outcome: Transient, Reason: "internal error: " + panicText(p)}
		}
	}()
	return r.post(refreshToken)
}

// timedOut is the result that releases a refresh's waiters at
// timeouts.release.
func (r *refresher) timedOut() RefreshResult {
	return RefreshResult{Outcome: Transient, Reason: r.where(fmt.Sprintf("timed out after %d ms", r.cfg.Timeout.Milliseconds()))}
}

// panicText describes a recovered panic for a reason string.
func panicText(p any) string {
	if err, ok := p.(error); ok {
		return err.Error()
	}
	return fmt.Sprint(p)
}
