//go:build !js

package browsertest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/heapprofiler"
	"github.com/chromedp/cdproto/network"
	cdpruntime "github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// Tab is one open tab. It keeps what the page logs to the console, for the
// message of a failure.
type Tab struct {
	ctx    context.Context
	cancel context.CancelFunc
	done   chan struct{} // closed when the console reader has stopped

	mu      sync.Mutex
	console []string // guarded by mu
}

// Open opens url in a new tab; with fresh, in a browser context of its own
// (its own renderer, storage and cache, no shared compiled module), which
// closes with the tab.
func (b *Browser) Open(url string, fresh bool) (*Tab, error) {
	var opts []chromedp.ContextOption
	if fresh {
		opts = append(opts, chromedp.WithNewBrowserContext())
	}
	ctx, cancel := chromedp.NewContext(b.ctx, opts...)
	t := &Tab{ctx: ctx, cancel: cancel, done: make(chan struct{})}
	messages := chromedp.Console(ctx) // subscribes now, before the page runs
	go func() {
		defer close(t.done)
		for m, err := range messages {
			if err != nil {
				return
			}
			t.mu.Lock()
			t.console = append(t.console, m.String())
			t.mu.Unlock()
		}
	}()
	if err := chromedp.Do(ctx, chromedp.Navigate(url), stopNetworkEvents); err != nil {
		t.Close()
		return nil, fmt.Errorf("browsertest: opening %s: %w", url, err)
	}
	return t, nil
}

// stopNetworkEvents turns off the network events that chromedp enables on
// each tab (Navigate needs them, nothing after it does): reporting every
// request, and every chunk of the module, over CDP costs the browser more
// CPU than the page under test, in the middle of a measurement.
var stopNetworkEvents = chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
	_, err := cdp.Call(ctx, t, network.Disable, cdp.Empty{})
	return err
})

// Context is the tab's context, for chromedp actions of the caller's own.
func (t *Tab) Context() context.Context { return t.ctx }

// Close closes the tab.
func (t *Tab) Close() {
	t.cancel()
	<-t.done
}

// Console returns what the page has logged so far.
func (t *Tab) Console() []string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([]string(nil), t.console...)
}

// Eval runs js as the body of an async function in the tab's page, waits
// for it, and decodes what it returns into T. A script that throws, or has
// not settled after timeout (a request that never settles), is an error
// that quotes the script.
func Eval[T any](t *Tab, timeout time.Duration, js string) (T, error) {
	ctx, cancel := context.WithTimeout(t.ctx, timeout)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T]("(async () => {\n"+js+"\n})()", chromedp.EvalAwaitPromise))
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		err = fmt.Errorf("not settled after %v", timeout)
	}
	if err != nil {
		return v, fmt.Errorf("browsertest: %w\nscript:\n%s", err, js)
	}
	return v, nil
}

// WaitFor waits until the JS expression cond holds in the page, for state
// that another tab or the browser changes (a storage event, a render). cond
// is awaited: a Promise counts by what it resolves to.
func (t *Tab) WaitFor(cond string, timeout time.Duration) error {
	_, err := chromedp.Run(t.ctx, chromedp.Poll[chromedp.Void](cond, chromedp.WithPollingTimeout(timeout)))
	if err != nil {
		return fmt.Errorf("browsertest: waiting for %s: %w", cond, err)
	}
	return nil
}

// CollectGarbage runs a full garbage collection of the page's JS heap.
func (t *Tab) CollectGarbage() error {
	return chromedp.Do(t.ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, heapprofiler.CollectGarbage, cdp.Empty{})
		return err
	}))
}

// HeapUsed collects garbage and returns the bytes of the JS heap in use.
func (t *Tab) HeapUsed() (float64, error) {
	if err := t.CollectGarbage(); err != nil {
		return 0, err
	}
	return chromedp.Run(t.ctx, chromedp.Action[float64](func(ctx context.Context, tg *chromedp.Target) (float64, error) {
		u, err := cdp.Call(ctx, tg, cdpruntime.GetHeapUsage, cdp.Empty{})
		return u.UsedSize, err
	}))
}
