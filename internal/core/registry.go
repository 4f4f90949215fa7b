package core

import "sync"

// Registry holds a page's live sessions by Config.SessionKey, so that the
// clients with the same storage, token keys and refresh URL share one
// session: its tokens, its one refresh and its events. It is safe for
// concurrent use; the zero value is ready to use.
type Registry struct {
	mu    sync.Mutex
	byKey map[string]*registered // guarded by mu
}

// registered is a session and how many clients use it.
type registered struct {
	session *Session
	clients int
	close   func() // ends what the session listens to
}

// Join returns the session under key, opened with open when this is its
// first client, and the function that leaves it (once; later calls do
// nothing). When the last client leaves, the session is forgotten ('memory'
// tokens with it) and the close that open returned runs.
func (r *Registry) Join(key string, open func() (session *Session, close func())) (*Session, func()) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.byKey == nil {
		r.byKey = map[string]*registered{}
	}
	reg := r.byKey[key]
	if reg == nil {
		s, close := open()
		reg = &registered{session: s, close: close}
		r.byKey[key] = reg
	}
	reg.clients++
	var once sync.Once
	return reg.session, func() {
		once.Do(func() {
			r.mu.Lock()
			defer r.mu.Unlock()
			if reg.clients--; reg.clients == 0 {
				delete(r.byKey, key)
				reg.close()
			}
		})
	}
}
