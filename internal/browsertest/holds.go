//go:build !js

package browsertest

import (
	"net/http"
	"sync"
	"time"
)

// Hold keeps the next request to one path waiting, after it is recorded,
// until Release.
type Hold struct {
	Entered  chan struct{} // closed when the held request arrives
	Canceled chan struct{} // closed when the browser gives up on it while it is held
	Header   http.Header   // the held request's headers, set before Entered closes

	release chan struct{}
	once    sync.Once
	used    bool // guarded by FakeAPI.mu
}

// Release lets the held request answer. It may be called more than once.
func (h *Hold) Release() { h.once.Do(func() { close(h.release) }) }

// HoldNext makes the next request to path (under /api/, or RefreshPath)
// wait until the returned Hold is released; a held refresh is counted as
// arrived, and answers as it would have after the wait (a SpentOnArrival
// one has spent its token before the hold). Later requests to
// path are not held, nor is the next one once the Hold was released.
func (a *FakeAPI) HoldNext(path string) *Hold {
	h := &Hold{Entered: make(chan struct{}), Canceled: make(chan struct{}), release: make(chan struct{})}
	a.mu.Lock()
	defer a.mu.Unlock()
	a.holds[path] = h
	return h
}

// HoldRefreshes makes every refresh wait, once it arrived, until release is
// called; release may be called more than once.
func (a *FakeAPI) HoldRefreshes() (release func()) {
	gate := make(chan struct{})
	a.mu.Lock()
	a.gate = gate
	a.mu.Unlock()
	var once sync.Once
	return func() {
		once.Do(func() {
			a.mu.Lock()
			a.gate = nil
			a.mu.Unlock()
			close(gate)
		})
	}
}

// hold waits while r is held by HoldNext, and reports whether to answer.
func (a *FakeAPI) hold(r *http.Request) bool {
	a.mu.Lock()
	h := a.holds[r.URL.Path]
	held := h != nil && !h.used
	if held {
		h.used = true
	}
	a.mu.Unlock()
	if !held {
		return true
	}
	h.Header = r.Header.Clone()
	close(h.Entered)
	if a.wait(r, h.release) {
		return true
	}
	close(h.Canceled)
	return false
}

// wait blocks until ch closes or yields, the browser goes away (which marks
// r's record canceled) or the fake closes. It reports whether to answer.
func (a *FakeAPI) wait(r *http.Request, ch <-chan struct{}) bool {
	select {
	case <-ch:
		return true
	case <-r.Context().Done():
		if rec, ok := r.Context().Value(recordKey{}).(*Record); ok {
			a.mu.Lock()
			rec.Canceled = true
			a.mu.Unlock()
		}
		return false
	case <-a.closed:
		return false
	}
}

// pause waits d, as wait does.
func (a *FakeAPI) pause(r *http.Request, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	elapsed := make(chan struct{})
	t := time.AfterFunc(d, func() { close(elapsed) })
	defer t.Stop()
	return a.wait(r, elapsed)
}
