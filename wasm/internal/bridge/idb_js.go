//go:build js && wasm

package bridge

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"syscall/js"

	"github.com/authfetch/authfetch/internal/jsutil"
)

// The IndexedDB database where tabs record spent refresh tokens. Unlike
// localStorage, which another tab's renderer may not have caught up with,
// IndexedDB is one store behind one browser process: a transaction that
// committed before a tab released the refresh lock is seen by the tab that
// takes it next.
const (
	idbName  = "authfetch"
	idbStore = "rotations"
)

// errNoRecords is what every call gets once the database failed to open in
// time: the records only help tabs hand tokens over, so a tab whose
// IndexedDB does not answer (an open that stays blocked) goes on without
// them, as where there is none, instead of waiting at every refresh.
var errNoRecords = errors.New("authfetch: IndexedDB did not open in time; going on without it")

// records is the page's one connection to the database, opened in the
// background at first use.
type records struct {
	once   sync.Once
	opened chan struct{} // closed when the open ended
	db     js.Value      // set before opened closes
	err    error         // set before opened closes

	mu     sync.Mutex
	gaveUp bool // guarded by mu; a wait for the open ended first
}

var sharedRecords = &records{opened: make(chan struct{})}

// warm starts opening the database, so that the first refresh does not
// wait for the open on its way to the refresh endpoint.
func (r *records) warm() {
	r.once.Do(func() {
		go func() {
			r.db, r.err = openIDB()
			close(r.opened)
		}()
	})
}

// open waits for the database until ctx ends. After one wait that ended
// first, later calls do not wait: they fail at once until the open ends.
func (r *records) open(ctx context.Context) (js.Value, error) {
	r.warm()
	r.mu.Lock()
	gaveUp := r.gaveUp
	r.mu.Unlock()
	if gaveUp {
		select {
		case <-r.opened:
		default:
			return js.Value{}, errNoRecords
		}
	}
	select {
	case <-r.opened:
		return r.db, r.err
	case <-ctx.Done():
		r.mu.Lock()
		r.gaveUp = true
		r.mu.Unlock()
		return js.Value{}, errNoRecords
	}
}

// get reads key from the rotations store.
func (r *records) get(ctx context.Context, key string) (js.Value, error) {
	db, err := r.open(ctx)
	if err != nil {
		return js.Value{}, err
	}
	var req js.Value
	err = jsutil.Catch(func() error {
		req = db.Call("transaction", idbStore, "readonly").Call("objectStore", idbStore).Call("get", key)
		return nil
	})
	if err != nil {
		return js.Value{}, err
	}
	if err := idbWait(ctx, req, "onsuccess"); err != nil {
		return js.Value{}, err
	}
	return req.Get("result"), nil
}

// put writes value under key (undefined deletes it) and waits for the
// transaction to commit, so that the next tab to read sees it.
func (r *records) put(ctx context.Context, key string, value js.Value) error {
	db, err := r.open(ctx)
	if err != nil {
		return err
	}
	var tx js.Value
	err = jsutil.Catch(func() error {
		tx = db.Call("transaction", idbStore, "readwrite")
		store := tx.Call("objectStore", idbStore)
		if value.IsUndefined() {
			store.Call("delete", key)
		} else {
			store.Call("put", value, key)
		}
		return nil
	})
	if err != nil {
		return err
	}
	return idbWait(ctx, tx, "oncomplete")
}

// openIDB opens (creating when needed) the rotations database.
func openIDB() (js.Value, error) {
	factory := jsutil.Global.Get("indexedDB")
	if factory.Type() != js.TypeObject {
		return js.Value{}, fmt.Errorf("authfetch: indexedDB is not available")
	}
	var req js.Value
	if err := jsutil.Catch(func() error { req = factory.Call("open", idbName, 1); return nil }); err != nil {
		return js.Value{}, err
	}
	upgrade := jsutil.FuncOf(func(js.Value, []js.Value) any {
		db := req.Get("result")
		if !db.Get("objectStoreNames").Call("contains", idbStore).Bool() {
			db.Call("createObjectStore", idbStore)
		}
		return nil
	})
	defer jsutil.Release(upgrade)
	req.Set("onupgradeneeded", upgrade)
	if err := idbWait(context.Background(), req, "onsuccess"); err != nil {
		return js.Value{}, err
	}
	return req.Get("result"), nil
}

// idbWait waits for an IDBRequest's onsuccess or an IDBTransaction's
// oncomplete, or for its error or abort, or for ctx to end.
func idbWait(ctx context.Context, target js.Value, done string) error {
	ch := make(chan error, 1)
	ok := jsutil.FuncOf(func(js.Value, []js.Value) any {
		ch <- nil
		return nil
	})
	failed := jsutil.FuncOf(func(js.Value, []js.Value) any {
		ch <- fmt.Errorf("authfetch: IndexedDB %s: %s", idbName, jsutil.ErrorText(target.Get("error")))
		return nil
	})
	target.Set(done, ok)
	target.Set("onerror", failed)
	target.Set("onabort", failed)
	var err error
	select {
	case err = <-ch:
	case <-ctx.Done():
		err = fmt.Errorf("authfetch: IndexedDB %s did not answer in time", idbName)
	}
	target.Set(done, js.Null())
	target.Set("onerror", js.Null())
	target.Set("onabort", js.Null())
	jsutil.Release(ok)
	jsutil.Release(failed)
	return err
}
