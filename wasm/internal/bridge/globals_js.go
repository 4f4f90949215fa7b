//go:build js && wasm

package bridge

import (
	"syscall/js"

	"github.com/authfetch/authfetch/internal/jsutil"
)

// The globals a request uses, looked up once: every lookup is a JS call.
var (
	jsRequest       = jsutil.Global.Get("Request")
	jsReadable      = jsutil.Global.Get("ReadableStream")
	jsHeaders       = jsutil.Global.Get("Headers")
	abortController = jsutil.Global.Get("AbortController")

	// jsAuthorization is the header name, made a JS string once.
	jsAuthorization = js.ValueOf("Authorization")
	// fetchInit is the init of an api.fetch(url) attempt that carries a
	// signal of authfetch's own: set just before each call, which reads it
	// at once.
	fetchInit = jsutil.Object.New()
)
