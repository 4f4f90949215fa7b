//go:build js && wasm

// Package bridge adapts the browser to package core: the page's fetch and
// Request, Web Locks and IndexedDB behind core.Tabs, JSON.parse, AbortSignal,
// the options as JS gives them, and the client object that js/authfetch.js
// wraps. It decides nothing: every rule lives in core.
//
// Every function exported to JS returns at once: work that waits (a fetch, a
// refresh) runs in a goroutine behind a Promise, because a js.Func that blocks
// deadlocks the event loop (syscall/js FuncOf). Every js.Func made for one
// request is released when the request settles.
package bridge
