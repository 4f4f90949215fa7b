//go:build js && wasm

package bridge

import "github.com/authfetch/authfetch/internal/jsutil"

// The globals the adapters use, looked up once: every lookup is a JS call.
var (
	abortController = jsutil.Global.Get("AbortController")
)
