//go:build js && wasm

package jsutil

import "syscall/js"

// The globals every adapter uses, looked up once: every lookup is a call
// into JS.
var (
	Global  = js.Global()
	Object  = Global.Get("Object")
	Array   = Global.Get("Array")
	JSON    = Global.Get("JSON")
	Promise = Global.Get("Promise")
	Error   = Global.Get("Error")
	Reflect = Global.Get("Reflect")
	URL     = Global.Get("URL")
)
