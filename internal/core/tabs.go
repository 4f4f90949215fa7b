package core

import "context"

// Tabs coordinates one session's refreshes with the other tabs of the
// origin, so that two tabs never spend the same rotating refresh token: the
// second would look like a reuse to the server, which then revokes the whole
// token family and logs the user out.
//
// A refresh runs inside Exclusive. Inside it, a tab first asks Spent whether
// another tab already spent the refresh token it holds (its own storage may
// not show the other tab's write yet), and adopts the recorded replacement
// instead of calling the server; a tab that calls the server records what it
// spent with RecordSpent before the lock is released. Implementations must be
// safe for concurrent use, and must give up when ctx ends: the lock and the
// records are the browser's, and no refresh may wait on them forever. A
// record that cannot be read in time counts as none: the records only help
// tabs hand tokens over, and the lock still keeps refreshes one at a time.
type Tabs interface {
	// Exclusive runs fn while no other tab runs fn for this session. It
	// returns an error, without running fn, when the lock could not be had
	// before ctx ended.
	Exclusive(ctx context.Context, fn func()) error
	// Spent returns what replaced refreshToken when a tab spent it: the new
	// tokens, or no tokens when the refresh was rejected.
	Spent(ctx context.Context, refreshToken string) (replacement Tokens, ok bool)
	// RecordSpent records that refreshToken was spent for replacement.
	RecordSpent(ctx context.Context, refreshToken string, replacement Tokens)
	// Forget drops every record, so that no tokens outlive a logout there.
	Forget(ctx context.Context)
}

// OneTab is the Tabs of a session no other tab shares: the page's own
// storage is the only truth, and there is nothing to coordinate.
type OneTab struct{}

// Exclusive runs fn.
func (OneTab) Exclusive(_ context.Context, fn func()) error { fn(); return nil }

// Spent reports nothing spent.
func (OneTab) Spent(context.Context, string) (Tokens, bool) { return Tokens{}, false }

// RecordSpent does nothing.
func (OneTab) RecordSpent(context.Context, string, Tokens) {}

// Forget does nothing.
func (OneTab) Forget(context.Context) {}

// maxAdoptions bounds how many recorded rotations a tab follows from the
// refresh token it holds to the newest one.
const maxAdoptions = 8

// adopt returns the outcome another tab recorded for refreshToken, following
// later rotations to the newest tokens, or false when there is nothing to
// adopt: no tab spent it, or what replaced it is the access token this tab
// already has, and that token is what needs refreshing now (a server that does
// not rotate refresh tokens gives the same one back every time).
func adopt(ctx context.Context, tabs Tabs, refreshToken, access string) (RefreshResult, bool) {
	replacement, ok := tabs.Spent(ctx, refreshToken)
	if !ok {
		return RefreshResult{}, false
	}
	for i := 0; i < maxAdoptions && replacement.Refresh != "" && replacement.Refresh != refreshToken; i++ {
		next, ok := tabs.Spent(ctx, replacement.Refresh)
		if !ok {
			break
		}
		replacement = next
	}
	// A record is what the browser kept: one that holds something that is
	// not a token is not followed (the tab refreshes as it would alone).
	if validToken(replacement.Access) != replacement.Access || validToken(replacement.Refresh) != replacement.Refresh {
		return RefreshResult{}, false
	}
	switch replacement.Access {
	case "":
		return RefreshResult{Outcome: Rejected, Adopted: true, Reason: "rejected in another tab"}, true
	case access:
		return RefreshResult{}, false
	}
	return RefreshResult{Outcome: Refreshed, Adopted: true, Tokens: replacement}, true
}
