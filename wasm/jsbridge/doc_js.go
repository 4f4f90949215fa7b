//go:build js && wasm

// Package jsbridge is the thin syscall/js layer between the browser and
// package core: Web Storage, the page's fetch, JSON.parse, options decoding,
// Promises and the client object that js/authfetch.js wraps.
//
// Every function exported to JS returns at once: work that waits (a fetch, a
// refresh) runs in a goroutine behind a Promise, because a js.Func that blocks
// deadlocks the event loop (syscall/js FuncOf). Every js.Func made for one
// request is released when the request settles.
package jsbridge
