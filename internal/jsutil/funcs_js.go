//go:build js && wasm

package jsutil

import (
	"sync/atomic"
	"syscall/js"
)

// liveFuncs counts the js.Funcs made and not yet released. A js.Func that is
// never released keeps its Go closure alive for good, so a count that grows
// with the number of requests is a leak.
var liveFuncs atomic.Int64

// FuncOf is js.FuncOf, counted. Every js.Func of the module is made here.
func FuncOf(fn func(this js.Value, args []js.Value) any) js.Func {
	liveFuncs.Add(1)
	return js.FuncOf(fn)
}

// Release is js.Func.Release, counted; each js.Func is released once.
func Release(f js.Func) {
	f.Release()
	liveFuncs.Add(-1)
}

// LiveFuncs returns how many js.Funcs are made and not released.
func LiveFuncs() int64 { return liveFuncs.Load() }
