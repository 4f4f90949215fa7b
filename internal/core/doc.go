// Package core is authfetch's refresh logic in plain Go: the options and
// their defaults, which requests get the bearer token, the single shared
// refresh and the queue behind it, the one retry, calling off the requests a
// refused token still has in flight, refreshing ahead of expiry, and the
// three refresh outcomes. docs/contract.md states the behaviour it keeps.
//
// It knows nothing of the browser. Everything it needs from outside comes
// through small interfaces (Storage, RefreshTransport, Tabs, a Send function
// per request, a JSON parser, a URL resolver), so it builds and tests
// natively with -race. The WebAssembly module (wasm/internal/bridge) and the
// Go API (the root package) are its two front ends: each translates its
// caller's options into Options and adapts its platform to the interfaces.
package core
