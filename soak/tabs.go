//go:build !js

package main

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/authfetch/authfetch/internal/browsertest"
)

// tabCount is how many tabs the tab mode opens.
const tabCount = 3

// tabRun is one run of the tab mode: three tabs of origin A in the
// harness's browser context, so that they share localStorage, Web Locks and
// IndexedDB, as a user's tabs of one site do.
type tabRun struct {
	c        config
	browser  *browsertest.Browser
	srv      *servers
	inflight int // requests each page keeps unsettled at most
	rounds   int // measurements of every tab's module, one after each round
	tabs     []*tabState
	chaos    *chaosDriver
}

// runTabs is the tab mode. The requests run in rounds, all tabs at once,
// with the chaos on; between rounds the chaos stops, frozen tabs resume,
// and each tab's module is measured once no Web Lock is held.
func runTabs(c config, h *browsertest.Harness) (bool, error) {
	start := time.Now()
	srv, err := startServers(h, tabChaos, c.seed)
	if err != nil {
		return false, err
	}
	defer srv.close()
	// Origin A's port may be one an earlier mode's server had: its pages
	// must not find that mode's tokens.
	if err := h.Browser.ClearOrigin(srv.a.URL); err != nil {
		return false, err
	}
	r := &tabRun{
		c: c, browser: h.Browser, srv: srv,
		inflight: max(1, c.inflight/tabCount),
		rounds:   max(4, min(10, c.tabRequests/tabCount/300)),
	}
	r.chaos = &chaosDriver{r: r, rng: rand.New(rand.NewPCG(c.seed, 0x7ab5)), done: map[string]int{}}
	defer r.close()
	if err := r.open(); err != nil {
		return false, err
	}
	for round := 1; round <= r.rounds; round++ {
		if err := r.round(round); err != nil {
			return false, err
		}
	}
	for _, t := range r.tabs {
		if err := t.finish(); err != nil {
			return false, err
		}
	}
	return reportTabs(os.Stdout, r, time.Since(start)), nil
}

// open opens the tabs and logs the session in from the first.
func (r *tabRun) open() error {
	for n := 1; n <= tabCount; n++ {
		t, err := openTab(r, n)
		if err != nil {
			return err
		}
		r.tabs = append(r.tabs, t)
	}
	return r.chaos.eval(r.tabs[0], "await soak.login()")
}

// round has every tab send its share of the round's requests, with the
// chaos on, then measures every tab's module.
func (r *tabRun) round(round int) error {
	stop := r.chaos.start()
	errs := make([]error, len(r.tabs))
	var wg sync.WaitGroup
	for i, t := range r.tabs {
		wg.Go(func() { errs[i] = t.runRound(round, r.roundShare(t.n, round)) })
	}
	wg.Wait()
	if err := errors.Join(append(errs, stop())...); err != nil {
		return fmt.Errorf("round %d: %w", round, err)
	}
	for _, t := range r.tabs {
		if err := t.measure(round); err != nil {
			return err
		}
	}
	return nil
}

// share is how many requests tab n sends, across its page lives: the
// mode's requests, split as evenly as they go.
func (r *tabRun) share(n int) int {
	s := r.c.tabRequests / tabCount
	if n <= r.c.tabRequests%tabCount {
		s++
	}
	return s
}

// roundShare is how many of its requests tab n sends in round: its share
// split as evenly as it goes, the last round taking the rest.
func (r *tabRun) roundShare(n, round int) int {
	per := r.share(n) / r.rounds
	if round == r.rounds {
		return r.share(n) - per*(r.rounds-1)
	}
	return per
}

// tabOfCall returns the tab that made the refresh call named call
// ("tab.life.n", its X-Soak-Call header), or nil.
func (r *tabRun) tabOfCall(call string) *tabState {
	n, _, _ := strings.Cut(call, ".")
	for _, t := range r.tabs {
		if strconv.Itoa(t.n) == n {
			return t
		}
	}
	return nil
}

func (r *tabRun) close() {
	for _, t := range r.tabs {
		t.tab.Close()
	}
}
