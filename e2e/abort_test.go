//go:build !js

package e2e

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/authfetch/authfetch/internal/browsertest"
	"github.com/stretchr/testify/require"
)

// Abort: a signal rejects a request while it waits for a refresh and while
// it is in flight, as fetch rejects, and never cancels the shared refresh.

// abortResult is how a fetch settled after the test aborted its signal.
type abortResult struct {
	Pending        bool   `json:"pending"`
	Resolved       bool   `json:"resolved"`
	Status         int    `json:"status"`
	Same           bool   `json:"same"` // rejected with signal.reason itself
	Name           string `json:"name"`
	IsDOMException bool   `json:"isDOMException"`
}

// abortReasons are the reasons a test aborts with: the default (an AbortError) and custom ones.
var abortReasons = []struct{ name, reason, wantName string }{
	{"the default reason", `undefined`, "AbortError"},
	{"an Error as the reason", `new Error('user left the page')`, "Error"},
	{"a string as the reason", `'user left the page'`, ""},
}

// startAbortable starts, in one go, api.fetch(urls[i]) as window["p<i>"],
// each with its own AbortController, window.ctrls["p<i>"].
func (s *session) startAbortable(urls ...string) {
	s.t.Helper()
	do(s.t, s.tab, `
		window.ctrls ??= {};
		`+jsValue(urls)+`.forEach((url, i) => {
			const ctrl = ctrls['p' + i] = new AbortController();
			const p = window['p' + i] = api.fetch(url, { signal: ctrl.signal });
			p.catch(() => {});
		});`)
}

// abortableURLs returns one URL under prefix for each abort reason.
func abortableURLs(prefix string) []string {
	var urls []string
	for i := range abortReasons {
		urls = append(urls, fmt.Sprint(prefix, i))
	}
	return urls
}

// abort aborts the controller of the fetch kept as window[name] with reason (a
// JS expression) and reports how that fetch settles, giving up after 5s.
func (s *session) abort(name, reason string) abortResult {
	s.t.Helper()
	return eval[abortResult](s.t, s.tab, `
		const ctrl = ctrls[`+jsValue(name)+`];
		ctrl.abort(`+reason+`);
		return await Promise.race([
			window[`+jsValue(name)+`].then(r => ({ resolved: true, status: r.status }),
				e => ({ resolved: false, same: e === ctrl.signal.reason, name: String(e?.name ?? ''), isDOMException: e instanceof DOMException })),
			new Promise(r => setTimeout(() => r({ pending: true }), 5000)),
		]);`)
}

func requireAborted(t *testing.T, got abortResult, wantName string) {
	t.Helper()
	require.False(t, got.Pending, "the fetch did not settle after the abort")
	require.False(t, got.Resolved, "the fetch resolved after the abort: %+v", got)
	require.True(t, got.Same, "the rejection is not signal.reason: %+v", got)
	if wantName != "" {
		require.Equal(t, wantName, got.Name)
	}
	if wantName == "AbortError" {
		require.True(t, got.IsDOMException)
	}
}

func TestAbortingARequestThatWaitsForARefreshRejectsWithTheSignalsReason(t *testing.T) {
	t.Parallel()
	t.Run("waiting for its retry", func(t *testing.T) {
		s := newRevokedSession(t)
		release := s.holdRefreshes()
		s.startAbortable(abortableURLs("/api/waiting/")...)
		s.arrived(browsertest.RefreshPath, 1, "the refresh")
		s.arrived("/api/waiting/", len(abortReasons), "every request had its 401")

		for i, r := range abortReasons {
			t.Run(r.name, func(t *testing.T) {
				requireAborted(t, s.on(t).abort(fmt.Sprint("p", i), r.reason), r.wantName)
			})
		}
		release()
		require.Equal(t, http.StatusOK, s.settle(`api.fetch('/api/after')`).Status)
		require.Len(t, s.api.Requests("/api/waiting/"), len(abortReasons), "an aborted request is not retried")
		require.Equal(t, 1, s.api.RefreshCalls())
	})

	t.Run("started during the refresh", func(t *testing.T) {
		s := newRevokedSession(t)
		release := s.holdRefreshes()
		s.start("trigger", `api.fetch('/api/trigger')`)
		s.arrived(browsertest.RefreshPath, 1, "the refresh")
		s.startAbortable(abortableURLs("/api/waiting/")...)
		s.roundTrips(2)

		for i, r := range abortReasons {
			t.Run(r.name, func(t *testing.T) {
				requireAborted(t, s.on(t).abort(fmt.Sprint("p", i), r.reason), r.wantName)
			})
		}
		release()
		require.Equal(t, http.StatusOK, s.outcomeOf("trigger").Status)
		require.Equal(t, http.StatusOK, s.settle(`api.fetch('/api/after')`).Status)
		require.Empty(t, s.api.Requests("/api/waiting/"), "an aborted request never goes out")
		require.Equal(t, 1, s.api.RefreshCalls())
	})
}

func TestAbortingARequestInFlightRejectsWithTheSignalsReason(t *testing.T) {
	t.Parallel()
	s := newSessionWithAPI(t)
	var held []*browsertest.Hold
	for _, url := range abortableURLs("/api/slow/") {
		held = append(held, s.api.HoldNext(url))
	}
	s.startAbortable(abortableURLs("/api/slow/")...)
	for _, h := range held {
		waitFor(t, h.Entered, "the requests in flight")
	}

	for i, r := range abortReasons {
		t.Run(r.name, func(t *testing.T) {
			s := s.on(t)
			requireAborted(t, s.abort(fmt.Sprint("p", i), r.reason), r.wantName)
			waitFor(t, held[i].Canceled, "the browser cancels the request")
			sent := s.api.Requests(fmt.Sprint("/api/slow/", i))
			require.Len(t, sent, 1)
			require.True(t, sent[0].Canceled, "the record of the canceled request")
		})
	}

	t.Run("a signal aborted before the call", func(t *testing.T) {
		got := eval[abortResult](t, s.tab, `
			const reason = new DOMException('already', 'AbortError');
			return await api.fetch('/api/never', { signal: AbortSignal.abort(reason) }).then(
				r => ({ resolved: true, status: r.status }),
				e => ({ resolved: false, same: e === reason, name: e.name, isDOMException: e instanceof DOMException }));`)
		requireAborted(t, got, "AbortError")
		require.Empty(t, s.api.Requests("/api/never"))
	})
}

func TestAbortingOneWaitingRequestDoesNotCancelTheSharedRefresh(t *testing.T) {
	t.Parallel()
	s := newRevokedSession(t)
	release := s.holdRefreshes()

	// The aborted request is the one whose 401 started the refresh.
	s.startAbortable("/api/first")
	s.arrived(browsertest.RefreshPath, 1, "the refresh")
	s.start("others", `Promise.all([1, 2, 3, 4].map(i => e2e.settle(api.fetch('/api/other?i=' + i))))`)
	requireAborted(t, s.abort("p0", `undefined`), "AbortError")
	s.roundTrips(2)

	release()
	for i, o := range kept[[]outcome](s, "others") {
		require.Equal(t, http.StatusOK, o.Status, "request %d: %+v", i+1, o)
	}
	require.Equal(t, 1, s.api.RefreshCalls())
	require.False(t, s.api.Requests(browsertest.RefreshPath)[0].Canceled, "the refresh request was canceled")
	require.Len(t, s.events("api", "refresh"), 1)
	s.requireStored(ptr("a2"), ptr("r2"))
}
