//go:build !js

package e2e

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/authfetch/authfetch/internal/browsertest"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"
)

// evalTimeout bounds one script, so that a promise that never settles fails
// the test with the script instead of hanging the run.
const evalTimeout = 20 * time.Second

// openTab opens a tab at url for the life of the test. If the test failed,
// its log shows what the page wrote to the console.
func openTab(t *testing.T, url string) *browsertest.Tab {
	t.Helper()
	tb, err := harness.Browser.Open(url, false)
	require.NoError(t, err)
	t.Cleanup(func() {
		tb.Close()
		if t.Failed() {
			if lines := consoleToShow(tb.Console()); len(lines) > 0 {
				t.Logf("browser console:\n  %s", strings.Join(lines, "\n  "))
			}
		}
	})
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

// eval runs js as the body of an async function in the page, waits for it,
// and decodes what it returns into T. A script that throws fails the test with
// the JS error and the script.
func eval[T any](t testing.TB, tb *browsertest.Tab, js string) T {
	t.Helper()
	v, err := browsertest.Eval[T](tb, evalTimeout, js)
	require.NoError(t, err)
	return v
}

// do is eval for a script whose value does not matter.
func do(t testing.TB, tb *browsertest.Tab, js string) {
	t.Helper()
	eval[chromedp.Void](t, tb, js)
}

// waitInPage waits until the JS expression cond holds in the page: for what
// another tab or the browser changes (a storage event, a render).
func waitInPage(t testing.TB, tb *browsertest.Tab, cond string) {
	t.Helper()
	require.NoError(t, tb.WaitFor(cond, evalTimeout))
}

// jsValue writes v as a JS literal (JSON is valid JS for the values we pass).
func jsValue(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("e2e: %v cannot be a JS literal: %v", v, err))
	}
	return string(b)
}
