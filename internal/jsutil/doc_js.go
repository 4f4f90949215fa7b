//go:build js && wasm

// Package jsutil holds the syscall/js primitives that authfetch's browser
// adapters share: the globals they look up once, counted js.Funcs, Promises
// in both directions, and the boundary where what JS throws becomes a Go
// error and a Go error becomes a JS Error.
//
// Every js.Func of the module is made by FuncOf and released by Release, so
// that LiveFuncs can tell a leak from a steady state.
package jsutil
