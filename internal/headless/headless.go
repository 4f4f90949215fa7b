//go:build !js

// Package headless starts the Debian Chromium that the browser tests, the
// soak and the bench drive, with the flags known to work on these machines
// (shared/RECIPES.md): without the background-networking flags, Chromium's
// connections are refused by the closed network, many at a time.
//
// It, and the e2e, soak and bench packages that use it, are tagged !js: they
// drive a browser from the host, and chromedp does not build for js/wasm, so
// GOOS=js GOARCH=wasm go vet ./... passes over them.
package headless

import (
	"context"
	"fmt"

	"github.com/chromedp/chromedp"
)

// Start starts headless Chromium at path with a fresh profile in profileDir,
// and any extra flags, and returns the context of its first tab and the
// function that stops the browser.
func Start(path, profileDir string, extra ...chromedp.ExecAllocatorOption) (context.Context, func(), error) {
	opts := append([]chromedp.ExecAllocatorOption{
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
	}, extra...)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(allocCtx)
	stop := func() { cancel(); cancelAlloc() }
	if err := chromedp.Do(ctx); err != nil { // starts the browser
		stop()
		return nil, nil, fmt.Errorf("starting %s: %w", path, err)
	}
	return ctx, stop, nil
}
