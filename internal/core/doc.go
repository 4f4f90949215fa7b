// Package core is authfetch's refresh logic in plain Go: which requests get the
// bearer token, the single shared refresh and the queue behind it, the one
// retry, calling off the requests a refused token still has in flight,
// proactive refresh before expiry, and the three refresh outcomes.
//
// It knows nothing of the browser. Everything it needs from outside comes
// through small interfaces (Storage, RefreshTransport, a Send function per
// request, a JSON parser), so it builds and tests natively with -race; the
// jsbridge package implements those interfaces with syscall/js.
package core
