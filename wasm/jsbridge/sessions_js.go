//go:build js && wasm

package jsbridge

import (
	"sync"

	"github.com/authfetch/authfetch/wasm/core"
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
		store := core.NewTokenStore(openStorage(cfg.storage), cfg.accessKey, cfg.refreshKey)
		live = &liveSession{session: core.NewSession(store, parseJSON, nil)}
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
			}
		})
	}
}

// openStorage returns the Storage for the storage option. A Web Storage the
// page may not use gives memory, as any later storage failure does.
func openStorage(kind string) core.Storage {
	name := map[string]string{"local": "localStorage", "session": "sessionStorage"}[kind]
	if name == "" {
		return &core.MemoryStorage{}
	}
	s, err := openWebStorage(name)
	if err != nil {
		return &core.MemoryStorage{}
	}
	return s
}
