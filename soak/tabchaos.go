//go:build !js

package main

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/authfetch/authfetch/internal/browsertest"
)

// The tab mode's chaos: while the tabs' requests run, events come at random
// intervals (pacing, not synchronisation) to random tabs, each by these
// chances:
const (
	reloadChance = 0.10 // a tab navigates to its page again: the one whose refresh call is being answered, if one comes within a second (see reloadDuringRefresh); never tab 1, whose module's memory is followed through the whole run
	logoutChance = 0.08 // clearTokens() in the tab, and 0 to 300 ms later a login in a random tab, as a user logging out and in again (see duringRefresh)
	loginChance  = 0.06 // a new pair from the server, stored with setTokens, while logged in (see duringRefresh)
	toggleChance = 0.26 // the tab is hidden, or shown if hidden
	freezeChance = 0.12 // the tab is frozen for 100 ms to 1 s, then resumed (and shown again if it was visible)
)

// A page whose session a rejection logged out logs in again itself, as an
// app's login page would (tabpage.js). Otherwise, an event that is none of
// the above checks that the session is logged in, and logs it in if not:
// that page may have been reloaded before its login was done.

// chaosDriver fires the events. Only its goroutine uses rng.
type chaosDriver struct {
	r   *tabRun
	rng *rand.Rand

	mu   sync.Mutex
	done map[string]int // guarded by mu: events fired, by name
	errs []error        // guarded by mu: events that failed (a resume that could not)
}

// start fires events until the returned stop is called; stop waits for the
// event in progress, resumes the frozen tabs, and returns what failed.
func (d *chaosDriver) start() (stop func() error) {
	quit, ended := make(chan struct{}), make(chan error, 1)
	go func() {
		for {
			pause := time.NewTimer(time.Duration(50+d.rng.IntN(300)) * time.Millisecond)
			select {
			case <-quit:
				pause.Stop()
				ended <- nil
				return
			case <-pause.C:
			}
			if err := d.event(); err != nil {
				ended <- err
				return
			}
		}
	}()
	return func() error {
		close(quit)
		err := <-ended
		for _, t := range d.r.tabs {
			d.thaw(t)
		}
		d.mu.Lock()
		defer d.mu.Unlock()
		return errors.Join(append([]error{err}, d.errs...)...)
	}
}

func (d *chaosDriver) count(event string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.done[event]++
}

// event fires one event at a random tab; a frozen tab is left alone.
func (d *chaosDriver) event() error {
	t := d.r.tabs[d.rng.IntN(len(d.r.tabs))]
	if t.isFrozen() {
		return nil
	}
	t.mu.Lock()
	hidden := t.hidden
	t.mu.Unlock()
	roll := d.rng.Float64()
	switch {
	case roll < reloadChance:
		return d.reloadDuringRefresh(t)
	case roll < reloadChance+logoutChance:
		if err := d.duringRefresh("logouts", func() error { return d.eval(t, "soak.logout()") }); err != nil {
			return err
		}
		time.Sleep(time.Duration(d.rng.IntN(300)) * time.Millisecond)
		d.count("logins after a logout")
		return d.login()
	case roll < reloadChance+logoutChance+loginChance:
		return d.duringRefresh("logins while logged in", func() error { return d.eval(t, "await soak.login()") })
	case roll < reloadChance+logoutChance+loginChance+toggleChance:
		if hidden {
			d.count("shows")
			return d.show(t)
		}
		d.count("hides")
		if err := t.tab.Hide(); err != nil {
			return err
		}
		t.mu.Lock()
		t.hidden = true
		t.mu.Unlock()
	case roll < reloadChance+logoutChance+loginChance+toggleChance+freezeChance:
		d.count("freezes")
		return d.freeze(t, time.Duration(100+d.rng.IntN(900))*time.Millisecond)
	default:
		in, err := browsertest.Eval[bool](t.tab, evalLimit, "return localStorage.getItem('refreshToken') !== null")
		if err != nil || in {
			return err
		}
		d.count("logins found missing")
		return d.eval(t, "await soak.login()")
	}
	return nil
}

// duringRefresh does a logout or a login while a refresh call is being
// answered, when one comes within a second: the fake holds the next
// refresh call until do is done. A user logs out, or in as someone else,
// whenever they like, and a refresh may be on its way in any tab then.
func (d *chaosDriver) duringRefresh(event string, do func() error) error {
	hold := d.r.srv.api.HoldNext(browsertest.RefreshPath)
	defer hold.Release()
	select {
	case <-hold.Entered:
	case <-time.After(time.Second):
	}
	err := do()
	select {
	case <-hold.Entered:
		d.count(event + " during a refresh")
	default:
		d.count(event)
	}
	return err
}

// reloadDuringRefresh reloads the tab whose refresh call the server is
// answering, when one comes within a second, while the fake holds it: the
// page is gone before the answer, as when a user closes or reloads a tab
// mid-refresh. Under SpendOnArrival the call has spent its refresh token by
// then; only the refresh courier, which outlives the page, hears the
// answer. With no call, or one from tab 1 or a frozen tab, it reloads t
// instead (never tab 1).
func (d *chaosDriver) reloadDuringRefresh(t *tabState) error {
	hold := d.r.srv.api.HoldNext(browsertest.RefreshPath)
	defer hold.Release()
	event := "reloads"
	select {
	case <-hold.Entered:
		if caller := d.r.tabOfCall(hold.Header.Get("X-Soak-Call")); caller != nil && caller.n != 1 && !caller.isFrozen() {
			t, event = caller, "reloads of the tab whose refresh call was being answered"
		}
	case <-time.After(time.Second):
	}
	if t.n == 1 {
		return nil
	}
	d.count(event)
	return t.reload()
}

// login logs the session in from a random tab, resumed first if frozen.
func (d *chaosDriver) login() error {
	t := d.r.tabs[d.rng.IntN(len(d.r.tabs))]
	d.thaw(t)
	return d.eval(t, "await soak.login()")
}

// eval runs js in the tab's page.
func (d *chaosDriver) eval(t *tabState, js string) error {
	if _, err := browsertest.Eval[bool](t.tab, evalLimit, js+"; return true"); err != nil {
		return fmt.Errorf("tab %d: %w", t.n, err)
	}
	return nil
}

func (d *chaosDriver) show(t *tabState) error {
	if err := t.tab.Show(); err != nil {
		return err
	}
	t.mu.Lock()
	t.hidden = false
	t.mu.Unlock()
	return nil
}

// freeze freezes the tab and has it resumed after dur.
func (d *chaosDriver) freeze(t *tabState, dur time.Duration) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if err := t.tab.Freeze(); err != nil {
		return err
	}
	t.frozen = true
	t.thaw = time.AfterFunc(dur, func() { d.thaw(t) })
	return nil
}

// thaw resumes the tab if it is frozen, and shows it again unless it was
// hidden before (freezing hides a page).
func (d *chaosDriver) thaw(t *tabState) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if !t.frozen {
		return
	}
	t.thaw.Stop()
	t.frozen = false
	err := t.tab.Resume()
	if err == nil && !t.hidden {
		err = t.tab.Show()
	}
	if err != nil {
		d.mu.Lock()
		d.errs = append(d.errs, fmt.Errorf("tab %d: %w", t.n, err))
		d.mu.Unlock()
	}
}
