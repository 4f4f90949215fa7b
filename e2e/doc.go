//go:build !js

// Package e2e holds the browser acceptance tests of authfetch: they build the
// WebAssembly module, load it with js/authfetch.js in headless Chromium, and
// check the behaviour of the public contract (the README's "How it works")
// against the scriptable fake token API of internal/browsertest, the demo
// API and a second origin, all on 127.0.0.1.
//
// Run them with `go test -count=1 ./e2e/`. They need /usr/bin/chromium and
// fail, never skip, when it is missing or the module does not build.
package e2e
