//go:build js && wasm

package jsbridge

import (
	"sync/atomic"
	"syscall/js"
)

// liveFuncs counts the js.Funcs made and not yet released. A js.Func that is
// never released keeps its Go closure alive for good, so a count that grows
// with the number of requests is a leak; moduleStats reports it.
var liveFuncs atomic.Int64

// funcOf is js.FuncOf, counted. Every js.Func in this package is made here.
func funcOf(fn func(this js.Value, args []js.Value) any) js.Func {
	liveFuncs.Add(1)
	return js.FuncOf(fn)
}

// release is js.Func.Release, counted; each js.Func is released once.
func release(f js.Func) {
	f.Release()
	liveFuncs.Add(-1)
}
