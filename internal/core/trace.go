package core

// Decision is one thing authfetch decided, for the debug option ("why was I
// logged out?"): Type names it, and the other fields say about what. It never
// holds a token.
type Decision struct {
	Type   DecisionType
	URL    string // the request concerned, if any
	Reason string // why, where there is a why
	Count  int    // how many, for DecisionCallOff
}

// DecisionType names a decision, as the debug option's entries spell it.
type DecisionType string

const (
	DecisionAttach  DecisionType = "attach"  // the token was attached to URL
	DecisionSkip    DecisionType = "skip"    // no token for URL, and Reason why
	DecisionWait    DecisionType = "wait"    // URL waits for the refresh in flight
	DecisionRefresh DecisionType = "refresh" // a refresh started, for Reason
	DecisionAdopt   DecisionType = "adopt"   // tokens taken instead of refreshing, from Reason
	DecisionCallOff DecisionType = "calloff" // Count attempts called off after a refusal
	DecisionRetry   DecisionType = "retry"   // URL sent again, for Reason
	DecisionRemove  DecisionType = "remove"  // the tokens were removed, for Reason
	DecisionKeep    DecisionType = "keep"    // a refresh failed transiently; Reason; tokens kept
)

// Trace calls fn with every decision of the session until the returned
// function is called: the session's own (refreshes, adoptions, removals),
// while a client's ClientConfig.Trace hears its requests'. fn must not block.
func (s *Session) Trace(fn func(Decision)) (stop func()) { return s.tracers.add(fn) }

// decide tells the session's tracers d(); d is called only when someone
// listens, so an app without the debug option pays nothing.
func (s *Session) decide(d func() Decision) {
	if !s.tracers.empty() {
		s.tracers.call(d())
	}
}

// decide tells the client's tracer d(), if it has one.
func (c *Client) decide(d func() Decision) {
	if c.cfg.Trace != nil {
		c.cfg.Trace(d())
	}
}
