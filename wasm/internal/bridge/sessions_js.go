//go:build js && wasm

package bridge

import (
	"syscall/js"

	"github.com/authfetch/authfetch/internal/core"
	"github.com/authfetch/authfetch/internal/jsutil"
	"github.com/authfetch/authfetch/internal/webstorage"
)

// sessions are the page's live sessions.
var sessions core.Registry

// openSession opens the session for cfg, over the storage object of the
// storage option when one was given. With crossTab and localStorage, it
// shares refreshes with the origin's other tabs and follows their writes; the
// function it returns stops following them.
func openSession(cfg core.Config, object js.Value) (*core.Session, func()) {
	storage := webstorage.Open(cfg.Storage)
	if cfg.Storage == "object" {
		storage = webstorage.Object(object, "the storage option")
	}
	store := core.NewTokenStore(storage, cfg.AccessKey, cfg.RefreshKey)
	session := core.NewSession(store, parseJSON, nil)
	if cfg.Storage != "local" || !cfg.CrossTab {
		return session, func() {}
	}
	if tabs, ok := newWebTabs(cfg.SessionKey()); ok {
		session.ShareWithTabs(tabs)
	}
	return session, followOtherTabs(session, cfg.AccessKey, cfg.RefreshKey)
}

// followOtherTabs tells session about every write of another tab to its keys
// (the storage event fires only in the tabs that did not write). It returns
// the function that stops listening.
func followOtherTabs(session *core.Session, accessKey, refreshKey string) (stop func()) {
	onStorage := jsutil.FuncOf(func(_ js.Value, args []js.Value) any {
		e := jsutil.Arg(args, 0)
		key := e.Get("key")
		if key.IsNull() || key.String() == accessKey || key.String() == refreshKey {
			session.TokensChangedElsewhere()
		}
		return nil
	})
	jsutil.Global.Call("addEventListener", "storage", onStorage)
	return func() {
		jsutil.Global.Call("removeEventListener", "storage", onStorage)
		jsutil.Release(onStorage)
	}
}
