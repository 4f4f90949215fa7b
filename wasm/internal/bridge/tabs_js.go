//go:build js && wasm

package bridge

import (
	"context"
	"fmt"
	"syscall/js"

	"github.com/authfetch/authfetch/internal/core"
	"github.com/authfetch/authfetch/internal/jsutil"
)

// maxRotations bounds the spent refresh tokens a session's record keeps.
const maxRotations = 16

// webTabs implements core.Tabs with the Web Locks API for the lock and
// IndexedDB for the records of spent refresh tokens, shared by the tabs of
// the origin under the session's key. Every wait gives up when its ctx ends.
type webTabs struct {
	locks js.Value // navigator.locks
	key   string   // the session key: lock name and record key
	db    *records // the records' database, opened once
}

// newWebTabs returns the tabs coordination for a session, or false where the
// browser has no Web Locks (then each tab refreshes on its own).
func newWebTabs(key string) (core.Tabs, bool) {
	nav := jsutil.Global.Get("navigator")
	if nav.Type() != js.TypeObject || nav.Get("locks").Type() != js.TypeObject {
		return nil, false
	}
	sharedRecords.warm()
	return &webTabs{locks: nav.Get("locks"), key: "authfetch:" + key, db: sharedRecords}, true
}

// Exclusive holds the Web Lock named by the session while fn runs. The lock
// callback returns a Promise that settles when fn is done: that is how a
// lock is held across asynchronous work. The request is aborted when ctx
// ends before the lock is granted.
func (t *webTabs) Exclusive(ctx context.Context, fn func()) error {
	granted := make(chan struct{})
	held := jsutil.Promise.Call("withResolvers")
	onGranted := jsutil.FuncOf(func(js.Value, []js.Value) any {
		close(granted)
		return held.Get("promise")
	})
	defer jsutil.Release(onGranted)
	ctrl := abortController.New()
	stop := context.AfterFunc(ctx, func() {
		ctrl.Call("abort", jsutil.ToJS(fmt.Errorf("authfetch: the lock %s was not granted in time", t.key)))
	})
	defer stop()
	opts := jsutil.Object.New()
	opts.Set("signal", ctrl.Get("signal"))
	var request js.Value
	if err := jsutil.Catch(func() error { request = t.locks.Call("request", t.key, opts, onGranted); return nil }); err != nil {
		return err
	}
	failed := make(chan error, 1)
	go func() {
		if _, err := jsutil.Await(request); err != nil {
			failed <- err
		}
	}()
	select {
	case <-granted:
		stop()
		defer held.Get("resolve").Invoke()
		fn()
		return nil
	case err := <-failed:
		return err
	}
}

// Spent reads the session's record. A record that cannot be read (in time)
// counts as nothing spent: the tab then refreshes as it would alone.
func (t *webTabs) Spent(ctx context.Context, refreshToken string) (core.Tokens, bool) {
	for _, r := range t.records(ctx) {
		if r.spent == refreshToken {
			return r.replacement, true
		}
	}
	return core.Tokens{}, false
}

// RecordSpent appends to the session's record, keeping the newest few.
func (t *webTabs) RecordSpent(ctx context.Context, refreshToken string, replacement core.Tokens) {
	records := append(t.records(ctx), rotation{spent: refreshToken, replacement: replacement})
	if len(records) > maxRotations {
		records = records[len(records)-maxRotations:]
	}
	list := make([]any, len(records))
	for i, r := range records {
		list[i] = []any{r.spent, r.replacement.Access, r.replacement.Refresh}
	}
	t.put(ctx, js.ValueOf(list))
}

// Forget deletes the session's record.
func (t *webTabs) Forget(ctx context.Context) { t.put(ctx, js.Undefined()) }

// rotation is one record: a refresh token spent, and what replaced it.
type rotation struct {
	spent       string
	replacement core.Tokens
}

func (t *webTabs) records(ctx context.Context) []rotation {
	v, err := t.db.get(ctx, t.key)
	if err != nil || v.Type() != js.TypeObject {
		return nil
	}
	var out []rotation
	for i, n := 0, v.Length(); i < n; i++ {
		r := v.Index(i)
		if r.Length() == 3 {
			out = append(out, rotation{spent: r.Index(0).String(), replacement: core.Tokens{Access: r.Index(1).String(), Refresh: r.Index(2).String()}})
		}
	}
	return out
}

func (t *webTabs) put(ctx context.Context, v js.Value) {
	if err := t.db.put(ctx, t.key, v); err != nil {
		jsutil.Global.Get("console").Call("warn", fmt.Sprintf("authfetch: could not record a refresh for other tabs: %v", err))
	}
}
