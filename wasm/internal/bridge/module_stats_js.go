//go:build js && wasm

package bridge

import (
	"runtime"
	"syscall/js"

	"github.com/authfetch/authfetch/internal/jsutil"
)

// moduleStats reports what the module holds, for authfetch.js's
// moduleStats(): the live Go heap and the js.Funcs not released. Both stay
// flat while requests come and go when nothing leaks; make bench and make
// soak read them. It collects garbage first, so that the heap figure is what
// is live rather than what the last collection left behind; that takes a few
// milliseconds, which is fine for diagnosis and not for every request.
func moduleStats() js.Value {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return js.ValueOf(map[string]any{
		"heapBytes":   m.HeapAlloc,
		"heapObjects": m.HeapObjects,
		"gcCycles":    m.NumGC,
		"liveFuncs":   jsutil.LiveFuncs(),
	})
}
