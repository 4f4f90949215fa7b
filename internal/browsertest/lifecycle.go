//go:build !js

package browsertest

import (
	"context"
	"fmt"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"
)

// The page lifecycle of a tab, as a user's browser changes it: hidden when
// its window is minimized or another tab is in front, frozen when the
// browser saves power, and loaded again. Chromium 156 headless offers no
// CDP command that only hides a page (Emulation has focus, not
// visibility), so Hide and Show minimize and restore the tab's window
// (Browser.setWindowBounds), which fires visibilitychange and blur or focus
// and throttles the page's timers as a tab in the background;
// Freeze and Resume use Page.setWebLifecycleState, which hides the page
// first and then stops its task queues (the freeze and resume events fire;
// CDP evaluation still runs, promises do not progress).

// Hide minimizes the tab's window: the page becomes hidden.
func (t *Tab) Hide() error {
	id, _, err := t.window()
	if err != nil {
		return err
	}
	return t.setWindowState(id, browser.WindowStateMinimized)
}

// Show makes the page visible and focused again, whatever hid it: Chromium
// shows a page when its window is restored from minimized, and a page that
// Freeze hid is shown the same way (its window was never minimized, so it
// is minimized first).
func (t *Tab) Show() error {
	id, state, err := t.window()
	if err != nil {
		return err
	}
	if state != browser.WindowStateMinimized {
		if err := t.setWindowState(id, browser.WindowStateMinimized); err != nil {
			return err
		}
	}
	return t.setWindowState(id, browser.WindowStateNormal)
}

// Freeze freezes the page (Page.setWebLifecycleState frozen): it is hidden,
// then its timers, callbacks and promises stop until Resume. It keeps what
// it holds meanwhile, such as a Web Lock.
func (t *Tab) Freeze() error { return t.setLifecycle(page.SetWebLifecycleStateStateFrozen) }

// Resume lets a frozen page run again. It stays hidden until Show.
func (t *Tab) Resume() error { return t.setLifecycle(page.SetWebLifecycleStateStateActive) }

// Navigate loads url in the tab, as a reload does when url is the page's
// own: the page and everything it ran are gone, and a script evaluating
// in it (Eval) fails. It waits for the new page to load.
func (t *Tab) Navigate(url string) error {
	if err := chromedp.Do(t.ctx, chromedp.Navigate(url), stopNetworkEvents); err != nil {
		return fmt.Errorf("browsertest: navigating to %s: %w", url, err)
	}
	return nil
}

// setLifecycle asks Chromium to move the page to state.
func (t *Tab) setLifecycle(state page.SetWebLifecycleStateState) error {
	err := chromedp.Do(t.ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, page.SetWebLifecycleState, page.SetWebLifecycleStateParams{State: state})
		return err
	}))
	if err != nil {
		return fmt.Errorf("browsertest: setting the page lifecycle state %s: %w", state, err)
	}
	return nil
}

// window returns the id of the tab's window and its state.
func (t *Tab) window() (browser.WindowID, browser.WindowState, error) {
	type win struct {
		id    browser.WindowID
		state browser.WindowState
	}
	w, err := chromedp.Run(t.ctx, chromedp.Action[win](func(ctx context.Context, tg *chromedp.Target) (win, error) {
		r, err := cdp.Call(ctx, chromedp.FromContext(ctx).Browser, browser.GetWindowForTarget,
			browser.GetWindowForTargetParams{TargetID: target.ID(tg.TargetID)})
		if err != nil || r.Bounds == nil {
			return win{}, err
		}
		return win{r.WindowID, r.Bounds.WindowState}, nil
	}))
	if err != nil {
		return 0, "", fmt.Errorf("browsertest: finding the tab's window: %w", err)
	}
	return w.id, w.state, nil
}

// setWindowState sets the state of the tab's window, id.
func (t *Tab) setWindowState(id browser.WindowID, state browser.WindowState) error {
	err := chromedp.Do(t.ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, chromedp.FromContext(ctx).Browser, browser.SetWindowBounds,
			browser.SetWindowBoundsParams{WindowID: id, Bounds: &browser.Bounds{WindowState: state}})
		return err
	}))
	if err != nil {
		return fmt.Errorf("browsertest: setting the tab's window %s: %w", state, err)
	}
	return nil
}
