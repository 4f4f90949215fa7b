//go:build !js

package main

import (
	"sort"
	"strings"

	"github.com/authfetch/authfetch/internal/browsertest"
)

// refreshChecks adds the checks of the session's refresh calls, as the
// server counted them. The fake revokes an access token only while it is
// the session's valid one, which opens an episode: one success or rejection
// closes it, a transient failure leaves it open, and so does a call whose
// browser left (a tab reloaded). A login closes it without a call, and can
// strand one refresh on its way with the family it replaced, which the
// server rejects (Superseded): the next tab to hold the lock finds the
// login's tokens, or none. A success whose answer a reload lost (see
// spentAgain) leaves the tabs with a spent token, which one more call, a
// reuse, ends. Hence the bounds:
//
//	calls = successes + transient + rejected                   (every call ends once)
//	successes <= revocations                                    (one per episode)
//	calls <= revocations + transient + logins + answers lost    (successes + rejected <= revocations + logins + answers lost)
//
// and a call while the access token was valid, of its current family and
// with a token not spent, is a duplicate. Two calls in flight at once at
// the server can only be a call whose tab navigated away (the Web Lock went
// with the page) and the next tab's, before the server noticed the first
// had no one to answer.
//
// With the courier on, no answer may be lost: no refresh token is spent
// twice at all. Without it, a token spent again after a reload lost the
// answer is what the courier is for, and is told apart.
func refreshChecks(t *table, st browsertest.SessionState, calls []serverCall, lives []lifeSnapshot, courier bool) {
	lost, other := spentAgain(calls, lives)
	t.info("logins / revocations / refresh calls", "%d / %d / %d", st.Logins, st.Revocations, st.Calls)
	t.add("  calls = successes + transient + rejected", st.Calls == st.Successes+st.Transients+st.Rejections,
		"%d = %d + %d + %d", st.Calls, st.Successes, st.Transients, st.Rejections)
	t.add("  successes <= revocations", st.Successes <= st.Revocations, "%d <= %d", st.Successes, st.Revocations)
	t.add("  calls <= revocations + transient + logins + answers lost with a reload", st.Calls <= st.Revocations+st.Transients+st.Logins+len(lost),
		"%d <= %d + %d + %d + %d", st.Calls, st.Revocations, st.Transients, st.Logins, len(lost))
	t.add("  calls while the access token was valid (duplicates)", st.Unneeded == 0, "%d", st.Unneeded)
	left := 0
	for _, c := range calls {
		if c.left {
			left++
		}
	}
	t.add("  calls in flight at once at the server <= calls whose tab left", st.Concurrent <= left, "%d <= %d", st.Concurrent, left)
	t.info("  calls with a token of a family a login replaced / not valid / late successes", "%d / %d / %d", st.Superseded, st.Invalid, st.Late)
	if courier {
		t.add("refresh tokens spent twice (the courier on)", len(other)+len(lost) == 0,
			"%d (reuse detections at the server: %d)", len(other)+len(lost), st.Reused)
	} else {
		t.add("refresh tokens spent twice, but after a reload lost the answer (the courier off)", len(other) == 0,
			"%d (reuse detections at the server: %d; after a reload: %d)", len(other), st.Reused, len(lost))
	}
	for _, s := range other {
		t.info("  spent again", "%s", s)
	}
	for _, s := range lost {
		t.info("  spent again after a reload", "%s, as its page navigated away", s)
	}
}

// eventChecks adds the checks that each page life applied what the server
// answered its calls, and that each 'authfailure' follows a rejection the
// server really gave. A life's own rejection ('authfailure' with a status)
// is matched to a rejected call of that life answered no later; one adopted
// from another tab (no status: "rejected in another tab") to a rejected
// call of another life answered no later, each call at most once per
// adopting tab. A transient failure or a late answer never matches. A life
// that a reload ended may have lost events still on their way, so only its
// surplus counts against it. An outcome that stood down for a login or a
// logout that came while its call was on its way (no 'refresh', no
// 'authfailure': the storage's tokens are adopted) excuses one success not
// applied or one rejection that fired nothing. The refresh courier answers a call from the
// answer it recorded for the same refresh token, or from its request still
// out for it, without a call to the server: such a 200 counts as the
// life's success too.
func eventChecks(t *table, lives []lifeSnapshot, calls []serverCall) {
	successes, rejections := byLife(calls, "success"), byLife(calls, "rejection")
	reached := map[string]bool{}
	for _, c := range calls {
		reached[c.call] = true
	}
	var applied, missed, extra, shared, stood int
	excuses := map[string]int{} // life → outcomes that stood down, not yet matched
	for _, l := range lives {
		got := len(successes[l.Life])
		for _, c := range l.Calls {
			if c.Status == 200 && !reached[c.Call] {
				got++
				shared++
			}
		}
		own := l.Events["refresh"]
		applied += min(own, got)
		extra += max(0, own-got)
		stood += l.StoodDown
		excused := min(max(0, got-own), l.StoodDown)
		excuses[l.Life] = l.StoodDown - excused
		if !l.Cut {
			missed += max(0, got-own) - excused
		}
	}
	t.add("successes the server gave a page life, applied once there ('refresh')", missed == 0 && extra == 0,
		"%d (not applied: %d; events without a success: %d; answered by the courier without a call: %d)", applied, missed, extra, shared)
	t.info("  outcomes that stood down for a login or a logout on their way", "%d", stood)

	var own, adopted, unmatched, unfired int
	var all []serverCall
	for _, cs := range rejections {
		all = append(all, cs...)
	}
	sort.Slice(all, func(i, j int) bool { return all[i].answered.Before(all[j].answered) })
	heard := map[string]map[int]bool{} // adopting tab → the calls in all it adopted
	for _, l := range lives {
		mine := append([]serverCall(nil), rejections[l.Life]...)
		tab := tabOf(l.Life)
		if heard[tab] == nil {
			heard[tab] = map[int]bool{}
		}
		for _, a := range l.Authfailures {
			if a.Status != 0 {
				own++
				if i := matchCall(mine, a, func(_ int, c serverCall) bool { return c.status == a.Status }); i >= 0 {
					mine = append(mine[:i], mine[i+1:]...)
					continue
				}
			} else {
				adopted++
				if i := matchCall(all, a, func(i int, c serverCall) bool { return tabOf(c.life) != tab && !heard[tab][i] }); i >= 0 {
					heard[tab][i] = true
					continue
				}
			}
			unmatched++
		}
		if !l.Cut {
			unfired += len(mine) - min(len(mine), excuses[l.Life])
		}
	}
	t.info("'authfailure' events: own / adopted from another tab", "%d / %d", own, adopted)
	t.add("  'authfailure' without a rejection the server gave", unmatched == 0, "%d", unmatched)
	t.add("  rejections the server gave a page life that fired no 'authfailure'", unfired == 0, "%d", unfired)
}

// matchCall returns the index of the first call in calls that ok accepts
// and that was answered no later than a fired, or -1. Date.now() in the page
// has whole milliseconds, so an answer within the same one counts as before.
func matchCall(calls []serverCall, a authfailure, ok func(int, serverCall) bool) int {
	for i, c := range calls {
		if ok(i, c) && !c.answered.IsZero() && float64(c.answered.UnixMilli()) <= a.At {
			return i
		}
	}
	return -1
}

// tabOf is the tab of a page life, "tab.life".
func tabOf(life string) string {
	tab, _, _ := strings.Cut(life, ".")
	return tab
}
