//go:build js && wasm

package bridge

import (
	"fmt"
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
	if err := idbWait(req, "onsuccess"); err != nil {
		return js.Value{}, err
	}
	return req.Get("result"), nil
}

// idbGet reads key from the rotations store.
func idbGet(db js.Value, key string) (js.Value, error) {
	var req js.Value
	err := jsutil.Catch(func() error {
		req = db.Call("transaction", idbStore, "readonly").Call("objectStore", idbStore).Call("get", key)
		return nil
	})
	if err != nil {
		return js.Value{}, err
	}
	if err := idbWait(req, "onsuccess"); err != nil {
		return js.Value{}, err
	}
	return req.Get("result"), nil
}

// idbPut writes value under key (undefined deletes it) and waits for the
// transaction to commit, so that the next tab to read sees it.
func idbPut(db js.Value, key string, value js.Value) error {
	var tx js.Value
	err := jsutil.Catch(func() error {
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
	return idbWait(tx, "oncomplete")
}

// idbWait waits for an IDBRequest's onsuccess or an IDBTransaction's
// oncomplete, or for its error or abort.
func idbWait(target js.Value, done string) error {
	ch := make(chan error, 1)
	ok := jsutil.FuncOf(func(js.Value, []js.Value) any {
		ch <- nil
		return nil
	})
	failed := jsutil.FuncOf(func(js.Value, []js.Value) any {
		ch <- fmt.Errorf("authfetch: IndexedDB %s: %s", idbName, jsutil.ErrorText(target.Get("error")))
		return nil
	})
	defer jsutil.Release(ok)
	defer jsutil.Release(failed)
	target.Set(done, ok)
	target.Set("onerror", failed)
	target.Set("onabort", failed)
	err := <-ch
	target.Set(done, js.Null())
	target.Set("onerror", js.Null())
	target.Set("onabort", js.Null())
	return err
}
