package core

import (
	"context"
	"time"
)

// RefreshTransport posts the refresh request. It returns the answer's status
// and body text, or an error when no answer came (network error, ctx done).
// Implementations must honour ctx: it carries the refresh timeout.
type RefreshTransport interface {
	Post(ctx context.Context, contentType, body string) (status int, text string, err error)
}

// RefreshConfig is how a client refreshes. A refresh uses the config of the
// client that started it.
type RefreshConfig struct {
	Transport RefreshTransport
	Format    Format
	ClientID  string        // sent as client_id in FormatOAuth2
	Timeout   time.Duration // a refresh that takes longer is a transient failure; 0: no limit
	ParseJSON ParseJSON
}

// refreshCall is one refresh in flight, shared by everyone who needs it, in
// the manner of golang.org/x/sync/singleflight. result is written once, before
// done is closed, and only read after.
type refreshCall struct {
	done   chan struct{}
	result RefreshResult
}

// wait returns the call's result, or ctx's cause when ctx ends first. Giving
// up never cancels the call: others may still be waiting for it.
func (c *refreshCall) wait(ctx context.Context) (RefreshResult, error) {
	select {
	case <-c.done:
		return c.result, nil
	case <-ctx.Done():
		return RefreshResult{}, context.Cause(ctx)
	}
}

// post sends refreshToken with cfg and classifies what came back.
func (cfg RefreshConfig) post(refreshToken string) RefreshResult {
	ctx := context.Background()
	if cfg.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, cfg.Timeout)
		defer cancel()
	}
	contentType, body := refreshBody(cfg.Format, refreshToken, cfg.ClientID)
	status, text, err := cfg.Transport.Post(ctx, contentType, body)
	if err != nil {
		return classifyError(ctx, err, cfg.Timeout)
	}
	if ctx.Err() != nil {
		return classifyError(ctx, ctx.Err(), cfg.Timeout)
	}
	return classifyAnswer(cfg.Format, status, text, cfg.ParseJSON)
}
