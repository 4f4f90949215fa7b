package core

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
