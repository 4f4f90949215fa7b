//go:build !js

package main

import (
	"context"
	"fmt"
	"time"

	"github.com/authfetch/authfetch/internal/headless"
	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/heapprofiler"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// chromiumPath is the browser the bench drives.
const chromiumPath = "/usr/bin/chromium"

// startBrowser starts headless Chromium with a fresh profile in profileDir
// and returns the context of its first tab.
func startBrowser(profileDir string) (context.Context, func(), error) {
	ctx, stop, err := headless.Start(chromiumPath, profileDir,
		// A tab that CDP opens is not focused: without these, Chromium
		// lowers its renderer's priority (nice +5 here) and throttles its
		// timers, which Go's scheduler in the module relies on. A user's tab
		// in front runs without either.
		chromedp.Flag("disable-renderer-backgrounding", true),
		chromedp.Flag("disable-background-timer-throttling", true),
		chromedp.Flag("disable-backgrounding-occluded-windows", true),
	)
	if err != nil {
		return nil, nil, fmt.Errorf("bench: %w", err)
	}
	return ctx, stop, nil
}

// browserVersion is Chromium's product string, e.g. "HeadlessChrome/156.0…".
func browserVersion(ctx context.Context) (string, error) {
	return chromedp.Run(ctx, chromedp.Action[string](func(ctx context.Context, t *chromedp.Target) (string, error) {
		v, err := cdp.Call(ctx, chromedp.FromContext(ctx).Browser, browser.GetVersion, cdp.Empty{})
		return v.Product, err
	}))
}

// page is one open tab.
type page struct {
	ctx    context.Context
	cancel context.CancelFunc
}

// openPage opens url in a new tab; with fresh, in a new browser context of
// its own (its own renderer process, no shared cache or compiled modules).
func openPage(root context.Context, url string, fresh bool) (*page, error) {
	var opts []chromedp.ContextOption
	if fresh {
		opts = append(opts, chromedp.WithNewBrowserContext())
	}
	ctx, cancel := chromedp.NewContext(root, opts...)
	if err := chromedp.Do(ctx, chromedp.Navigate(url), stopNetworkEvents); err != nil {
		cancel()
		return nil, fmt.Errorf("bench: opening %s: %w", url, err)
	}
	return &page{ctx: ctx, cancel: cancel}, nil
}

func (p *page) close() { p.cancel() }

// stopNetworkEvents turns off the network events that chromedp enables on
// each tab: reporting every request over CDP would load the browser in the
// middle of a measurement.
var stopNetworkEvents = chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
	_, err := cdp.Call(ctx, t, network.Disable, cdp.Empty{})
	return err
})

// eval runs js as the body of an async function in the page and decodes what
// it returns into T. A script that has not settled after timeout is an error:
// a request that never settles breaks the bench.
func eval[T any](p *page, timeout time.Duration, js string) (T, error) {
	ctx, cancel := context.WithTimeout(p.ctx, timeout)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T]("(async () => {\n"+js+"\n})()", chromedp.EvalAwaitPromise))
	if err != nil {
		if ctx.Err() != nil {
			return v, fmt.Errorf("bench: not settled after %v: %s", timeout, js)
		}
		return v, fmt.Errorf("bench: %w\nscript: %s", err, js)
	}
	return v, nil
}

// collectGarbage runs a full garbage collection of the page's JS heap.
func (p *page) collectGarbage() error {
	return chromedp.Do(p.ctx, chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, heapprofiler.CollectGarbage, cdp.Empty{})
		return err
	}))
}

// heapUsed collects garbage and returns the bytes of the JS heap in use.
func (p *page) heapUsed() (float64, error) {
	if err := p.collectGarbage(); err != nil {
		return 0, err
	}
	return chromedp.Run(p.ctx, chromedp.Action[float64](func(ctx context.Context, t *chromedp.Target) (float64, error) {
		u, err := cdp.Call(ctx, t, runtime.GetHeapUsage, cdp.Empty{})
		return u.UsedSize, err
	}))
}
