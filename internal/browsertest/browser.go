//go:build !js

package browsertest

import (
	"context"
	"fmt"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/chromedp"
)

// Browser is one headless Chromium with a profile of its own. Its tabs share
// the profile (localStorage, Web Locks, IndexedDB per origin) unless opened
// fresh.
type Browser struct {
	ctx  context.Context // the first tab's; new tabs open from it
	stop func()
}

// StartBrowser starts the Chromium at path with a fresh profile in
// profileDir, with the flags known to work on these machines: without the
// background-networking flags, the closed network refuses Chromium's own
// connections, many at a time. foreground runs every tab as a tab in front:
// a tab that CDP opens is not focused, so Chromium lowers its renderer's
// priority and throttles its timers, which the module's Go scheduler relies
// on; the bench, which times the page, wants neither.
func StartBrowser(path, profileDir string, foreground bool) (*Browser, error) {
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(profileDir),
	}
	if foreground {
		opts = append(opts,
			chromedp.Flag("disable-renderer-backgrounding", true),
			chromedp.Flag("disable-background-timer-throttling", true),
			chromedp.Flag("disable-backgrounding-occluded-windows", true))
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(allocCtx)
	b := &Browser{ctx: ctx, stop: func() { cancel(); cancelAlloc() }}
	if err := chromedp.Do(ctx); err != nil { // starts the browser
		b.stop()
		return nil, fmt.Errorf("browsertest: starting %s: %w", path, err)
	}
	return b, nil
}

// Isolated returns a browser context of b's own, in the same Chromium: its
// tabs share localStorage, Web Locks and IndexedDB with each other and with
// no other tab, so that a test does not find what an earlier test's page
// stored on an origin whose port it now has. Close it when done.
func (b *Browser) Isolated() (*Browser, error) {
	ctx, cancel := chromedp.NewContext(b.ctx, chromedp.WithNewBrowserContext())
	if err := chromedp.Do(ctx); err != nil { // creates the browser context
		cancel()
		return nil, fmt.Errorf("browsertest: a new browser context: %w", err)
	}
	return &Browser{ctx: ctx, stop: cancel}, nil
}

// Close stops the browser; for an Isolated one, it closes its tabs and
// drops their storage.
func (b *Browser) Close() { b.stop() }

// Version is Chromium's product string, e.g. "HeadlessChrome/156.0…".
func (b *Browser) Version() (string, error) {
	return chromedp.Run(b.ctx, chromedp.Action[string](func(ctx context.Context, t *chromedp.Target) (string, error) {
		v, err := cdp.Call(ctx, chromedp.FromContext(ctx).Browser, browser.GetVersion, cdp.Empty{})
		return v.Product, err
	}))
}
