//go:build js && wasm

package jsbridge

import "syscall/js"

// The globals a request uses, looked up once: every lookup is a JS call.
var (
	global          = js.Global()
	jsFetch         = global.Get("fetch")
	jsRequest       = global.Get("Request")
	jsURL           = global.Get("URL")
	jsObject        = global.Get("Object")
	jsArray         = global.Get("Array")
	jsJSON          = global.Get("JSON")
	jsPromise       = global.Get("Promise")
	jsError         = global.Get("Error")
	jsReadable      = global.Get("ReadableStream")
	jsReflect       = global.Get("Reflect")
	abortController = global.Get("AbortController")

	// jsAuthorization is the header name, made a JS string once.
	jsAuthorization = js.ValueOf("Authorization")
	// fetchInit is the init of an api.fetch(url) attempt that carries a
	// signal of authfetch's own: set just before each call, which reads it
	// at once.
	fetchInit = jsObject.New()
)
