package core

import (
	"slices"
	"sync"
)

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
	mu        sync.Mutex
	listeners []listener // guarded by mu; in the order they subscribed
	nextID    int        // guarded by mu
	announced string     // guarded by mu; the access token EventTokens last reported
}

// listener is one subscribe.
type listener struct {
	id int
	fn func(Event)
}

// subscribe calls fn with every event until the returned function is called.
func (h *events) subscribe(fn func(Event)) (unsubscribe func()) {
	h.mu.Lock()
	defer h.mu.Unlock()
	id := h.nextID
	h.nextID++
	h.listeners = append(h.listeners, listener{id, fn})
	return func() {
		h.mu.Lock()
		defer h.mu.Unlock()
		h.listeners = slices.DeleteFunc(h.listeners, func(l listener) bool { return l.id == id })
	}
}

// emit calls every listener with ev, outside the lock, so that a listener
// may subscribe or unsubscribe.
func (h *events) emit(ev Event) {
	h.mu.Lock()
	listeners := slices.Clone(h.listeners)
	h.mu.Unlock()
	for _, l := range listeners {
		l.fn(ev)
	}
}

// announce fires EventTokens with access when it differs from the access
// token last announced, or when force is set.
func (h *events) announce(access string, force bool) {
	h.mu.Lock()
	changed := force || access != h.announced
	h.announced = access
	h.mu.Unlock()
	if changed {
		h.emit(Event{Kind: EventTokens, AccessToken: access})
	}
}
