//go:build !js

package main

import (
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"github.com/authfetch/authfetch/internal/browsertest"
)

// Bounds of the tab mode's waits on a page.
const (
	roundLimit = 90 * time.Second // a round's requests settle within this
	lifeLimit  = time.Minute      // a page loads the module and creates its clients within this
	evalLimit  = 20 * time.Second // a login, a logout, a snapshot
)

// lifeSnapshot is what a page life reported of itself (soak.snapshot in
// tabpage.js): at a reload, just before the page navigated, or at the end.
type lifeSnapshot struct {
	Life            string // "tab.life"
	Started         int    // requests started
	Round           int    // the last round it ran requests of, and how many it started in it
	RoundStarted    int
	SettledOnce     int
	Doubled         int
	PendingIDs      []string // requests not settled yet
	OldestPendingMs float64  // the longest one of them had been pending, frozen time aside
	FrozenMs        float64  // how long the page was frozen
	Outcomes        map[string]int
	Calls           []struct {
		Call    string  // its name, "tab.life.n"
		Status  int     // the answer's status as the page saw it; 0 for none, -1 while on its way
		Ms      float64 // how long the call took to answer, as the page saw it
		Stalled bool    // its answer's body was still not there 5 s after its status
	} // its refresh calls
	RefreshWithAuth int
	Authfailures    []authfailure
	Events          map[string]int
	ErrorReasons    map[string]int
	StaleSends      []string
	StaleSendCount  int
	CalledOff       []string
	Relogins        int // logins after an 'authfailure'
	Slowest         struct {
		ID string
		Ms float64
	} // the promise that took longest to settle, frozen time aside
	StalledBodies int      // response bodies still unread 5 s after their response
	Undone        []string // refresh outcomes that replaced tokens their call did not spend
	StoodDown     int      // refresh outcomes not applied, for a login or a logout that came while their call was on its way
	Requests      int      // stats().requests of its clients, summed
	Cut           bool     `json:"-"` // a reload ended the life
}

// authfailure is one 'authfailure' event of a page life.
type authfailure struct {
	Status int     // 0 when the rejection was adopted from another tab
	Reason string  // "POST <url>: …", or "rejected in another tab"
	At     float64 // Date.now() when it fired
}

// lifeSample is a measurement of a page life's module after a round.
type lifeSample struct {
	Life  string
	Round int
	sample
}

// tabState is one of the tab mode's tabs and its page lives.
type tabState struct {
	n   int
	tab *browsertest.Tab
	run *tabRun

	mu      sync.Mutex
	life    int            // guarded by mu: the current page life, from 1
	ended   chan struct{}  // guarded by mu: closed once the current life was replaced by the next
	frozen  bool           // guarded by mu
	hidden  bool           // guarded by mu
	thaw    *time.Timer    // guarded by mu: resumes the page when frozen
	lives   []lifeSnapshot // guarded by mu: the lives a reload ended, and at the end the last
	samples []lifeSample   // guarded by mu
}

// openTab opens tab n and starts its first page life.
func openTab(r *tabRun, n int) (*tabState, error) {
	tab, err := r.browser.Open(r.srv.a.URL+"/page.html", false)
	if err != nil {
		return nil, err
	}
	t := &tabState{n: n, tab: tab, run: r, life: 1, ended: make(chan struct{})}
	if err := t.start(1); err != nil {
		tab.Close()
		return nil, err
	}
	return t, nil
}

func (t *tabState) isFrozen() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.frozen
}

// start runs the page script of life in the page that is loaded.
func (t *tabState) start(life int) error {
	r := t.run
	script := lifeScript(t.n, life, r.srv.b.URL, r.c.seed, r.share(t.n), r.inflight, r.c.courier)
	if _, err := browsertest.Eval[json.RawMessage](t.tab, lifeLimit, script); err != nil {
		return fmt.Errorf("starting page life %d.%d: %w\nconsole: %v", t.n, life, err, t.tab.Console())
	}
	return nil
}

// current returns the current life's name and the channel closed when it ends.
func (t *tabState) current() (string, chan struct{}) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return fmt.Sprintf("%d.%d", t.n, t.life), t.ended
}

// runRound has the tab start count requests of round, in whichever page
// lives it takes: when a reload ends a life, the next one starts what that
// life had not. A life's snapshot, taken once no request may start in it,
// says how many it started.
func (t *tabState) runRound(round, count int) error {
	for count > 0 {
		life, ended := t.current()
		js := fmt.Sprintf("return await soak.runRound(%q, %d, %d, %d)", life, round, count, (roundLimit - 10*time.Second).Milliseconds())
		res, err := browsertest.Eval[struct {
			Started int
			Leaving bool
		}](t.tab, roundLimit, js)
		if err == nil && !res.Leaving {
			if res.Started == 0 {
				return fmt.Errorf("tab %d, round %d: page life %s started nothing", t.n, round, life)
			}
			count -= res.Started
			continue
		}
		select {
		case <-ended:
		case <-time.After(lifeLimit):
			return fmt.Errorf("tab %d, round %d: page life %s left its round, and no next life started: %v", t.n, round, life, err)
		}
		if s := t.snapshotOf(life); s.Round == round {
			count -= s.RoundStarted
		}
	}
	return nil
}

// snapshotOf returns the snapshot of the ended life.
func (t *tabState) snapshotOf(life string) lifeSnapshot {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, s := range t.lives {
		if s.Life == life {
			return s
		}
	}
	return lifeSnapshot{}
}

// reload navigates the tab to its page again: the page life ends with
// whatever it had in flight, and the next one starts. Its snapshot comes
// first, and stops the life from starting requests, so that it counts
// every request the life started.
func (t *tabState) reload() error {
	snap, err := browsertest.Eval[lifeSnapshot](t.tab, evalLimit, "return soak.snapshot(true)")
	if err != nil {
		return fmt.Errorf("tab %d, before a reload: %w", t.n, err)
	}
	snap.Cut = true
	if err := t.tab.Navigate(t.run.srv.a.URL + "/page.html"); err != nil {
		return err
	}
	t.mu.Lock()
	next := t.life + 1
	t.mu.Unlock()
	if err := t.start(next); err != nil {
		return err
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.lives = append(t.lives, snap)
	t.life = next
	close(t.ended)
	t.ended = make(chan struct{})
	return nil
}

// finish keeps the snapshot of the last life.
func (t *tabState) finish() error {
	snap, err := browsertest.Eval[lifeSnapshot](t.tab, evalLimit, "return soak.snapshot(false)")
	if err != nil {
		return fmt.Errorf("tab %d, at the end: %w", t.n, err)
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.lives = append(t.lives, snap)
	return nil
}

// measure keeps what the module of the current life holds after round,
// once no refresh is in flight and no Web Lock is held (soak.memory).
func (t *tabState) measure(round int) error {
	life, _ := t.current()
	s, err := browsertest.Eval[sample](t.tab, roundLimit, "return await soak.memory()")
	if err != nil {
		return fmt.Errorf("tab %d, measuring after round %d: %w", t.n, round, err)
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.samples = append(t.samples, lifeSample{Life: life, Round: round, sample: s})
	return nil
}
