//go:build js && wasm

// Package webstorage is core.Storage over the page's localStorage or
// sessionStorage, shared by the WebAssembly module and the Go API's
// LocalStorage, so that both read the keys a login page writes.
package webstorage

import (
	"fmt"
	"sync"
	"syscall/js"

	"github.com/authfetch/authfetch/internal/core"
	"github.com/authfetch/authfetch/internal/jsutil"
)

// webStorage is a core.Storage over localStorage or sessionStorage. Each
// method turns what the browser throws (private mode, quota, a storage that
// was replaced) into an error, on which core.TokenStore falls back to memory.
type webStorage struct {
	area js.Value
	name string // "localStorage", "sessionStorage" or the object's, for messages
}

// storageKeys holds each key read as a JS string, made once: a page reads the
// same two keys for every request.
var storageKeys = struct {
	mu sync.Mutex
	m  map[string]js.Value
}{m: map[string]js.Value{}}

func storageKey(key string) js.Value {
	storageKeys.mu.Lock()
	defer storageKeys.mu.Unlock()
	v, ok := storageKeys.m[key]
	if !ok {
		v = js.ValueOf(key)
		storageKeys.m[key] = v
	}
	return v
}

// openArea returns the named Web Storage area, or an error when the
// page may not use it: even reading window.localStorage throws a
// SecurityError where storage is blocked. It reads the property with
// Reflect.get, because js.Value.Get does not catch what a getter throws: the
// exception would unwind through the Go runtime.
func openArea(name string) (core.Storage, error) {
	var area js.Value
	err := jsutil.Catch(func() error {
		area = jsutil.Reflect.Call("get", jsutil.Global, name)
		if area.Type() != js.TypeObject {
			return fmt.Errorf("authfetch: %s is not available", name)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return webStorage{area: area, name: name}, nil
}

func (s webStorage) Get(key string) (value string, err error) {
	err = jsutil.Catch(func() error {
		switch v := s.area.Call("getItem", storageKey(key)); v.Type() {
		case js.TypeString:
			value = v.String()
		case js.TypeNull, js.TypeUndefined:
		default:
			return fmt.Errorf("authfetch: %s.getItem(%q) returned a %s, not a string", s.name, key, v.Type())
		}
		return nil
	})
	return value, err
}

func (s webStorage) Set(key, value string) error {
	return jsutil.Catch(func() error {
		s.area.Call("setItem", key, value)
		return nil
	})
}

func (s webStorage) Remove(key string) error {
	return jsutil.Catch(func() error {
		s.area.Call("removeItem", key)
		return nil
	})
}

// Object returns a Storage over an object of the app's with the methods of
// Web Storage (an encrypted store, a per-user namespace); name names it in
// messages.
func Object(obj js.Value, name string) core.Storage { return webStorage{area: obj, name: name} }

// Open returns the Storage for the storage option: "local", "session" or
// anything else for memory. A Web Storage the page may not use gives memory,
// as any later storage failure does (core.TokenStore falls back).
func Open(kind string) core.Storage {
	name := map[string]string{"local": "localStorage", "session": "sessionStorage"}[kind]
	if name == "" {
		return &core.MemoryStorage{}
	}
	s, err := openArea(name)
	if err != nil {
		return &core.MemoryStorage{}
	}
	return s
}
