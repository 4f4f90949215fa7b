package core

import "sync"

// EventKind names an event of the session, as the JS API spells it.
type EventKind string

const (
	EventRefresh      EventKind = "refresh"      // a refresh succeeded
	EventAuthFailure  EventKind = "authfailure"  // a refresh was rejected and the tokens removed
	EventRefreshError EventKind = "refresherror" // a refresh failed transiently; tokens kept
	EventTokens       EventKind = "tokens"       // the stored tokens changed
)

// Event is something that happened to a session. Which fields are set depends
// on Kind: AccessToken for refresh and tokens ("" means null), Adopted for
// refresh (the tokens came from another tab's refresh), Status (0 when there
// was no answer) and Reason for authfailure and refresherror.
type Event struct {
	Kind        EventKind
	AccessToken string
	Adopted     bool
	Status      int
	Reason      string
}

// events is a session's listeners and the access token they last heard of.
// It is safe for concurrent use.
type events struct {
	listeners subscribers[Event]

	mu        sync.Mutex
	announced string // guarded by mu; the access token EventTokens last reported
}

// subscribe calls fn with every event until the returned function is called.
func (h *events) subscribe(fn func(Event)) (unsubscribe func()) { return h.listeners.add(fn) }

// emit calls every listener with ev.
func (h *events) emit(ev Event) { h.listeners.call(ev) }

// announce fires EventTokens with access when it differs from the access
// token last announced, or when force is set, and reports whether it did.
func (h *events) announce(access string, force bool) (changed bool) {
	h.mu.Lock()
	changed = force || access != h.announced
	h.announced = access
	h.mu.Unlock()
	if changed {
		h.emit(Event{Kind: EventTokens, AccessToken: access})
	}
	return changed
}
