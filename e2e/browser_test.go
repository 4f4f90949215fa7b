//go:build !js

package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"
)

// evalTimeout bounds one script, so that a promise that never settles fails
// the test with the script instead of hanging the run.
const evalTimeout = 20 * time.Second

// tab is one browser tab, open for the life of one test.
type tab struct {
	ctx context.Context

	mu      sync.Mutex
	console []string // guarded by mu: what the page logged, shown when the test fails
}

// openTab opens a new tab at url. The tab closes when the test ends; if the
// test failed, its log shows what the page wrote to the console.
func openTab(t *testing.T, url string) *tab {
	t.Helper()
	ctx, cancel := chromedp.NewContext(browserRoot)
	tb := &tab{ctx: ctx}
	messages := chromedp.Console(ctx) // subscribes now, before the page runs
	done := make(chan struct{})
	go func() {
		defer close(done)
		for m, err := range messages {
			if err != nil {
				return
			}
			tb.mu.Lock()
			tb.console = append(tb.console, m.String())
			tb.mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		cancel()
		<-done
		if t.Failed() {
			tb.mu.Lock()
			defer tb.mu.Unlock()
			if lines := consoleToShow(tb.console); len(lines) > 0 {
				t.Logf("browser console:\n  %s", strings.Join(lines, "\n  "))
			}
		}
	})
	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(url), stopNetworkEvents), "opening %s", url)
	return tb
}

// consoleToShow is the end of a failed test's console, without the line
// Chromium logs for every 401 a test provokes on purpose: a storm's hundreds
// of them would push the failure itself out of a CI log's tail.
func consoleToShow(console []string) []string {
	const keep = 40
	var lines []string
	noise := 0
	for _, l := range console {
		if strings.Contains(l, "the server responded with a status of 401") {
			noise++
			continue
		}
		lines = append(lines, l)
	}
	if len(lines) > keep {
		lines = append([]string{fmt.Sprintf("(%d earlier lines left out)", len(lines)-keep)}, lines[len(lines)-keep:]...)
	}
	if noise > 0 {
		lines = append(lines, fmt.Sprintf("(and %d lines of 'Failed to load resource: … 401')", noise))
	}
	return lines
}

// stopNetworkEvents turns off the network events that chromedp enables on
// each tab (Navigate needs them, nothing after it does): reporting every
// request and every chunk of the 3.5 MB module over CDP costs the browser
// more CPU than the tests themselves.
var stopNetworkEvents = chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
	_, err := cdp.Call(ctx, t, network.Disable, cdp.Empty{})
	return err
})

// eval runs js as the body of an async function in the page, waits for it,
// and decodes what it returns into T. A script that throws fails the test with
// the JS error and the script.
func eval[T any](t testing.TB, tb *tab, js string) T {
	t.Helper()
	v, err := tryEval[T](tb, js)
	require.NoError(t, err, "script:\n%s", js)
	return v
}

// tryEval is eval that returns the error instead of failing the test.
func tryEval[T any](tb *tab, js string) (T, error) {
	ctx, cancel := context.WithTimeout(tb.ctx, evalTimeout)
	defer cancel()
	return chromedp.Run(ctx, chromedp.Evaluate[T]("(async () => {\n"+js+"\n})()", chromedp.EvalAwaitPromise))
}

// do is eval for a script whose value does not matter.
func do(t testing.TB, tb *tab, js string) {
	t.Helper()
	eval[chromedp.Void](t, tb, js)
}

// jsValue writes v as a JS literal (JSON is valid JS for the values we pass).
func jsValue(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("e2e: %v cannot be a JS literal: %v", v, err))
	}
	return string(b)
}
