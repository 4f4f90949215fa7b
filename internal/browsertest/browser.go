//go:build !js

package browsertest

import (
	"context"
	"fmt"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/storage"
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

// ClearOrigin drops what pages of origin (scheme://host:port) stored in the
// profile: localStorage, IndexedDB, cookies, caches. A test clears the
// origin of a server it has just started, whose port an earlier test's
// server may have had: its pages must not find that test's tokens. Tabs
// share one browser context otherwise, so that they share one renderer
// and its compiled module.
func (b *Browser) ClearOrigin(origin string) error {
	err := chromedp.Do(b.ctx, chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, storage.ClearDataForOrigin,
			storage.ClearDataForOriginParams{Origin: origin, StorageTypes: "all"})
		return err
	}))
	if err != nil {
		return fmt.Errorf("browsertest: clearing what %s stored: %w", origin, err)
	}
	return nil
}

// Close stops the browser.
func (b *Browser) Close() { b.stop() }

// Version is Chromium's product string, e.g. "HeadlessChrome/156.0…".
func (b *Browser) Version() (string, error) {
	return chromedp.Run(b.ctx, chromedp.Action[string](func(ctx context.Context, t *chromedp.Target) (string, error) {
		v, err := cdp.Call(ctx, chromedp.FromContext(ctx).Browser, browser.GetVersion, cdp.Empty{})
		return v.Product, err
	}))
}
