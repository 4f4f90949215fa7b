//go:build !js

// Package e2e holds the browser acceptance tests of authfetch: they build the
// WebAssembly module, load it with js/authfetch.js in headless Chromium, and
// check the behaviour that /work/shared/API.md promises against scriptable
// test servers on 127.0.0.1.
//
// Run them with `go test -count=1 ./e2e/`. They need /usr/bin/chromium and
// fail, never skip, when it is missing or the module does not build.
package e2e
