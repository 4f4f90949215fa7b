//go:build js && wasm

package bridge

import (
	"sync"
	"syscall/js"

	"github.com/authfetch/authfetch/internal/core"
	"github.com/authfetch/authfetch/internal/jsutil"
	"github.com/authfetch/authfetch/internal/webstorage"
)

// sessions holds the page's live sessions by config.sessionKey, so that
// clients with the same storage, keys and refresh URL share one.
var sessions = struct {
	sync.Mutex
	byKey map[string]*liveSession // guarded by the mutex
}{byKey: make(map[string]*liveSession)}

// liveSession is a session and how many open clients use it.
type liveSession struct {
	session *core.Session
	clients int
	stop    func() // ends what the session listens to
}

// joinSession returns the session for cfg, opening it when this is its first
// client, and a function that leaves it. A session whose last client left is
// forgotten ('memory' tokens with it).
func joinSession(cfg config) (*core.Session, func()) {
	key := cfg.sessionKey()
	sessions.Lock()
	defer sessions.Unlock()
	live := sessions.byKey[key]
	if live == nil {
		live = openSession(cfg)
		sessions.byKey[key] = live
	}
	live.clients++
	var once sync.Once
	return live.session, func() {
		once.Do(func() {
			sessions.Lock()
			defer sessions.Unlock()
			if live.clients--; live.clients == 0 {
				delete(sessions.byKey, key)
				live.stop()
			}
		})
	}
}

// openSession opens the session for cfg. With crossTab and localStorage, it
// shares refreshes with the origin's other tabs and follows their writes.
func openSession(cfg config) *liveSession {
	store := core.NewTokenStore(webstorage.Open(cfg.storage), cfg.accessKey, cfg.refreshKey)
	live := &liveSession{session: core.NewSession(store, parseJSON, nil), stop: func() {}}
	if cfg.storage != "local" || !cfg.crossTab {
		return live
	}
	if tabs, ok := newWebTabs(cfg.sessionKey()); ok {
		live.session.ShareWithTabs(tabs)
	}
	live.stop = followOtherTabs(live.session, cfg.accessKey, cfg.refreshKey)
	return live
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
